"""Activation layers: ReLU, LeakyReLU, Softmax, ELU.

Values against numpy formulas, gradients against central finite differences
(float64 layers) and at the kinks against tf_keras 2.21's measured values,
configs (float32 numbers, as tf_keras stores them) and error messages.
"""
import numpy as np
import pytest

from conformance.numerics import finite_difference
from refkeras import GradientTape, ops
from refkeras.layers import ELU, Input, LeakyReLU, ReLU, Softmax

RNG = np.random.default_rng(5)


def input_gradient(layer, x, cotangent=None):
    t = ops.constant(x)
    with GradientTape() as tape:
        tape.watch(t)
        y = layer(t)
        target = ops.reduce_sum(y if cotangent is None else y * ops.constant(cotangent))
    return tape.gradient(target, t).numpy()


def check_input_gradient(layer, x):
    cotangent = RNG.standard_normal(np.shape(layer(x)))
    got = input_gradient(layer, x, cotangent)
    expected = finite_difference(lambda v: float(np.sum(layer(v[0]).numpy() * cotangent)), [x], 0)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


def numpy_relu(x, max_value, slope, threshold):
    y = np.where(x >= threshold, x, slope * (x - threshold))
    return y if max_value is None else np.minimum(y, max_value)


# ----------------------------------------------------------------------------------- ReLU

@pytest.mark.parametrize("max_value", [None, 1.0, 6.0])
@pytest.mark.parametrize("slope", [0.0, 0.2])
@pytest.mark.parametrize("threshold", [0.0, 0.5])
def test_relu_values_and_gradient(max_value, slope, threshold):
    x = RNG.standard_normal((3, 4)) * 4
    layer = ReLU(max_value=max_value, negative_slope=slope, threshold=threshold)
    np.testing.assert_allclose(layer(x).numpy(), numpy_relu(x, max_value, slope, threshold),
                               rtol=1e-6, atol=1e-6)
    check_input_gradient(ReLU(max_value=max_value, negative_slope=slope, threshold=threshold,
                              dtype="float64"), x)


@pytest.mark.parametrize("kwargs, x, expected", [     # measured with tf_keras 2.21
    ({"threshold": 1.0}, [0.0, 1.0, 2.0], [0.0, 0.0, 1.0]),
    ({"max_value": 1.0}, [0.0, 1.0, 2.0], [0.0, 1.0, 0.0]),
    ({"max_value": 6.0}, [0.0, 6.0, 2.0], [0.0, 0.0, 1.0]),
    ({"negative_slope": 0.5, "threshold": 1.0}, [0.0, 1.0, 2.0], [0.5, 0.0, 1.0]),
    ({"negative_slope": 0.5, "max_value": 1.0}, [-1.0, 0.0, 1.0, 2.0], [0.5, 0.0, 1.0, 0.0]),
])
def test_relu_gradient_at_the_kinks(kwargs, x, expected):
    got = input_gradient(ReLU(**kwargs), np.array(x, np.float32))
    assert got.tolist() == expected


def test_relu_config_holds_float32_arrays():
    config = ReLU(max_value=6, negative_slope=0.1, threshold=1, name="r").get_config()
    assert list(config) == ["name", "trainable", "dtype", "max_value", "negative_slope",
                            "threshold"]
    for key in ("max_value", "negative_slope", "threshold"):
        assert isinstance(config[key], np.ndarray) and config[key].dtype == np.float32
    assert float(config["negative_slope"]) == float(np.float32(0.1))
    assert ReLU().get_config()["max_value"] is None
    again = ReLU.from_config(config)
    assert again(np.array([-2.0, 7.0])).numpy().tolist() == [float(np.float32(-0.3)), 6.0]


@pytest.mark.parametrize("kwargs, message", [
    ({"max_value": -1}, "max_value of a ReLU layer cannot be a negative value. Received: -1"),
    ({"negative_slope": -1}, ("negative_slope of a ReLU layer cannot be a negative value. "
                              "Received: -1")),
    ({"negative_slope": None}, ("negative_slope of a ReLU layer cannot be a negative value. "
                                "Received: None")),
    ({"threshold": -0.5}, "threshold of a ReLU layer cannot be a negative value. Received: -0.5"),
])
def test_relu_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ReLU(**kwargs)


# ------------------------------------------------------------------------------ LeakyReLU

def test_leaky_relu_default_alpha_is_keras_2():
    layer = LeakyReLU()
    assert layer.get_config()["alpha"] == 0.30000001192092896
    x = np.array([-2.0, 0.0, 3.0], np.float32)
    np.testing.assert_array_equal(layer(x).numpy(), np.where(x > 0, x, np.float32(0.3) * x))
    assert input_gradient(layer, x).tolist() == [np.float32(0.3), np.float32(0.3), 1.0]


def test_leaky_relu_values_gradient_and_config():
    x = RNG.standard_normal((3, 4))
    np.testing.assert_allclose(LeakyReLU(alpha=0.1)(x).numpy(), np.where(x > 0, x, 0.1 * x),
                               rtol=1e-6)
    check_input_gradient(LeakyReLU(alpha=1.5, dtype="float64"), x)
    assert LeakyReLU(alpha=-0.1)(np.array([-1.0])).numpy().tolist() == [np.float32(0.1)]
    assert LeakyReLU.from_config(LeakyReLU(alpha=0.5).get_config()).alpha == 0.5


def test_leaky_relu_errors():
    with pytest.raises(ValueError, match="cannot be None, Expecting a float. Received: None"):
        LeakyReLU(alpha=None)
    with pytest.raises(TypeError, match="negative_slope"):
        LeakyReLU(negative_slope=0.1)


# -------------------------------------------------------------------------------- Softmax

def numpy_softmax(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 1, (1, 2)])
def test_softmax_values_and_gradient(axis):
    x = RNG.standard_normal((2, 3, 4)) * 2
    np.testing.assert_allclose(Softmax(axis=axis)(x).numpy(), numpy_softmax(x, axis), rtol=1e-5,
                               atol=1e-7)
    check_input_gradient(Softmax(axis=axis, dtype="float64"), x)


def test_softmax_mask():
    x = np.array([[1.0, 2.0, 3.0]])
    expected = numpy_softmax(np.array([[1.0, 2.0]]), -1)
    out = Softmax()(x, mask=np.array([[1, 1, 0]])).numpy()
    np.testing.assert_allclose(out[:, :2], expected, rtol=1e-6)
    assert out[0, 2] == 0.0
    robust = Softmax(robust_masking=True)(x, mask=np.array([[True, True, False]])).numpy()
    np.testing.assert_allclose(robust, out, rtol=1e-6)


def test_softmax_config_and_shape():
    assert Softmax(name="s").get_config() == {"name": "s", "trainable": True,
                                              "dtype": "float32", "axis": -1}
    assert Softmax(robust_masking=True).get_config()["robust_masking"] is True
    assert Softmax(axis=(1, 2)).get_config()["axis"] == (1, 2)
    assert Softmax(axis=1)(Input((3, 4))).shape == (None, 3, 4)


# ------------------------------------------------------------------------------------ ELU

@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu_values_and_gradient(alpha):
    x = RNG.standard_normal((3, 4))
    np.testing.assert_allclose(ELU(alpha=alpha)(x).numpy(),
                               np.where(x > 0, x, alpha * np.expm1(x)), rtol=1e-6, atol=1e-7)
    check_input_gradient(ELU(alpha=alpha, dtype="float64"), x)


def test_elu_gradient_at_zero_is_alpha_and_config():
    assert input_gradient(ELU(alpha=0.5), np.array([-1.0, 0.0, 1.0], np.float32)).tolist() == \
        [np.float32(0.5 * np.exp(-1.0)), 0.5, 1.0]
    config = ELU(name="e").get_config()
    assert config == {"name": "e", "trainable": True, "dtype": "float32", "alpha": 1.0}
    with pytest.raises(ValueError, match="Alpha of an ELU layer cannot be None"):
        ELU(alpha=None)
