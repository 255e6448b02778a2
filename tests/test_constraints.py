"""refkeras.constraints: formulas (with tf_keras's epsilon 1e-07) vs numpy, names, configs.

The expected values of the fixed matrix W were measured on tf_keras 2.21.
"""
import numpy as np
import pytest

from refkeras import constraints, ops
from refkeras.framework.errors import InvalidArgumentError

EPS = 1e-07
W = np.array([[3.0, -4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -1.0, 2.0]], dtype=np.float32)


def norms(w, axis):
    return np.sqrt((w.astype(np.float64) ** 2).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_max_norm(axis):
    n = norms(W, tuple(axis) if isinstance(axis, list) else axis)
    expected = W * (np.clip(n, 0, 1.5) / (EPS + n))
    np.testing.assert_allclose(constraints.MaxNorm(1.5, axis=axis)(W).numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1])
def test_unit_norm_and_min_max_norm(axis):
    n = norms(W, axis)
    np.testing.assert_allclose(constraints.UnitNorm(axis)(W).numpy(), W / (EPS + n), rtol=1e-6)
    desired = 0.7 * np.clip(n, 0.5, 2.0) + 0.3 * n
    np.testing.assert_allclose(constraints.MinMaxNorm(0.5, 2.0, 0.7, axis)(W).numpy(),
                               W * desired / (EPS + n), rtol=1e-6)


def test_measured_tf_keras_values():
    np.testing.assert_allclose(constraints.MaxNorm()(W).numpy(), [
        [1.8973665, -1.9402851, 0.0], [0.0, 0.0, 0.0], [0.6324555, -0.48507127, 2.0]], rtol=1e-6)
    np.testing.assert_allclose(constraints.MinMaxNorm(0.5, 1.0, 0.5)(W).numpy(), [
        [1.9743416, -2.4850712, 0.0], [0.0, 0.0, 0.0], [0.6581139, -0.6212678, 1.5]], rtol=1e-6)


def test_non_neg():
    out = constraints.NonNeg()(W).numpy()
    np.testing.assert_array_equal(out, np.maximum(W, 0))
    assert np.signbit(out[0, 1])   # -4 * 0 is -0.0, as in tf_keras
    with pytest.raises(InvalidArgumentError):   # the mask is float32: no promotion
        constraints.NonNeg()(ops.constant(W.astype(np.float64)))


def test_base_constraint_is_identity():
    w = ops.constant(W)
    assert constraints.Constraint()(w) is w
    assert constraints.Constraint().get_config() == {}


@pytest.mark.parametrize("n, ring_values", [
    (2, [0]), (3, [0, 4]), (4, [5, 15]), (5, [6, 12, 18]), (6, [14, 28, 35]),
])
def test_radial_constraint_rings(n, ring_values):
    """Kernel arange(n * n): the value on each ring (innermost first), measured on tf_keras."""
    kernel = np.arange(n * n, dtype=np.float32).reshape(n, n, 1, 1)
    out = constraints.RadialConstraint()(kernel).numpy()[:, :, 0, 0]
    distance = np.floor(np.abs(np.arange(n) - (n - 1) / 2)).astype(int)
    ring = np.maximum.outer(distance, distance)   # Chebyshev rings; even n: a 2x2 centre
    for r, value in enumerate(ring_values):
        assert (out[ring == r] == value).all(), (n, r)


def test_radial_constraint_per_channel_and_errors():
    w = np.random.default_rng(0).standard_normal((3, 3, 2, 4)).astype(np.float32)
    out = constraints.RadialConstraint()(w).numpy()
    for c in range(2):
        for k in range(4):
            single = constraints.RadialConstraint()(w[:, :, c:c + 1, k:k + 1]).numpy()[:, :, 0, 0]
            np.testing.assert_array_equal(out[:, :, c, k], single)
    with pytest.raises(ValueError, match=r"must have rank 4. Received weight tensor with shape: \(3, 3\)"):
        constraints.RadialConstraint()(np.zeros((3, 3), np.float32))
    with pytest.raises(ValueError, match="square kernels"):
        constraints.RadialConstraint()(np.zeros((3, 4, 1, 1), np.float32))


@pytest.mark.parametrize("name, cls", [
    ("max_norm", "MaxNorm"), ("MaxNorm", "MaxNorm"), ("maxnorm", "MaxNorm"),
    ("non_neg", "NonNeg"), ("NonNeg", "NonNeg"), ("nonneg", "NonNeg"),
    ("unit_norm", "UnitNorm"), ("UnitNorm", "UnitNorm"), ("unitnorm", "UnitNorm"),
    ("min_max_norm", "MinMaxNorm"), ("MinMaxNorm", "MinMaxNorm"),
    ("radial_constraint", "RadialConstraint"), ("Constraint", "Constraint"),
])
def test_get_resolves_names(name, cls):
    assert type(constraints.get(name)) is getattr(constraints, cls)


def test_defaults_get_and_errors():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.UnitNorm().get_config() == {"axis": 0}
    assert constraints.MinMaxNorm().get_config() == {
        "min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    assert constraints.get(None) is None
    assert constraints.get(constraints.MaxNorm) is constraints.MaxNorm
    instance = constraints.NonNeg()
    assert constraints.get(instance) is instance
    with pytest.raises(ValueError) as info:
        constraints.get("foo")
    assert str(info.value).startswith("Unknown constraint: 'foo'.")
    assert str(sorted(constraints.IDENTIFIERS)) in str(info.value)
    with pytest.raises(ValueError, match="Could not interpret constraint function identifier: 1"):
        constraints.get(1)


@pytest.mark.parametrize("constraint", [constraints.MaxNorm(3, axis=1), constraints.NonNeg(),
                                        constraints.UnitNorm(axis=[0, 1]),
                                        constraints.MinMaxNorm(0.1, 2.0, 0.5, 1),
                                        constraints.RadialConstraint()],
                         ids=lambda c: type(c).__name__)
def test_config_round_trips(constraint):
    config = constraint.get_config()
    serialized = constraints.serialize(constraint)
    assert serialized == {"module": "keras.constraints", "class_name": type(constraint).__name__,
                          "config": config, "registered_name": None}
    assert constraints.get(serialized).get_config() == config
    assert constraints.get(constraints.serialize(constraint, use_legacy_format=True)).get_config() == config
