"""Normalization ops: ``tf.nn.batch_normalization`` and fused batch / layer norm.

Clauses: OPS.VALUES, TAPE.GRADIENT_VALUES (docs/spec.md).

Three ops, one formula: normalize by a mean and a variance, then scale and shift::

    y = (x - mean) / sqrt(variance + epsilon) * scale + offset

* ``batch_normalization(x, mean, variance, offset, scale, variance_epsilon)``: the
  formula with given statistics, TensorFlow's arrangement
  ``inv = rsqrt(variance + eps) * scale;  y = x * inv + (offset - mean * inv)``. Built
  from ops; no gradient rule of its own.
* ``batch_norm_training(x, scale, offset, epsilon, axis)``: batch statistics over every
  axis but the channel ``axis``, biased (divided by n), returned as
  ``(y, batch_mean, batch_variance)``: one fused kernel forward, one backward
  (``BatchNormTrainingGrad``, which also takes the gradients of the two statistics).
* ``layer_norm(x, scale, offset, axis, epsilon)``: statistics over the given axes of
  each sample, fused forward and backward (``LayerNormGrad``).

The backward ops' own gradients (second order) are the gradients of the same backward
formula written with ops: the rule replays that composite under an inner tape and
differentiates it (``_vjp_of_composite``). Slower than a fused rule, but every op in it
has a rule, so any order of derivative works, and it cannot disagree with the fused
kernel (``tests/test_op_gradients.py`` checks both against finite differences).

>>> import refkeras.ops as ops
>>> y, mean, var = batch_norm_training(ops.constant([[1.0], [3.0]]), [1.0], [0.0], 0.0)
>>> y.numpy().ravel(), mean.numpy(), var.numpy()
(array([-1.,  1.], dtype=float32), array([2.], dtype=float32), array([1.], dtype=float32))

Who owns what: kernels see matrices (``kernels/reference.py``: batch norm as
(samples, channels), layer norm as (samples, features)); this module moves the
channel / normalized axes last, reshapes, checks shapes and records.
"""
import numpy as np

from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import array_ops, creation_ops, math_ops, reduction_ops
from refkeras.ops._core import (
    InvalidArgumentError,
    convert_to_tensor,
    emit,
    float_tensor,
    normalize_axes,
    normalize_axis,
)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * rsqrt(variance + eps) * scale + offset, arranged as TensorFlow's."""
    x = float_tensor(x, "batch_normalization")
    inv = math_ops.rsqrt(variance + creation_ops.constant(variance_epsilon, dtype=x.dtype))
    if scale is not None:
        inv = inv * scale
    shift = offset - mean * inv if offset is not None else -mean * inv
    return x * math_ops.cast(inv, x.dtype) + math_ops.cast(shift, x.dtype)


def _param(value, size, argument, op, dtype, default):
    """``scale`` / ``offset`` as a Tensor of ``size`` (None: ``default`` everywhere)."""
    if value is None:
        return creation_ops.fill(size, np.asarray(default, dtype))
    t = convert_to_tensor(value, dtype_hint=dtype)
    if tuple(t.shape) != tuple(size) or t.dtype != dtype:
        raise InvalidArgumentError(
            f"{op}: `{argument}` must have shape {list(size)} and dtype {np.dtype(dtype).name} "
            f"(the normalized axes of x), got shape {list(t.shape)} and dtype {t.dtype.name}.", op)
    return t


def _moving_last(x, axes):
    """The permutation that moves ``axes`` (sorted) to the end, or None if they are there."""
    ndim = x._value.ndim
    rest = [a for a in range(ndim) if a not in axes]
    perm = rest + list(axes)
    return None if perm == list(range(ndim)) else perm


# -- batch norm, training ----------------------------------------------------------------------

def batch_norm_training(x, scale, offset, epsilon=1e-3, axis=-1, name=None):
    """(y, batch_mean, batch_variance): x normalized with its own statistics over all axes
    but ``axis`` (biased variance), then scaled and shifted per channel."""
    x = float_tensor(x, "BatchNormTraining")
    if x._value.ndim < 2:
        raise ValueError(f"BatchNormTraining: `x` must have a batch axis and a channel axis "
                         f"(rank >= 2), got shape {list(x.shape)}.")
    axis = normalize_axis(axis, x._value.ndim, "BatchNormTraining")
    channels = (x._value.shape[axis],)
    scale = _param(scale, channels, "scale", "BatchNormTraining", x.dtype, 1)
    offset = _param(offset, channels, "offset", "BatchNormTraining", x.dtype, 0)
    perm = _moving_last(x, (axis,))
    if perm is None:
        return _batch_norm_training(x, scale, offset, float(epsilon))
    y, mean, variance = _batch_norm_training(array_ops.transpose(x, perm), scale, offset,
                                             float(epsilon))
    return array_ops.transpose(y, np.argsort(perm).tolist()), mean, variance


def _batch_norm_training(x, scale, offset, epsilon):
    return emit("BatchNormTraining", _batch_norm_training_kernel, (x, scale, offset),
                {"epsilon": epsilon})


def _batch_norm_training_kernel(x, scale, offset, epsilon):
    y, mean, variance = kernels.batch_norm_training(x.reshape(-1, x.shape[-1]), scale, offset,
                                                    epsilon)
    return y.reshape(x.shape), mean, variance


@register_gradient("BatchNormTraining")
def _batch_norm_training_grad(op, dy, dmean, dvariance):
    x, scale, _ = op.inputs
    return batch_norm_training_grad(dy, x, scale, dmean, dvariance, op.attrs["epsilon"])


def batch_norm_training_grad(dy, x, scale, dmean, dvariance, epsilon):
    """(dx, dscale, doffset), channels last; see ``kernels.reference.batch_norm_training_grad``."""
    return emit("BatchNormTrainingGrad", _batch_norm_training_grad_kernel,
                (dy, x, scale, dmean, dvariance), {"epsilon": epsilon})


def _batch_norm_training_grad_kernel(dy, x, scale, dmean, dvariance, epsilon):
    dx, dscale, doffset = kernels.batch_norm_training_grad(
        dy.reshape(-1, x.shape[-1]), x.reshape(-1, x.shape[-1]), scale, dmean, dvariance, epsilon)
    return dx.reshape(x.shape), dscale, doffset


def _batch_norm_training_grad_composite(dy, x, scale, dmean, dvariance, epsilon):
    """The backward kernel's formula, written with ops (for second-order gradients)."""
    axes = list(range(len(x.shape) - 1))
    n = float(np.prod(x.shape[:-1]))
    centered = x - reduction_ops.reduce_mean(x, axes, keepdims=True)
    inv = math_ops.rsqrt(reduction_ops.reduce_mean(math_ops.square(centered), axes,
                                                   keepdims=True) + epsilon)
    xhat = centered * inv
    doffset = reduction_ops.reduce_sum(dy, axes)
    dscale = reduction_ops.reduce_sum(dy * xhat, axes)
    dx = scale * inv * (dy - (doffset + xhat * dscale) / n) + (dmean + 2.0 * dvariance * centered) / n
    return dx, dscale, doffset


@register_gradient("BatchNormTrainingGrad")
def _batch_norm_training_grad_grad(op, *upstream):
    return _vjp_of_composite(_batch_norm_training_grad_composite, op, upstream)


# -- layer norm ---------------------------------------------------------------------------------

def layer_norm(x, scale, offset, axis=-1, epsilon=1e-3, name=None):
    """x normalized over ``axis`` (an int or a list) of each sample, then scaled and shifted.

    ``scale`` and ``offset`` have the shape of the normalized axes (None: 1 and 0).
    """
    x = float_tensor(x, "LayerNorm")
    axes = normalize_axes(axis, x._value.ndim, "LayerNorm")
    if not axes:
        raise ValueError("LayerNorm: `axis` must name at least one axis, got an empty list.")
    size = tuple(x._value.shape[a] for a in axes)
    scale = _param(scale, size, "scale", "LayerNorm", x.dtype, 1)
    offset = _param(offset, size, "offset", "LayerNorm", x.dtype, 0)
    perm = _moving_last(x, axes)
    if perm is None:
        return _layer_norm(x, scale, offset, float(epsilon))
    y = _layer_norm(array_ops.transpose(x, perm), scale, offset, float(epsilon))
    return array_ops.transpose(y, np.argsort(perm).tolist())


def _rows(value, trailing):
    """``value`` as (samples, features), the last ``trailing`` axes being the features."""
    return value.reshape(-1, int(np.prod(value.shape[value.ndim - trailing:])))


def _layer_norm(x, scale, offset, epsilon):
    return emit("LayerNorm", _layer_norm_kernel, (x, scale, offset), {"epsilon": epsilon})


def _layer_norm_kernel(x, scale, offset, epsilon):
    y = kernels.layer_norm(_rows(x, scale.ndim), scale.reshape(-1), offset.reshape(-1), epsilon)
    return y.reshape(x.shape)


@register_gradient("LayerNorm")
def _layer_norm_grad(op, dy):
    x, scale, _ = op.inputs
    return layer_norm_grad(dy, x, scale, op.attrs["epsilon"])


def layer_norm_grad(dy, x, scale, epsilon):
    """(dx, dscale, doffset), normalized axes last; see ``kernels.reference.layer_norm_grad``."""
    return emit("LayerNormGrad", _layer_norm_grad_kernel, (dy, x, scale), {"epsilon": epsilon})


def _layer_norm_grad_kernel(dy, x, scale, epsilon):
    k = scale.ndim
    dx, dscale, doffset = kernels.layer_norm_grad(_rows(dy, k), _rows(x, k), scale.reshape(-1),
                                                  epsilon)
    return dx.reshape(x.shape), dscale.reshape(scale.shape), doffset.reshape(scale.shape)


def _layer_norm_grad_composite(dy, x, scale, epsilon):
    """The backward kernel's formula, written with ops (for second-order gradients)."""
    ndim, k = len(x.shape), len(scale.shape)
    features, samples = list(range(ndim - k, ndim)), list(range(ndim - k))
    centered = x - reduction_ops.reduce_mean(x, features, keepdims=True)
    inv = math_ops.rsqrt(reduction_ops.reduce_mean(math_ops.square(centered), features,
                                                   keepdims=True) + epsilon)
    xhat = centered * inv
    g = dy * scale
    dx = inv * (g - reduction_ops.reduce_mean(g, features, keepdims=True)
                - xhat * reduction_ops.reduce_mean(g * xhat, features, keepdims=True))
    return dx, reduction_ops.reduce_sum(dy * xhat, samples), reduction_ops.reduce_sum(dy, samples)


@register_gradient("LayerNormGrad")
def _layer_norm_grad_grad(op, *upstream):
    return _vjp_of_composite(_layer_norm_grad_composite, op, upstream)


def _vjp_of_composite(composite, op, upstream):
    """The gradient rule of a fused backward op: replay its formula with ops under a tape
    and differentiate that. Tapes still recording outside record the replay too, so
    this rule is differentiable in turn."""
    from refkeras.autodiff.gradient_tape import (
        GradientTape,  # autodiff imports ops: late
    )
    inputs = list(op.inputs)
    with GradientTape() as tape:
        tape.watch(inputs)
        outputs = composite(*inputs, op.attrs["epsilon"])
    return tuple(tape.gradient(list(outputs), inputs, output_gradients=list(upstream)))


__all__ = [
    "batch_norm_training",
    "batch_norm_training_grad",
    "batch_normalization",
    "layer_norm",
    "layer_norm_grad",
]
