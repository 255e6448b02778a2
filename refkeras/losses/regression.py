"""Regression losses: each function beside the class that wraps it.

Clauses: LOSS.REGRESSION, LOSS.BUILTIN (docs/spec.md).

Rule. Per-sample formulas of tf_keras 2.21 (``mean``/``sum`` over the last axis,
``eps = 1e-7``), computed in y_pred's dtype (Huber: always float32)::

    mean_squared_error             = mean((p - y) ** 2)
    mean_absolute_error            = mean(|p - y|)
    mean_absolute_percentage_error = 100 * mean(|(y - p) / max(|y|, eps)|)
    mean_squared_logarithmic_error = mean((log(max(p, eps) + 1) - log(max(y, eps) + 1)) ** 2)
    cosine_similarity(axis=-1)     = -sum(l2n(y) * l2n(p), axis)
                                     l2n(x) = x * rsqrt(max(sum(x ** 2, axis), 1e-12))
    huber(delta=1.0)               = mean(0.5 * e ** 2        if |e| <= delta
                                          delta * |e| - 0.5 * delta ** 2 otherwise)   e = p - y
    log_cosh                       = mean(x + softplus(-2 x) - log 2),   x = p - y

Classes (name, extra options): MeanSquaredError ("mean_squared_error"),
MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError (names
as their functions), CosineSimilarity ("cosine_similarity", axis=-1), Huber
("huber_loss", delta=1.0), LogCosh ("log_cosh"). Owned by the losses package.

>>> import refkeras.ops as ops
>>> mean_squared_error(ops.constant([[0.0, 1.0]]), ops.constant([[1.0, 1.0]])).numpy()
array([0.5], dtype=float32)
"""
from refkeras.losses import _inputs
from refkeras.losses.loss import Reduction
from refkeras.losses.loss_function_wrapper import LossFunctionWrapper
from refkeras.ops import array_ops, math_ops, nn_ops, reduction_ops

EPSILON = 1e-7


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "mean_squared_error")
    # EXERCISE 3.1: mean squared error | LOSS.REGRESSION
    # hint: the mean over the last axis of (y_pred - y_true) ** 2
    # hint: (reduction_ops.reduce_mean, axis=-1).
    return reduction_ops.reduce_mean(math_ops.squared_difference(y_pred, y_true), axis=-1)
    # END EXERCISE 3.1


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "mean_absolute_error")
    # EXERCISE 3.2: mean absolute error | LOSS.REGRESSION
    # hint: the mean over the last axis of |y_pred - y_true|.
    return reduction_ops.reduce_mean(math_ops.abs(y_pred - y_true), axis=-1)
    # END EXERCISE 3.2


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "mean_absolute_percentage_error")
    ratio = (y_true - y_pred) / math_ops.maximum(math_ops.abs(y_true), EPSILON)
    return 100.0 * reduction_ops.reduce_mean(math_ops.abs(ratio), axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "mean_squared_logarithmic_error")
    first = math_ops.log(math_ops.maximum(y_pred, EPSILON) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, EPSILON) + 1.0)
    return reduction_ops.reduce_mean(math_ops.squared_difference(first, second), axis=-1)


def l2_normalize(x, axis):
    """x / sqrt(max(sum(x ** 2, axis), 1e-12)), as tf.linalg.l2_normalize."""
    square_sum = reduction_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
    return x * math_ops.rsqrt(math_ops.maximum(square_sum, 1e-12))


def cosine_similarity(y_true, y_pred, axis=-1):
    _inputs.check_axis(axis)
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "cosine_similarity")
    return -reduction_ops.reduce_sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis)


def huber(y_true, y_pred, delta=1.0):
    _inputs.check_range("delta", delta, 0.0, float("inf"))
    # tf_keras casts both to floatx (float32), so integer inputs are fine here
    y_pred = math_ops.cast(y_pred, "float32")
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "huber")
    delta = math_ops.cast(delta, "float32")
    error = y_pred - y_true
    abs_error = math_ops.abs(error)
    quadratic = 0.5 * math_ops.square(error)
    linear = delta * abs_error - 0.5 * math_ops.square(delta)
    return reduction_ops.reduce_mean(array_ops.where(abs_error <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "log_cosh")
    x = y_pred - y_true
    log_two = math_ops.cast(math_ops.log(2.0), x.dtype)
    return reduction_ops.reduce_mean(x + nn_ops.softplus(-2.0 * x) - log_two, axis=-1)


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_error"):
        super().__init__(mean_squared_error, name=name, reduction=reduction)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="mean_absolute_error"):
        super().__init__(mean_absolute_error, name=name, reduction=reduction)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="mean_absolute_percentage_error"):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_logarithmic_error"):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction)


class CosineSimilarity(LossFunctionWrapper):
    def __init__(self, axis=-1, reduction=Reduction.AUTO, name="cosine_similarity"):
        super().__init__(cosine_similarity, reduction=reduction, name=name,
                         axis=_inputs.check_axis(axis))


class Huber(LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction=Reduction.AUTO, name="huber_loss"):
        _inputs.check_range("delta", delta, 0.0, float("inf"))
        super().__init__(huber, name=name, reduction=reduction, delta=delta)


class LogCosh(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="log_cosh"):
        super().__init__(log_cosh, name=name, reduction=reduction)


__all__ = [
    "CosineSimilarity", "Huber", "LogCosh", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "cosine_similarity", "huber", "l2_normalize",
    "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error",
    "mean_squared_logarithmic_error",
]
