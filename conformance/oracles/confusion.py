"""Float64 numpy oracles of the confusion-matrix metrics (clauses METRIC.CONFUSION,
METRIC.AUC, METRIC.AT_THRESHOLD and METRIC.IOU of docs/spec.md).

Rule: each function recomputes a metric over a whole stream of batches from its
documented formula, in float64, by plain comparison ``y_pred > threshold`` for every
threshold (never by buckets). The tests draw predictions on a binary grid (multiples
of 1/64), where float32 and float64 comparisons, and tf_keras's bucket rule for
evenly spaced thresholds, all agree exactly; so any difference is a wrong rule, not
rounding. Owned by the conformance suite; no backend is imported.

>>> import numpy as np
>>> c = counts([np.array([0, 0, 1, 1])], [np.array([0.1, 0.4, 0.35, 0.8])], [0.5])
>>> [float(c[k][0]) for k in ("tp", "fp", "tn", "fn")]
[1.0, 0.0, 2.0, 1.0]
>>> float(auc(counts([np.array([0, 0, 1, 1])], [np.array([0.1, 0.4, 0.35, 0.8])],
...                  auc_thresholds(200))))
0.75
"""
import numpy as np

EPSILON = 1e-7
NEG_INF = -1e10


def divide_no_nan(x, y):
    x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    out = np.zeros_like(x)
    np.divide(x, y, out=out, where=y != 0)
    return out


def top_k_filter(y_pred, k):
    """Predictions outside the k largest of the last axis become -1e10 (ties: lower index)."""
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(y_pred.shape, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, y_pred, NEG_INF)


def counts(y_trues, y_preds, thresholds, weights=None, *, top_k=None, class_id=None,
           multi_label=False, label_weights=None):
    """{tp, fp, tn, fn}: weighted counts over all batches, shape (T,) or (T, labels)."""
    thresholds = np.asarray(thresholds, np.float64)
    weights = weights or [None] * len(y_trues)
    total = None
    for y_true, y_pred, w in zip(y_trues, y_preds, weights):
        y_true = np.asarray(y_true, np.float64)
        y_pred = np.asarray(y_pred, np.float64)
        w = np.ones(y_pred.shape) if w is None else np.broadcast_to(
            _align_weight(np.asarray(w, np.float64), y_pred), y_pred.shape)
        if top_k is not None:
            y_pred = top_k_filter(y_pred, top_k)
        if class_id is not None:
            y_true, y_pred, w = y_true[..., class_id], y_pred[..., class_id], w[..., class_id]
        if label_weights is not None and not multi_label:
            w = w * np.asarray(label_weights, np.float64)
        batch = _batch_counts(y_true != 0, y_pred, w, thresholds, multi_label)
        total = batch if total is None else {k: total[k] + batch[k] for k in batch}
    return total


def _align_weight(w, y_pred):
    """A (n,) weight on (n, c) predictions weights whole rows."""
    if w.ndim == y_pred.ndim - 1:
        return w[..., None]
    return w


def _batch_counts(labels, preds, w, thresholds, multi_label):
    if multi_label:
        above = preds[None] > thresholds[:, None, None]          # (T, N, L)
        lab, wt, axis = labels[None], w[None], 1
    else:
        above = preds.reshape(1, -1) > thresholds[:, None]       # (T, M)
        lab, wt, axis = labels.reshape(1, -1), w.reshape(1, -1), 1
    return {"tp": np.sum(wt * (above & lab), axis=axis),
            "fp": np.sum(wt * (above & ~lab), axis=axis),
            "tn": np.sum(wt * (~above & ~lab), axis=axis),
            "fn": np.sum(wt * (~above & lab), axis=axis)}


def precision(c):
    return divide_no_nan(c["tp"], c["tp"] + c["fp"])


def recall(c):
    return divide_no_nan(c["tp"], c["tp"] + c["fn"])


def specificity(c):
    return divide_no_nan(c["tn"], c["tn"] + c["fp"])


RATES = {"precision": precision, "recall": recall, "sensitivity": recall,
         "specificity": specificity}


def at_thresholds(num_thresholds):
    """The *At* metrics' thresholds: 0, 1/(n-1), ..., 1; or [0.5] for n = 1."""
    if num_thresholds == 1:
        return [0.5]
    return [i / (num_thresholds - 1) for i in range(num_thresholds)]


def best_under_constraint(c, constrained, target, dependent):
    """max(dependent rate where constrained rate >= target), 0 if no threshold qualifies."""
    feasible = RATES[constrained](c) >= np.float32(target)
    values = RATES[dependent](c)[feasible]
    return float(values.max()) if values.size else 0.0


def auc_thresholds(num_thresholds=200, thresholds=None):
    inner = sorted(thresholds) if thresholds is not None else [
        (i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [-EPSILON] + list(inner) + [1 + EPSILON]


def auc(c, curve="ROC", summation_method="interpolation", multi_label=False,
        label_weights=None):
    """Area under the curve from the counts at AUC's thresholds (docs/spec.md METRIC.AUC)."""
    if curve == "PR" and summation_method == "interpolation":
        areas = _interpolated_pr(c)
    else:
        x, y = _points(c, curve)
        if summation_method == "interpolation":
            h = (y[:-1] + y[1:]) / 2
        elif summation_method == "minoring":
            h = np.minimum(y[:-1], y[1:])
        else:
            h = np.maximum(y[:-1], y[1:])
        areas = np.sum((x[:-1] - x[1:]) * h, axis=0)
    if not multi_label:
        return areas
    if label_weights is None:
        return np.mean(areas)
    lw = np.asarray(label_weights, np.float64)
    return divide_no_nan(np.sum(areas * lw), np.sum(lw))


def _points(c, curve):
    tp, tn, fp, fn = c["tp"], c["tn"], c["fp"], c["fn"]
    if curve == "ROC":
        return divide_no_nan(fp, fp + tn), recall(c)
    if curve == "PR":
        return recall(c), precision(c)
    scale = divide_no_nan(tp + fn, fp + tn)
    rg = np.where(tp == 0, 0.0, 1 - scale * divide_no_nan(fn, tp))
    pg = np.where(tp == 0, 1.0, 1 - scale * divide_no_nan(fp, tp))
    return np.maximum(rg, 0.0), pg


def _interpolated_pr(c):
    """Davis & Goadrich: precision integrated along segments where TP and P are linear."""
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp + fp
    dtp = tp[:-1] - tp[1:]
    dp = p[:-1] - p[1:]
    slope = divide_no_nan(dtp, np.maximum(dp, 0))
    intercept = tp[1:] - slope * p[1:]
    ok = (p[:-1] > 0) & (p[1:] > 0)
    ratio = np.where(ok, divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
    with np.errstate(divide="ignore"):
        log_ratio = np.where(ratio > 0, np.log(np.where(ratio > 0, ratio, 1.0)), 0.0)
    area = divide_no_nan(slope * (dtp + intercept * log_ratio), np.maximum(tp[1:] + fn[1:], 0))
    return np.sum(area, axis=0)


def confusion_matrix(y_trues, y_preds, num_classes, weights=None, ignore_class=None):
    """cm[i, j]: total weight of elements of true class i predicted as j, over all batches."""
    cm = np.zeros((num_classes, num_classes))
    weights = weights or [None] * len(y_trues)
    for y_true, y_pred, w in zip(y_trues, y_preds, weights):
        t = np.asarray(y_true).reshape(-1).astype(np.int64)
        p = np.asarray(y_pred).reshape(-1).astype(np.int64)
        w = np.ones(t.shape) if w is None else np.asarray(w, np.float64).reshape(-1)
        keep = t != ignore_class if ignore_class is not None else np.ones(t.shape, bool)
        np.add.at(cm, (t[keep], p[keep]), w[keep])
    return cm


def mean_iou(cm, target_class_ids=None):
    """Mean of TP / (TP + FP + FN) over the target classes with a nonzero denominator."""
    ids = list(range(cm.shape[0])) if target_class_ids is None else list(target_class_ids)
    tp = np.diag(cm)
    denominator = (cm.sum(0) + cm.sum(1) - tp)[ids]
    valid = np.sum(denominator != 0)
    return float(divide_no_nan(np.sum(divide_no_nan(tp[ids], denominator)), valid))


__all__ = [
    "at_thresholds",
    "auc",
    "auc_thresholds",
    "best_under_constraint",
    "confusion_matrix",
    "counts",
    "mean_iou",
    "precision",
    "recall",
    "specificity",
    "top_k_filter",
]
