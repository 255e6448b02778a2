"""Clipping values and gradients, composed from other ops (no rules of their own).

Clauses: OPS.VALUES, CUSTOM_GRADIENT (the seed's clip-by-norm), TAPE.GRADIENT_VALUES.

``clip_by_value`` is ``minimum(maximum(x, lo), hi)``; by the tie rule of those ops
the gradient passes at the bounds themselves. ``clip_by_norm`` follows
TensorFlow's formula, which is careful at a zero norm::

    l2sum = sum(t * t, axes, keepdims)
    l2norm = sqrt(l2sum) where l2sum > 0 else l2sum  # no nan gradient at 0
    clipped = t * clip_norm / maximum(l2norm, clip_norm)

>>> import refkeras.ops as ops
>>> ops.clip_by_norm(ops.constant([3.0, 4.0]), 1.0).numpy()
array([0.6, 0.8], dtype=float32)
"""
from refkeras.ops import array_ops, creation_ops, math_ops, reduction_ops
from refkeras.ops._core import convert_to_tensor


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Each value of ``t`` limited to [clip_value_min, clip_value_max]."""
    return math_ops.minimum(math_ops.maximum(t, clip_value_min), clip_value_max)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t`` scaled down so that its L2 norm (over ``axes``) is at most ``clip_norm``."""
    t = convert_to_tensor(t)
    clip_norm = convert_to_tensor(clip_norm, dtype_hint=t.dtype)
    l2sum = reduction_ops.reduce_sum(t * t, axes, keepdims=True)
    positive = l2sum > 0
    safe = array_ops.where(positive, l2sum, creation_ops.ones_like(l2sum))
    l2norm = array_ops.where(positive, math_ops.sqrt(safe), l2sum)
    return math_ops.identity(t * clip_norm / math_ops.maximum(l2norm, clip_norm))


def global_norm(t_list, name=None):
    """sqrt(sum of the squared L2 norms of every tensor in ``t_list``; None entries skipped)."""
    squares = [reduction_ops.reduce_sum(math_ops.square(t)) for t in t_list if t is not None]
    total = squares[0]
    for s in squares[1:]:
        total = total + s
    return math_ops.sqrt(total)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor by clip_norm / max(global_norm, clip_norm); returns (list, norm)."""
    t_list = list(t_list)
    norm = global_norm(t_list) if use_norm is None else convert_to_tensor(use_norm)
    scale = clip_norm / math_ops.maximum(norm, clip_norm)
    return [None if t is None else t * scale for t in t_list], norm


__all__ = ["clip_by_global_norm", "clip_by_norm", "clip_by_value", "global_norm"]
