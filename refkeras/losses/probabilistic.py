"""Probabilistic losses (cross-entropies, KL divergence, Poisson): each function beside its class.

Clauses: LOSS.PROBABILISTIC, LOSS.BUILTIN, LOSS.BAD_INPUT (docs/spec.md).

Rule. tf_keras 2.21's formulas, with ``eps = 1e-7`` and p the prediction::

    binary_crossentropy(from_logits=False, label_smoothing=0, axis=-1)
        y = y * (1 - ls) + 0.5 * ls
        logits:  max(x, 0) - x * y + log(1 + exp(-|x|))            # no clipping
        probs:   p = clip(p, eps, 1 - eps)
                 -(y * log(p + eps) + (1 - y) * log(1 - p + eps))   # eps twice
        then mean over ``axis``
    binary_focal_crossentropy(apply_class_balancing=False, alpha=.25, gamma=2, ...)
        s = sigmoid(p) if from_logits else p;  p_t = y * s + (1 - y) * (1 - s)
        (1 - p_t) ** gamma * bce  [* (y * alpha + (1 - y) * (1 - alpha))], mean over axis
    categorical_crossentropy(from_logits=False, label_smoothing=0, axis=-1)
        y = y * (1 - ls) + ls / num_classes
        logits:  -sum(y * log_softmax(x), axis)
        probs:   p = clip(p / sum(p, axis), eps, 1 - eps);  -sum(y * log p, axis)
    sparse_categorical_crossentropy(from_logits=False, axis=-1, ignore_class=None)
        probs first become logits: log(clip(p, eps, 1 - eps)); then
        -log_softmax(x)[label]; labels of ``ignore_class`` give 0 and are masked out
        of the mean (the per-sample Tensor carries ``_keras_mask``)
    kl_divergence = sum(y' * log(y' / p'), -1),  y' = clip(y, eps, 1), p' = clip(p, eps, 1)
    poisson       = mean(p - y * log(p + eps), -1)

The hidden exception: if ``y_pred`` carries ``_keras_logits`` (it is the output of
keras.activations.softmax or sigmoid, hence of a Dense(activation='softmax') or a
Softmax layer), the three cross-entropies compute from those logits as if
``from_logits=True``, with no clipping, whichever activation made them (a warning
if from_logits=True was also passed). KL divergence and Poisson ignore the mark.

Classes (name): BinaryCrossentropy ("binary_crossentropy"), BinaryFocalCrossentropy
("binary_focal_crossentropy"), CategoricalCrossentropy ("categorical_crossentropy"),
SparseCategoricalCrossentropy ("sparse_categorical_crossentropy"), KLDivergence
("kl_divergence"), Poisson ("poisson"). Owned by the losses package (issue 5).

>>> import refkeras.ops as ops
>>> float(categorical_crossentropy(ops.constant([[0.0, 1.0]]), ops.constant([[0.5, 0.5]]))[0])
0.6931471824645996
"""
import warnings

import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.losses import _inputs
from refkeras.losses.loss import Reduction
from refkeras.losses.loss_function_wrapper import LossFunctionWrapper
from refkeras.ops import (
    array_ops,
    clip_ops,
    comparison_ops,
    creation_ops,
    math_ops,
    nn_ops,
    reduction_ops,
)

EPSILON = 1e-7


# ---------------------------------------------------------------- binary


def _binary_crossentropy_elements(target, output, from_logits):
    """The element-wise binary cross-entropy (tf_keras's backend.binary_crossentropy)."""
    output, from_logits = _inputs.logits_of(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return nn_ops.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    # EXERCISE 3.3: binary cross-entropy on probabilities | LOSS.PROBABILISTIC
    # hint: clip output to [EPSILON, 1 - EPSILON], then -(t * log(output + EPSILON) + (1
    # hint: - t) * log(1 - output + EPSILON)): tf_keras adds EPSILON inside the logs
    # hint: too.
    output = clip_ops.clip_by_value(output, EPSILON, 1.0 - EPSILON)
    positive = target * math_ops.log(output + EPSILON)
    negative = (1.0 - target) * math_ops.log(1.0 - output + EPSILON)
    return -(positive + negative)
    # END EXERCISE 3.3


def _smooth_binary(y_true, label_smoothing):
    if label_smoothing == 0:
        return y_true
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    _inputs.check_range("label_smoothing", label_smoothing, 0.0, 1.0)
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "binary_crossentropy")
    y_true = _smooth_binary(y_true, label_smoothing)
    return reduction_ops.reduce_mean(
        _binary_crossentropy_elements(y_true, y_pred, from_logits), axis=_inputs.check_axis(axis))


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    _check_focal(alpha, gamma)
    _inputs.check_range("label_smoothing", label_smoothing, 0.0, 1.0)
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "binary_focal_crossentropy")
    y_true = _smooth_binary(y_true, label_smoothing)
    # the focal factor reads the prediction itself; only the cross-entropy uses a Keras mark
    sigmoidal = math_ops.sigmoid(y_pred) if from_logits else y_pred
    p_t = y_true * sigmoidal + (1.0 - y_true) * (1.0 - sigmoidal)
    focal = math_ops.pow(1.0 - p_t, gamma) * _binary_crossentropy_elements(y_true, y_pred,
                                                                          from_logits)
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return reduction_ops.reduce_mean(focal, axis=_inputs.check_axis(axis))


def _check_focal(alpha, gamma):
    _inputs.check_range("alpha", alpha, 0.0, 1.0)
    _inputs.check_range("gamma", gamma, 0.0, float("inf"))


# ---------------------------------------------------------------- categorical


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    _inputs.check_axis(axis)
    _inputs.check_range("label_smoothing", label_smoothing, 0.0, 1.0)
    y_true, y_pred = _inputs.inputs(y_true, y_pred, "categorical_crossentropy")
    if y_pred.shape[-1] == 1:
        warnings.warn("In loss categorical_crossentropy, expected y_pred.shape to be "
                      "(batch_size, num_classes) with num_classes > 1. Received: "
                      f"y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' if you "
                      "only have 2 classes.", SyntaxWarning, stacklevel=2)
    if label_smoothing != 0:
        num_classes = float(y_true.shape[axis])
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(f"Shapes {tuple(y_true.shape)} and {tuple(y_pred.shape)} are incompatible")
    output, from_logits = _inputs.logits_of(y_pred, from_logits, "Softmax",
                                            "categorical_crossentropy")
    if from_logits:
        return nn_ops.softmax_cross_entropy_with_logits(labels=y_true, logits=output, axis=axis)
    # EXERCISE 3.4: categorical cross-entropy on probabilities | LOSS.PROBABILISTIC
    # hint: rescale output so it sums to 1 along axis, clip it to [EPSILON, 1 -
    # hint: EPSILON], then -sum(y_true * log(output)) along axis.
    output = output / reduction_ops.reduce_sum(output, axis, keepdims=True)
    output = clip_ops.clip_by_value(output, EPSILON, 1.0 - EPSILON)
    return -reduction_ops.reduce_sum(y_true * math_ops.log(output), axis)
    # END EXERCISE 3.4


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1, ignore_class=None):
    y_pred = _inputs.prediction(y_pred, "sparse_categorical_crossentropy")
    target = _integer_labels(y_true)
    output, from_logits = _inputs.logits_of(y_pred, from_logits, "Softmax",
                                            "sparse_categorical_crossentropy")
    if not from_logits:
        output = math_ops.log(clip_ops.clip_by_value(output, EPSILON, 1.0 - EPSILON))
    rank = len(output.shape)
    axis = _inputs.check_axis(axis) % rank
    if axis != rank - 1:       # classes last: move the class axis to the end
        output = array_ops.transpose(output, [*range(axis), *range(axis + 1, rank), axis])
    output_shape = tuple(output.shape)
    flatten = len(target.shape) != rank - 1
    if flatten:
        target = array_ops.reshape(target, [-1])
        if rank != 2:      # (N, C) logits are already flat
            output = array_ops.reshape(output, [-1, output_shape[-1]])
    if ignore_class is None:
        losses = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
        return array_ops.reshape(losses, output_shape[:-1]) if flatten and rank >= 3 else losses
    valid = comparison_ops.not_equal(target, math_ops.cast(ignore_class, "int64"))
    safe_target = array_ops.where(valid, target, creation_ops.zeros_like(target))
    losses = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=safe_target, logits=output)
    losses = array_ops.where(valid, losses, creation_ops.zeros_like(losses))
    losses = array_ops.reshape(losses, output_shape[:-1])
    losses._keras_mask = array_ops.reshape(valid, output_shape[:-1])
    return losses


def _integer_labels(y_true):
    """Class ids as int64; float labels must be whole numbers (tf_keras truncates 0.7 to 0)."""
    labels = convert_to_tensor(y_true)
    values = labels._value
    if values.dtype.kind == "f" and not np.all(np.floor(values) == values):
        raise ValueError("sparse_categorical_crossentropy expects integer class ids in `y_true`; "
                         f"received non-integral values such as {values[np.floor(values) != values][0]}")
    return math_ops.cast(labels, "int64")


# ---------------------------------------------------------------- divergences


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "kl_divergence")
    y_true = clip_ops.clip_by_value(y_true, EPSILON, 1.0)
    y_pred = clip_ops.clip_by_value(y_pred, EPSILON, 1.0)
    return reduction_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _inputs.elementwise_inputs(y_true, y_pred, "poisson")
    return reduction_ops.reduce_mean(y_pred - y_true * math_ops.log(y_pred + EPSILON), axis=-1)


# ---------------------------------------------------------------- classes


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=Reduction.AUTO,
                 name="binary_crossentropy"):
        _inputs.check_range("label_smoothing", label_smoothing, 0.0, 1.0)
        super().__init__(binary_crossentropy, name=name, reduction=reduction,
                         from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=_inputs.check_axis(axis))
        self.from_logits = from_logits


class BinaryFocalCrossentropy(LossFunctionWrapper):
    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction=Reduction.AUTO,
                 name="binary_focal_crossentropy"):
        _check_focal(alpha, gamma)
        _inputs.check_range("label_smoothing", label_smoothing, 0.0, 1.0)
        super().__init__(binary_focal_crossentropy, apply_class_balancing=apply_class_balancing,
                         alpha=alpha, gamma=gamma, name=name, reduction=reduction,
                         from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=_inputs.check_axis(axis))
        self.from_logits = from_logits
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        config = super().get_config()
        fn = config.pop("fn")         # tf_keras lists the focal options again, then fn last
        config.update(apply_class_balancing=self.apply_class_balancing, alpha=self.alpha,
                      gamma=self.gamma, fn=fn)
        return config


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=Reduction.AUTO,
                 name="categorical_crossentropy"):
        _inputs.check_range("label_smoothing", label_smoothing, 0.0, 1.0)
        super().__init__(categorical_crossentropy, name=name, reduction=reduction,
                         from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=_inputs.check_axis(axis))


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, ignore_class=None, reduction=Reduction.AUTO,
                 name="sparse_categorical_crossentropy"):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         from_logits=from_logits, ignore_class=ignore_class)


class KLDivergence(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="kl_divergence"):
        super().__init__(kl_divergence, name=name, reduction=reduction)


class Poisson(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="poisson"):
        super().__init__(poisson, name=name, reduction=reduction)


__all__ = [
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy", "KLDivergence",
    "Poisson", "SparseCategoricalCrossentropy", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_crossentropy", "kl_divergence", "poisson", "sparse_categorical_crossentropy",
]
