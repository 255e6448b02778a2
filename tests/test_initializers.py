"""refkeras.initializers: distributions, seeding, shapes and dtypes, name resolution.

The distributions are checked statistically on 10^5 draws with fixed seeds: bounds
exactly, standard deviations within 2% of tf_keras 2.21's formulas (measured
against tf_keras once; the draws themselves are numpy's, not TensorFlow's).
"""
import math
import warnings

import numpy as np
import pytest

from refkeras import initializers, utils
from refkeras.initializers.variance_scaling import compute_fans

TRUNCATED_STD = 0.87962566103423978   # std of N(0, 1) cut at +-2


def draw(init, shape=(100, 1000), dtype=None):
    return init(shape, dtype=dtype).numpy()


# -- fans ---------------------------------------------------------------------------

@pytest.mark.parametrize("shape, fans", [
    ((), (1, 1)), ((7,), (7, 7)), ((3, 5), (3, 5)), ((3, 3, 16, 32), (144, 288)),
    ((5, 8, 2), (40, 10)), ((2, 3, 3, 4, 6), (72, 108)),
])
def test_compute_fans(shape, fans):
    assert compute_fans(shape) == fans


# -- distributions ------------------------------------------------------------------

def uniform_limit(scale, n):
    return math.sqrt(3.0 * scale / max(1.0, n))


SHAPE = (100, 1000)          # fan_in 100, fan_out 1000
FAN = {"fan_in": 100, "fan_out": 1000, "fan_avg": 550}


@pytest.mark.parametrize("name, scale, mode, uniform", [
    ("glorot_uniform", 1.0, "fan_avg", True), ("glorot_normal", 1.0, "fan_avg", False),
    ("he_uniform", 2.0, "fan_in", True), ("he_normal", 2.0, "fan_in", False),
    ("lecun_uniform", 1.0, "fan_in", True), ("lecun_normal", 1.0, "fan_in", False),
])
def test_named_variance_scaling_distributions(name, scale, mode, uniform):
    values = draw(initializers.get({"class_name": name, "config": {"seed": 4}}))
    assert values.dtype == np.float32 and values.shape == SHAPE
    if uniform:
        limit = uniform_limit(scale, FAN[mode])
        assert values.min() >= -limit and values.max() <= limit
        assert values.max() > 0.999 * limit and values.min() < -0.999 * limit
        assert values.std() == pytest.approx(limit / math.sqrt(3), rel=0.02)
    else:
        target = math.sqrt(scale / FAN[mode])           # the std after truncation
        bound = 2 * target / TRUNCATED_STD
        assert np.abs(values).max() <= bound * (1 + 1e-6)
        assert values.std() == pytest.approx(target, rel=0.02)
    assert abs(values.mean()) < 0.05 * values.std()


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["uniform", "truncated_normal", "untruncated_normal"])
def test_variance_scaling_all_modes(mode, distribution):
    values = draw(initializers.VarianceScaling(3.0, mode, distribution, seed=1))
    target = math.sqrt(3.0 / FAN[mode])
    assert values.std() == pytest.approx(target, rel=0.02)
    if distribution == "uniform":
        assert np.abs(values).max() <= uniform_limit(3.0, FAN[mode])
    elif distribution == "truncated_normal":
        assert np.abs(values).max() <= 2 * target / TRUNCATED_STD * (1 + 1e-6)
    else:
        assert np.abs(values).max() > 3 * target   # not truncated: 10^5 draws reach 3 std


def test_variance_scaling_uses_receptive_field_for_kernels():
    values = initializers.HeNormal(seed=0)((3, 3, 64, 32)).numpy()   # fan_in = 9 * 64
    assert values.std() == pytest.approx(math.sqrt(2.0 / 576), rel=0.02)


def test_random_uniform_normal_truncated():
    u = draw(initializers.RandomUniform(-0.3, 0.7, seed=1))
    assert u.min() >= -0.3 and u.max() < 0.7
    assert u.mean() == pytest.approx(0.2, abs=0.005)
    assert u.std() == pytest.approx(1.0 / math.sqrt(12), rel=0.02)
    n = draw(initializers.RandomNormal(1.0, 0.5, seed=1))
    assert n.mean() == pytest.approx(1.0, abs=0.01) and n.std() == pytest.approx(0.5, rel=0.02)
    t = draw(initializers.TruncatedNormal(1.0, 0.5, seed=1))
    assert t.min() >= 0.0 and t.max() <= 2.0
    assert t.std() == pytest.approx(0.5 * TRUNCATED_STD, rel=0.02)


def test_default_random_arguments():
    assert initializers.RandomUniform().get_config() == {"minval": -0.05, "maxval": 0.05, "seed": None}
    assert initializers.RandomNormal().get_config() == {"mean": 0.0, "stddev": 0.05, "seed": None}
    assert initializers.TruncatedNormal().get_config() == {"mean": 0.0, "stddev": 0.05, "seed": None}
    assert initializers.VarianceScaling().get_config() == {
        "scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": None}


def test_random_uniform_integer_dtype():
    values = initializers.RandomUniform(0, 10, seed=3)((1000,), dtype="int32").numpy()
    assert values.dtype == np.int32 and values.min() >= 0 and values.max() <= 9
    with pytest.raises(TypeError, match="-0.05"):
        initializers.RandomUniform(seed=3)((3,), dtype="int32")


@pytest.mark.parametrize("shape", [(30, 30), (20, 50), (50, 20), (3, 4, 10)])
def test_orthogonal(shape):
    w = initializers.Orthogonal(gain=2.0, seed=5)(shape).numpy()
    assert w.shape == shape and w.dtype == np.float32
    flat = w.reshape(-1, shape[-1]) / 2.0
    small = min(flat.shape)
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)


def test_orthogonal_needs_rank_2():
    with pytest.raises(ValueError, match=r"at least two-dimensional. Received: shape=\(3,\) of rank 1"):
        initializers.Orthogonal()((3,))


def test_identity_zeros_ones_constant():
    np.testing.assert_array_equal(initializers.Identity(2.0)((2, 3)).numpy(),
                                  [[2, 0, 0], [0, 2, 0]])
    with pytest.raises(ValueError, match="only be used for 2D matrices"):
        initializers.Identity()((2, 2, 2))
    assert initializers.Zeros()((2,), dtype="int32").numpy().dtype == np.int32
    assert initializers.Ones()((2,), dtype="bool").numpy().tolist() == [True, True]
    np.testing.assert_array_equal(initializers.Constant(2.5)((2, 2)).numpy(), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(initializers.Constant([1, 2, 3, 4])((2, 2)).numpy(), [[1, 2], [3, 4]])
    with pytest.raises(TypeError, match="unsupported shape"):
        initializers.Constant([1, 2])((3,))
    assert initializers.Constant().get_config() == {"value": 0}


# -- dtypes, shapes, keyword arguments ---------------------------------------------------

@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_float_dtypes(dtype):
    assert initializers.GlorotUniform(seed=1)((4, 4), dtype=dtype).dtype == np.dtype(dtype)


@pytest.mark.parametrize("cls", [initializers.RandomNormal, initializers.TruncatedNormal,
                                 initializers.GlorotUniform, initializers.Orthogonal,
                                 initializers.Identity])
def test_integer_dtype_rejected(cls):
    with pytest.raises(ValueError, match=r"Expected floating point type, got <dtype: 'int32'>\."):
        cls()((2, 2), dtype="int32")


def test_bad_shape_and_kwargs():
    with pytest.raises(TypeError, match="shape=3"):
        initializers.GlorotUniform()(3)
    with pytest.raises(ValueError, match=r"shape=\(2, None\)"):
        initializers.Zeros()((2, None))
    with pytest.raises(TypeError, match=r"Unknown keyword arguments: \['foo'\]"):
        initializers.GlorotUniform(seed=1)((2, 2), foo=1)


def test_base_class():
    with pytest.raises(NotImplementedError, match="must implement the `__call__\\(\\)` method"):
        initializers.Initializer()((2,))
    assert initializers.Initializer().get_config() == {}


def test_variance_scaling_argument_errors():
    with pytest.raises(ValueError, match=r"`scale` must be positive float. Received: scale=0\."):
        initializers.VarianceScaling(scale=0)
    with pytest.raises(ValueError, match="Invalid `mode` argument: FAN_IN"):
        initializers.VarianceScaling(mode="FAN_IN")
    with pytest.raises(ValueError, match="Invalid `distribution` argument: x"):
        initializers.VarianceScaling(distribution="x")
    assert initializers.VarianceScaling(distribution="Normal").distribution == "truncated_normal"
    assert initializers.VarianceScaling(distribution="UNIFORM").distribution == "uniform"


# -- seeding -------------------------------------------------------------------------

def test_seeded_instance_repeats_without_warning():
    init = initializers.GlorotUniform(seed=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, b = init((3, 3)).numpy(), init((3, 3)).numpy()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, initializers.GlorotUniform(seed=7)((3, 3)).numpy())
    assert not np.array_equal(a, initializers.GlorotUniform(seed=8)((3, 3)).numpy())


def test_unseeded_instance_repeats_with_a_warning():
    init = initializers.RandomNormal()
    a = init((4,)).numpy()
    with pytest.warns(UserWarning, match="RandomNormal is unseeded and being called multiple times"):
        b = init((4,)).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, initializers.RandomNormal()((4,)).numpy())


def test_set_random_seed_makes_unseeded_reproducible_and_seeded_ignores_it():
    utils.set_random_seed(3)
    a = initializers.GlorotUniform()((5,)).numpy()
    s1 = initializers.HeNormal(seed=1)((5,)).numpy()
    utils.set_random_seed(3)
    b = initializers.GlorotUniform()((5,)).numpy()
    utils.set_random_seed(99)
    s2 = initializers.HeNormal(seed=1)((5,)).numpy()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(s1, s2)


# -- get / serialize / deserialize -------------------------------------------------------

@pytest.mark.parametrize("name, cls", [
    ("glorot_uniform", "GlorotUniform"), ("GlorotUniform", "GlorotUniform"),
    ("glorot_normal", "GlorotNormal"), ("he_normal", "HeNormal"), ("he_uniform", "HeUniform"),
    ("lecun_normal", "LecunNormal"), ("lecun_uniform", "LecunUniform"), ("zeros", "Zeros"),
    ("zero", "Zeros"), ("Zeros", "Zeros"), ("ones", "Ones"), ("one", "Ones"),
    ("constant", "Constant"), ("random_normal", "RandomNormal"), ("normal", "RandomNormal"),
    ("random_uniform", "RandomUniform"), ("uniform", "RandomUniform"),
    ("truncated_normal", "TruncatedNormal"), ("variance_scaling", "VarianceScaling"),
    ("identity", "Identity"), ("orthogonal", "Orthogonal"), ("GlorotUniformV2", "GlorotUniform"),
    ("he_normalV2", "HeNormal"), ("initializer", "Initializer"),
])
def test_get_resolves_names(name, cls):
    assert type(initializers.get(name)) is getattr(initializers, cls)


def test_get_other_identifiers():
    assert initializers.get(None) is None
    assert type(initializers.get(initializers.Ones)) is initializers.Ones
    instance = initializers.Ones()
    assert initializers.get(instance) is instance

    def fn(shape, dtype=None):
        return None
    assert initializers.get(fn) is fn
    config = {"class_name": "RandomUniform", "config": {"minval": -1, "maxval": 1, "seed": 3}}
    assert initializers.get(config).get_config() == {"minval": -1, "maxval": 1, "seed": 3}


def test_unknown_and_wrong_type_identifiers():
    with pytest.raises(ValueError) as info:
        initializers.get("Glorot_Uniform")
    message = str(info.value)
    assert message.startswith("Unknown initializer: 'Glorot_Uniform'.")
    assert str(sorted(initializers.IDENTIFIERS)) in message
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: 1"):
        initializers.get(1)
    with pytest.raises(ValueError, match="Improper config format"):
        initializers.get({"class_name": "Ones"})


ALL = [initializers.Zeros(), initializers.Ones(), initializers.Constant(3.0),
       initializers.RandomUniform(-1, 2, seed=1), initializers.RandomNormal(0.5, 2.0, seed=2),
       initializers.TruncatedNormal(seed=3), initializers.VarianceScaling(2.0, "fan_out", "uniform", 4),
       initializers.GlorotUniform(5), initializers.GlorotNormal(), initializers.HeUniform(),
       initializers.HeNormal(6), initializers.LecunUniform(), initializers.LecunNormal(),
       initializers.Orthogonal(1.5, 7), initializers.Identity(0.5)]


@pytest.mark.parametrize("init", ALL, ids=lambda i: type(i).__name__)
def test_config_round_trips(init):
    config = init.get_config()
    assert type(init).from_config(config).get_config() == config
    new = initializers.serialize(init)
    assert new == {"module": "keras.initializers", "class_name": type(init).__name__,
                   "config": config, "registered_name": None}
    assert initializers.deserialize(new).get_config() == config
    legacy = initializers.serialize(init, use_legacy_format=True)
    assert legacy == {"class_name": type(init).__name__, "config": config}
    assert type(initializers.get(legacy)) is type(init)


def test_named_config_is_only_the_seed():
    assert initializers.GlorotUniform(seed=1).get_config() == {"seed": 1}
    assert initializers.Orthogonal().get_config() == {"gain": 1.0, "seed": None}
    assert initializers.Identity().get_config() == {"gain": 1.0}
    assert initializers.serialize(None) is None


def test_constant_numpy_value_round_trips():
    init = initializers.Constant(np.array([1.0, 2.0]))
    config = initializers.serialize(init)["config"]
    assert config == {"value": {"class_name": "__numpy__",
                                "config": {"value": [1.0, 2.0], "dtype": "float64"}}}
    back = initializers.deserialize(initializers.serialize(init))
    np.testing.assert_array_equal(back((2,)).numpy(), [1.0, 2.0])
