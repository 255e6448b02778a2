"""Every refkeras op with a gradient, as (function, input strategy) cases in float64.

Used by test_op_gradients.py. Inputs keep away from points where an op is not
differentiable, so that central finite differences are a valid oracle.
"""
import dataclasses
from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance.strategies import broadcastable_pair, shapes
from refkeras import ops


def arrays64(shape=None, low=-2.0, high=2.0):
    shape = shapes() if shape is None else shape
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high, allow_nan=False,
                                                              allow_subnormal=False))


def away(shape=None, margin=0.1):
    return arrays64(shape).map(lambda a: np.where(np.abs(a) < margin, np.copysign(margin, a) + a, a))


def spaced(shape=None, gap=0.05):
    """Pairwise distinct by at least gap: no ties, no near-ties."""
    shape = shapes() if shape is None else shape
    return hnp.arrays(np.int64, shape, elements=st.integers(-40, 40), unique=True).map(
        lambda a: a * gap)


@dataclasses.dataclass
class Case:
    fn: Callable            # (*tensors) -> tensor
    inputs: st.SearchStrategy  # tuple of float64 arrays


def one(strategy=None, **kw):
    return st.tuples(strategy(**kw) if strategy else arrays64(**kw))


@st.composite
def pair(draw, second=arrays64):
    sa, sb = draw(broadcastable_pair())
    return draw(arrays64(sa)), draw(second(sb))


@st.composite
def apart_pair(draw):
    sa, sb = draw(broadcastable_pair())
    a, b = draw(arrays64(sa)), draw(arrays64(sb))
    full = np.broadcast_shapes(sa, sb)
    gap = np.broadcast_to(b, full) - np.broadcast_to(a, full)
    return (a, b) if np.all(np.abs(gap) > 0.05) else (a, b + 5.0)


@st.composite
def with_axis(draw, strategy=arrays64):
    x = draw(strategy(shapes(min_dims=1)))
    return x, draw(st.integers(-x.ndim, x.ndim - 1)), draw(st.booleans())


@st.composite
def matmul_inputs(draw, batched=False):
    m, k, n = (draw(st.integers(1, 4)) for _ in range(3))
    lead = (draw(st.integers(1, 3)),) if batched else ()
    return draw(arrays64(lead + (m, k))), draw(arrays64((k, n)))


@st.composite
def fused_matmul_inputs(draw):
    """x, kernel and a bias that keeps every pre-activation at least 0.1 from relu's kink:
    each column is shifted wholly above or wholly below zero."""
    x, kernel = draw(matmul_inputs())
    z = x @ kernel
    above = np.array(draw(st.lists(st.booleans(), min_size=z.shape[1], max_size=z.shape[1])))
    bias = np.where(above, 0.1 - z.min(axis=0), -0.1 - z.max(axis=0))
    return x, kernel, bias


@st.composite
def slice_inputs(draw):
    x = draw(arrays64(shapes(min_dims=2, min_side=2)))
    key = draw(st.sampled_from([
        (slice(1, None),), (slice(None), 0), (Ellipsis, -1), (None, slice(None, None, -1)),
        (np.array([0, 0, 1]),),   # repeated positions: gradients add up
        (np.array([True, False] + [True] * (x.shape[0] - 2)),),
    ]))
    return x, key


@st.composite
def conv_inputs(draw, spatial=2):
    """(x, w, stride, padding, dilation): small NHWC (or NWC) images and HWIO filters."""
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    stride, dilation = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    padding = draw(st.sampled_from(["SAME", "VALID"]))
    k = tuple(draw(st.integers(1, 3)) for _ in range(spatial))
    size = tuple(draw(st.integers((ki - 1) * dilation + 1, 5)) for ki in k)   # VALID fits
    return draw(arrays64((n,) + size + (c,))), draw(arrays64(k + (c, o))), stride, padding, dilation


@st.composite
def fused_conv_inputs(draw):
    """(x, w, bias, stride, padding, dilation), the bias keeping every pre-activation at
    least 0.1 from relu's kink (each channel shifted wholly above or below zero)."""
    x, w, stride, padding, dilation = draw(conv_inputs())
    z = ops.conv2d(x, w, stride, padding, dilations=dilation).numpy()
    above = np.array(draw(st.lists(st.booleans(), min_size=z.shape[-1], max_size=z.shape[-1])))
    bias = np.where(above, 0.1 - z.min(axis=(0, 1, 2)), -0.1 - z.max(axis=(0, 1, 2)))
    return x, w, bias, stride, padding, dilation


@st.composite
def pool_inputs(draw, spatial=2, distinct=False):
    """(x, ksize, stride, padding); distinct values for max pooling (no ties)."""
    # at most 2 * 4 * 4 * 2 = 64 values: ``spaced`` has 81 distinct ones
    shape = (draw(st.integers(1, 2)),) + tuple(draw(st.integers(2, 4)) for _ in range(spatial)) \
        + (draw(st.integers(1, 2)),)
    x = draw(spaced(shape) if distinct else arrays64(shape))
    ksize = tuple(draw(st.integers(1, min(3, side))) for side in shape[1:-1])
    return x, ksize, draw(st.integers(1, 2)), draw(st.sampled_from(["SAME", "VALID"]))


@st.composite
def max_pool_grad_inputs(draw):
    x, ksize, stride, padding = draw(pool_inputs(distinct=True))
    y_shape = tuple(ops.max_pool2d(x, ksize, stride, padding).shape)
    return x, draw(arrays64(y_shape)), ksize, stride, padding


def _max_pool_grad(x, dy, ksize, stride, padding):
    """d sum(max_pool(x) * dy) / dx: MaxPoolGrad in the forward pass, so that the gradient
    test reaches MaxPoolGradGrad."""
    from refkeras import GradientTape
    with GradientTape() as tape:
        tape.watch(x)
        total = ops.reduce_sum(ops.max_pool2d(x, ksize, stride, padding) * dy)
    return tape.gradient(total, x)


@st.composite
def batch_norm_inputs(draw):
    """(x, scale, offset, axis): distinct values, so no channel has a near-zero variance."""
    x = draw(spaced(shapes(min_dims=2, max_dims=3, min_side=2)))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    channels = (x.shape[axis],)
    return x, draw(arrays64(channels)), draw(arrays64(channels)), axis


def _batch_norm_training(x, scale, offset, axis):
    """y squared, plus the batch statistics, so every output's gradient is exercised."""
    y, mean, variance = ops.batch_norm_training(x, scale, offset, 1e-3, axis)
    return ops.square(y) + ops.reduce_sum(mean * variance)


@st.composite
def layer_norm_inputs(draw):
    x = draw(spaced(shapes(min_dims=2, max_dims=3, min_side=2)))
    axes = sorted(draw(st.sets(st.integers(0, x.ndim - 1), min_size=1)))
    size = tuple(x.shape[a] for a in axes)
    return x, draw(arrays64(size)), draw(arrays64(size)), axes


@st.composite
def batch_normalization_inputs(draw):
    x = draw(arrays64(shapes(min_dims=1)))
    c = (x.shape[-1],)
    return (x, draw(arrays64(c)), draw(arrays64(c, low=0.5, high=2.0)), draw(arrays64(c)),
            draw(arrays64(c)))


def _reduction(fn):
    return lambda x, axis, keepdims: fn(x, axis=axis, keepdims=keepdims)


CASES = {
    # element-wise, one input
    "exp": Case(ops.exp, one()),
    "erf": Case(ops.erf, one()),
    "erfc": Case(ops.erfc, one()),
    "gelu": Case(ops.nn.gelu, one()),
    "log": Case(ops.log, one(arrays64, low=0.1, high=3.0)),
    "log1p": Case(ops.log1p, one(arrays64, low=-0.5, high=3.0)),
    "sqrt": Case(ops.sqrt, one(arrays64, low=0.1, high=3.0)),
    "rsqrt": Case(ops.rsqrt, one(arrays64, low=0.1, high=3.0)),
    "reciprocal": Case(ops.reciprocal, one(away)),
    "square": Case(ops.square, one()),
    "abs": Case(ops.abs, one(away)),
    "negative": Case(ops.negative, one()),
    "sin": Case(ops.sin, one()),
    "cos": Case(ops.cos, one()),
    "tanh": Case(ops.tanh, one()),
    "sigmoid": Case(ops.sigmoid, one()),
    "identity": Case(ops.identity, one()),
    "cast": Case(lambda x: ops.cast(x, "float64") * 2.0, one()),
    "relu": Case(ops.nn.relu, one(away)),
    "elu": Case(lambda x: ops.nn.elu(x, alpha=0.7), one(away)),
    "selu": Case(ops.nn.selu, one(away)),
    "softplus": Case(ops.nn.softplus, one()),
    "softsign": Case(ops.nn.softsign, one(away)),
    "leaky_relu": Case(ops.nn.leaky_relu, one(away)),
    "silu": Case(ops.nn.silu, one()),
    "clip_by_value": Case(lambda x: ops.clip_by_value(x, -1.0, 1.0),
                          one().map(lambda t: (np.where(np.abs(np.abs(t[0]) - 1) < 0.05, 0.5, t[0]),))),
    # the norm kept away from clip_norm, where maximum(norm, clip_norm) has a kink
    "clip_by_norm": Case(lambda x: ops.clip_by_norm(x, 1.0), one(away).map(
        lambda t: (t[0] * 1.5 / max(np.sqrt(np.sum(t[0] ** 2)), 1e-3)
                   if abs(np.sqrt(np.sum(t[0] ** 2)) - 1) < 0.2 else t[0],))),
    "norm": Case(ops.norm, one(away)),
    # element-wise, two inputs, broadcasting
    "add": Case(ops.add, pair()),
    "subtract": Case(ops.subtract, pair()),
    "multiply": Case(ops.multiply, pair()),
    "divide": Case(ops.divide, pair(away)),
    "divide_no_nan": Case(ops.divide_no_nan, pair(away)),
    "pow": Case(ops.pow, pair().map(lambda p: (np.abs(p[0]) + 0.2, p[1]))),
    "maximum": Case(ops.maximum, apart_pair()),
    "minimum": Case(ops.minimum, apart_pair()),
    "squared_difference": Case(ops.squared_difference, pair()),
    "floormod": Case(ops.floormod, pair().map(
        lambda p: (np.floor(p[0] * 4) / 4 + 0.1, np.abs(p[1]) * 0 + 0.25 + 1.0))),
    "where": Case(lambda x, y: ops.where(x > 0, x * y, y * y), pair().map(
        lambda p: (np.where(np.abs(p[0]) < 0.1, 0.5, p[0]), p[1]))),
    # reductions
    "reduce_sum": Case(lambda x, a, k: ops.reduce_sum(x, a, k), with_axis()),
    "reduce_mean": Case(lambda x, a, k: ops.reduce_mean(x, a, k), with_axis()),
    "reduce_max": Case(lambda x, a, k: ops.reduce_max(x, a, k), with_axis(spaced)),
    "reduce_min": Case(lambda x, a, k: ops.reduce_min(x, a, k), with_axis(spaced)),
    "reduce_sum_all": Case(ops.reduce_sum, one()),
    "reduce_logsumexp": Case(lambda x, a, k: ops.reduce_logsumexp(x, a, k), with_axis()),
    "reduce_std": Case(ops.reduce_std, one(spaced, shape=shapes(min_dims=1, min_side=2))),
    "softmax": Case(lambda x, a, k: ops.nn.softmax(x, a), with_axis()),
    "log_softmax": Case(lambda x, a, k: ops.nn.log_softmax(x, a), with_axis()),
    # labels fixed and summing to 1 along the axis: there TensorFlow's gradient,
    # softmax - labels, is the true one (it is not for other labels)
    "sparse_softmax_cross_entropy": Case(
        lambda x: ops.nn.sparse_softmax_cross_entropy_with_logits(
            labels=np.arange(int(np.prod(x.shape[:-1]))).reshape(x.shape[:-1]) % x.shape[-1],
            logits=x),
        one(shape=shapes(min_dims=1))),
    "softmax_cross_entropy": Case(
        lambda x: ops.nn.softmax_cross_entropy_with_logits(
            labels=np.full(x.shape, 1.0 / x.shape[-1]), logits=x),
        one(shape=shapes(min_dims=1))),
    # linear algebra
    "matmul": Case(ops.matmul, matmul_inputs()),
    "fused_matmul": Case(ops.fused_matmul, fused_matmul_inputs()),
    "fused_matmul_relu": Case(lambda x, w, b: ops.fused_matmul(x, w, b, "relu"),
                              fused_matmul_inputs()),
    "matmul_batched": Case(ops.matmul, matmul_inputs(batched=True)),
    "matmul_transposed": Case(lambda a, b: ops.matmul(b, a, transpose_a=True, transpose_b=True),
                              matmul_inputs()),
    # shapes
    "reshape": Case(lambda x: ops.reshape(x, [-1]), one()),
    "transpose": Case(ops.transpose, one()),
    "expand_squeeze": Case(lambda x: ops.squeeze(ops.expand_dims(x, 0) * 2.0), one()),
    "broadcast_to": Case(lambda x: ops.broadcast_to(x, (2,) + tuple(x.shape)), one()),
    "sum_to_shape": Case(lambda x: ops.sum_to_shape(x, (1,) * len(x.shape)), one()),
    "tile": Case(lambda x: ops.tile(x, [2] * len(x.shape)), one()),
    # squared, so that the upstream gradient of the linear ops depends on x and the
    # second-order test exercises the rules of their gradient ops (GatherGrad ...)
    "gather": Case(lambda x: ops.square(ops.gather(x, [0, 0, 1], axis=0)),
                   one(shape=shapes(min_dims=1, min_side=2))),
    "gather_axis1": Case(lambda x: ops.square(ops.gather(x, [[1, 0], [1, 1]], axis=1)),
                         one(shape=shapes(min_dims=2, min_side=2))),
    "slice": Case(lambda x, key: ops.square(ops.strided_slice(x, key)), slice_inputs()),
    "concat": Case(lambda a, b: ops.concat([a, b], axis=-1),
                   shapes(min_dims=1).flatmap(lambda s: st.tuples(arrays64(s), arrays64(s)))),
    "stack_unstack": Case(lambda a, b: ops.stack(ops.unstack(ops.stack([a, b], 1), 1), 0),
                          shapes(min_dims=1).flatmap(lambda s: st.tuples(arrays64(s), arrays64(s)))),
    # convolution, pooling, normalization (squared where the op is linear, so that the
    # second-order test differentiates the rules of the gradient ops too)
    "conv2d": Case(lambda x, w, s, p, d: ops.square(ops.conv2d(x, w, s, p, dilations=d)),
                   conv_inputs()),
    "fused_conv2d": Case(lambda x, w, b, s, p, d: ops.square(
        ops.fused_conv2d(x, w, b, s, p, dilations=d)), fused_conv_inputs()),
    "fused_conv2d_relu": Case(lambda x, w, b, s, p, d: ops.square(
        ops.fused_conv2d(x, w, b, s, p, dilations=d, activation="relu")), fused_conv_inputs()),
    "conv1d": Case(lambda x, w, s, p, d: ops.conv1d(x, w, s, p, dilations=d), conv_inputs(1)),
    "max_pool2d": Case(lambda x, k, s, p: ops.square(ops.max_pool2d(x, k, s, p)),
                       pool_inputs(distinct=True)),
    "max_pool1d": Case(lambda x, k, s, p: ops.max_pool1d(x, k, s, p), pool_inputs(1, True)),
    "max_pool_grad": Case(_max_pool_grad, max_pool_grad_inputs()),
    "avg_pool2d": Case(lambda x, k, s, p: ops.square(ops.avg_pool2d(x, k, s, p)), pool_inputs()),
    "avg_pool1d": Case(lambda x, k, s, p: ops.avg_pool1d(x, k, s, p), pool_inputs(1)),
    "batch_norm_training": Case(_batch_norm_training, batch_norm_inputs()),
    "layer_norm": Case(lambda x, g, b, axes: ops.layer_norm(x, g, b, axes, 1e-3),
                       layer_norm_inputs()),
    "batch_normalization": Case(
        lambda x, m, v, o, g: ops.batch_normalization(x, m, v, o, g, 1e-3),
        batch_normalization_inputs()),
}

__all__ = ["CASES", "Case"]
