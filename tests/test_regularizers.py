"""refkeras.regularizers: penalty formulas vs numpy, gradients, defaults, names, configs.

Formulas and defaults as measured on tf_keras 2.21 (e.g. L1(0.1) of
[[1, -2], [3, 0.5]] is 0.6500000357627869 in float32).
"""
import numpy as np
import pytest

from refkeras import GradientTape, ops, regularizers

X = np.array([[1.0, -2.0], [3.0, 0.5]], dtype=np.float32)


def f32(v):
    return float(np.float32(v))


@pytest.mark.parametrize("regularizer, expected", [
    (regularizers.L1(0.1), np.float32(0.1) * np.abs(X).sum()),
    (regularizers.L2(0.1), np.float32(0.1) * np.square(X).sum()),
    (regularizers.L1L2(0.1, 0.2), np.float32(0.1) * np.abs(X).sum() + np.float32(0.2) * np.square(X).sum()),
    (regularizers.L1L2(), 0.0),
    (regularizers.l1_l2(), np.float32(0.01) * (np.abs(X).sum() + np.square(X).sum())),
])
def test_penalty_values(regularizer, expected):
    value = regularizer(ops.constant(X))
    assert value.dtype == np.float32 and tuple(value.shape) == ()
    assert float(value) == pytest.approx(float(expected), rel=1e-6)


def test_measured_tf_keras_values():
    assert float(regularizers.L1(0.1)(X)) == 0.6500000357627869
    assert float(regularizers.L2(0.1)(X)) == 1.4250000715255737
    assert float(regularizers.L1L2(0.1, 0.2)(X)) == 3.500000238418579


def test_float64_input_keeps_float64_with_float32_factors():
    value = regularizers.L1L2(0.1, 0.2)(ops.constant(X.astype(np.float64)))
    assert value.dtype == np.float64
    assert float(value) == 3.500000052154064   # float32(0.1), float32(0.2) in float64 math


@pytest.mark.parametrize("regularizer, grad", [
    (regularizers.L1(0.3), lambda x: f32(0.3) * np.sign(x)),
    (regularizers.L2(0.3), lambda x: 2 * f32(0.3) * x),
    (regularizers.L1L2(0.3, 0.2), lambda x: f32(0.3) * np.sign(x) + 2 * f32(0.2) * x),
])
def test_gradients_reach_the_weight(regularizer, grad):
    x = ops.Variable(X.astype(np.float64))
    with GradientTape() as tape:
        penalty = regularizer(x)
    np.testing.assert_allclose(tape.gradient(penalty, x).numpy(), grad(X.astype(np.float64)),
                               rtol=1e-12)


def test_orthogonal_regularizer_formula():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((4, 3))
    for mode, axis in (("rows", 1), ("columns", 0)):
        v = w / np.sqrt(np.maximum((w ** 2).sum(axis=axis, keepdims=True), 1e-12))
        p = v @ v.T if mode == "rows" else v.T @ v
        size = p.shape[0]
        expected = 0.5 * 0.5 * np.abs(p * (1 - np.eye(size))).sum() / (size * (size - 1) / 2)
        got = regularizers.OrthogonalRegularizer(0.5, mode)(ops.constant(w))
        assert float(got) == pytest.approx(f32(0.5) / 0.5 * expected, rel=1e-12)
    with pytest.raises(ValueError, match="must have rank 2"):
        regularizers.OrthogonalRegularizer()(ops.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="Received: mode=diag"):
        regularizers.OrthogonalRegularizer(mode="diag")


def test_defaults_and_factor_storage():
    assert regularizers.L1().get_config() == {"l1": f32(0.01)}
    assert regularizers.L2().get_config() == {"l2": f32(0.01)}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.l1_l2().get_config() == {"l1": f32(0.01), "l2": f32(0.01)}
    assert regularizers.L1(None).get_config() == {"l1": f32(0.01)}
    assert regularizers.L1L2(None, None).get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.L1(l=0.3).get_config() == {"l1": f32(0.3)}
    assert regularizers.OrthogonalRegularizer().get_config() == {"factor": f32(0.01), "mode": "rows"}
    assert regularizers.Regularizer()(X) == 0.0


def test_penalty_factor_checks():
    with pytest.raises(TypeError, match=r"Argument\(s\) not recognized: \{'foo': 0.3\}"):
        regularizers.L1(foo=0.3)
    with pytest.raises(ValueError, match="Value a is not a valid regularization penalty number, expected an int"):
        regularizers.L1("a")
    with pytest.raises(ValueError, match="an infinite number or NaN are not valid"):
        regularizers.L2(float("inf"))
    with pytest.raises(ValueError, match="not a valid regularization penalty number"):
        regularizers.L1(np.float32(0.1))   # tf_keras accepts only Python numbers


@pytest.mark.parametrize("name, cls, config", [
    ("l1", "L1", {"l1": f32(0.01)}), ("L1", "L1", {"l1": f32(0.01)}),
    ("l2", "L2", {"l2": f32(0.01)}), ("L2", "L2", {"l2": f32(0.01)}),
    ("l1_l2", "L1L2", {"l1": f32(0.01), "l2": f32(0.01)}), ("L1L2", "L1L2", {"l1": 0.0, "l2": 0.0}),
    ("orthogonal_regularizer", "OrthogonalRegularizer", {"factor": f32(0.01), "mode": "rows"}),
])
def test_get_resolves_names(name, cls, config):
    got = regularizers.get(name)
    assert type(got) is getattr(regularizers, cls) and got.get_config() == config


def test_get_other_identifiers_and_errors():
    assert regularizers.get(None) is None
    instance = regularizers.L1()
    assert regularizers.get(instance) is instance
    assert regularizers.get(regularizers.L2) is regularizers.L2   # a class is not instantiated
    assert regularizers.get({"class_name": "L1L2", "config": {"l1": 0.5, "l2": 0.25}}).get_config() == {
        "l1": 0.5, "l2": 0.25}
    with pytest.raises(ValueError) as info:
        regularizers.get("l3")
    assert str(info.value).startswith("Unknown regularizer: 'l3'.")
    assert str(sorted(regularizers.IDENTIFIERS)) in str(info.value)
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: 1"):
        regularizers.get(1)
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        regularizers.Regularizer().get_config()


@pytest.mark.parametrize("regularizer", [regularizers.L1(0.3), regularizers.L2(0.2),
                                         regularizers.L1L2(0.1, 0.05),
                                         regularizers.OrthogonalRegularizer(0.2, "columns")],
                         ids=lambda r: type(r).__name__)
def test_config_round_trips(regularizer):
    config = regularizer.get_config()
    assert type(regularizer).from_config(config).get_config() == config
    serialized = regularizers.serialize(regularizer)
    assert serialized == {"module": "keras.regularizers", "class_name": type(regularizer).__name__,
                          "config": config, "registered_name": None}
    assert regularizers.deserialize(serialized).get_config() == config
    legacy = regularizers.serialize(regularizer, use_legacy_format=True)
    assert regularizers.get(legacy).get_config() == config
