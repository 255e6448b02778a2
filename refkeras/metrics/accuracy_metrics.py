"""The accuracy metrics: how often predictions match labels, as a weighted Mean of 0/1 matches.

Clauses: METRIC.BUILTIN, METRIC.TOP_K, METRIC.BAD_INPUT (docs/spec.md).

Rule. Each metric is a MeanMetricWrapper around a *matches* function giving 1.0 where
the prediction is right and 0.0 where it is wrong (tf_keras 2.21)::

    accuracy:            float(y_true == y_pred)          exact, so 1.0000001 != 1
    binary_matches:      float(y_true == float(y_pred > threshold))   strictly greater
    sparse_categorical:  float(y_true == argmax(y_pred, -1))          first index wins a tie
    categorical:         sparse_categorical(argmax(y_true, -1), y_pred)
    in_top_k(p, t, k):   #{c : p[c] > p[t]} < k     (ties at the boundary are all "in";
                         False for a label outside [0, C) or a row with a non-finite p)

The metric classes keep the matches per element (BinaryAccuracy weighs every
element); the function forms ``binary_accuracy`` average them over the last axis.
Sparse labels of shape (N,) or (N, 1) both work: a label axis of size 1 is squeezed
and the matches take the labels' shape back.

>>> float(binary_accuracy([[1.0, 1.0, 0.0, 0.0]], [[0.5, 0.51, 0.5, 0.49]])[0])
0.75

"""
import math

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.metrics.reduction_metrics import MeanMetricWrapper
from refkeras.ops import (
    array_ops,
    comparison_ops,
    creation_ops,
    math_ops,
    reduction_ops,
)

# ---------------------------------------------------------------- matches


def accuracy(y_true, y_pred):
    """1.0 where y_true equals y_pred exactly (shapes must agree)."""
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    if not _compatible(y_true.shape, y_pred.shape):
        raise ValueError(f"Shapes {tuple(y_true.shape)} and {tuple(y_pred.shape)} are incompatible")
    if y_true.dtype != y_pred.dtype:
        y_pred = math_ops.cast(y_pred, y_true.dtype)
    return math_ops.cast(comparison_ops.equal(y_true, y_pred), "float32")


def _compatible(a, b):
    return len(a) == len(b) and all(x == y for x, y in zip(a, b))


def binary_matches(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 label."""
    # EXERCISE 4.3: binary matches: y_pred > threshold against 0/1 labels | METRIC.BUILTIN PIT.ACCURACY_STRING
    # hint: predicted = 1.0 where y_pred > threshold (strictly) else 0.0, in y_pred's
    # hint: float dtype; the result is 1.0 where it equals y_true, as float32.
    y_pred = convert_to_tensor(y_pred)
    if y_pred.dtype.kind != "f":
        y_pred = math_ops.cast(y_pred, "float32")
    predicted = math_ops.cast(comparison_ops.greater(y_pred, math_ops.cast(threshold, y_pred.dtype)),
                              y_pred.dtype)
    y_true = math_ops.cast(y_true, y_pred.dtype)
    return math_ops.cast(comparison_ops.equal(y_true, predicted), "float32")
    # END EXERCISE 4.3


def sparse_categorical_matches(y_true, y_pred):
    """1.0 where the integer label equals argmax(y_pred, -1), in the labels' shape."""
    # EXERCISE 4.4: sparse categorical matches: label == argmax(y_pred) | METRIC.BUILTIN
    # hint: argmax(y_pred, -1) compared with the integer labels (squeeze a trailing
    # hint: label axis of size 1 first), 1.0/0.0 as float32, reshaped to the labels'
    # hint: original shape.
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    label_shape = tuple(y_true.shape)
    if len(y_true.shape) == len(y_pred.shape):
        y_true = array_ops.squeeze(y_true, [-1])    # (N, 1) labels; InvalidArgumentError otherwise
    predicted = reduction_ops.argmax(y_pred, axis=-1)
    if predicted.dtype != y_true.dtype:
        predicted = math_ops.cast(predicted, y_true.dtype)
    matches = math_ops.cast(comparison_ops.equal(y_true, predicted), "float32")
    return array_ops.reshape(matches, label_shape)
    # END EXERCISE 4.4


def in_top_k(predictions, targets, k):
    """True where ``targets[i]`` is among the k highest of ``predictions[i]`` (ties count in)."""
    predictions = convert_to_tensor(predictions)
    targets = math_ops.cast(targets, "int32")
    if len(predictions.shape) != 2:
        raise InvalidArgumentError("predictions must be 2-dimensional", "InTopKV2")
    if targets.shape[0] != predictions.shape[0]:
        raise InvalidArgumentError(
            f"First dimension of predictions {predictions.shape[0]} must match length of "
            f"targets {targets.shape[0]}", "InTopKV2")
    hot = creation_ops.one_hot(targets, predictions.shape[-1], dtype="bool")
    zeros = creation_ops.zeros_like(predictions)
    target_score = reduction_ops.reduce_sum(array_ops.where(hot, predictions, zeros), axis=-1,
                                            keepdims=True)
    higher = reduction_ops.reduce_sum(
        math_ops.cast(comparison_ops.greater(predictions, target_score), "int32"), axis=-1)
    in_range = reduction_ops.reduce_any(hot, axis=-1)
    finite = reduction_ops.reduce_all(comparison_ops.is_finite(predictions), axis=-1)
    return comparison_ops.logical_and(comparison_ops.less(higher, _check_k(k)),
                                      comparison_ops.logical_and(in_range, finite))


def _check_k(k):
    if isinstance(k, bool) or not isinstance(k, int) and not hasattr(k, "__index__"):
        raise TypeError(f"Cannot convert {k!r} to EagerTensor of dtype int32")
    return int(k)


def sparse_top_k_categorical_matches(y_true, y_pred, k=5):
    """1.0 where the label is in the top k of y_pred, in the labels' shape."""
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    label_shape = tuple(y_true.shape)
    if len(y_pred.shape) > 2:
        y_pred = array_ops.reshape(y_pred, [-1, y_pred.shape[-1]])
    if len(y_true.shape) > 1:
        y_true = array_ops.reshape(y_true, [-1])
    matches = math_ops.cast(in_top_k(y_pred, y_true, k), "float32")
    return array_ops.reshape(matches, label_shape) if len(label_shape) > 1 else matches


# ---------------------------------------------------------------- function forms


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """mean over the last axis of binary_matches."""
    return reduction_ops.reduce_mean(binary_matches(y_true, y_pred, threshold), axis=-1)


def categorical_accuracy(y_true, y_pred):
    """argmax(y_true, -1) == argmax(y_pred, -1), as 1.0 / 0.0."""
    return sparse_categorical_matches(reduction_ops.argmax(y_true, axis=-1), y_pred)


def sparse_categorical_accuracy(y_true, y_pred):
    """y_true == argmax(y_pred, -1); (N, 1) labels give (N,) matches."""
    matches = sparse_categorical_matches(y_true, y_pred)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = array_ops.squeeze(matches, [-1])
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """argmax(y_true, -1) is in the top k of y_pred."""
    return sparse_top_k_categorical_matches(reduction_ops.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """the integer label is in the top k of y_pred."""
    return sparse_top_k_categorical_matches(y_true, y_pred, k)


# ---------------------------------------------------------------- metric classes


class Accuracy(MeanMetricWrapper):
    """How often y_pred equals y_true exactly."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches the 0/1 label, per element."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_matches, name, dtype=dtype, threshold=_check_threshold(threshold))


def _check_threshold(threshold):
    number = isinstance(threshold, (int, float)) and not isinstance(threshold, bool)
    if not number or not math.isfinite(threshold):
        raise ValueError(f"`threshold` must be a finite number. Received: threshold={threshold!r}")
    return threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often argmax(y_pred) equals argmax of the one-hot y_true."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(_categorical_matches, name, dtype=dtype)


def _categorical_matches(y_true, y_pred):
    return sparse_categorical_matches(reduction_ops.argmax(y_true, axis=-1), y_pred)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often argmax(y_pred) equals the integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_matches, name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is in the top k predictions."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(_top_k_matches, name, dtype=dtype, k=_check_k(k))


def _top_k_matches(y_true, y_pred, k):
    return sparse_top_k_categorical_matches(reduction_ops.argmax(y_true, axis=-1), y_pred, k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is in the top k predictions."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_matches, name, dtype=dtype, k=_check_k(k))


__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "accuracy",
    "binary_accuracy",
    "binary_matches",
    "categorical_accuracy",
    "in_top_k",
    "sparse_categorical_accuracy",
    "sparse_categorical_matches",
    "sparse_top_k_categorical_accuracy",
    "sparse_top_k_categorical_matches",
    "top_k_categorical_accuracy",
]
