"""The tf namespace's ops: dtypes, conversion, broadcasting, errors, integer ops."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import clause
from conformance.numerics import assert_close
from conformance.strategies import arrays, broadcastable_pair, distinct, shapes

OPS = ("tf_ops",)


def _dtype(backend, t):
    return backend.to_numpy(t).dtype.name


@clause("OPS.DTYPE_INFERENCE", requires=OPS)
@pytest.mark.parametrize("value, dtype", [
    (2.0, "float32"), (2, "int32"), (True, "bool"), ([1, 2.5], "float32"), ([[1, 2]], "int32"),
    (np.array([1.0]), "float64"), (np.array([1]), "int64"), (np.float32(1.0), "float32"),
    (np.array([1], dtype=np.int32), "int32"),
], ids=["float", "int", "bool", "mixed-list", "int-list", "ndarray-f64", "ndarray-i64",
        "np.float32", "ndarray-i32"])
def test_constant_dtype_inference(backend, value, dtype):
    assert _dtype(backend, backend.tf.constant(value)) == dtype


@clause("OPS.DTYPE_INFERENCE", requires=OPS)
def test_constant_with_dtype_converts_or_raises(backend):
    tf = backend.tf
    assert _dtype(backend, tf.constant(1, dtype=tf.float32)) == "float32"
    assert _dtype(backend, tf.constant(np.array([1.5]), dtype=tf.float32)) == "float32"
    with pytest.raises(TypeError):
        tf.constant(1.5, dtype=tf.int32)


@clause("OPS.DTYPE_INFERENCE", requires=OPS)
@pytest.mark.parametrize("value", [None, object(), [[1.0, 2.0], [3.0]]],
                         ids=["None", "object", "ragged"])
def test_constant_of_an_unconvertible_value_raises_value_error(backend, value):
    with pytest.raises(ValueError):
        backend.tf.constant(value)


@clause("OPS.OPERAND_CONVERSION", requires=OPS)
@pytest.mark.parametrize("other", [2, 2.0, True, np.float64(2.0), np.array([2.0]),
                                   np.array([2]), [2, 3]],
                         ids=["int", "float", "bool", "np.float64", "ndarray-f64", "ndarray-i64",
                              "list"])
def test_non_tensor_operand_takes_the_tensor_dtype(backend, other):
    tf = backend.tf
    x = tf.constant([1.0, 2.0])
    for result in (x * other, other * x, tf.multiply(x, other)):
        assert _dtype(backend, result) == "float32"


@clause("OPS.OPERAND_CONVERSION", requires=OPS)
def test_with_two_non_tensors_the_first_sets_the_dtype(backend):
    tf = backend.tf
    assert _dtype(backend, tf.add(np.array(1.0), 2.0)) == "float64"
    assert _dtype(backend, tf.add(2.0, np.array(1.0))) == "float32"


@clause("OPS.DTYPE_MISMATCH", requires=OPS)
@pytest.mark.parametrize("a, b", [("float32", "float64"), ("int32", "int64"), ("int32", "float32")])
def test_two_tensors_of_different_dtypes_raise(backend, a, b):
    tf = backend.tf
    x, y = tf.constant(np.ones(2, a)), tf.constant(np.ones(2, b))
    for f in (lambda: x + y, lambda: tf.multiply(x, y), lambda: tf.maximum(x, y)):
        with pytest.raises(tf.errors.InvalidArgumentError):
            f()


@clause("OPS.DTYPE_MISMATCH", requires=OPS)
def test_matmul_of_different_dtypes_raises(backend):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.matmul(tf.ones((2, 2)), tf.ones((2, 2), tf.float64))


@clause("OPS.LOSSY_CONVERSION", requires=OPS)
def test_python_float_with_an_integer_tensor_raises(backend):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.constant([1]) + 2.5


@clause("OPS.LOSSY_CONVERSION", requires=OPS)
@pytest.mark.parametrize("other", [np.array([1.5]), np.array([2 ** 40])], ids=["float", "overflow"])
def test_numpy_values_an_integer_tensor_cannot_hold_raise(backend, other):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.constant([1]) * other


@clause("OPS.BROADCAST", requires=OPS)
@given(data=st.data())
def test_elementwise_ops_broadcast_like_numpy(backend, data):
    tf = backend.tf
    sa, sb = data.draw(broadcastable_pair())
    a, b = data.draw(arrays(sa)), data.draw(arrays(sb))
    for f, g in ((tf.add, np.add), (tf.multiply, np.multiply), (tf.maximum, np.maximum)):
        out = backend.to_numpy(f(tf.constant(a), tf.constant(b)))
        # close, not equal: TensorFlow flushes subnormal results to zero, numpy keeps them
        assert_close(out, g(a, b), kind="value")


@clause("OPS.BROADCAST", requires=OPS)
@given(data=st.data())
def test_incompatible_shapes_raise_invalid_argument(backend, data):
    tf = backend.tf
    sa = data.draw(shapes(min_dims=1, min_side=2))
    axis = data.draw(st.integers(0, len(sa) - 1))
    sb = sa[:axis] + (sa[axis] + 1,) + sa[axis + 1:]
    x, y = tf.ones(sa), tf.ones(sb)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.add(x, y)
    with pytest.raises(tf.errors.InvalidArgumentError):
        x * y


@clause("OPS.SHAPE_MISMATCH", requires=OPS)
def test_matmul_inner_dimension_and_rank_are_checked(backend):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.matmul(tf.ones((2, 3)), tf.ones((4, 5)))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.matmul(tf.ones((3,)), tf.ones((3, 5)))


@clause("OPS.SHAPE_MISMATCH", requires=OPS)
def test_reshape_checks_the_number_of_elements(backend):
    tf = backend.tf
    assert tuple(tf.reshape(tf.ones(6), (-1, 2)).shape) == (3, 2)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.reshape(tf.ones(6), (4, 2))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.reshape(tf.ones(6), (-1, -1))


@clause("OPS.SHAPE_MISMATCH", requires=OPS)
def test_concat_and_reductions_check_dimensions_and_axes(backend):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.concat([tf.ones((2, 3)), tf.ones((2, 4))], axis=0)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.reduce_mean(tf.ones((2, 3)), axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.reduce_sum(tf.ones((2, 3)), axis=[1, 1])


@clause("OPS.FLOAT_ONLY", requires=OPS)
@pytest.mark.parametrize("op", ["sigmoid", "nn.softmax", "exp", "math.log"])
def test_float_only_ops_reject_integer_tensors(backend, op):
    tf = backend.tf
    fn = tf.nn.softmax if op == "nn.softmax" else tf.math.log if op == "math.log" \
        else getattr(tf, op)
    with pytest.raises(tf.errors.InvalidArgumentError):
        fn(tf.constant([[1, 2, 3]]))


@clause("OPS.ONE_HOT", requires=OPS)
@given(indices=hnp.arrays(np.int32, shapes(max_dims=2), elements=st.integers(-2, 6)),
       depth=st.integers(0, 5))
def test_one_hot_rows_and_out_of_range_indices(backend, indices, depth):
    tf = backend.tf
    out = backend.to_numpy(tf.one_hot(tf.constant(indices), depth))
    expected = (indices[..., None] == np.arange(depth)).astype(np.float32)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, expected)


@clause("OPS.ONE_HOT", requires=OPS)
def test_one_hot_rejects_float_indices(backend):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.one_hot(tf.constant([0.0, 1.0]), 3)


@clause("OPS.ARGMAX", requires=OPS)
@given(x=distinct(shapes(min_dims=1)), data=st.data())
def test_argmax_is_int64_and_defaults_to_axis_zero(backend, x, data):
    tf = backend.tf
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    out = backend.to_numpy(tf.argmax(tf.constant(x), axis=axis))
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, np.argmax(x, axis=axis))
    np.testing.assert_array_equal(backend.to_numpy(tf.argmax(tf.constant(x))), np.argmax(x, axis=0))


@clause("OPS.ARGMAX", requires=OPS)
def test_argmax_picks_the_first_of_tied_maxima(backend):
    tf = backend.tf
    out = backend.to_numpy(tf.argmax(tf.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]), axis=1))
    np.testing.assert_array_equal(out, [1, 0])


@clause("OPS.CAST", requires=OPS)
@given(x=arrays(low=-100, high=100))
def test_cast_float_to_int_truncates_toward_zero(backend, x):
    tf = backend.tf
    out = backend.to_numpy(tf.cast(tf.constant(x), tf.int32))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, np.trunc(x).astype(np.int32))
    as_bool = backend.to_numpy(tf.cast(tf.constant(x), tf.bool))
    np.testing.assert_array_equal(as_bool, x != 0)


@clause("OPS.CAST", requires=OPS)
def test_cast_accepts_dtype_names_and_rejects_unknown_ones(backend):
    tf = backend.tf
    assert _dtype(backend, tf.cast(tf.ones(2), "float64")) == "float64"
    assert _dtype(backend, tf.cast(tf.ones(2), np.float64)) == "float64"
    with pytest.raises(TypeError):
        tf.cast(tf.ones(2), "flot64")


@clause("OPS.INT_DIVISION", requires=OPS)
def test_integer_true_division_gives_float64_and_floor_division_by_zero_raises(backend):
    tf = backend.tf
    q = tf.constant(7) / tf.constant(2)
    assert _dtype(backend, q) == "float64" and float(backend.to_numpy(q)) == 3.5
    assert float(backend.to_numpy(tf.constant(-7.0) // tf.constant(2.0))) == -4.0
    assert float(backend.to_numpy(tf.constant(-7.0) % tf.constant(3.0))) == 2.0
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.constant(1) // tf.constant(0)
