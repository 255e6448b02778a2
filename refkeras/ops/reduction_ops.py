"""Reductions: sum, mean, max, min and friends over some axes.

Clauses: OPS.VALUES, TAPE.GRADIENT_VALUES, OPS.SUBGRADIENTS (docs/spec.md).

``axis=None`` reduces over every axis; an axis may be negative; a repeated or
out-of-range axis is an InvalidArgumentError. The gradient of a reduction
broadcasts the upstream gradient back over the reduced axes::

    d sum(x)  / dx = broadcast(dy)
    d mean(x) / dx = broadcast(dy) / n          # n: number of elements reduced
    d max(x)  / dx = broadcast(dy) * (x == max) / count(x == max)   # ties share

>>> import refkeras.ops as ops
>>> ops.reduce_mean(ops.constant([[1.0, 2.0], [3.0, 5.0]]), axis=1).numpy()
array([1.5, 4. ], dtype=float32)
"""
import math

import numpy as np

from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import array_ops, comparison_ops, math_ops
from refkeras.ops._core import (
    InvalidArgumentError,
    Tensor,
    convert_to_tensor,
    emit,
    normalize_axes,
)


def _reduce(op, kernel, x, axis, keepdims):
    x = convert_to_tensor(x)
    if x._value.dtype.kind == "b":
        raise InvalidArgumentError(f"{op} is not defined for bool tensors; cast to a number first "
                                   "(tf.cast(x, 'float32')) or use reduce_any / reduce_all.", op)
    axes = normalize_axes(axis, x._value.ndim, op)
    return emit(op, _reduction_kernel, (x,), {"kernel": kernel, "axes": axes,
                                              "keepdims": bool(keepdims)},
                attrs={"axes": axes, "keepdims": bool(keepdims)})


def _reduction_kernel(x, kernel, axes, keepdims):
    return np.asarray(kernel(x, axes, keepdims))


def _grad_shape(op):
    """The input's shape with the reduced axes set to 1 (where dy broadcasts from)."""
    shape = list(op.inputs[0]._value.shape)
    for a in op.attrs["axes"]:
        shape[a] = 1
    return shape


def _broadcast_back(op, dy):
    return array_ops.broadcast_to(array_ops.reshape(dy, _grad_shape(op)), op.inputs[0].shape)


def reduce_sum(x, axis=None, keepdims=False, name=None):
    """Sum over ``axis``."""
    return _reduce("Sum", kernels.reduce_sum, x, axis, keepdims)


@register_gradient("Sum")
def _sum_grad(op, dy):
    return _broadcast_back(op, dy)


def reduce_mean(x, axis=None, keepdims=False, name=None):
    """Mean over ``axis`` (nan when there is nothing to average; integer means truncate)."""
    return _reduce("Mean", kernels.reduce_mean, x, axis, keepdims)


@register_gradient("Mean")
def _mean_grad(op, dy):
    shape = op.inputs[0]._value.shape
    count = math.prod(shape[a] for a in op.attrs["axes"])
    return _broadcast_back(op, dy) / float(count)


def reduce_max(x, axis=None, keepdims=False, name=None):
    """Max over ``axis`` (-inf for an empty reduction)."""
    return _reduce("Max", kernels.reduce_max, x, axis, keepdims)


def reduce_min(x, axis=None, keepdims=False, name=None):
    """Min over ``axis`` (inf for an empty reduction)."""
    return _reduce("Min", kernels.reduce_min, x, axis, keepdims)


@register_gradient("Max")
@register_gradient("Min")
def _extremum_grad(op, dy):
    x = op.inputs[0]
    y = array_ops.reshape(op.outputs[0], _grad_shape(op))
    hits = math_ops.cast(comparison_ops.equal(x, y), x.dtype)
    count = reduce_sum(hits, op.attrs["axes"], keepdims=True)
    return _broadcast_back(op, dy) * hits / count


def reduce_logsumexp(x, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))), computed stably (composed of other ops)."""
    x = convert_to_tensor(x)
    raw_top = reduce_max(x, axis, keepdims=True)
    # The shift only keeps exp() in range; it must not contribute a gradient.
    top = math_ops.stop_gradient(array_ops.where(comparison_ops.is_finite(raw_top), raw_top, 0.0))
    result = math_ops.log(reduce_sum(math_ops.exp(x - top), axis, keepdims=True)) + top
    return result if keepdims else array_ops.reshape(
        result, [d for i, d in enumerate(x.shape) if i not in normalize_axes(axis, x.ndim, "LSE")])


def reduce_variance(x, axis=None, keepdims=False, name=None):
    """mean((x - mean(x))**2), composed."""
    x = convert_to_tensor(x)
    centered = x - reduce_mean(x, axis, keepdims=True)
    return reduce_mean(centered * centered, axis, keepdims)


def reduce_std(x, axis=None, keepdims=False, name=None):
    """sqrt(reduce_variance(x)), composed."""
    return math_ops.sqrt(reduce_variance(x, axis, keepdims))


def reduce_any(x, axis=None, keepdims=False, name=None):
    x = convert_to_tensor(x)
    return Tensor(np.any(x._value, axis=normalize_axes(axis, x.ndim, "Any"), keepdims=keepdims))


def reduce_all(x, axis=None, keepdims=False, name=None):
    x = convert_to_tensor(x)
    return Tensor(np.all(x._value, axis=normalize_axes(axis, x.ndim, "All"), keepdims=keepdims))


def argmax(x, axis=None, output_type=np.int64, name=None):
    """Index of the largest value along ``axis`` (axis 0 when None); first one on ties."""
    return _arg("ArgMax", np.argmax, x, axis, output_type)


def argmin(x, axis=None, output_type=np.int64, name=None):
    return _arg("ArgMin", np.argmin, x, axis, output_type)


def _arg(op, fn, x, axis, output_type):
    x = convert_to_tensor(x)
    axis = normalize_axes(0 if axis is None else axis, x._value.ndim, op)[0]
    return emit(op, _arg_kernel, (x,), {"fn": fn, "axis": axis, "output_type": output_type})


def _arg_kernel(x, fn, axis, output_type):
    return fn(x, axis=axis).astype(output_type)


__all__ = [
    "argmax",
    "argmin",
    "reduce_all",
    "reduce_any",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_std",
    "reduce_sum",
    "reduce_variance",
]
