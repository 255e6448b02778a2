"""The activation functions of ``keras.activations``, each built from refkeras ops.

Clauses: LAYER.NUMERIC.ACTIVATION, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``softmax`` and ``sigmoid`` leave their input on the output as ``_keras_logits``, as
tf_keras does; the cross-entropy losses then use those logits (clause LOSS.BUILTIN).

Each function computes exactly what tf_keras 2.21 computes, through the same
sequence of ops, so that values *and* gradients at the kinks match (e.g. relu's
gradient is 0 at 0, hard_sigmoid's passes at the clip bounds, relu with
max_value=6 and no threshold uses relu6, whose gradient is 0 at 6). Every
function takes a Tensor (or anything convertible) and returns a new Tensor,
except ``linear``, which returns its input itself. Formulas:

    relu(x, alpha=0, max_value=None, threshold=0):
        alpha != 0 and max_value is None and threshold == 0 -> leaky_relu(x, alpha)
        y = x * (x > threshold) if threshold != 0 else relu6(x) if max_value == 6 else relu(x)
        y = clip(y, 0, max_value) if max_value is not None (and relu6 was not used)
        y = y - alpha * relu(threshold - x) if alpha != 0
    sigmoid(x)      = 1 / (1 + exp(-x))
    softmax(x, axis=-1) = exp(x - max) / sum(exp(x - max)); rank <= 1 is a ValueError
    tanh, exponential = tanh(x), exp(x);  linear(x) = x
    elu(x, alpha=1) = x if x > 0 else alpha * (exp(x) - 1)
    selu(x)         = 1.0507009873554805 * (x if x >= 0 else 1.6732632423543772 * (exp(x) - 1))
    softplus(x)     = log(1 + exp(x));  softsign(x) = x / (1 + |x|)
    swish(x)        = x * sigmoid(x)                       (the string "silu" too)
    gelu(x)         = 0.5 * x * erfc(-x / sqrt(2))
    gelu(x, approximate=True) = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))
    hard_sigmoid(x) = clip(0.2 * x + 0.5, 0, 1)             (Keras 2's slope 0.2)
    mish(x)         = x * tanh(softplus(x))

>>> relu([-1.0, 0.5, 8.0], max_value=6.0).numpy()
array([0. , 0.5, 6. ], dtype=float32)
"""
from refkeras.framework.convert import convert_to_tensor
from refkeras.ops import array_ops, clip_ops, math_ops, nn_ops, reduction_ops


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis`` (an int, or a tuple of ints); rank >= 2."""
    x = convert_to_tensor(x)
    if len(x.shape) <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x.numpy()}")
    # EXERCISE 2.4: softmax | LAYER.NUMERIC.ACTIVATION LAYER.NUMERIC.SOFTMAX
    # hint: exp(x - max(x)) / sum(exp(x - max(x))) along axis (subtracting the max keeps
    # hint: exp from overflowing); nn_ops.softmax does one int axis. Return it through
    # hint: _mark_logits(output, x), so the cross-entropy losses can use the logits.
    if isinstance(axis, int):
        return _mark_logits(nn_ops.softmax(x, axis=axis), x)
    # tf.nn.softmax takes one axis: over several, the formula is written out
    numerator = math_ops.exp(x - reduction_ops.reduce_max(x, axis=axis, keepdims=True))
    return _mark_logits(numerator / reduction_ops.reduce_sum(numerator, axis=axis, keepdims=True), x)
    # END EXERCISE 2.4


def _mark_logits(output, logits):
    """Remember the logits on the output, as tf_keras does: the cross-entropy losses
    then compute from the logits (no clipping), see refkeras/losses/probabilistic.py."""
    output._keras_logits = logits
    return output


def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    x = convert_to_tensor(x)
    res = nn_ops.elu(x)
    if alpha == 1:
        return res
    return array_ops.where(x > 0, res, alpha * res)


def selu(x):
    """The self-normalising elu (Klambauer et al., 2017)."""
    return nn_ops.selu(x)


def softplus(x):
    """log(exp(x) + 1)."""
    return nn_ops.softplus(x)


def softsign(x):
    """x / (abs(x) + 1)."""
    return nn_ops.softsign(x)


def swish(x):
    """x * sigmoid(x), also called silu."""
    return nn_ops.silu(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """The rectifier, with tf_keras's options: a leak ``alpha`` below ``threshold``,
    a cap ``max_value``, a ``threshold`` below which values are cut."""
    x = convert_to_tensor(x)
    # EXERCISE 2.3: relu with alpha, max_value and threshold | LAYER.NUMERIC.ACTIVATION LAYER.NUMERIC.RELU
    # hint: y = x where x > threshold else 0 (nn_ops.relu when threshold is 0), capped
    # hint: at max_value (max_value == 6 is nn_ops.relu6); with alpha, subtract alpha *
    # hint: relu(threshold - x) (alpha with neither option is nn_ops.leaky_relu).
    if alpha != 0.0:
        if max_value is None and threshold == 0:
            return nn_ops.leaky_relu(x, alpha=alpha)
        negative_part = nn_ops.relu(-x + threshold) if threshold != 0 else nn_ops.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        y = x * math_ops.cast(x > threshold, x.dtype)
    elif max_value == 6:
        y = nn_ops.relu6(x)   # TensorFlow's fused op: gradient 0 at 6, unlike clipping
        clip_max = False
    else:
        y = nn_ops.relu(x)
    if clip_max:
        y = clip_ops.clip_by_value(y, 0, max_value)
    if alpha != 0.0:
        y = y - alpha * negative_part
    return y
    # END EXERCISE 2.3


def gelu(x, approximate=False):
    """The Gaussian error linear unit (Hendrycks and Gimpel, 2016)."""
    return nn_ops.gelu(x, approximate)


def tanh(x):
    """Hyperbolic tangent."""
    return math_ops.tanh(x)


def sigmoid(x):
    """1 / (1 + exp(-x)); the output remembers ``x`` as its logits (see ``softmax``)."""
    x = convert_to_tensor(x)
    return _mark_logits(math_ops.sigmoid(x), x)


def exponential(x):
    """exp(x)."""
    return math_ops.exp(x)


def hard_sigmoid(x):
    """A piecewise-linear sigmoid: clip(0.2 * x + 0.5, 0, 1)."""
    x = convert_to_tensor(x)
    return clip_ops.clip_by_value(math_ops.add(math_ops.multiply(x, 0.2), 0.5), 0.0, 1.0)


def linear(x):
    """The identity: returns ``x`` itself."""
    return x


def mish(x):
    """x * tanh(softplus(x)) (Misra, 2019)."""
    x = convert_to_tensor(x)
    return x * math_ops.tanh(nn_ops.softplus(x))


__all__ = ["elu", "exponential", "gelu", "hard_sigmoid", "linear", "mish", "relu", "selu",
           "sigmoid", "softmax", "softplus", "softsign", "swish", "tanh"]
