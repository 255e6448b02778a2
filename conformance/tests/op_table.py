"""The ops of the tf namespace, each with input strategies and a numpy oracle.

Shared by the value tests (OPS.VALUES) and the gradient tests (TAPE.GRADIENT_VALUES).
``call(tf, *tensors)`` runs the op through the backend's tf namespace;
``oracle(*arrays)`` computes the same thing in numpy float64. Input strategies
keep away from points where an op is not differentiable (those conventions are
pinned separately, in OPS.SUBGRADIENTS).
"""
import dataclasses
from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance.strategies import (
    arrays,
    away_from_zero,
    broadcastable_pair,
    distinct,
    positive,
    shapes,
)


@dataclasses.dataclass
class Op:
    call: Callable          # (tf, *tensors) -> tensor
    inputs: Callable        # () -> strategy of a tuple of float32 arrays
    oracle: Callable        # (*float64 arrays) -> float64 array


def _one(strategy_fn=arrays, **kw):
    return lambda: st.tuples(strategy_fn(**kw))


def _norm_away_from_clip(clip=1.5, margin=0.05):
    """Arrays (elements away from zero) whose L2 norm is not within ``margin`` of ``clip``."""
    return away_from_zero().filter(
        lambda a: abs(float(np.sqrt(np.sum(np.square(a, dtype=np.float64)))) - clip) > margin)


def _pair(second=arrays):
    """Two arrays of mutually broadcastable shapes; the second from ``second``."""
    @st.composite
    def draw_pair(draw):
        a_shape, b_shape = draw(broadcastable_pair())
        return draw(arrays(a_shape)), draw(second(b_shape))
    return draw_pair


def _pair_apart():
    """Two arrays whose elements differ by at least 0.05 (no ties for max/min)."""
    @st.composite
    def draw_pair(draw):
        a, b = draw(_pair()())
        gap = np.broadcast_to(b, np.broadcast_shapes(a.shape, b.shape)) - a
        ok = np.all(np.abs(gap) >= 0.05)
        return (a, b) if ok else (a, (b + np.float32(0.5)).astype(np.float32))
    return draw_pair


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@st.composite
def _matmul_inputs(draw):
    m, k, n = (draw(st.integers(1, 4)) for _ in range(3))
    return draw(arrays((m, k))), draw(arrays((k, n)))


@st.composite
def _batched_matmul_inputs(draw):
    b, m, k, n = (draw(st.integers(1, 3)) for _ in range(4))
    return draw(arrays((b, m, k))), draw(arrays((k, n)))


@st.composite
def _with_axis(draw, strategy=arrays, min_dims=1):
    x = draw(strategy(shapes(min_dims=min_dims)))
    return x, draw(st.integers(-x.ndim, x.ndim - 1))


@st.composite
def _distinct_with_axis(draw):
    return draw(_with_axis(distinct))


def _clip_inputs():
    # values kept away from the bounds -1 and 1, where the gradient switches
    return st.tuples(arrays().map(lambda a: np.where(np.abs(np.abs(a) - 1) < 0.05, a * 0.5, a)
                                  .astype(np.float32)))


def _unary_ops():
    return {
        "exp": Op(lambda tf, x: tf.exp(x), _one(), np.exp),
        "math.log": Op(lambda tf, x: tf.math.log(x), _one(positive), np.log),
        "sqrt": Op(lambda tf, x: tf.sqrt(x), _one(positive), np.sqrt),
        "math.rsqrt": Op(lambda tf, x: tf.math.rsqrt(x), _one(positive), lambda x: x ** -0.5),
        "square": Op(lambda tf, x: tf.square(x), _one(), np.square),
        "tanh": Op(lambda tf, x: tf.tanh(x), _one(), np.tanh),
        "sigmoid": Op(lambda tf, x: tf.sigmoid(x), _one(), _sigmoid),
        "abs": Op(lambda tf, x: tf.abs(x), _one(away_from_zero), np.abs),
        "negative": Op(lambda tf, x: tf.negative(x), _one(), np.negative),
        "identity": Op(lambda tf, x: tf.identity(x), _one(), lambda x: x),
        "math.log1p": Op(lambda tf, x: tf.math.log1p(x), _one(positive), np.log1p),
        "math.reciprocal": Op(lambda tf, x: tf.math.reciprocal(x), _one(away_from_zero),
                              np.reciprocal),
        "sin": Op(lambda tf, x: tf.sin(x), _one(), np.sin),
        "cos": Op(lambda tf, x: tf.cos(x), _one(), np.cos),
        "nn.relu": Op(lambda tf, x: tf.nn.relu(x), _one(away_from_zero), lambda x: np.maximum(x, 0)),
        "nn.elu": Op(lambda tf, x: tf.nn.elu(x), _one(away_from_zero),
                     lambda x: np.where(x > 0, x, np.expm1(x))),
        "nn.selu": Op(lambda tf, x: tf.nn.selu(x), _one(away_from_zero),
                      lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x))),
        "nn.softplus": Op(lambda tf, x: tf.nn.softplus(x), _one(), lambda x: np.log1p(np.exp(x))),
        "nn.softsign": Op(lambda tf, x: tf.nn.softsign(x), _one(), lambda x: x / (1 + np.abs(x))),
        "nn.leaky_relu": Op(lambda tf, x: tf.nn.leaky_relu(x, alpha=0.2), _one(away_from_zero),
                            lambda x: np.where(x > 0, x, 0.2 * x)),
        "nn.silu": Op(lambda tf, x: tf.nn.silu(x), _one(), lambda x: x * _sigmoid(x)),
        "nn.softmax": Op(lambda tf, x: tf.nn.softmax(x), _one(shape=shapes(min_dims=1)), _softmax),
        "nn.log_softmax": Op(lambda tf, x: tf.nn.log_softmax(x), _one(shape=shapes(min_dims=1)),
                             lambda x: np.log(_softmax(x))),
        "clip_by_value": Op(lambda tf, x: tf.clip_by_value(x, -1.0, 1.0), _clip_inputs,
                            lambda x: np.clip(x, -1.0, 1.0)),
        # the L2 norm kept 0.05 from 1.5, the kink where finite differences average two slopes
        "clip_by_norm": Op(lambda tf, x: tf.clip_by_norm(x, 1.5), _one(_norm_away_from_clip),
                           lambda x: x * 1.5 / max(np.sqrt(np.sum(x * x)), 1.5)),
        "transpose": Op(lambda tf, x: tf.transpose(x), _one(), np.transpose),
        "reshape": Op(lambda tf, x: tf.reshape(x, [-1]), _one(), lambda x: x.reshape(-1)),
        "expand_dims": Op(lambda tf, x: tf.expand_dims(x, 0), _one(), lambda x: x[None]),
        "slice": Op(lambda tf, x: x[1:], _one(shape=shapes(min_dims=1, min_side=2)), lambda x: x[1:]),
        "tile": Op(lambda tf, x: tf.tile(x, [2] * len(x.shape)), _one(),
                   lambda x: np.tile(x, [2] * x.ndim)),
        "gather": Op(lambda tf, x: tf.gather(x, [0, 0, 1]), _one(shape=shapes(min_dims=1, min_side=2)),
                     lambda x: np.take(x, [0, 0, 1], axis=0)),
    }


def _binary_ops():
    return {
        "add": Op(lambda tf, x, y: tf.add(x, y), _pair(), np.add),
        "subtract": Op(lambda tf, x, y: tf.subtract(x, y), _pair(), np.subtract),
        "multiply": Op(lambda tf, x, y: tf.multiply(x, y), _pair(), np.multiply),
        "divide": Op(lambda tf, x, y: tf.divide(x, y), _pair(away_from_zero), np.divide),
        "pow": Op(lambda tf, x, y: tf.pow(x, y),
                  lambda: _pair()().map(lambda p: (np.abs(p[0]) + np.float32(0.2), p[1] / 2)),
                  np.power),
        "maximum": Op(lambda tf, x, y: tf.maximum(x, y), _pair_apart(), np.maximum),
        "minimum": Op(lambda tf, x, y: tf.minimum(x, y), _pair_apart(), np.minimum),
        "math.squared_difference": Op(lambda tf, x, y: tf.math.squared_difference(x, y), _pair(),
                                      lambda x, y: (x - y) ** 2),
        "matmul": Op(lambda tf, a, b: tf.matmul(a, b), lambda: _matmul_inputs(), np.matmul),
        "matmul.batched": Op(lambda tf, a, b: tf.matmul(a, b), lambda: _batched_matmul_inputs(),
                             np.matmul),
        "concat": Op(lambda tf, a, b: tf.concat([a, b], 0),
                     lambda: hnp.array_shapes(min_dims=1, max_dims=3, max_side=3).flatmap(
                         lambda s: st.tuples(arrays(s), arrays(s))),
                     lambda a, b: np.concatenate([a, b], 0)),
        "stack": Op(lambda tf, a, b: tf.stack([a, b], axis=0),
                    lambda: shapes().flatmap(lambda s: st.tuples(arrays(s), arrays(s))),
                    lambda a, b: np.stack([a, b], 0)),
    }


def _reduction_ops():
    return {
        "reduce_sum": Op(lambda tf, x: tf.reduce_sum(x), _one(), np.sum),
        "reduce_mean": Op(lambda tf, x: tf.reduce_mean(x), _one(), np.mean),
        "reduce_max": Op(lambda tf, x: tf.reduce_max(x), _one(distinct), np.max),
        "reduce_min": Op(lambda tf, x: tf.reduce_min(x), _one(distinct), np.min),
        "reduce_logsumexp": Op(lambda tf, x: tf.reduce_logsumexp(x), _one(),
                               lambda x: np.log(np.sum(np.exp(x)))),
        "math.reduce_std": Op(lambda tf, x: tf.math.reduce_std(x),
                              _one(distinct, shape=shapes(min_dims=1, min_side=2)),
                              np.std),
        "norm": Op(lambda tf, x: tf.norm(x), _one(away_from_zero), lambda x: np.sqrt(np.sum(x * x))),
    }


OPS = {**_unary_ops(), **_binary_ops(), **_reduction_ops()}

# Reductions along one axis (the axis is drawn with the input).
AXIS_OPS = {
    "reduce_sum": (lambda tf, x, a: tf.reduce_sum(x, axis=a), _with_axis, np.sum),
    "reduce_mean": (lambda tf, x, a: tf.reduce_mean(x, axis=a), _with_axis, np.mean),
    "reduce_max": (lambda tf, x, a: tf.reduce_max(x, axis=a), _distinct_with_axis, np.max),
    "reduce_min": (lambda tf, x, a: tf.reduce_min(x, axis=a), _distinct_with_axis, np.min),
    "nn.softmax": (lambda tf, x, a: tf.nn.softmax(x, axis=a), _with_axis,
                   lambda x, axis: _softmax(x, axis)),
}

__all__ = ["AXIS_OPS", "OPS", "Op"]
