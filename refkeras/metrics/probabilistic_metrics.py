"""The probabilistic metrics: weighted Means of the cross-entropy, KL and Poisson losses.

Clauses: METRIC.LOSS_BASED (docs/spec.md).

Rule. Each metric is ``MeanMetricWrapper(loss_fn, **options)``: the per-sample values
of the refkeras.losses function, weighted and averaged over every sample seen, as
tf_keras 2.21. The options (``from_logits``, ``label_smoothing``, ``axis``,
``ignore_class``) are passed to the function and appear in ``get_config``; their
defaults are tf_keras's (``label_smoothing=0``, an int). ``KLDivergence`` is named
"kullback_leibler_divergence". With ``ignore_class``, the samples whose label is
that class carry weight 0 (the loss marks them with ``_keras_mask``), so the mean
runs over the other samples only.

>>> m = CategoricalCrossentropy()
>>> round(float(m([[0.0, 1.0]], [[0.5, 0.5]])), 6)
0.693147

Who owns what: this module owns the metric classes; the per-sample formulas are the
losses package's functions.
"""
from refkeras import losses
from refkeras.metrics.reduction_metrics import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """Mean of the binary cross-entropy averaged over the last axis."""

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean of the categorical cross-entropy of one-hot targets."""

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(losses.categorical_crossentropy, name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean of the categorical cross-entropy of integer targets."""

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)


class KLDivergence(MeanMetricWrapper):
    """Mean of sum(y * log(y / p), -1), both clipped to [1e-7, 1]."""

    def __init__(self, name="kullback_leibler_divergence", dtype=None):
        super().__init__(losses.kl_divergence, name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Mean of mean(p - y * log(p + 1e-7), -1)."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(losses.poisson, name, dtype=dtype)


__all__ = [
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "KLDivergence",
    "Poisson",
    "SparseCategoricalCrossentropy",
]
