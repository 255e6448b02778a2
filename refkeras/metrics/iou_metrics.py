"""Intersection-over-union metrics, from an accumulated class confusion matrix.

Clauses: METRIC.IOU, METRIC.CONFUSION.BAD_INPUT, METRIC.CONFUSION.ARGS (docs/spec.md).

Rule. The state is one float32 matrix ``total_confusion_matrix`` of shape (C, C),
C = ``num_classes``; cell [i, j] sums the weights of the elements whose true class is i
and predicted class is j. Class ids are y_true and y_pred flattened and truncated to
integers (1.7 counts as class 1); one-hot inputs (``sparse_y_true`` /
``sparse_y_pred`` False) are first turned into ids by argmax along ``axis``; elements
whose true class is ``ignore_class`` are dropped. A class id outside [0, C) is an
error. The IoU of class k is TP / (TP + FP + FN) = cm[k, k] / (row_k + col_k - cm[k, k]);
the result is the mean over ``target_class_ids`` of the classes whose denominator is
not 0 (0 when none is). MeanIoU targets every class; BinaryIoU thresholds y_pred with
``>= threshold`` (not ``>``) into 2 classes.

    cm[y_true[i], y_pred[i]] += w[i]
    iou[k] = cm[k, k] / (cm[k, :].sum() + cm[:, k].sum() - cm[k, k])
    result = mean(iou[k] for k in target_class_ids if denominator[k] != 0)

>>> import refkeras as keras
>>> m = keras.metrics.MeanIoU(num_classes=3)
>>> round(float(m([0, 1, 2, 1], [0, 2, 2, 1])), 6)
0.666667

Who owns what: _IoUBase owns the matrix and its update; IoU owns the averaging; the
subclasses only fix arguments (MeanIoU, OneHot*) or binarize y_pred (BinaryIoU).
"""
import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.metrics import metrics_utils
from refkeras.metrics.metric import Metric
from refkeras.metrics.metrics_utils import divide_no_nan


def _check_num_classes(num_classes):
    if not metrics_utils.is_integer(num_classes) or num_classes < 1:
        raise ValueError("Argument `num_classes` must be an integer >= 1. "
                         f"Received: num_classes={num_classes}")


def _class_ids(values, argument, num_classes):
    """Values truncated to int64 class ids, checked against [0, num_classes)."""
    if np.any(np.isnan(values)):
        raise InvalidArgumentError(f"`{argument}` contains NaN, which is no class id.")
    ids = values.astype(np.int64)
    if np.any(ids < 0):
        raise InvalidArgumentError(f"`{argument}` contains negative values. Received: {ids}")
    if np.any(ids >= num_classes):
        raise InvalidArgumentError(f"`{argument}` out of bound: every class id must be < "
                                   f"num_classes={num_classes}. Received: {ids}")
    return ids


class _IoUBase(Metric):
    """The (C, C) confusion matrix over class ids, accumulated over batches."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        _check_num_classes(num_classes)
        super().__init__(name=name, dtype=dtype)
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_weight("total_confusion_matrix",
                                        shape=(num_classes, num_classes), initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total_cm.assign_add(self._batch_matrix(y_true, y_pred, sample_weight))

    def _batch_matrix(self, y_true, y_pred, sample_weight):
        y_true = self._flat_ids(y_true, self.sparse_y_true)
        y_pred = self._flat_ids(y_pred, self.sparse_y_pred)
        if y_true.shape != y_pred.shape:
            raise InvalidArgumentError(
                "Shapes of all inputs must match: y_true has "
                f"{y_true.shape[0]} elements and y_pred {y_pred.shape[0]}", "Pack")
        weights = np.ones(y_pred.shape, self.dtype)
        if sample_weight is not None:
            weights = metrics_utils.as_array(sample_weight, self.dtype).reshape(-1)
            if weights.shape != y_pred.shape:
                raise ValueError(f"Shapes {y_pred.shape} and {weights.shape} are incompatible")
        if self.ignore_class is not None:
            keep = y_true != self.ignore_class
            y_true, y_pred, weights = y_true[keep], y_pred[keep], weights[keep]
        labels = _class_ids(y_true, "labels", self.num_classes)
        predictions = _class_ids(y_pred, "predictions", self.num_classes)
        matrix = np.zeros((self.num_classes, self.num_classes), np.float64)
        np.add.at(matrix, (labels, predictions), weights)
        return matrix.astype(self.dtype)

    def _flat_ids(self, values, sparse):
        values = convert_to_tensor(values).numpy()
        if not sparse:
            values = np.argmax(values, axis=self.axis)
        return np.asarray(values, dtype=self.dtype).reshape(-1)


class IoU(_IoUBase):
    """Mean IoU over ``target_class_ids`` (see the module docstring)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        _check_num_classes(num_classes)
        ids = list(target_class_ids)
        if not ids or not all(metrics_utils.is_integer(i) for i in ids):
            raise ValueError("Argument `target_class_ids` must be a non-empty list of integer "
                             f"class ids. Received: target_class_ids={target_class_ids}")
        for class_id in (max(ids), min(ids)):
            if not 0 <= class_id < num_classes:
                raise ValueError(f"Target class id {class_id} is out of range, which is "
                                 f"[0, {num_classes}).")
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        self.target_class_ids = ids

    def result(self):
        cm = np.asarray(self.total_cm.numpy())
        true_positives = np.diagonal(cm)
        denominator = cm.sum(axis=0) + cm.sum(axis=1) - true_positives
        true_positives = true_positives[self.target_class_ids]
        denominator = denominator[self.target_class_ids]
        valid = np.sum(denominator != 0, dtype=cm.dtype)
        iou = divide_no_nan(true_positives, denominator)
        return convert_to_tensor(divide_no_nan(np.sum(iou, dtype=cm.dtype), valid))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of two classes, y_pred >= ``threshold`` being class 1."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = metrics_utils.as_array(y_pred, self.dtype)
        y_pred = (y_pred >= np.asarray(self.threshold, self.dtype)).astype(self.dtype)
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """IoU averaged over all ``num_classes`` classes (those that occur)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        _check_num_classes(num_classes)
        super().__init__(num_classes=num_classes, target_class_ids=list(range(num_classes)),
                         name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """IoU with one-hot y_true (and, by default, per-class scores as y_pred)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self.dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """MeanIoU with one-hot y_true (and, by default, per-class scores as y_pred)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


__all__ = ["BinaryIoU", "IoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU"]
