"""GradientTape: what it records, what it watches, what gradient() returns.

Seed 004 ("自定义训练逻辑", custom training logic) and 001 part 2 (training loops
from scratch). Oracles are closed-form derivatives computed in numpy.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.strategies import arrays, floats

TAPE = ("gradient_tape",)


@clause("TAPE.BASIC", requires=TAPE)
def test_cube_gradient_at_two_is_twelve(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x ** 3
    grad = tape.gradient(y, x)
    assert backend.to_numpy(grad).dtype == np.float32
    assert float(backend.to_numpy(grad)) == 12.0


@clause("TAPE.BASIC", requires=TAPE)
@given(value=floats(-3, 3))
def test_cube_gradient_is_three_x_squared(backend, value):
    tf = backend.tf
    x = tf.constant(value)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x ** 3
    assert_close(backend.to_numpy(tape.gradient(y, x)), np.float32(3 * np.float64(value) ** 2),
                 kind="gradient")


@clause("TAPE.BASIC", requires=TAPE)
def test_unwatched_constant_gets_none(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        y = x ** 3
    assert tape.gradient(y, x) is None


@clause("TAPE.BASIC", requires=TAPE + ("variables",))
@given(value=floats(-3, 3))
def test_trainable_variable_is_watched_when_read(backend, value):
    tf = backend.tf
    v = tf.Variable(value)
    with tf.GradientTape() as tape:
        y = v * v
    assert_close(backend.to_numpy(tape.gradient(y, v)), np.float32(2 * np.float64(value)),
                 kind="gradient")


@clause("TAPE.NONTRAINABLE", requires=TAPE + ("variables",))
def test_non_trainable_variable_needs_explicit_watch(backend):
    tf = backend.tf
    v = tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = v * v
    assert float(backend.to_numpy(tape.gradient(y, v))) == 6.0


@clause("TAPE.ONCE", requires=TAPE)
def test_second_gradient_call_raises_runtime_error(backend):
    tf = backend.tf
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert float(backend.to_numpy(tape.gradient(y, x))) == 6.0
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(y, x)


@clause("TAPE.PERSISTENT", requires=TAPE)
@given(value=floats(-3, 3))
def test_persistent_tape_answers_repeatedly(backend, value):
    tf = backend.tf
    x = tf.constant(value)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    v = np.float64(np.float32(value))
    for _ in range(2):
        assert_close(backend.to_numpy(tape.gradient(y, x)), np.float32(2 * v), kind="gradient")
        assert_close(backend.to_numpy(tape.gradient(z, x)), np.float32(4 * v ** 3), kind="gradient")


@clause("TAPE.NESTED", requires=TAPE)
# x = 0 is excluded: the third derivative of x**3 there is TensorFlow's nan (OPS.SUBGRADIENTS)
@given(value=st.one_of(floats(-2, -0.05), floats(0.05, 2)), a=floats(-2, 2), b=floats(-2, 2))
def test_nested_tapes_give_second_and_third_derivatives(backend, value, a, b):
    tf = backend.tf
    x = tf.constant(value)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = a * x ** 3 + b * x ** 2
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    v, a, b = (np.float64(np.float32(t)) for t in (value, a, b))
    assert_close(backend.to_numpy(d1), np.float32(3 * a * v ** 2 + 2 * b * v), kind="gradient")
    assert_close(backend.to_numpy(d2), np.float32(6 * a * v + 2 * b), kind="gradient")
    assert_close(backend.to_numpy(d3), np.float32(6 * a), kind="gradient")


@clause("TAPE.NESTED", requires=TAPE)
def test_cube_second_derivative_at_two_is_twelve(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x ** 3
        dy = inner.gradient(y, x)
    assert float(backend.to_numpy(outer.gradient(dy, x))) == 12.0


@clause("TAPE.SELF_NESTED", requires=TAPE)
def test_persistent_tape_records_its_own_gradient_computation(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x ** 3
        dy = tape.gradient(y, x)
    assert float(backend.to_numpy(dy)) == 12.0
    assert float(backend.to_numpy(tape.gradient(dy, x))) == 12.0


@clause("TAPE.ACCESSED", requires=TAPE + ("variables",))
def test_watch_accessed_variables_false_records_only_explicit_watches(backend):
    tf = backend.tf
    v, w = tf.Variable(2.0), tf.Variable(5.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = v * w
    grads = tape.gradient(y, [v, w])
    assert grads[0] is None
    assert float(backend.to_numpy(grads[1])) == 2.0
    assert len(tape.watched_variables()) == 1 and tape.watched_variables()[0] is w


@clause("TAPE.ACCESSED", requires=TAPE + ("variables",))
def test_watched_variables_lists_accessed_trainable_variables(backend):
    tf = backend.tf
    v, w, frozen = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        _ = w * v + frozen
    assert sorted(id(u) for u in tape.watched_variables()) == sorted([id(w), id(v)])


@clause("TAPE.UNCONNECTED", requires=TAPE + ("variables",))
def test_source_the_target_does_not_depend_on_gets_none(backend):
    tf = backend.tf
    v, unused = tf.Variable(2.0), tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = v * 3.0
    grads = tape.gradient(y, [v, unused])
    assert float(backend.to_numpy(grads[0])) == 3.0
    assert grads[1] is None


@clause("TAPE.UNCONNECTED_ZERO", requires=TAPE + ("variables",))
def test_unconnected_zero_gives_zeros_of_the_source_shape(backend):
    tf = backend.tf
    v, unused = tf.Variable(2.0), tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = v * 3.0
    grads = tape.gradient(y, [v, unused], unconnected_gradients="zero")
    np.testing.assert_array_equal(backend.to_numpy(grads[1]), np.zeros(3, np.float32))
    with tf.GradientTape() as tape:
        y = v * 3.0
    grads = tape.gradient(y, [unused], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    np.testing.assert_array_equal(backend.to_numpy(grads[0]), np.zeros(3, np.float32))


@clause("TAPE.UNCONNECTED_ZERO", requires=TAPE + ("variables",))
def test_unknown_unconnected_gradients_value_raises_value_error(backend):
    tf = backend.tf
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v * 3.0
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, v, unconnected_gradients="zeros")


@clause("TAPE.STRUCTURE", requires=TAPE + ("variables",))
def test_gradient_has_the_structure_of_sources(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    v, unused = tf.Variable(3.0), tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * v
    as_list = tape.gradient(y, [x, v])
    as_dict = tape.gradient(y, {"b": [v, unused], "a": x})
    assert isinstance(as_list, list) and len(as_list) == 2
    assert [float(backend.to_numpy(g)) for g in as_list] == [3.0, 2.0]
    assert set(as_dict) == {"a", "b"} and isinstance(as_dict["b"], list)
    assert float(backend.to_numpy(as_dict["a"])) == 3.0
    assert float(backend.to_numpy(as_dict["b"][0])) == 2.0 and as_dict["b"][1] is None


@clause("TAPE.NONSCALAR_TARGET", requires=TAPE)
@given(values=arrays())
def test_nonscalar_target_is_differentiated_as_its_sum(backend, values):
    tf = backend.tf
    x = tf.constant(values)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        total = tf.reduce_sum(x)
    assert_close(backend.to_numpy(tape.gradient(y, x)), 2 * values.astype(np.float64),
                 kind="gradient")
    assert_close(backend.to_numpy(tape.gradient([y, total], x)),
                 2 * values.astype(np.float64) + 1, kind="gradient")


@clause("TAPE.OUTPUT_GRADIENTS", requires=TAPE)
@given(values=arrays(), data=st.data())
def test_output_gradients_weight_the_target(backend, values, data):
    tf = backend.tf
    weights = data.draw(arrays(values.shape))
    x = tf.constant(values)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, x, output_gradients=tf.constant(weights))
    assert_close(backend.to_numpy(grad),
                 2 * values.astype(np.float64) * weights.astype(np.float64), kind="gradient")


@clause("TAPE.WATCH_TYPES", requires=TAPE)
@pytest.mark.parametrize("value", [3.0, np.array([1.0]), [1.0, 2.0], "x"],
                         ids=["float", "ndarray", "list-of-floats", "str"])
def test_watching_a_non_tensor_raises_value_error(backend, value):
    tf = backend.tf
    with tf.GradientTape() as tape, pytest.raises(ValueError):
        tape.watch(value)


@clause("TAPE.WATCH_TYPES", requires=TAPE + ("variables",))
def test_watch_accepts_nested_structures(backend):
    tf = backend.tf
    x, v = tf.constant(2.0), tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        tape.watch([x, {"v": v}])
        y = x * v
    assert [float(backend.to_numpy(g)) for g in tape.gradient(y, [x, v])] == [3.0, 2.0]


@clause("TAPE.ARG_TYPES", requires=TAPE)
def test_none_target_raises_type_error(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        _ = x * x
    with pytest.raises(TypeError, match="target"):
        tape.gradient(None, x)


@clause("TAPE.ARG_TYPES", requires=TAPE)
@pytest.mark.parametrize("source", [3.0, np.array(3.0)], ids=["float", "ndarray"])
def test_non_tensor_source_raises_type_error_and_keeps_the_tape_usable(backend, source):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(TypeError, match="sources"):
        tape.gradient(y, source)
    assert float(backend.to_numpy(tape.gradient(y, x))) == 4.0


@clause("TAPE.INTEGER_SOURCE", requires=TAPE)
def test_integer_source_gets_none(backend):
    tf = backend.tf
    i = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(i)
        y = i * i
    assert tape.gradient(y, i) is None


@clause("TAPE.STOP_RECORDING", requires=TAPE)
def test_ops_under_stop_recording_are_not_recorded(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
        z = y * x
    assert float(backend.to_numpy(tape.gradient(z, x))) == 4.0


@clause("TAPE.STOP_GRADIENT", requires=TAPE)
@given(value=floats(-3, 3))
def test_stop_gradient_blocks_the_gradient(backend, value):
    tf = backend.tf
    x = tf.constant(value)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(x * x) * x
    assert_close(backend.to_numpy(tape.gradient(y, x)),
                 np.float32(np.float32(value) * np.float32(value)), kind="gradient")


@clause("TAPE.RESET", requires=TAPE)
def test_reset_forgets_what_was_recorded(backend):
    tf = backend.tf
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        tape.reset()
        z = y * x
    assert tape.gradient(z, x) is None
    with tf.GradientTape() as tape:
        tape.watch(x)
        _ = x * x
        tape.reset()
        tape.watch(x)
        z = x * x * x
    assert float(backend.to_numpy(tape.gradient(z, x))) == 12.0


@clause("TAPE.SNAPSHOT", requires=TAPE + ("variables",))
def test_gradient_uses_the_values_the_forward_pass_read(backend):
    tf = backend.tf
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v * v
    v.assign(5.0)
    assert float(backend.to_numpy(tape.gradient(y, v))) == 4.0


@clause("TAPE.DTYPE", requires=TAPE)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradient_has_the_dtype_of_its_source(backend, dtype):
    tf = backend.tf
    x = tf.constant(np.array([1.5, -2.0], dtype=dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
    grad = backend.to_numpy(tape.gradient(y, x))
    assert grad.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(grad, np.array([3.0, -4.0], dtype=dtype))


@clause("TAPE.TARGET_IS_SOURCE", requires=TAPE + ("variables",))
def test_target_that_is_its_own_source_has_gradient_one(backend):
    tf = backend.tf
    x, v = tf.constant([2.0, 3.0]), tf.Variable(4.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
    np.testing.assert_array_equal(backend.to_numpy(tape.gradient(x, x)), [1.0, 1.0])
    assert float(backend.to_numpy(tape.gradient(v, v))) == 1.0
