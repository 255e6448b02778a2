"""Float64 numpy oracles of the built-in losses (clauses LOSS.* of docs/spec.md).

Rule: each function computes one loss's per-sample values (last axis reduced) from
its documented formula in float64. The clipping constants are the float32 values a
float32 backend uses (eps = float32(1e-7), 1 - eps = float32(1) - float32(1e-7)), so
saturated predictions (exact 0 and 1) compare exactly too. ``reduce`` applies a
reduction with sample weights. Owned by the conformance suite; no backend is imported.

>>> import numpy as np
>>> mean_squared_error(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]])).tolist()
[0.5]
>>> float(reduce(np.array([1.0, 3.0]), np.array([1.0, 0.0]), "sum_over_batch_size"))
0.5
"""
import numpy as np

EPS = float(np.float32(1e-7))
ONE_MINUS_EPS = float(np.float32(1.0) - np.float32(1e-7))


def _mean(x, axis=-1):
    return np.mean(x, axis=axis)


def softplus(x):
    return np.logaddexp(0.0, x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


# ---------------------------------------------------------------- regression


def mean_squared_error(y, p):
    return _mean((p - y) ** 2)


def mean_absolute_error(y, p):
    return _mean(np.abs(p - y))


def mean_absolute_percentage_error(y, p):
    return 100.0 * _mean(np.abs((y - p) / np.maximum(np.abs(y), EPS)))


def mean_squared_logarithmic_error(y, p):
    return _mean((np.log(np.maximum(p, EPS) + 1.0) - np.log(np.maximum(y, EPS) + 1.0)) ** 2)


def _l2n(x, axis):
    return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), 1e-12))


def cosine_similarity(y, p, axis=-1):
    return -np.sum(_l2n(y, axis) * _l2n(p, axis), axis=axis)


def huber(y, p, delta=1.0):
    e = np.abs(p - y)
    return _mean(np.where(e <= delta, 0.5 * e ** 2, delta * e - 0.5 * delta ** 2))


def log_cosh(y, p):
    x = p - y
    return _mean(x + softplus(-2.0 * x) - np.log(2.0))


# ---------------------------------------------------------------- hinge


def _signed(y):
    return 2.0 * y - 1.0 if np.all((y == 0) | (y == 1)) else y


def hinge(y, p):
    return _mean(np.maximum(1.0 - _signed(y) * p, 0.0))


def squared_hinge(y, p):
    return _mean(np.maximum(1.0 - _signed(y) * p, 0.0) ** 2)


def categorical_hinge(y, p):
    pos = np.sum(y * p, axis=-1)
    neg = np.max((1.0 - y) * p, axis=-1)
    return np.maximum(neg - pos + 1.0, 0.0)


# ---------------------------------------------------------------- probabilistic


def _bce_elements(y, p, from_logits):
    if from_logits:
        return np.maximum(p, 0.0) - p * y + np.log1p(np.exp(-np.abs(p)))
    p = np.clip(p, EPS, ONE_MINUS_EPS)
    return -(y * np.log(p + EPS) + (1.0 - y) * np.log(1.0 - p + EPS))


def binary_crossentropy(y, p, from_logits=False, label_smoothing=0.0, axis=-1):
    y = y * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return np.mean(_bce_elements(y, p, from_logits), axis=axis)


def binary_focal_crossentropy(y, p, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    y = y * (1.0 - label_smoothing) + 0.5 * label_smoothing
    s = sigmoid(p) if from_logits else p
    p_t = y * s + (1.0 - y) * (1.0 - s)
    focal = (1.0 - p_t) ** gamma * _bce_elements(y, p, from_logits)
    if apply_class_balancing:
        focal = (y * alpha + (1.0 - y) * (1.0 - alpha)) * focal
    return np.mean(focal, axis=axis)


def categorical_crossentropy(y, p, from_logits=False, label_smoothing=0.0, axis=-1):
    y = y * (1.0 - label_smoothing) + label_smoothing / y.shape[axis]
    if from_logits:
        return -np.sum(y * log_softmax(p, axis), axis=axis)
    p = np.clip(p / np.sum(p, axis=axis, keepdims=True), EPS, ONE_MINUS_EPS)
    return -np.sum(y * np.log(p), axis=axis)


def sparse_categorical_crossentropy(labels, p, from_logits=False, ignore_class=None):
    """``labels`` of p's shape without its last axis."""
    logits = p if from_logits else np.log(np.clip(p, EPS, ONE_MINUS_EPS))
    labels = np.asarray(labels).astype(np.int64)
    valid = np.ones(labels.shape, bool) if ignore_class is None else labels != ignore_class
    safe = np.where(valid, labels, 0)
    picked = np.take_along_axis(log_softmax(logits), safe[..., None], axis=-1)[..., 0]
    return np.where(valid, -picked, 0.0)


def kl_divergence(y, p):
    y = np.clip(y, EPS, 1.0)
    p = np.clip(p, EPS, 1.0)
    return np.sum(y * np.log(y / p), axis=-1)


def poisson(y, p):
    return _mean(p - y * np.log(p + EPS))


FUNCTIONS = {
    "mean_squared_error": mean_squared_error,
    "mean_absolute_error": mean_absolute_error,
    "mean_absolute_percentage_error": mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error,
    "cosine_similarity": cosine_similarity,
    "huber": huber,
    "log_cosh": log_cosh,
    "hinge": hinge,
    "squared_hinge": squared_hinge,
    "categorical_hinge": categorical_hinge,
    "binary_crossentropy": binary_crossentropy,
    "binary_focal_crossentropy": binary_focal_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "kl_divergence": kl_divergence,
    "poisson": poisson,
}


def reduce(losses, sample_weight, reduction):
    """tf_keras's weighting: w broadcast over the losses, then none / sum / sum over the
    number of elements (N, not sum(w))."""
    w = np.ones(()) if sample_weight is None else np.asarray(sample_weight, np.float64)
    if w.ndim == losses.ndim + 1:
        w = w[..., 0]
    elif w.ndim == losses.ndim - 1:
        w = w[..., None]
    weighted = losses * w
    if reduction == "none":
        return weighted
    total = np.sum(weighted)
    if reduction == "sum":
        return total
    return total / weighted.size if weighted.size else 0.0


__all__ = [
    "EPS", "FUNCTIONS", "ONE_MINUS_EPS", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_crossentropy", "categorical_hinge", "cosine_similarity", "hinge", "huber",
    "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_logarithmic_error", "poisson", "reduce",
    "sparse_categorical_crossentropy", "squared_hinge",
]
