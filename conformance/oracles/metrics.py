"""Float64 numpy oracles of the built-in metrics (clauses METRIC.* of docs/spec.md).

Rule: a metric's value after a stream of batches is ``sum(w * v) / sum(w)`` over every
element of every batch, where ``v`` are the metric's per-sample values (``values``
below, which reuse the loss oracles for the loss-based metrics) and ``w`` is the
sample_weight matched to them by ``weigh`` (tf_keras 2.21's rule: squeeze or add one
trailing axis, broadcast a scalar or an equal-rank weight, else average the values'
trailing axes down to the weight's rank). Owned by the conformance suite; no backend
is imported.

>>> import numpy as np
>>> float(stream_mean([(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 3.0]))]))
2.5
>>> in_top_k(np.array([[0.1, 0.3, 0.3, 0.2]]), np.array([2]), 1).tolist()
[True]
"""
import math

import numpy as np

from conformance.oracles import losses as loss_oracle


def weigh(values, w, fold=np.mean):
    """(values * w, w), both of one shape, by tf_keras's rule (module docstring)."""
    values = np.asarray(values, np.float64)
    if w is None:
        return values, np.ones_like(values)
    w = np.asarray(w, np.float64)
    if w.ndim == values.ndim + 1 and w.ndim > 0:
        w = w[..., 0]
    elif w.ndim == values.ndim - 1 and w.ndim > 0:
        w = w[..., None]
    if 0 < w.ndim < values.ndim:
        values = fold(values, axis=tuple(range(w.ndim, values.ndim)))
    w = np.broadcast_to(w, values.shape)
    return values * w, w


def stream_mean(batches, fold=np.mean):
    """sum(w * v) / sum(w) over [(values, weights), ...]; 0 when sum(w) is 0."""
    total = count = 0.0
    for values, w in batches:
        weighted, weights = weigh(values, w, fold)
        total += weighted.sum()
        count += weights.sum()
    return total / count if count else 0.0


def stream_sum(batches):
    return sum(weigh(v, w, np.sum)[0].sum() for v, w in batches)


# ---------------------------------------------------------------- matches


def squeeze_trailing_one(y_true, y_pred):
    if y_pred.ndim - y_true.ndim == 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred[..., 0]
    elif y_true.ndim - y_pred.ndim == 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return y_true, y_pred


def binary_matches(y, p, threshold=0.5):
    return (y == (p > np.float32(threshold))).astype(np.float64)


def sparse_categorical_matches(labels, p):
    shape = labels.shape
    if labels.ndim == p.ndim:
        labels = labels[..., 0]
    return (labels == np.argmax(p, axis=-1)).astype(np.float64).reshape(shape)


def categorical_matches(y, p):
    return (np.argmax(y, axis=-1) == np.argmax(p, axis=-1)).astype(np.float64)


def in_top_k(p, targets, k):
    """#{c : p[c] > p[t]} < k, False for a target outside [0, C) or a non-finite row."""
    out = np.zeros(len(targets), bool)
    for i, (row, t) in enumerate(zip(p, targets)):
        if 0 <= t < len(row) and np.all(np.isfinite(row)):
            out[i] = np.sum(row > row[t]) < k
    return out


def sparse_top_k_matches(labels, p, k):
    shape = labels.shape
    flat_p = p.reshape(-1, p.shape[-1])
    return in_top_k(flat_p, labels.reshape(-1).astype(np.int64), k).astype(np.float64).reshape(shape)


def cosine_similarity(y, p, axis=-1):
    return -loss_oracle.cosine_similarity(y, p, axis=axis)


# metric class name -> (per-sample values of (y_true, y_pred), constructor kwargs)
LOSS_BASED = {
    "MeanSquaredError": loss_oracle.mean_squared_error,
    "MeanAbsoluteError": loss_oracle.mean_absolute_error,
    "MeanAbsolutePercentageError": loss_oracle.mean_absolute_percentage_error,
    "MeanSquaredLogarithmicError": loss_oracle.mean_squared_logarithmic_error,
    "LogCoshError": loss_oracle.log_cosh,
    "CosineSimilarity": cosine_similarity,
    "KLDivergence": loss_oracle.kl_divergence,
    "Poisson": loss_oracle.poisson,
    "Hinge": loss_oracle.hinge,
    "SquaredHinge": loss_oracle.squared_hinge,
    "CategoricalHinge": loss_oracle.categorical_hinge,
    "BinaryCrossentropy": loss_oracle.binary_crossentropy,
    "CategoricalCrossentropy": loss_oracle.categorical_crossentropy,
}


def rmse(batches):
    """sqrt of the weighted mean of element-wise squared errors over [(y, p, w), ...]."""
    pairs = [((p - y) ** 2, w) for y, p, w in batches]
    return math.sqrt(stream_mean(pairs))


__all__ = ["LOSS_BASED", "binary_matches", "categorical_matches", "cosine_similarity", "in_top_k",
           "rmse", "sparse_categorical_matches", "sparse_top_k_matches", "squeeze_trailing_one",
           "stream_mean", "stream_sum", "weigh"]
