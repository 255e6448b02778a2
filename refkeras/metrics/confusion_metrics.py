"""Metrics counted from a confusion matrix over thresholds.

Clauses: METRIC.CONFUSION (TruePositives, TrueNegatives, FalsePositives, FalseNegatives,
Precision, Recall), METRIC.AT_THRESHOLD (SensitivityAtSpecificity,
SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision),
METRIC.CONFUSION.BAD_INPUT, METRIC.CONFUSION.ARGS (docs/spec.md).

Rule. Each metric keeps float32 count vectors with one entry per threshold, updated by
``metrics_utils.update_confusion_matrix_variables`` (prediction positive iff
``y_pred > threshold``, label positive iff ``y_true != 0``, weighted by sample_weight).
The four counters return their count (a scalar for one threshold, else a vector).
Precision = TP / (TP + FP) and Recall = TP / (TP + FN), 0 where the denominator is 0;
their default threshold is 0.5, or -1e10 with ``top_k`` (then "positive" means "among
the top k of the last axis"); ``class_id`` restricts both to one column. The *At*
metrics count at ``num_thresholds`` (default 200) thresholds ``[0, 1/(n-1), ..., 1]``
(``[0.5]`` when n is 1) and return the largest value of one rate among the thresholds
where the other rate is >= the target (compared in float32), or 0 when none is:

    sensitivity = tp / (tp + fn); specificity = tn / (tn + fp)
    precision = tp / (tp + fp);   recall = sensitivity
    SensitivityAtSpecificity(s) = max(sensitivity[specificity >= s], default=0)

>>> import refkeras as keras
>>> m = keras.metrics.Precision()
>>> float(m([1, 0, 1, 0, 1], [0.5, 0.6, 0.9, 0.4, 0.51]))
0.6666666865348816

Who owns what: the counting rule lives in metrics_utils.py; this module owns the
thresholds each metric uses, its state variables (tf_keras's names) and its result.
"""
import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.metrics import metrics_utils
from refkeras.metrics.metric import Metric
from refkeras.metrics.metrics_utils import divide_no_nan


def _value(variable):
    return np.asarray(variable.numpy())


class _ConfusionMatrixConditionCount(Metric):
    """One of TP / FP / TN / FN at each threshold, in the variable ``accumulator``."""

    _condition = None   # "tp", "fp", "tn" or "fn", set by each subclass

    def __init__(self, thresholds=None, name=None, dtype=None):
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=0.5)
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed(self.thresholds)
        self.accumulator = self.add_weight("accumulator", shape=(len(self.thresholds),),
                                           initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        metrics_utils.update_confusion_matrix_variables(
            {self._condition: self.accumulator}, y_true, y_pred, self.thresholds,
            sample_weight=sample_weight,
            evenly_distributed=self._thresholds_distributed_evenly)

    def result(self):
        value = _value(self.accumulator)
        return convert_to_tensor(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """Weighted count of elements with y_true != 0 and y_pred > threshold."""
    _condition = "tp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of elements with y_true == 0 and y_pred <= threshold."""
    _condition = "tn"


class FalsePositives(_ConfusionMatrixConditionCount):
    """Weighted count of elements with y_true == 0 and y_pred > threshold."""
    _condition = "fp"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of elements with y_true != 0 and y_pred <= threshold."""
    _condition = "fn"


class _PrecisionRecall(Metric):
    """Shared by Precision and Recall: TP and one error count per threshold."""

    _error = None   # "fp" for Precision, "fn" for Recall
    _error_variable = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=default)
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed(self.thresholds)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_weight("true_positives", shape=shape, initializer="zeros")
        setattr(self, self._error_variable,
                self.add_weight(self._error_variable, shape=shape, initializer="zeros"))

    def update_state(self, y_true, y_pred, sample_weight=None):
        metrics_utils.update_confusion_matrix_variables(
            {"tp": self.true_positives, self._error: getattr(self, self._error_variable)},
            y_true, y_pred, self.thresholds, top_k=self.top_k, class_id=self.class_id,
            sample_weight=sample_weight, evenly_distributed=self._thresholds_distributed_evenly)

    def result(self):
        tp = _value(self.true_positives)
        value = divide_no_nan(tp, tp + _value(getattr(self, self._error_variable)))
        return convert_to_tensor(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """TP / (TP + FP): the fraction of predicted positives that are positive."""
    _error, _error_variable = "fp", "false_positives"


class Recall(_PrecisionRecall):
    """TP / (TP + FN): the fraction of positives that are predicted positive."""
    _error, _error_variable = "fn", "false_negatives"


class SensitivitySpecificityBase(Metric):
    """The four counts at ``num_thresholds`` evenly spaced thresholds in [0, 1]; subclasses
    pick a constrained rate, a target ``value`` for it and the rate to maximise."""

    _target = None   # the name of the constructor argument holding the target rate

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_target(self._target, value)
        if not metrics_utils.is_integer(num_thresholds) or num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        super().__init__(name=name, dtype=dtype)
        self.value = value
        setattr(self, self._target, value)
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds, self._thresholds_distributed_evenly = [0.5], False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._thresholds_distributed_evenly = [0.0] + inner + [1.0], True
        for variable in ("true_positives", "true_negatives", "false_positives", "false_negatives"):
            setattr(self, variable, self.add_weight(variable, shape=(num_thresholds,),
                                                    initializer="zeros"))

    def update_state(self, y_true, y_pred, sample_weight=None):
        metrics_utils.update_confusion_matrix_variables(
            {"tp": self.true_positives, "tn": self.true_negatives,
             "fp": self.false_positives, "fn": self.false_negatives},
            y_true, y_pred, self.thresholds, class_id=self.class_id,
            sample_weight=sample_weight, evenly_distributed=self._thresholds_distributed_evenly)

    def _rates(self):
        tp, tn = _value(self.true_positives), _value(self.true_negatives)
        fp, fn = _value(self.false_positives), _value(self.false_negatives)
        return {"sensitivity": divide_no_nan(tp, tp + fn), "specificity": divide_no_nan(tn, tn + fp),
                "precision": divide_no_nan(tp, tp + fp), "recall": divide_no_nan(tp, tp + fn)}

    def _max_under_constraint(self, constrained, dependent):
        """max(dependent where constrained >= value), or 0 when no threshold qualifies."""
        rates = self._rates()
        feasible = rates[constrained] >= np.asarray(self.value, rates[constrained].dtype)
        best = rates[dependent][feasible].max() if feasible.any() else 0.0
        return convert_to_tensor(np.asarray(best, dtype=self.dtype))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id,
                "num_thresholds": self.num_thresholds, self._target: self.value}


def _check_target(argument, value):
    if not metrics_utils.is_finite_number(value) or not 0 <= value <= 1:
        raise ValueError(f"Argument `{argument}` must be in the range [0, 1]. "
                         f"Received: {argument}={value}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) among thresholds whose specificity is >= ``specificity``."""
    _target = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._max_under_constraint("specificity", "sensitivity")


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity among thresholds whose sensitivity is >= ``sensitivity``."""
    _target = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._max_under_constraint("sensitivity", "specificity")


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision among thresholds whose recall is >= ``recall``."""
    _target = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._max_under_constraint("recall", "precision")


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall among thresholds whose precision is >= ``precision``."""
    _target = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._max_under_constraint("precision", "recall")


__all__ = [
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "PrecisionAtRecall",
    "Recall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SensitivitySpecificityBase",
    "SpecificityAtSensitivity",
    "TrueNegatives",
    "TruePositives",
]
