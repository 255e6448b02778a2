"""The values and gradients of the tf namespace's ops, against numpy oracles.

Every op of ``op_table.OPS`` is run on hypothesis-generated float32 inputs; its
values are compared with a numpy float64 oracle (OPS.VALUES), and its gradient,
under an arbitrary upstream weighting, with central finite differences of that
oracle (TAPE.GRADIENT_VALUES). Broadcast inputs get gradients of their own shape
(TAPE.BROADCAST). The conventions at non-differentiable points are pinned
exactly (OPS.SUBGRADIENTS).
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close, finite_difference
from conformance.strategies import arrays
from conformance.tests.op_table import AXIS_OPS, OPS

TAPE = ("gradient_tape",)


def _gradients(backend, op, inputs, weights):
    tf = backend.tf
    tensors = [tf.constant(a) for a in inputs]
    with tf.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        out = op(tf, *tensors)
        target = tf.reduce_sum(out * tf.constant(weights))
    return backend.to_numpy(out), [backend.to_numpy(g) for g in tape.gradient(target, tensors)]


@clause("OPS.VALUES", requires=("tf_ops",))
@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_op_values_match_numpy(backend, name, data):
    op = OPS[name]
    inputs = data.draw(op.inputs(), label="inputs")
    out = backend.to_numpy(op.call(backend.tf, *[backend.tf.constant(a) for a in inputs]))
    expected = op.oracle(*[a.astype(np.float64) for a in inputs])
    assert out.dtype == np.float32
    assert_close(out, np.asarray(expected), kind="value", dtype="float32", message=name)


@clause("TAPE.GRADIENT_VALUES", requires=TAPE)
@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_op_gradients_match_finite_differences(backend, name, data):
    op = OPS[name]
    inputs = data.draw(op.inputs(), label="inputs")
    out_shape = np.shape(op.oracle(*[a.astype(np.float64) for a in inputs]))
    weights = data.draw(arrays(out_shape), label="upstream weights")
    _, grads = _gradients(backend, op.call, inputs, weights)
    for i, (a, g) in enumerate(zip(inputs, grads)):
        expected = finite_difference(lambda a: np.sum(op.oracle(*a) * weights), inputs, i)
        assert g.shape == a.shape, f"{name}: gradient {i} has shape {g.shape}, input {a.shape}"
        assert_close(g, expected, kind="gradient", dtype="float32", message=f"{name} input {i}")


@clause("TAPE.GRADIENT_VALUES", requires=TAPE)
@pytest.mark.parametrize("name", sorted(AXIS_OPS))
@given(data=st.data())
def test_axis_reduction_gradients_match_finite_differences(backend, name, data):
    call, strategy, oracle = AXIS_OPS[name]
    x, axis = data.draw(strategy(), label="input and axis")
    reference = lambda a: oracle(a, axis=axis)
    weights = data.draw(arrays(np.shape(reference(x.astype(np.float64)))), label="weights")
    out, (grad,) = _gradients(backend, lambda tf, t: call(tf, t, axis), [x], weights)
    assert_close(out, reference(x.astype(np.float64)), kind="value", dtype="float32")
    expected = finite_difference(lambda a: np.sum(reference(a[0]) * weights), [x], 0)
    assert_close(grad, expected, kind="gradient", dtype="float32", message=f"{name} axis {axis}")


@clause("TAPE.BROADCAST", requires=TAPE)
@given(data=st.data())
def test_broadcast_input_gets_gradient_summed_to_its_shape(backend, data):
    tf = backend.tf
    a = data.draw(arrays(st.sampled_from([(2, 3), (4, 1, 3)])), label="matrix")
    b = data.draw(arrays(st.sampled_from([(3,), (1, 3), ()])), label="broadcast operand")
    x, y = tf.constant(a), tf.constant(b)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = x * y
    gx, gy = (backend.to_numpy(g) for g in tape.gradient(z, [x, y]))
    assert gx.shape == a.shape and gy.shape == b.shape
    full = np.broadcast_to(a.astype(np.float64), np.broadcast_shapes(a.shape, b.shape))
    lead = full.ndim - b.ndim
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(b.shape) if d == 1)
    assert_close(gy, full.sum(axis=axes).reshape(b.shape), kind="gradient")
    # b never enlarges a here, so the product has a's shape and x's gradient is y spread over it
    assert_close(gx, np.broadcast_to(b, a.shape), kind="gradient")


def _grad_of(backend, f, *values):
    tf = backend.tf
    xs = [tf.constant(np.asarray(v, dtype=np.float32)) for v in values]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(tf, *xs)
    return [backend.to_numpy(g) for g in tape.gradient(y, xs)]


SUBGRADIENTS = {
    # name: (function, inputs, the exact gradient per input)
    "relu at 0 is 0": (lambda tf, x: tf.nn.relu(x), ([0.0, 1.0, -1.0],), ([0.0, 1.0, 0.0],)),
    "abs at 0 is 0": (lambda tf, x: tf.abs(x), ([0.0, 2.0, -2.0],), ([0.0, 1.0, -1.0],)),
    "maximum tie goes to x": (lambda tf, x, y: tf.maximum(x, y), ([1.0, 2.0], [1.0, 1.0]),
                              ([1.0, 1.0], [0.0, 0.0])),
    "minimum tie goes to x": (lambda tf, x, y: tf.minimum(x, y), ([1.0, 2.0], [1.0, 3.0]),
                              ([1.0, 1.0], [0.0, 0.0])),
    "reduce_max ties share": (lambda tf, x: tf.reduce_max(x), ([1.0, 3.0, 3.0],), ([0.0, 0.5, 0.5],)),
    "reduce_min ties share": (lambda tf, x: tf.reduce_min(x), ([1.0, 1.0, 3.0],), ([0.5, 0.5, 0.0],)),
    "clip_by_value passes at the bounds": (lambda tf, x: tf.clip_by_value(x, 0.0, 1.0),
                                           ([0.0, 1.0, 0.5, 2.0, -1.0],),
                                           ([1.0, 1.0, 1.0, 0.0, 0.0],)),
    "sqrt at 0 is inf": (lambda tf, x: tf.sqrt(x), ([0.0],), ([np.inf],)),
    "log at 0 is inf": (lambda tf, x: tf.math.log(x), ([0.0],), ([np.inf],)),
    "norm at 0 is nan": (lambda tf, x: tf.norm(x), ([0.0, 0.0],), ([np.nan, np.nan],)),
    "clip_by_norm at 0 is 1": (lambda tf, x: tf.reduce_sum(tf.clip_by_norm(x, 1.0)),
                               ([0.0, 0.0],), ([1.0, 1.0],)),
    "x ** 2 at 0 is 0": (lambda tf, x: x ** 2.0, ([0.0],), ([0.0],)),
    "x ** 0 at 0 is nan": (lambda tf, x: x ** 0.0, ([0.0],), ([np.nan],)),
    "pow exponent gets 0 where the base is <= 0": (lambda tf, x, y: x ** y, ([-2.0, 0.0], [2.0, 2.0]),
                                                   ([-4.0, 0.0], [0.0, 0.0])),
    "leaky_relu at 0 is alpha": (lambda tf, x: tf.nn.leaky_relu(x, alpha=0.2), ([0.0],), ([0.2],)),
    "sign has gradient 0": (lambda tf, x: tf.sign(x), ([0.0, 3.0],), ([0.0, 0.0],)),
    "where sends each gradient to the chosen branch": (
        lambda tf, x: tf.where(x > 0, x, x * x), ([1.0, -2.0],), ([1.0, -4.0],)),
}


@clause("OPS.SUBGRADIENTS", requires=TAPE)
@pytest.mark.parametrize("case", sorted(SUBGRADIENTS))
def test_gradient_conventions_at_non_differentiable_points(backend, case):
    f, inputs, expected = SUBGRADIENTS[case]
    grads = _grad_of(backend, f, *inputs)
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g, np.asarray(e, dtype=np.float32), rtol=1e-6, err_msg=case)


@clause("OPS.SUBGRADIENTS", requires=TAPE)
def test_integer_valued_ops_give_no_gradient(backend):
    tf = backend.tf
    x = tf.constant([0.4, 1.6])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        rounded = tf.round(x)
        as_int = tf.cast(tf.cast(x, tf.int32), tf.float32)
    assert tape.gradient(rounded, x) is None
    assert tape.gradient(as_int, x) is None
