"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector.

Values against numpy, gradients against central finite differences (float64
layers), symbolic shapes on ``Input``, configs and tf_keras 2.21's error messages.
"""
import numpy as np
import pytest

from conformance.numerics import finite_difference
from refkeras import GradientTape, ops
from refkeras.framework.errors import InvalidArgumentError
from refkeras.layers import Flatten, Input, Permute, RepeatVector, Reshape

RNG = np.random.default_rng(11)


def check_input_gradient(layer, x):
    cotangent = RNG.standard_normal(np.shape(layer(x))).astype(x.dtype)
    t = ops.constant(x)
    with GradientTape() as tape:
        tape.watch(t)
        target = ops.reduce_sum(layer(t) * ops.constant(cotangent))
    got = tape.gradient(target, t).numpy()
    expected = finite_difference(lambda v: float(np.sum(layer(v[0]).numpy() * cotangent)), [x], 0)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-8)


X = RNG.standard_normal((2, 3, 4))


# -------------------------------------------------------------------------------- Flatten

def test_flatten_values_and_gradient():
    np.testing.assert_array_equal(Flatten()(X).numpy(), X.reshape(2, 12).astype(np.float32))
    check_input_gradient(Flatten(dtype="float64"), X)


def test_flatten_channels_first_moves_channels_last():
    x = np.arange(6.0).reshape(1, 2, 3)
    out = Flatten(data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(out, np.transpose(x, (0, 2, 1)).reshape(1, 6))


def test_flatten_shapes():
    assert Flatten()(np.ones((3,))).shape == (3, 1)
    assert Flatten()(Input((3, 4))).shape == (None, 12)
    assert Flatten()(Input((3, None))).shape == (None, None)
    assert Flatten().compute_output_shape((None, 3, 4)) == (None, 12)


def test_flatten_config_and_data_format():
    assert Flatten(name="f").get_config() == {"name": "f", "trainable": True,
                                              "dtype": "float32", "data_format": "channels_last"}
    assert Flatten(data_format="CHANNELS_FIRST").data_format == "channels_first"
    with pytest.raises(ValueError, match='must be one of "channels_first", "channels_last". '
                                         "Received: nchw"):
        Flatten(data_format="nchw")


# -------------------------------------------------------------------------------- Reshape

def test_reshape_values_and_gradient():
    np.testing.assert_array_equal(Reshape((-1, 2))(X).numpy(),
                                  X.reshape(2, 6, 2).astype(np.float32))
    check_input_gradient(Reshape((4, 3), dtype="float64"), X)


def test_reshape_symbolic_shapes():
    assert Reshape((-1, 2))(Input((3, 4))).shape == (None, 6, 2)
    assert Reshape((-1, 2))(Input((None, 4))).shape == (None, None, 2)
    assert Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)


def test_reshape_symbolic_errors():
    with pytest.raises(ValueError, match=r"total size of new array must be unchanged, "
                                         r"input_shape = \[3, 4\], output_shape = \[5\]"):
        Reshape((5,))(Input((3, 4)))
    with pytest.raises(ValueError, match=r"at most one unknown dimension in output_shape. "
                                         r"Received: output_shape=\[-1, -1\]"):
        Reshape((-1, -1))(Input((3, 4)))
    with pytest.raises(ValueError, match="total size of new array must be unchanged"):
        Reshape((0, -1))(Input((3, 4)))


def test_reshape_eager_errors():
    with pytest.raises(InvalidArgumentError, match="Input to reshape is a tensor with 24 values"):
        Reshape((5,))(X)
    with pytest.raises(InvalidArgumentError, match="Only one input size may be -1"):
        Reshape((-1, -1))(X)


def test_reshape_config():
    assert Reshape([4, -1], name="r").get_config() == {
        "name": "r", "trainable": True, "dtype": "float32", "target_shape": (4, -1)}
    with pytest.raises(TypeError, match="target_shape=12"):
        Reshape(12)


# -------------------------------------------------------------------------------- Permute

def test_permute_values_and_gradient():
    np.testing.assert_array_equal(Permute((2, 1))(X).numpy(),
                                  np.transpose(X, (0, 2, 1)).astype(np.float32))
    check_input_gradient(Permute((2, 1), dtype="float64"), X)


def test_permute_shapes_and_config():
    assert Permute((2, 1))(Input((3, None))).shape == (None, None, 3)
    assert Permute((3, 1, 2)).compute_output_shape((None, 2, 3, 4)) == (None, 4, 2, 3)
    assert Permute([2, 1], name="p").get_config() == {"name": "p", "trainable": True,
                                                      "dtype": "float32", "dims": (2, 1)}


def test_permute_errors():
    with pytest.raises(ValueError, match=r"must be consecutive and start from 1. "
                                         r"Received dims=\(0, 1\)"):
        Permute((0, 1))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        Permute((2, 1))(np.ones((2, 3, 4, 5)))


# --------------------------------------------------------------------------- RepeatVector

def test_repeat_vector_values_and_gradient():
    x = RNG.standard_normal((2, 3))
    np.testing.assert_array_equal(RepeatVector(4)(x).numpy(),
                                  np.repeat(x[:, None, :], 4, axis=1).astype(np.float32))
    check_input_gradient(RepeatVector(3, dtype="float64"), x)


def test_repeat_vector_shapes_and_config():
    assert RepeatVector(3)(Input((4,))).shape == (None, 3, 4)
    assert RepeatVector(0)(np.ones((1, 2))).shape == (1, 0, 2)
    assert RepeatVector(3, name="rv").get_config() == {"name": "rv", "trainable": True,
                                                       "dtype": "float32", "n": 3}
    assert RepeatVector.from_config(RepeatVector(2).get_config()).n == 2


def test_repeat_vector_errors():
    with pytest.raises(TypeError, match="Expected an integer value for `n`, got <class 'float'>"):
        RepeatVector(3.0)
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        RepeatVector(3)(X)
    with pytest.raises(InvalidArgumentError, match=r"Expected multiples\[1\] >= 0, but got -1"):
        RepeatVector(-1)(np.ones((1, 2)))
