"""Tensors and Variables as Python values; the random seed."""
import numpy as np
import pytest
from hypothesis import given

from conformance import clause
from conformance.strategies import arrays

VARS = ("variables",)


@clause("TENSOR.PROTOCOL", requires=("tf_ops",))
@given(x=arrays())
def test_tensor_exposes_its_value_shape_and_dtype(backend, x):
    tf = backend.tf
    t = tf.constant(x)
    assert tuple(t.shape) == x.shape
    assert t.dtype == tf.float32 and t.dtype.name == "float32"
    np.testing.assert_array_equal(t.numpy(), x)
    np.testing.assert_array_equal(np.asarray(t), x)


@clause("TENSOR.PROTOCOL", requires=("tf_ops",))
def test_scalar_tensor_converts_to_python_numbers_and_formats(backend):
    tf = backend.tf
    t = tf.constant(1.23456)
    assert isinstance(float(t), float) and abs(float(t) - 1.23456) < 1e-6
    assert int(tf.constant(2.7)) == 2
    assert f"{t:.3f}" == "1.235"
    assert bool(tf.constant(1.0)) is True
    with pytest.raises(TypeError):
        float(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError):
        bool(tf.constant([1.0, 2.0]))


@clause("TENSOR.PROTOCOL", requires=("tf_ops",))
def test_tensors_are_unhashable_and_compare_elementwise(backend):
    tf = backend.tf
    t = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match="ref"):
        hash(t)
    assert {t.ref(): 1}[t.ref()] == 1
    np.testing.assert_array_equal((t == 1.0).numpy(), [True, False])
    assert (t == None) is False
    assert len(t) == 2 and [float(v) for v in t] == [1.0, 2.0]
    with pytest.raises(TypeError):
        len(tf.constant(1.0))


@clause("TENSOR.PROTOCOL", requires=("tf_ops",))
def test_slicing_follows_numpy_basic_indexing(backend):
    tf = backend.tf
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    t = tf.constant(x)
    for key in [(slice(None), 1), (Ellipsis, 2), (None, slice(None, None, -1)), (1, slice(1, 3), 0)]:
        np.testing.assert_array_equal(t[key].numpy(), x[key])
    mask = np.array([True, False])
    np.testing.assert_array_equal(t[tf.constant(mask)].numpy(), x[mask])
    with pytest.raises(tf.errors.InvalidArgumentError):
        t[5]


@clause("VARIABLE.ASSIGN", requires=VARS)
def test_variable_assign_family(backend):
    tf = backend.tf
    v = tf.Variable([1.0, 2.0], name="w")
    assert v.name == "w:0" and v.trainable and v.dtype == tf.float32
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub(np.array([0.5, 0.5]))       # a float64 numpy value takes the variable's dtype
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    assert v.numpy().dtype == np.float32
    assert tf.Variable(1.0).name == "Variable:0"


@clause("VARIABLE.ASSIGN", requires=VARS)
def test_variable_assign_checks_shape_and_tensor_dtype(backend):
    tf = backend.tf
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match="[Ss]hape"):
        v.assign([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        v.assign(tf.constant([1.0, 2.0], tf.float64))
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


@clause("VARIABLE.ASSIGN", requires=VARS)
def test_variable_trainable_is_read_only_and_initial_value_may_be_callable(backend):
    tf = backend.tf
    v = tf.Variable(lambda: tf.ones(2), trainable=False)
    np.testing.assert_array_equal(v.numpy(), [1.0, 1.0])
    with pytest.raises(AttributeError):
        v.trainable = True
    with pytest.raises(ValueError):
        tf.Variable(1.0, shape=(3,))


@clause("RANDOM.SEED", requires=("tf_ops",))
def test_set_seed_repeats_the_random_stream(backend):
    tf = backend.tf
    tf.random.set_seed(7)
    a = [tf.random.normal([3]).numpy() for _ in range(2)]
    tf.random.set_seed(7)
    b = [tf.random.normal([3]).numpy() for _ in range(2)]
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], a[1])


@clause("RANDOM.SEED", requires=("tf_ops",))
def test_random_normal_has_its_distribution_dtype_and_shape(backend):
    tf = backend.tf
    tf.random.set_seed(1)
    x = tf.random.normal([20000], mean=2.0, stddev=3.0).numpy()
    assert x.dtype == np.float32 and x.shape == (20000,)
    assert abs(x.mean() - 2.0) < 0.1 and abs(x.std() - 3.0) < 0.1
    assert tf.random.normal([2], dtype=tf.float64).numpy().dtype == np.float64
    with pytest.raises(TypeError):
        tf.random.normal([2], dtype=tf.int32)
