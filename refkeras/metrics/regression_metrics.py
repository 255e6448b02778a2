"""The regression metrics: weighted Means of the regression losses, plus RMSE and cosine.

Clauses: METRIC.LOSS_BASED (docs/spec.md).

Rule. Each metric is ``MeanMetricWrapper(loss_fn)``: the per-sample values of the
refkeras.losses function (last axis reduced), weighted and averaged over every sample
seen, as tf_keras 2.21. Two exceptions:

* ``RootMeanSquaredError`` keeps the weighted Mean of the *element-wise* squared
  errors and returns its square root: ``sqrt(sum(w * (y - p)**2) / sum(w))``;
* ``CosineSimilarity`` reports the similarity itself, ``sum(l2n(y) * l2n(p), axis)``,
  positive for similar vectors (the loss of the same name is its negative).

Default names are tf_keras's: ``LogCoshError`` is named "logcosh".

>>> m = MeanAbsolutePercentageError()
>>> float(m([[2.0], [4.0]], [[1.0], [5.0]]))
37.5

Who owns what: this module owns the metric classes; the per-sample formulas are the
losses package's functions.
"""
from refkeras import losses
from refkeras.metrics.reduction_metrics import (
    Mean,
    MeanMetricWrapper,
    squeeze_trailing_one,
)
from refkeras.ops import math_ops


def cosine_similarity(y_true, y_pred, axis=-1):
    """sum(l2n(y_true) * l2n(y_pred), axis): 1 for parallel vectors, 0 if either is 0."""
    return math_ops.negative(losses.cosine_similarity(y_true, y_pred, axis=axis))


class MeanSquaredError(MeanMetricWrapper):
    """Mean of mean((y - p)**2, -1)."""

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of mean(|y - p|, -1)."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean of 100 * mean(|y - p| / max(|y|, 1e-7), -1)."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean of mean((log(max(y, 1e-7) + 1) - log(max(p, 1e-7) + 1))**2, -1)."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """Mean of mean(log(cosh(p - y)), -1)."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Mean of the cosine similarity along ``axis`` (positive when similar)."""

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """sqrt of the weighted Mean of the element-wise squared errors.

    >>> float(RootMeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]))
    0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = math_ops.cast(y_true, self.dtype)
        y_pred = math_ops.cast(y_pred, self.dtype)
        y_true, y_pred = squeeze_trailing_one(y_true, y_pred)
        return super().update_state(math_ops.squared_difference(y_pred, y_true),
                                    sample_weight=sample_weight)

    def result(self):
        return math_ops.sqrt(math_ops.divide_no_nan(self.total, self.count))


__all__ = [
    "CosineSimilarity",
    "LogCoshError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "RootMeanSquaredError",
    "cosine_similarity",
]
