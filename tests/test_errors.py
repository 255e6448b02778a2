"""Bad input gets an error that names what was expected, shows the value, and says the fix."""
import numpy as np
import pytest

from refkeras import GradientTape, Variable, ops
from refkeras.framework import dtypes
from refkeras.framework.errors import InvalidArgumentError


def test_dtype_mismatch_names_both_dtypes_and_the_cast():
    with pytest.raises(InvalidArgumentError) as e:
        ops.constant(1.0) + ops.constant(1.0, dtype="float64")
    assert "float32" in str(e.value) and "float64" in str(e.value) and "tf.cast" in str(e.value)
    assert str(e.value).endswith("[Op:AddV2]")


def test_incompatible_shapes_are_named():
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\]"):
        ops.multiply(ops.ones((2,)), ops.ones((3,)))


def test_matmul_error_shows_both_shapes():
    with pytest.raises(InvalidArgumentError, match=r"In\[0\]: \[2, 3\], In\[1\]: \[4, 5\]"):
        ops.matmul(ops.ones((2, 3)), ops.ones((4, 5)))


def test_unknown_dtype_name_lists_the_valid_ones():
    with pytest.raises(TypeError, match="Valid names:.*float32"):
        dtypes.as_dtype("flot32")


def test_watch_error_says_how_to_convert():
    with GradientTape() as tape, pytest.raises(ValueError, match=r"tf.constant"):
        tape.watch(np.ones(2))


def test_variable_assign_error_names_the_variable_and_both_shapes():
    v = Variable([1.0, 2.0], name="kernel")
    with pytest.raises(ValueError, match=r"'kernel:0'.*\(2,\).*\(3,\)"):
        v.assign([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_float_only_op_says_to_cast():
    with pytest.raises(InvalidArgumentError, match="tf.cast"):
        ops.exp(ops.constant([1, 2]))


def test_unconvertible_value_names_its_type():
    with pytest.raises(ValueError, match="NoneType"):
        ops.constant(None)


def test_float_into_int_tensor_is_refused_not_truncated():
    with pytest.raises(InvalidArgumentError):
        ops.constant([1]) * np.array([1.5])
