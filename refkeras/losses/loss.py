"""Loss: the base class of every loss object, and how per-sample losses become one number.

Clauses: LOSS.REDUCTION, LOSS.CUSTOM, LOSS.BAD_INPUT, LOSS.SANE_INPUT (docs/spec.md).

Rule. ``loss(y_true, y_pred, sample_weight=None)`` runs ``call(y_true, y_pred)`` (the
per-sample losses, last axis already reduced), weights them and reduces them, as
tf_keras 2.21::

    losses = self.call(y_true, y_pred)                  # shape (N, d1, ..., dk)
    w = 1.0 if sample_weight is None else sample_weight # cast to losses.dtype
    w = w                        if rank(w) == 0
        squeeze(w, -1)           if rank(w) == rank(losses) + 1   # (N, 1) for (N,)
        expand_dims(w, -1)       if rank(w) == rank(losses) - 1   # (N,) for (N, T)
    weighted = losses * w                                 # broadcast, never enlarged
    "none":                   weighted
    "sum":                    sum(weighted)
    "sum_over_batch_size":    sum(weighted) / size(weighted)   (0 when size is 0)
    "auto":                   as "sum_over_batch_size"

So the default divides by the number of loss elements N (N*T for (N, T) losses), not
by sum(w): a zero weight still counts in the denominator. A per-sample loss Tensor
carrying ``_keras_mask`` (sparse_categorical_crossentropy with ``ignore_class``) or a
``y_pred`` carrying one has its masked-out entries dropped: the mask multiplies ``w``,
and under "auto"/"sum_over_batch_size" it is first scaled by size/count(valid), so
the mean runs over the valid entries only.

Where tf_keras silently broadcasts a sample_weight into a *bigger* array than the
losses (a (N, 1, 1) weight for (N,) losses pairs every weight with every sample),
refkeras raises InvalidArgumentError instead (LOSS.SANE_INPUT).

``Reduction`` holds the four names; any other string raises ValueError at
construction. This module is owned by the losses package (issue 5);
``loss_function_wrapper.py`` builds on it for the built-in losses.

>>> import refkeras.ops as ops
>>> class Abs(Loss):
...     def call(self, y_true, y_pred):
...         return ops.reduce_mean(ops.abs(y_true - y_pred), axis=-1)
>>> float(Abs()(ops.constant([[0.0], [1.0]]), ops.constant([[1.0], [1.0]]),
...             sample_weight=[2.0, 5.0]))
1.0
"""
import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.framework.tensor import Tensor
from refkeras.ops import array_ops, math_ops, reduction_ops


class Reduction:
    """The names of the four reductions (``keras.losses.Reduction``)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


class Loss:
    """Base class: subclasses implement ``call(y_true, y_pred)`` -> per-sample losses."""

    def __init__(self, reduction=Reduction.AUTO, name=None):
        Reduction.validate(reduction)
        self.reduction = reduction
        self.name = name

    def __call__(self, y_true, y_pred, sample_weight=None):
        losses = self.call(y_true, y_pred)
        mask = _combined_mask(y_pred, losses)
        reduction = self._get_reduction()
        return compute_weighted_loss(losses, sample_weight, reduction, mask=mask)

    def call(self, y_true, y_pred):
        raise NotImplementedError("Must be implemented in subclasses.")

    def _get_reduction(self):
        return Reduction.SUM_OVER_BATCH_SIZE if self.reduction == Reduction.AUTO else self.reduction

    def get_config(self):
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _combined_mask(y_pred, losses):
    """The masks tf_keras honours: one on y_pred, one on the losses, or both (and)."""
    masks = [getattr(t, "_keras_mask", None) for t in (y_pred, losses)]
    masks = [convert_to_tensor(m) for m in masks if m is not None]
    if not masks:
        return None
    if len(masks) == 2:
        return Tensor(np.logical_and(masks[0]._value.astype(bool), masks[1]._value.astype(bool)))
    return masks[0]


def compute_weighted_loss(losses, sample_weight=None, reduction=Reduction.SUM_OVER_BATCH_SIZE,
                          mask=None):
    """Weight ``losses`` by ``sample_weight`` (and ``mask``), then reduce (module docstring)."""
    Reduction.validate(reduction)
    if reduction == Reduction.AUTO:
        reduction = Reduction.SUM_OVER_BATCH_SIZE
    losses = convert_to_tensor(losses)
    input_dtype = losses.dtype
    if losses.dtype.kind != "f":          # tf_keras reduces integer losses in float32
        losses = math_ops.cast(losses, "float32")
    weights = None if sample_weight is None else math_ops.cast(sample_weight, losses.dtype)
    if mask is not None:
        weights = _apply_mask(losses, weights, mask, reduction)
    if weights is None:     # weighing by 1 changes no bit: reduce the losses as they are
        result = reduce_weighted_loss(losses, reduction)
        return result if input_dtype.kind == "f" else math_ops.cast(result, input_dtype)
    weights = match_weight_rank(weights, losses)
    weighted = math_ops.multiply(losses, weights)
    if weighted.shape != losses.shape:
        raise InvalidArgumentError(
            f"sample_weight of shape {tuple(weights.shape)} would broadcast the losses of shape "
            f"{tuple(losses.shape)} to {tuple(weighted.shape)}; expected a scalar, shape "
            f"{tuple(losses.shape)}, a prefix of it, or that with a trailing axis of size 1.",
            "Mul")
    result = reduce_weighted_loss(weighted, reduction)
    return result if input_dtype.kind == "f" else math_ops.cast(result, input_dtype)


def _apply_mask(losses, weights, mask, reduction):
    """The mask as a weight; under a mean, rescaled so the mean runs over valid entries."""
    mask = math_ops.cast(mask, losses.dtype)
    if reduction == Reduction.SUM_OVER_BATCH_SIZE:
        total = float(mask._value.size)
        mask = mask * math_ops.divide(total, reduction_ops.reduce_sum(mask))
    if weights is None:
        return mask
    return mask * match_weight_rank(weights, mask)


def match_weight_rank(weights, losses):
    """tf_keras's one-axis adjustment: squeeze a trailing axis or add one (scalars pass)."""
    w_rank, l_rank = len(weights.shape), len(losses.shape)
    if w_rank == 0:
        return weights
    if w_rank - l_rank == 1:
        return array_ops.squeeze(weights, [-1])
    if l_rank - w_rank == 1:
        return array_ops.expand_dims(weights, -1)
    return weights


def reduce_weighted_loss(weighted, reduction):
    # EXERCISE 3.5: the reduction of weighted losses | LOSS.REDUCTION WEIGHTING.REDUCTION
    # hint: 'none' returns the weighted losses; 'sum' their sum; 'sum_over_batch_size'
    # hint: the sum divided by the NUMBER of elements (not the sum of the weights), 0
    # hint: when there are none (math_ops.divide_no_nan).
    if reduction == Reduction.NONE:
        return weighted
    total = reduction_ops.reduce_sum(weighted)
    if reduction == Reduction.SUM:
        return total
    count = convert_to_tensor(float(weighted._value.size), dtype=weighted.dtype)
    return math_ops.divide_no_nan(total, count)
    # END EXERCISE 3.5


__all__ = ["Loss", "Reduction", "compute_weighted_loss", "match_weight_rank",
           "reduce_weighted_loss"]
