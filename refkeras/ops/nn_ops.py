"""Neural-network ops (``tf.nn``): activations, softmax, cross-entropies.

Clauses: OPS.VALUES, TAPE.GRADIENT_VALUES, OPS.SUBGRADIENTS (docs/spec.md).

``relu``, ``softmax``, ``log_softmax``, ``softplus`` and ``elu`` have their own
kernels (fused in ``kernels/fast_ops.py``) and gradient rules; the rest are built
from other ops and are differentiated through them. The gradient of ``relu`` at 0
is 0, and ``leaky_relu``'s is ``alpha``, as in TensorFlow.

    softmax(x)_i     = exp(x_i - max x) / sum_j exp(x_j - max x)
    d softmax        = y * (dy - sum(dy * y))              # y = softmax(x)
    log_softmax(x)_i = x_i - max x - log(sum_j exp(x_j - max x))
    d log_softmax    = dy - exp(y) * sum(dy)              # y = log_softmax(x)

>>> import refkeras.ops as ops
>>> ops.nn.softmax(ops.constant([[1.0, 2.0, 3.0]])).numpy().round(4)
array([[0.09  , 0.2447, 0.6652]], dtype=float32)
"""

import numpy as np

from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import array_ops, creation_ops, math_ops, reduction_ops
from refkeras.ops._core import (
    InvalidArgumentError,
    emit,
    float_tensor,
    normalize_axis,
    unary,
)

# Convolution, pooling and normalization have modules of their own; tf.nn names them here.
from refkeras.ops.conv_ops import conv1d, conv2d
from refkeras.ops.normalization_ops import batch_normalization
from refkeras.ops.pooling_ops import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d


def relu(features, name=None):
    """max(x, 0)."""
    return unary("Relu", kernels.relu, features)


@register_gradient("Relu")
def _relu_grad(op, dy):
    return relu_grad(op.inputs[0], dy)


def relu_grad(x, dy):
    """dy where x > 0, else 0, as one fused op."""
    return emit("ReluGrad", kernels.relu_grad, (x, dy))


@register_gradient("ReluGrad")
def _relu_grad_grad(op, u):
    x, _ = op.inputs
    return None, relu_grad(x, u)


def elu(features, alpha=1.0, name=None):
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    return unary("Elu", kernels.elu, features, alpha=alpha)


@register_gradient("Elu")
def _elu_grad(op, dy):
    x, y = op.inputs[0], op.outputs[0]
    return array_ops.where(x > 0, dy, dy * (y + op.attrs["alpha"]))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(features, name=None):
    """scale * elu(x, alpha) with the self-normalising constants; at 0 the gradient is
    scale (TensorFlow's Selu takes the linear branch for x >= 0)."""
    x = float_tensor(features, "Selu")
    return _SELU_SCALE * array_ops.where(x < 0, elu(x, alpha=_SELU_ALPHA), x)


def relu6(features, name=None):
    """min(max(x, 0), 6); the gradient is 1 strictly inside (0, 6) and 0 elsewhere,
    at both kinks too, as TensorFlow's Relu6."""
    x = float_tensor(features, "Relu6")
    bounded = math_ops.minimum(math_ops.maximum(x, 0.0), 6.0)
    return array_ops.where((x > 0) & (x < 6), bounded, math_ops.stop_gradient(bounded))


_SQRT_HALF = 0.7071067811865476       # 1 / sqrt(2)
_SQRT_TWO_OVER_PI = 0.7978845608028654


def gelu(features, approximate=False, name=None):
    """x * P(X <= x) for a standard normal X, in TensorFlow's forms::

        exact:       0.5 * x * erfc(-x / sqrt(2))
        approximate: 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))
    """
    x = creation_ops.convert_to_tensor(features)
    if x.dtype.kind != "f":
        raise ValueError("`features.dtype` must be a floating point tensor."
                         f"Received:features.dtype=<dtype: '{x.dtype.name}'>")
    if approximate:
        inner = _SQRT_TWO_OVER_PI * (x + 0.044715 * math_ops.pow(x, 3))
        return 0.5 * x * (1.0 + math_ops.tanh(inner))
    return 0.5 * x * math_ops.erfc(-x * _SQRT_HALF)


def softplus(features, name=None):
    """log(1 + exp(x)), without overflow."""
    return unary("Softplus", kernels.softplus, features)


@register_gradient("Softplus")
def _softplus_grad(op, dy):
    return dy * math_ops.sigmoid(op.inputs[0])


def softsign(features, name=None):
    """x / (1 + |x|)."""
    x = float_tensor(features, "Softsign")
    return x / (1.0 + math_ops.abs(x))


def leaky_relu(features, alpha=0.2, name=None):
    """x for x > 0, alpha * x otherwise (gradient alpha at 0)."""
    x = float_tensor(features, "LeakyRelu")
    return array_ops.where(x > 0, x, x * alpha)


def silu(features, beta=1.0, name=None):
    """x * sigmoid(beta * x) (swish)."""
    x = float_tensor(features, "Silu")
    return x * math_ops.sigmoid(beta * x)


swish = silu


def sigmoid(x, name=None):
    return math_ops.sigmoid(x)


def tanh(x, name=None):
    return math_ops.tanh(x)


def softmax(logits, axis=-1, name=None):
    """exp(x) / sum(exp(x)) along ``axis``."""
    x = float_tensor(logits, "Softmax")
    axis = normalize_axis(axis, x._value.ndim, "Softmax")
    return emit("Softmax", kernels.softmax, (x,), {"axis": axis})


@register_gradient("Softmax")
def _softmax_grad(op, dy):
    return softmax_grad(op.outputs[0], dy, op.attrs["axis"])


def softmax_grad(y, dy, axis):
    """y * (dy - sum(dy * y, axis)), as one fused op."""
    return emit("SoftmaxGrad", kernels.softmax_grad, (y, dy), {"axis": axis})


@register_gradient("SoftmaxGrad")
def _softmax_grad_grad(op, u):
    y, dy = op.inputs
    axis = op.attrs["axis"]
    s = reduction_ops.reduce_sum(dy * y, axis, keepdims=True)
    su = reduction_ops.reduce_sum(u * y, axis, keepdims=True)
    return u * (dy - s) - dy * su, softmax_grad(y, u, axis)


def log_softmax(logits, axis=-1, name=None):
    """x - log(sum(exp(x))) along ``axis``, computed stably."""
    x = float_tensor(logits, "LogSoftmax")
    axis = normalize_axis(axis, x._value.ndim, "LogSoftmax")
    return emit("LogSoftmax", kernels.log_softmax, (x,), {"axis": axis})


@register_gradient("LogSoftmax")
def _log_softmax_grad(op, dy):
    axis = op.attrs["axis"]
    return dy - math_ops.exp(op.outputs[0]) * reduction_ops.reduce_sum(dy, axis, keepdims=True)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)), TensorFlow's stable form."""
    x = float_tensor(logits, "SigmoidCrossEntropy")
    z = creation_ops.convert_to_tensor(labels, dtype_hint=x.dtype)
    return math_ops.maximum(x, 0.0) - x * z + math_ops.log1p(math_ops.exp(-math_ops.abs(x)))


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """-sum(labels * log_softmax(logits)) along ``axis``: one op, with TensorFlow's gradient.

    TensorFlow's kernel returns ``softmax(logits) - labels`` as the gradient for the
    logits, which is the true gradient only when each row of labels sums to 1 (the true
    one is ``softmax * sum(labels) - labels``). Keras trains with this op, so multi-hot
    targets under a softmax train the same way here (clause LOSS.GRADIENTS)."""
    x = float_tensor(logits, "SoftmaxCrossEntropyWithLogits")
    z = creation_ops.convert_to_tensor(labels, dtype_hint=x.dtype)
    axis = normalize_axis(axis, x._value.ndim, "SoftmaxCrossEntropyWithLogits")
    return emit("SoftmaxCrossEntropyWithLogits", _softmax_xent_kernel, (x, z), {"axis": axis})


def _softmax_xent_kernel(logits, labels, axis):
    log_p = kernels.log_softmax(logits, axis)
    return -(np.asarray(labels, log_p.dtype) * log_p).sum(axis=axis)


@register_gradient("SoftmaxCrossEntropyWithLogits")
def _softmax_cross_entropy_grad(op, dy):
    x, z = op.inputs
    axis = op.attrs["axis"]
    dy = array_ops.expand_dims(dy, axis)
    return dy * (softmax(x, axis) - z), dy * -log_softmax(x, axis)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """-log_softmax(logits)[label] for integer labels over the last axis.

    As TensorFlow: labels must have the logits' shape without its last axis
    (ValueError), and every label must lie in [0, depth) (InvalidArgumentError)."""
    x = float_tensor(logits, "SparseSoftmaxCrossEntropy")
    labels = creation_ops.convert_to_tensor(labels)
    if tuple(labels.shape) != tuple(x.shape[:-1]):
        raise ValueError("`labels.shape` must equal `logits.shape` except for the last dimension. "
                         f"Received: labels.shape={tuple(labels.shape)} and "
                         f"logits.shape={tuple(x.shape)}")
    return emit("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_kernel, (x, labels))


def _sparse_xent_kernel(logits, labels):
    """-log_softmax(logits)[label]; the label range is checked here, so a replayed plan
    checks every batch's labels as eager execution does."""
    _check_label_range(labels, logits.shape[-1])
    log_p = kernels.log_softmax(logits, logits.ndim - 1)
    index = labels.astype(np.intp)[..., None]
    return -np.take_along_axis(log_p, index, axis=-1)[..., 0]


@register_gradient("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_cross_entropy_grad(op, dy):
    """softmax(logits) - one_hot(labels), TensorFlow's rule; no gradient for labels."""
    x, labels = op.inputs
    hot = creation_ops.one_hot(labels, x._value.shape[-1], dtype=x.dtype)
    return array_ops.expand_dims(dy, -1) * (softmax(x) - hot), None


def _check_label_range(values, depth):
    outside = (values < 0) | (values >= depth)
    if outside.any():
        bad = values[outside].reshape(-1)[0]
        shown = " ".join(str(v) for v in values.reshape(-1)[:10])
        raise InvalidArgumentError(
            f"Received a label value of {bad} which is outside the valid range of [0, {depth}).  "
            f"Label values: {shown}", "SparseSoftmaxCrossEntropyWithLogits")


def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    return reduction_ops.reduce_sum(math_ops.square(t)) / 2.0


def bias_add(value, bias, name=None):
    return math_ops.add(value, bias)


def moments(x, axes, keepdims=False, name=None):
    """(mean, variance) over ``axes``."""
    mean = reduction_ops.reduce_mean(x, axes, keepdims=True)
    variance = reduction_ops.reduce_mean(math_ops.squared_difference(x, mean), axes, keepdims=True)
    if not keepdims:
        mean = array_ops.squeeze(mean, axes)
        variance = array_ops.squeeze(variance, axes)
    return mean, variance




__all__ = [
    "avg_pool1d",
    "avg_pool2d",
    "batch_normalization",
    "bias_add",
    # from conv_ops, pooling_ops, normalization_ops
    "conv1d",
    "conv2d",
    "elu",
    "gelu",
    "l2_loss",
    "leaky_relu",
    "log_softmax",
    "max_pool1d",
    "max_pool2d",
    "moments",
    "relu",
    "relu6",
    "relu_grad",
    "selu",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "silu",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_grad",
    "softplus",
    "softsign",
    "sparse_softmax_cross_entropy_with_logits",
    "swish",
    "tanh",
]
