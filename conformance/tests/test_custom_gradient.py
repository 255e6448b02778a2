"""custom_gradient: seed 004's gradient-clipping example and its rules."""
import numpy as np
import pytest
from hypothesis import given

from conformance import clause
from conformance.numerics import assert_close
from conformance.strategies import away_from_zero, floats, shapes

CG = ("gradient_tape", "custom_gradient")


def _clip_gradient_by_norm(tf):
    """The seed's example, verbatim but for the decorator's namespace."""
    @tf.custom_gradient
    def clip_gradient_by_norm(x, norm):
        y = tf.identity(x)

        def grad_fn(dresult):
            return [tf.clip_by_norm(dresult, norm), None]
        return y, grad_fn
    return clip_gradient_by_norm


@clause("CUSTOM_GRADIENT", requires=CG)
@given(values=away_from_zero(shapes(min_dims=1, max_dims=2)), scale=floats(0.5, 20.0),
       norm=floats(0.5, 3.0))
def test_seed_clip_gradient_by_norm(backend, values, scale, norm):
    tf = backend.tf
    clip = _clip_gradient_by_norm(tf)
    x = tf.constant(values)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = clip(x, norm) * scale
    out = backend.to_numpy(y)
    grad = backend.to_numpy(tape.gradient(y, x))
    assert_close(out, values * np.float32(scale), kind="value")   # forward: identity
    upstream = np.full(values.shape, np.float64(np.float32(scale)))
    n = np.sqrt(np.sum(upstream ** 2))
    expected = upstream * np.float32(norm) / max(n, np.float32(norm))
    assert_close(grad, expected, kind="gradient")


@clause("CUSTOM_GRADIENT", requires=CG)
def test_seed_clip_gives_the_norm_argument_no_gradient(backend):
    tf = backend.tf
    clip = _clip_gradient_by_norm(tf)
    x, n = tf.constant([3.0, 4.0]), tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch([x, n])
        y = clip(x, n) * 10.0
    gx, gn = tape.gradient(y, [x, n])
    np.testing.assert_allclose(backend.to_numpy(gx), [0.70710677, 0.70710677], rtol=1e-6)
    assert gn is None


@clause("CUSTOM_GRADIENT", requires=CG)
def test_custom_gradient_replaces_a_numerically_unstable_one(backend):
    tf = backend.tf

    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))
        return tf.math.log(1 + e), grad

    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(backend.to_numpy(tape.gradient(y, x))) == 1.0


@clause("CUSTOM_GRADIENT.ARGS", requires=CG)
def test_grad_fn_must_return_one_gradient_per_argument(backend):
    tf = backend.tf

    @tf.custom_gradient
    def product(x, y):
        def grad(upstream):
            return upstream
        return x * y, grad

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        z = product(a, b)
    with pytest.raises(ValueError, match="expected to return 2 gradients"):
        tape.gradient(z, [a, b])


@clause("CUSTOM_GRADIENT.ARGS", requires=CG)
def test_python_number_arguments_become_tensors(backend):
    tf = backend.tf

    @tf.custom_gradient
    def scaled(x, factor):
        def grad(upstream):
            return upstream * factor, None
        return x * factor, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scaled(x, 3.0)
    assert float(backend.to_numpy(y)) == 6.0
    assert float(backend.to_numpy(tape.gradient(y, x))) == 3.0


@clause("CUSTOM_GRADIENT.MULTIPLE_OUTPUTS", requires=CG)
def test_grad_fn_gets_one_upstream_gradient_per_output(backend):
    tf = backend.tf

    @tf.custom_gradient
    def two(x):
        def grad(u1, u2):
            return u1 * 2.0 + u2 * 3.0
        return (x * 2.0, x * 3.0), grad

    a = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(a)
        p, q = two(a)
        both = p + q * q
        first_only = p * 1.0
    assert float(backend.to_numpy(tape.gradient(both, a))) == 2.0 + 3.0 * 12.0
    assert float(backend.to_numpy(tape.gradient(first_only, a))) == 2.0


@clause("CUSTOM_GRADIENT.VARIABLES", requires=CG + ("variables",))
def test_variables_used_inside_get_gradients_through_the_variables_argument(backend):
    tf = backend.tf
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def times_v(x):
        def grad(upstream, variables=None):
            return upstream * v, [upstream * x * 100.0]
        return x * v, grad

    a = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(a)
        z = times_v(a)
    ga, gv = tape.gradient(z, [a, v])
    assert float(backend.to_numpy(ga)) == 2.0
    assert float(backend.to_numpy(gv)) == 300.0


@clause("CUSTOM_GRADIENT.VARIABLES", requires=CG + ("variables",))
def test_grad_fn_without_variables_argument_is_rejected_when_variables_are_used(backend):
    tf = backend.tf
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def times_v(x):
        def grad(upstream):
            return upstream * v
        return x * v, grad

    with pytest.raises(TypeError, match="variables"):
        times_v(tf.constant(1.0))


@clause("CUSTOM_GRADIENT.NESTED", requires=CG)
@given(value=floats(-2, 2))
def test_custom_gradient_built_from_ops_is_differentiable_again(backend, value):
    tf = backend.tf

    @tf.custom_gradient
    def cube(x):
        def grad(upstream):
            return upstream * 3.0 * x * x
        return x * x * x, grad

    a = tf.constant(value)
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as inner:
            inner.watch(a)
            z = cube(a)
        d = inner.gradient(z, a)
    v = np.float64(np.float32(value))
    assert_close(backend.to_numpy(d), np.float32(3 * v * v), kind="gradient")
    assert_close(backend.to_numpy(outer.gradient(d, a)), np.float32(6 * v), kind="gradient")


@clause("CUSTOM_GRADIENT.SHAPE", requires=CG)
def test_gradient_of_the_wrong_shape_is_rejected(backend):
    tf = backend.tf

    @tf.custom_gradient
    def wrong(x):
        def grad(upstream):
            return tf.ones((3,))
        return x * 2.0, grad

    a = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(a)
        z = wrong(a)
    with pytest.raises(ValueError, match="shape"):
        tape.gradient(z, a)
