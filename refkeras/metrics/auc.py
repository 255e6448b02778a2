"""AUC: the area under the ROC or precision-recall curve, from bucketed counts.

Clauses: METRIC.AUC, METRIC.CONFUSION.BAD_INPUT, METRIC.CONFUSION.ARGS (docs/spec.md).

Rule. AUC keeps TP/TN/FP/FN at T = ``num_thresholds`` (default 200) thresholds
``[-1e-7, 1/(T-1), ..., (T-2)/(T-1), 1 + 1e-7]`` (or the sorted ``thresholds`` given,
between the same two end points, T = len + 2), counted by ``metrics_utils`` (y_pred >
t, strictly; evenly spaced thresholds use the bucket rule, so scores in one bucket
tie). ``from_logits`` applies the sigmoid first. The curve's points, in threshold
order, are ROC: (fpr, recall), PR: (recall, precision), PR_GAIN: (recall gain,
precision gain); the area sums ``(x[i] - x[i+1]) * h[i]`` with h the mean
(``interpolation``), min (``minoring``) or max (``majoring``) of y[i] and y[i+1].
PR with interpolation instead integrates precision along each segment where TP and
P = TP + FP change linearly (Davis & Goadrich 2006), as tf_keras does:

    dtp = tp[i] - tp[i+1]; dp = p[i] - p[i+1]; slope = dtp / max(dp, 0)   (0 if 0/0)
    intercept = tp[i+1] - slope * p[i+1]
    ratio = p[i] / p[i+1] if p[i] > 0 and p[i+1] > 0 else 1
    area += slope * (dtp + intercept * log(ratio)) / (tp[i+1] + fn[i+1])   (0 if 0/0)

With ``multi_label=True`` the counts have one column per label (y_pred must be rank
2; the label count is fixed by ``num_labels`` or the first batch) and the result is
the mean of the per-label areas, weighted by ``label_weights`` when given; without it
``label_weights`` weights each element's count by its label. Everything is float32.

>>> import refkeras as keras
>>> m = keras.metrics.AUC()
>>> float(m([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]))
0.75

Who owns what: counting lives in metrics_utils.py; this module owns the thresholds,
the curve and summation rules and the multi-label averaging.
"""
import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.metrics import metrics_utils
from refkeras.metrics.metric import Metric
from refkeras.metrics.metrics_utils import divide_no_nan

# Accepted spellings -> the canonical value get_config reports (tf_keras's enums).
CURVES = {"ROC": "ROC", "roc": "ROC", "PR": "PR", "pr": "PR", "PR_GAIN": "PR_GAIN",
          "pr_gain": "PR_GAIN", "prgain": "PR_GAIN", "PRGAIN": "PR_GAIN"}
SUMMATION_METHODS = {"interpolation": "interpolation", "Interpolation": "interpolation",
                     "majoring": "majoring", "Majoring": "majoring",
                     "minoring": "minoring", "Minoring": "minoring"}
_VARIABLES = {"tp": "true_positives", "tn": "true_negatives", "fp": "false_positives",
              "fn": "false_negatives"}


def _parse_curve(curve):
    if curve not in CURVES:
        raise ValueError(f'Invalid AUC curve value: "{curve}". '
                         'Expected values are ["PR", "ROC", "PR_GAIN"]')
    return CURVES[curve]


def _parse_summation(method):
    if method not in SUMMATION_METHODS:
        raise ValueError(f'Invalid AUC summation method value: "{method}". '
                         'Expected values are ["interpolation", "majoring", "minoring"]')
    return SUMMATION_METHODS[method]


def _parse_label_weights(label_weights):
    if label_weights is None:
        return None
    weights = np.asarray(label_weights, dtype=np.float32)
    if weights.ndim != 1 or not np.all(weights >= 0):
        raise InvalidArgumentError(
            "All values of `label_weights` must be non-negative (one weight per label, a "
            f"vector). Received: label_weights={label_weights}")
    return weights


class AUC(Metric):
    """Approximate area under the ROC or PR curve (see the module docstring)."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        inner, evenly = self._inner_thresholds(num_thresholds, thresholds)
        self.curve = _parse_curve(curve)
        self.summation_method = _parse_summation(summation_method)
        weights = _parse_label_weights(label_weights)
        if num_labels and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        super().__init__(name=name, dtype=dtype)
        self._init_from_thresholds = thresholds is not None
        self.num_thresholds = len(inner) + 2
        self._thresholds = np.array([0.0 - metrics_utils.EPSILON] + inner
                                    + [1.0 + metrics_utils.EPSILON])
        self._thresholds_distributed_evenly = evenly
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = weights
        self._from_logits = from_logits
        self._built = False
        if not multi_label:
            self._build(None)
        elif num_labels:
            self._build(num_labels)

    @staticmethod
    def _inner_thresholds(num_thresholds, thresholds):
        """(thresholds strictly inside the end points, whether all are evenly spaced)."""
        if thresholds is not None:
            inner = sorted(metrics_utils.check_thresholds(thresholds))
            return inner, metrics_utils.is_evenly_distributed([0.0] + inner + [1.0])
        if not metrics_utils.is_integer(num_thresholds) or num_thresholds <= 1:
            raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                             f"Received: num_thresholds={num_thresholds}")
        return [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)], True

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, num_labels):
        shape = (self.num_thresholds,) if num_labels is None else (self.num_thresholds, num_labels)
        self._num_labels = num_labels
        for variable in _VARIABLES.values():
            setattr(self, variable, self.add_weight(variable, shape=shape, initializer="zeros"))
        self._built = True

    # ---------------------------------------------------------------- update
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = metrics_utils.as_array(y_true, self.dtype)
        y_pred = metrics_utils.as_array(y_pred, self.dtype) if not self._from_logits \
            else metrics_utils.sigmoid(convert_to_tensor(y_pred).numpy()).astype(self.dtype)
        self._check_labels(y_true, y_pred)
        counts = metrics_utils.confusion_counts(
            tuple(_VARIABLES), y_true, y_pred, self._thresholds, dtype=self.dtype,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            evenly_distributed=self._thresholds_distributed_evenly)
        if not self._built:
            self._build(y_pred.shape[1])
        for key, variable in _VARIABLES.items():
            getattr(self, variable).assign_add(counts[key])

    def _check_labels(self, y_true, y_pred):
        """The label checks tf_keras makes; here all before the variables exist or change."""
        if self.multi_label and y_pred.ndim != 2:
            raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                             f"{y_pred.ndim}. Full shape received for `y_pred`: {y_pred.shape}")
        if not (self.multi_label or self.label_weights is not None):
            return
        if y_true.ndim != 2:
            raise ValueError("Number of labels is not consistent: y_true must have rank 2 "
                             f"(samples, labels). Received shape {y_true.shape}")
        expected = {"y_true": y_true.shape[1]}
        if self.multi_label and self._built:
            expected["the metric's state"] = self._num_labels
        if self.label_weights is not None:
            expected["label_weights"] = self.label_weights.shape[0]
        if len(set(expected.values())) > 1:
            raise ValueError(f"Number of labels is not consistent: {expected}")

    # ---------------------------------------------------------------- result
    def _counts(self):
        return {key: np.asarray(getattr(self, variable).numpy())
                for key, variable in _VARIABLES.items()}

    def result(self):
        if not self._built:
            return convert_to_tensor(np.asarray(0.0, self.dtype))
        c = self._counts()
        if self.curve == "PR" and self.summation_method == "interpolation":
            areas = _interpolated_pr_areas(c)
        else:
            x, y = _curve_points(self.curve, c)
            heights = _heights(self.summation_method, y)
            areas = np.sum((x[:-1] - x[1:]) * heights, axis=0, dtype=y.dtype)
        return convert_to_tensor(np.asarray(self._average_labels(areas), dtype=self.dtype))

    def _average_labels(self, areas):
        """One area, or the (label-weighted) mean of the per-label areas."""
        if not self.multi_label:
            return areas
        if self.label_weights is None:
            return np.mean(areas, dtype=areas.dtype)
        return divide_no_nan(np.sum(areas * self.label_weights, dtype=areas.dtype),
                             np.sum(self.label_weights, dtype=areas.dtype))

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": self.label_weights, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            # Without the end points, so from_config rebuilds the same thresholds.
            config["thresholds"] = self.thresholds[1:-1]
        return config


def _curve_points(curve, c):
    """(x, y) of the curve at each threshold, as tf_keras defines them."""
    tp, tn, fp, fn = c["tp"], c["tn"], c["fp"], c["fn"]
    recall = divide_no_nan(tp, tp + fn)
    if curve == "ROC":
        return divide_no_nan(fp, fp + tn), recall
    if curve == "PR":
        return recall, divide_no_nan(tp, tp + fp)
    # PR_GAIN: gains relative to the positive rate; no true positives gives (0, 1), and a
    # negative recall gain is clipped to 0.
    scale = divide_no_nan(tp + fn, fp + tn)
    recall_gain = 1 - scale * divide_no_nan(fn, tp)
    precision_gain = 1 - scale * divide_no_nan(fp, tp)
    recall_gain = np.maximum(np.where(tp == 0, 0, recall_gain), 0).astype(tp.dtype)
    precision_gain = np.where(tp == 0, 1, precision_gain).astype(tp.dtype)
    return recall_gain, precision_gain


def _heights(method, y):
    if method == "interpolation":
        return (y[:-1] + y[1:]) / np.asarray(2, y.dtype)
    if method == "minoring":
        return np.minimum(y[:-1], y[1:])
    return np.maximum(y[:-1], y[1:])                     # majoring


def _interpolated_pr_areas(c):
    """The Davis & Goadrich interpolation of the PR curve (see the module docstring)."""
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    zero = np.zeros((), tp.dtype)
    dtp = tp[:-1] - tp[1:]
    p = tp + fp
    dp = p[:-1] - p[1:]
    slope = divide_no_nan(dtp, np.maximum(dp, zero))
    intercept = tp[1:] - slope * p[1:]
    both_positive = (p[:-1] > 0) & (p[1:] > 0)
    ratio = np.where(both_positive, divide_no_nan(p[:-1], np.maximum(p[1:], zero)),
                     np.ones_like(p[1:]))
    increments = divide_no_nan(slope * (dtp + intercept * np.log(ratio)),
                               np.maximum(tp[1:] + fn[1:], zero))
    return np.sum(increments, axis=0, dtype=tp.dtype)


__all__ = ["AUC"]
