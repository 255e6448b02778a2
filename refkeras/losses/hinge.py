"""Hinge losses (maximum-margin classification): each function beside its class.

Clauses: LOSS.HINGE, LOSS.BUILTIN (docs/spec.md).

Rule. Labels are expected in {-1, 1}; as in tf_keras 2.21, when *every* label of the
batch is 0 or 1 they are first mapped to 2 * y - 1 (so a batch of {0, 1} labels works,
but one stray value such as 0.5 turns the mapping off for the whole batch)::

    hinge           = mean(max(1 - y * p, 0))
    squared_hinge   = mean(max(1 - y * p, 0) ** 2)
    categorical_hinge = max(max((1 - y) * p) - sum(y * p) + 1, 0)     # over the last axis

Classes: Hinge ("hinge"), SquaredHinge ("squared_hinge"), CategoricalHinge
("categorical_hinge"). Owned by the losses package (issue 5).

>>> import refkeras.ops as ops
>>> hinge(ops.constant([[0.0, 1.0]]), ops.constant([[0.5, 0.5]])).numpy()
array([1.], dtype=float32)
"""
import numpy as np

from refkeras.losses import _inputs
from refkeras.losses.loss import Reduction
from refkeras.losses.loss_function_wrapper import LossFunctionWrapper
from refkeras.ops import math_ops, reduction_ops


def _signed_labels(y_true):
    """2 * y - 1 when all labels are 0 or 1, else the labels unchanged."""
    values = y_true._value
    if np.all((values == 0) | (values == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "hinge")
    margin = math_ops.maximum(1.0 - _signed_labels(y_true) * y_pred, 0.0)
    return reduction_ops.reduce_mean(margin, axis=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "squared_hinge")
    margin = math_ops.maximum(1.0 - _signed_labels(y_true) * y_pred, 0.0)
    return reduction_ops.reduce_mean(math_ops.square(margin), axis=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "categorical_hinge")
    positive = reduction_ops.reduce_sum(y_true * y_pred, axis=-1)
    negative = reduction_ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return math_ops.maximum(negative - positive + 1.0, 0.0)


class Hinge(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="hinge"):
        super().__init__(hinge, name=name, reduction=reduction)


class SquaredHinge(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="squared_hinge"):
        super().__init__(squared_hinge, name=name, reduction=reduction)


class CategoricalHinge(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="categorical_hinge"):
        super().__init__(categorical_hinge, name=name, reduction=reduction)


__all__ = ["CategoricalHinge", "Hinge", "SquaredHinge", "categorical_hinge", "hinge",
           "squared_hinge"]
