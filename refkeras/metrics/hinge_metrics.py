"""The hinge metrics: weighted Means of the hinge losses.

Clauses: METRIC.LOSS_BASED (docs/spec.md).

Rule. Each metric is ``MeanMetricWrapper(loss_fn)`` over the refkeras.losses function,
as tf_keras 2.21; labels 0/1 are turned into -1/1 by the loss function itself.

>>> float(Hinge()([[1.0, -1.0]], [[0.5, -0.5]]))
0.5

Who owns what: this module owns the metric classes; the per-sample formulas are the
losses package's functions.
"""
from refkeras import losses
from refkeras.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """Mean of mean(max(1 - y * p, 0), -1)."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(losses.hinge, name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Mean of mean(max(1 - y * p, 0)**2, -1)."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(losses.squared_hinge, name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Mean of max(0, 1 + max((1 - y) * p) - sum(y * p))."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(losses.categorical_hinge, name, dtype=dtype)


__all__ = ["CategoricalHinge", "Hinge", "SquaredHinge"]
