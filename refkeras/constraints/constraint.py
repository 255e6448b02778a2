"""Constraint: the base class of weight constraints, and the norm they share.

Clauses: LAYER.CONSTRAINTS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

A constraint is called on a weight's new value after each optimizer step and
returns the value to assign instead (the optimizer applies it). The base class
returns the value unchanged. All norms are L2 norms along ``axis`` (an int or a
list of ints; the default 0 gives one norm per output unit of a Dense kernel),
with keepdims so that they broadcast back; divisions add ``keras.backend.epsilon()``
(1e-07) to the norm, as tf_keras does.

    norms(w, axis) = sqrt(reduce_sum(square(w), axis, keepdims=True))

>>> Constraint()(1.0)
1.0
"""
from refkeras.ops import math_ops, reduction_ops


class Constraint:
    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def norms(w, axis):
    """The L2 norm of ``w`` along ``axis``, keeping the reduced axes."""
    return math_ops.sqrt(reduction_ops.reduce_sum(math_ops.square(w), axis, keepdims=True))


def clip(x, min_value, max_value):
    """``keras.backend.clip``: clip_by_value, with max raised to min when below it."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)):
        max_value = max(max_value, min_value)
    min_value = -float("inf") if min_value is None else min_value
    max_value = float("inf") if max_value is None else max_value
    return math_ops.minimum(math_ops.maximum(x, min_value), max_value)


__all__ = ["Constraint", "clip", "norms"]
