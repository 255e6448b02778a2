"""refkeras.activations: values vs numpy, gradients vs finite differences, kinks, names.

Values are checked in float64 against closed forms; gradients in float64 against
central differences (``conformance.numerics.finite_difference``) at points away
from the kinks; the gradients *at* the kinks against values measured once on
tf_keras 2.21 (TensorFlow's choice of subgradient).
"""
import math

import numpy as np
import pytest

from conformance.numerics import finite_difference
from refkeras import GradientTape, activations, ops

# a (3, 5) float64 input with no element on a kink (0, 0.5, 1, 2.5, 6, +-2.5 ...)
X = np.array([[-3.7, -2.2, -1.3, -0.6, -0.05],
              [0.07, 0.35, 0.8, 1.6, 2.2],
              [3.1, 4.4, 5.3, 6.7, 8.1]])

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_softplus(x):
    return np.log1p(np.exp(x))


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_relu(x, alpha=0.0, max_value=None, threshold=0.0):
    y = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        y = np.minimum(y, max_value)
    return y - alpha * np.maximum(threshold - x, 0.0)


ERFC = np.vectorize(math.erfc)

CASES = {
    "relu": (activations.relu, np_relu),
    "relu_alpha": (lambda x: activations.relu(x, alpha=0.3), lambda x: np_relu(x, alpha=0.3)),
    "relu_max": (lambda x: activations.relu(x, max_value=2.0), lambda x: np_relu(x, max_value=2.0)),
    "relu_max6": (lambda x: activations.relu(x, max_value=6), lambda x: np_relu(x, max_value=6)),
    "relu_threshold": (lambda x: activations.relu(x, threshold=0.5),
                       lambda x: np_relu(x, threshold=0.5)),
    "relu_all": (lambda x: activations.relu(x, alpha=0.2, max_value=3.0, threshold=1.0),
                 lambda x: np_relu(x, alpha=0.2, max_value=3.0, threshold=1.0)),
    "sigmoid": (activations.sigmoid, np_sigmoid),
    "softmax": (activations.softmax, np_softmax),
    "softmax_axis0": (lambda x: activations.softmax(x, axis=0), lambda x: np_softmax(x, 0)),
    "softmax_tuple": (lambda x: activations.softmax(x, axis=(0, 1)),
                      lambda x: np.exp(x) / np.exp(x).sum()),
    "tanh": (activations.tanh, np.tanh),
    "linear": (lambda x: activations.linear(x) * 1.0, lambda x: x),
    "elu": (activations.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    "elu_alpha": (lambda x: activations.elu(x, 0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    "selu": (activations.selu,
             lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))),
    "softplus": (activations.softplus, np_softplus),
    "softsign": (activations.softsign, lambda x: x / (1 + np.abs(x))),
    "swish": (activations.swish, lambda x: x * np_sigmoid(x)),
    "gelu": (activations.gelu, lambda x: 0.5 * x * ERFC(-x / np.sqrt(2))),
    "gelu_approximate": (lambda x: activations.gelu(x, approximate=True),
                         lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))),
    "exponential": (activations.exponential, np.exp),
    "hard_sigmoid": (activations.hard_sigmoid, lambda x: np.clip(0.2 * x + 0.5, 0, 1)),
    "mish": (activations.mish, lambda x: x * np.tanh(np_softplus(x))),
    "leaky_relu": (activations.get("leaky_relu"), lambda x: np.where(x > 0, x, 0.2 * x)),
    "relu6": (activations.get("relu6"), lambda x: np.clip(x, 0, 6)),
    "silu": (activations.get("silu"), lambda x: x * np_sigmoid(x)),
    "log_softmax": (activations.get("log_softmax"), lambda x: np.log(np_softmax(x))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_match_numpy(name):
    fn, reference = CASES[name]
    y = fn(ops.constant(X))
    assert y.dtype == np.float64 and tuple(y.shape) == X.shape
    np.testing.assert_allclose(y.numpy(), reference(X), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_in_float32_out(name):
    fn, reference = CASES[name]
    y = fn(ops.constant(X.astype(np.float32)))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.numpy(), reference(X), rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_match_finite_differences(name):
    fn, _ = CASES[name]
    weights = ops.constant(np.linspace(-1.0, 1.5, X.size).reshape(X.shape))
    x = ops.constant(X)
    with GradientTape() as tape:
        tape.watch(x)
        objective = ops.reduce_sum(fn(x) * weights)
    grad = tape.gradient(objective, x)

    def f(values):
        return float(ops.reduce_sum(fn(ops.constant(values[0])) * weights))

    # central differences lose about eps * |objective terms| / step to rounding
    noise = 1e-9 * max(1.0, float(ops.reduce_sum(ops.abs(fn(x) * weights))))
    np.testing.assert_allclose(grad.numpy(), finite_difference(f, [X], 0), rtol=1e-6, atol=noise)


KINKS = np.array([-3.0, -2.5, -1.0, 0.0, 0.5, 1.0, 2.5, 3.0, 6.0, 7.0], dtype=np.float32)


@pytest.mark.parametrize("fn, expected", [
    (activations.relu, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
    (lambda x: activations.relu(x, alpha=0.1), [0.1, 0.1, 0.1, 0.1, 1, 1, 1, 1, 1, 1]),
    (lambda x: activations.relu(x, max_value=6.0), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0]),
    (lambda x: activations.relu(x, max_value=1.0), [0, 0, 0, 0, 1, 1, 0, 0, 0, 0]),
    (lambda x: activations.relu(x, threshold=1.0), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]),
    (lambda x: activations.relu(x, alpha=0.1, max_value=1.0), [0.1, 0.1, 0.1, 0, 1, 1, 0, 0, 0, 0]),
    (lambda x: activations.relu(x, alpha=0.1, threshold=1.0), [0.1, 0.1, 0.1, 0.1, 0.1, 0, 1, 1, 1, 1]),
    (lambda x: activations.relu(x, threshold=1.0, max_value=6.0), [0, 0, 0, 0, 0, 0, 1, 1, 1, 0]),
    (activations.hard_sigmoid, [0, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0]),
    (lambda x: activations.elu(x, 2.0)[3:4], [0, 0, 0, 2.0, 0, 0, 0, 0, 0, 0]),
    (lambda x: activations.selu(x)[3:4], [0, 0, 0, SELU_SCALE, 0, 0, 0, 0, 0, 0]),
    (activations.get("relu6"), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0]),
    (activations.get("leaky_relu"), [0.2, 0.2, 0.2, 0.2, 1, 1, 1, 1, 1, 1]),
])
def test_gradients_at_kinks_as_tf_keras(fn, expected):
    x = ops.constant(KINKS)
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.reduce_sum(fn(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), expected, rtol=1e-6)


def test_gelu_uses_erfc_far_in_the_negative_tail():
    # 0.5 * x * (1 + erf(x / sqrt 2)) would round to 0 here; tf.nn.gelu gives -7.6e-23
    y = activations.gelu(ops.constant([-10.0])).numpy()
    assert y[0] == pytest.approx(-7.6198536e-23, rel=1e-6)


@pytest.mark.parametrize("op, reference, derivative", [
    (ops.erf, np.vectorize(math.erf), lambda x: 2 / np.sqrt(np.pi) * np.exp(-x * x)),
    (ops.erfc, np.vectorize(math.erfc), lambda x: -2 / np.sqrt(np.pi) * np.exp(-x * x)),
])
def test_erf_ops_values_and_gradients(op, reference, derivative):
    x = ops.constant(X / 3)
    with GradientTape() as outer:
        outer.watch(x)
        with GradientTape() as inner:
            inner.watch(x)
            y = op(x)
        dy = inner.gradient(y, x)
    np.testing.assert_allclose(y.numpy(), reference(X / 3), rtol=1e-15)
    np.testing.assert_allclose(dy.numpy(), derivative(X / 3), rtol=1e-13)
    second = outer.gradient(dy, x).numpy()   # d/dx of 2/sqrt(pi) exp(-x^2)
    np.testing.assert_allclose(second, -2 * (X / 3) * derivative(X / 3), rtol=1e-12)


def test_linear_returns_its_input_and_softmax_needs_rank_2():
    x = ops.constant([1.0, 2.0])
    assert activations.linear(x) is x
    with pytest.raises(ValueError, match=r"Cannot apply softmax to a tensor that is 1D. Received input: \[1. 2.\]"):
        activations.softmax(x)
    with pytest.raises(ValueError, match=r"`features.dtype` must be a floating point tensor"):
        activations.gelu(ops.constant([1, 2]))


# -- names ------------------------------------------------------------------------------

PUBLIC = ["elu", "exponential", "gelu", "hard_sigmoid", "linear", "mish", "relu", "selu",
          "sigmoid", "softmax", "softplus", "softsign", "swish", "tanh"]


@pytest.mark.parametrize("name", PUBLIC)
def test_get_and_serialize_round_trip(name):
    fn = getattr(activations, name)
    assert activations.get(name) is fn
    assert activations.serialize(fn) == name
    assert activations.deserialize(name) is fn


def test_identifier_table():
    assert sorted(activations.IDENTIFIERS) == sorted(
        PUBLIC + ["leaky_relu", "log_softmax", "relu6", "silu"])
    assert activations.serialize(activations.get("silu")) == "swish"
    assert activations.serialize(ops.nn.relu) == "relu"          # by name, as tf_keras
    assert activations.serialize(activations.get("leaky_relu")) == "leaky_relu"


def test_get_other_identifiers():
    assert activations.get(None) is activations.linear

    def custom(x):
        return x
    assert activations.get(custom) is custom
    assert activations.serialize(custom) == {"module": "builtins", "class_name": "function",
                                             "config": "custom", "registered_name": "function"}
    config = {"module": "builtins", "class_name": "function", "config": "relu",
              "registered_name": "function"}
    assert activations.get(config) is activations.relu


def test_unknown_and_wrong_type_identifiers():
    with pytest.raises(ValueError) as info:
        activations.get("relux")
    message = str(info.value)
    assert message.startswith("Unknown activation function 'relux' cannot be deserialized.")
    assert f"Valid identifiers: {sorted(activations.IDENTIFIERS)}" in message
    with pytest.raises(ValueError, match="'Relu'"):
        activations.get("Relu")   # case-sensitive
    with pytest.raises(TypeError, match="Could not interpret activation function identifier: 1"):
        activations.get(1)
    with pytest.raises(ValueError, match="cannot be serialized"):
        activations.serialize("relu")
