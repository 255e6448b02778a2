"""The confusion-matrix update shared by the threshold metrics.

Clauses: METRIC.CONFUSION, METRIC.AUC, METRIC.AT_THRESHOLD, METRIC.CONFUSION.BAD_INPUT,
METRIC.CONFUSION.ARGS (docs/spec.md).

Rule. For every threshold t and every element, a prediction is positive iff
``y_pred > t`` (strictly) and a label is positive iff ``y_true != 0`` (it is cast to
bool). Each element adds its weight (sample_weight x label_weight, default 1) to one of
TP / FP / TN / FN of that threshold; counts are float32 (the metric's dtype) and
accumulate over batches. Before counting, as tf_keras 2.21 does: a trailing axis of
size 1 is squeezed from y_pred or y_true when their ranks differ by one; the
sample_weight gets its last axis squeezed or added when its rank differs from
y_pred's by one; the shapes of y_true and y_pred must then be equal; ``top_k`` keeps
the k largest predictions of the last axis (the lower index wins a tie) and sets the
others to -1e10; ``class_id`` keeps one column of the last axis. When the thresholds
are evenly spaced (at least 3 of them, ``i / (n - 1)`` within 1e-7), tf_keras counts by
buckets instead of comparing: y_pred is clipped to [0, 1] and lands in bucket
``ceil(p * (n - 1)) - 1`` (float32 arithmetic), counted as above every threshold up
to its bucket; when the first threshold is below 0 (AUC's -1e-7 end point) bucket -1
becomes 0. refkeras uses the same two rules, so the two agree to the last bit.
NaN predictions are positive at no threshold.

    pred_pos[t, i] = y_pred[i] > thresholds[t]
    tp[t] += sum_i w[i] * (y_true[i] != 0) * pred_pos[t, i]
    fp[t] += sum_i w[i] * (y_true[i] == 0) * pred_pos[t, i]
    fn[t] += sum_i w[i] * (y_true[i] != 0) * ~pred_pos[t, i]     # and tn likewise

>>> import numpy as np
>>> counts = confusion_counts(("tp", "fp"), [1, 0, 1], [0.9, 0.6, 0.4], [0.5],
...                           dtype="float32")
>>> counts["tp"].tolist(), counts["fp"].tolist()
([1.0], [1.0])

Who owns what: this module owns input checking and counting; each metric owns its
variables, its thresholds and its result. Every check runs before any variable is
touched, so a failed update leaves the state as it was.
"""
import math

import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError

NEG_INF = -1e10          # the threshold and fill value tf_keras uses with top_k
EPSILON = 1e-7           # AUC's end points: -EPSILON and 1 + EPSILON
CONFUSION_KEYS = ("tp", "fp", "tn", "fn")


# ------------------------------------------------------------------ thresholds


def check_thresholds(thresholds, argument="thresholds"):
    """``thresholds`` (a number or a list/tuple of numbers) as a list of floats in [0, 1].

    tf_keras lets NaN through and breaks on a tuple; refkeras accepts a tuple like a list
    and rejects NaN with the same error as any value outside [0, 1]."""
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    for value in values:
        if value is not None and not isinstance(value, (int, float, np.number)):
            raise TypeError(f"Argument `{argument}` must be a float or a list of floats in "
                            f"[0, 1]. Received: {argument}={thresholds!r}")
    invalid = [v for v in values if v is None or not 0 <= v <= 1]
    if invalid:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return [float(v) for v in values]


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """The metric's threshold list: the checked ``thresholds``, or ``[default_threshold]``."""
    if thresholds is None:
        return [default_threshold]
    return check_thresholds(thresholds)


def is_evenly_distributed(thresholds):
    """Whether ``thresholds`` are ``i / (n - 1)`` for i = 0..n-1 (n >= 3) within 1e-7."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / np.float32(n - 1)
    return bool(np.allclose(np.asarray(thresholds, dtype=np.float64), even, atol=EPSILON))


# ------------------------------------------------------------------ inputs


def as_array(value, dtype):
    """A backend value (Tensor, Variable, numpy, list) as a numpy array of ``dtype``."""
    array = convert_to_tensor(value).numpy()
    return np.asarray(array, dtype=dtype)


def sigmoid(x):
    """1 / (1 + exp(-x)) without overflow, in x's dtype."""
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.float32
    x = x.astype(dtype)
    with np.errstate(over="ignore"):
        return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x))).astype(dtype)


def squeeze_or_expand(y_pred, y_true, sample_weight):
    """tf_keras's rank alignment: drop a size-1 last axis from the array with one axis too
    many; then squeeze or add the weights' last axis to match y_pred's *original* rank."""
    pred_rank = y_pred.ndim
    if y_true.ndim == pred_rank + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    elif pred_rank == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred[..., 0]
    if sample_weight is None or sample_weight.ndim == 0:
        return y_pred, y_true, sample_weight
    if sample_weight.ndim == pred_rank + 1:
        if sample_weight.shape[-1] != 1:
            raise InvalidArgumentError(
                f"Can not squeeze dim[{sample_weight.ndim - 1}], expected a dimension of 1, got "
                f"{sample_weight.shape[-1]}", "Squeeze")
        sample_weight = sample_weight[..., 0]
    elif sample_weight.ndim == pred_rank - 1:
        sample_weight = sample_weight[..., None]
    return y_pred, y_true, sample_weight


def broadcast_weights(weights, values, argument="sample_weight"):
    """``weights`` broadcast to ``values.shape``: a scalar, or the same rank with every
    axis 1 or equal (tf's rule: no axes are added in front)."""
    if weights.ndim == 0 or weights.shape == values.shape:
        return np.broadcast_to(weights, values.shape)
    if weights.ndim != values.ndim:
        raise ValueError(
            f"weights can not be broadcast to values. values.rank={values.ndim}. "
            f"weights.rank={weights.ndim}. values.shape={values.shape}. "
            f"weights.shape={weights.shape}. ({argument} must be a scalar or have y_pred's rank.)")
    for axis, (w, v) in enumerate(zip(weights.shape, values.shape)):
        if w not in (1, v):
            raise ValueError(
                f"weights can not be broadcast to values. Mismatch at dim {axis}. "
                f"values.shape={np.array(values.shape)}, weights.shape={np.array(weights.shape)}. "
                f"({argument} must be broadcastable to y_pred.)")
    return np.broadcast_to(weights, values.shape)


def filter_top_k(y_pred, k):
    """Keep the k largest values of the last axis (lower index first among ties); the rest
    become NEG_INF, so they are positive at no threshold."""
    if y_pred.ndim == 0:
        raise InvalidArgumentError("input must have at least 1 dimension", "TopKV2")
    columns = y_pred.shape[-1]
    if k < 0:
        raise InvalidArgumentError(f"Need k >= 0, got {k}", "TopKV2")
    if columns < k:
        raise InvalidArgumentError(
            f"input must have at least k columns. Had {columns}, needed {k}", "TopKV2")
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(y_pred.shape, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, y_pred, np.asarray(NEG_INF, y_pred.dtype)).astype(y_pred.dtype)


def select_class(array, class_id):
    """``array[..., class_id, None]``: one column of the last axis, axis kept."""
    columns = array.shape[-1] if array.ndim else 0
    if not -columns <= class_id < columns:
        index = class_id + columns if class_id < 0 else class_id   # tf reports it shifted
        raise InvalidArgumentError(
            f"slice index {index} of dimension {max(array.ndim - 1, 0)} out of bounds. "
            f"(class_id={class_id}, but y_pred has {columns} classes on its last axis.)",
            "StridedSlice")
    return array[..., class_id, None]


def prepare(y_true, y_pred, sample_weight, dtype, top_k=None, class_id=None):
    """Convert, align and check one batch; returns (labels bool, predictions, weights or
    None), all of y_pred's final shape. Raises before anything is counted."""
    y_true = as_array(y_true, dtype)
    y_pred = as_array(y_pred, dtype)
    if sample_weight is not None:
        sample_weight = as_array(sample_weight, dtype)
    y_pred, y_true, sample_weight = squeeze_or_expand(y_pred, y_true, sample_weight)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"Shapes {y_pred.shape} and {y_true.shape} are incompatible")
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true, y_pred = select_class(y_true, class_id), select_class(y_pred, class_id)
    if sample_weight is not None:
        sample_weight = broadcast_weights(sample_weight, y_pred)
    return y_true != 0, y_pred, sample_weight


# ------------------------------------------------------------------ counting


def confusion_counts(keys, y_true, y_pred, thresholds, *, dtype, top_k=None, class_id=None,
                     sample_weight=None, multi_label=False, label_weights=None,
                     evenly_distributed=False):
    """{key: counts} for the keys among tp/fp/tn/fn, each of shape (T,) or, with
    ``multi_label``, (T, labels). Checks everything first; changes nothing."""
    labels, preds, weights = prepare(y_true, y_pred, sample_weight, dtype, top_k, class_id)
    weights = _combine_label_weights(weights, label_weights, preds, dtype)
    if weights is None:
        weights = np.ones(preds.shape, dtype)
    if not multi_label:
        labels, preds, weights = labels.reshape(-1, 1), preds.reshape(-1, 1), weights.reshape(-1, 1)
    thresholds = np.asarray(thresholds, dtype=dtype)
    if evenly_distributed:
        tp, fp = _bucket_counts(labels, preds, weights, thresholds, dtype)
    else:
        tp, fp = _compare_counts(labels, preds, weights, thresholds, dtype)
    counts = {"tp": tp, "fp": fp}
    if "tn" in keys or "fn" in keys:
        counts["fn"] = (np.sum(weights * labels, axis=0, dtype=np.float64).astype(dtype) - tp)
        counts["tn"] = (np.sum(weights * ~labels, axis=0, dtype=np.float64).astype(dtype) - fp)
    squeeze = (lambda c: c) if multi_label else (lambda c: c[:, 0])
    return {key: squeeze(counts[key]).astype(dtype) for key in keys}


def _combine_label_weights(weights, label_weights, preds, dtype):
    """sample_weight x label_weights (one weight per label, the last axis)."""
    if label_weights is None:
        return weights
    label_weights = broadcast_weights(np.asarray(label_weights, dtype)[None], preds,
                                      argument="label_weights")
    return label_weights if weights is None else weights * label_weights


def _compare_counts(labels, preds, weights, thresholds, dtype):
    """(tp, fp) of shape (T, labels) by comparing every prediction with every threshold."""
    above = preds[None] > thresholds[:, None, None]          # (T, N, L)
    tp = np.sum(np.where(above & labels[None], weights[None], 0), axis=1, dtype=np.float64)
    fp = np.sum(np.where(above & ~labels[None], weights[None], 0), axis=1, dtype=np.float64)
    return tp.astype(dtype), fp.astype(dtype)


def _bucket_counts(labels, preds, weights, thresholds, dtype):
    """(tp, fp) of shape (T, labels) by tf_keras's bucket rule for even thresholds.

    A prediction p in (t_i, t_i+1] sits in bucket i and is above thresholds 0..i, so the
    count at threshold i is the sum of buckets i..T-1 (a reversed cumulative sum)."""
    n = thresholds.shape[0]
    scaled = np.clip(preds, 0, 1) * np.asarray(n - 1, dtype)  # float32, as tf_keras
    bucket = np.ceil(scaled) - 1
    if thresholds[0] < 0 or thresholds[-1] > 1:               # AUC's epsilon end points
        bucket = np.maximum(bucket, 0)
    bucket = np.where(np.isnan(bucket), -1, bucket).astype(np.int64)
    tp = _reverse_cumsum(_bucket_sums(bucket, weights * labels, n))
    fp = _reverse_cumsum(_bucket_sums(bucket, weights * ~labels, n))
    return tp.astype(dtype), fp.astype(dtype)


def _bucket_sums(bucket, values, n):
    """sums[b, l] = sum of values[i, l] over the i with bucket[i, l] == b (b < 0 dropped)."""
    labels = bucket.shape[1]
    valid = bucket >= 0
    flat = (bucket * labels + np.arange(labels))[valid]
    sums = np.bincount(flat, weights=values[valid].astype(np.float64), minlength=n * labels)
    return sums.reshape(n, labels)


def _reverse_cumsum(sums):
    return np.cumsum(sums[::-1], axis=0)[::-1]


def update_confusion_matrix_variables(variables, y_true, y_pred, thresholds, **options):
    """Add one batch's counts to ``variables`` ({"tp": Variable, ...}); see confusion_counts."""
    dtype = next(iter(variables.values())).dtype
    dtype = getattr(dtype, "name", dtype)
    counts = confusion_counts(tuple(variables), y_true, y_pred, thresholds, dtype=dtype, **options)
    for key, variable in variables.items():
        variable.assign_add(counts[key])


def divide_no_nan(x, y):
    """x / y, and 0 where y == 0 (in the arrays' float dtype)."""
    x, y = np.asarray(x), np.asarray(y)
    safe = np.where(y == 0, np.ones_like(y), y)
    return np.where(y == 0, np.zeros_like(x), x / safe).astype(x.dtype)


def is_integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def is_finite_number(value):
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool) \
        and math.isfinite(value)


__all__ = [
    "CONFUSION_KEYS",
    "EPSILON",
    "NEG_INF",
    "check_thresholds",
    "confusion_counts",
    "divide_no_nan",
    "is_evenly_distributed",
    "parse_init_thresholds",
    "prepare",
    "sigmoid",
    "update_confusion_matrix_variables",
]
