"""Float64 numpy oracles of the built-in layers (clauses LAYER.NUMERIC.* of docs/spec.md).

Rule: each function computes one layer's forward pass from its documented formula,
in float64, channels last, with the layer's weights passed in the order of
``layer.weights``. The conformance tests compare a backend's float32 outputs with
these values and its gradients with finite differences of them, so both backends
answer to the same oracle. Owned by the conformance suite; no backend is imported.

>>> import numpy as np
>>> dense(np.ones((1, 2)), np.ones((2, 3)), np.zeros(3)).tolist()
[[2.0, 2.0, 2.0]]
>>> same_padding(size=5, kernel=3, stride=2, dilation=1)
(1, 1)
"""
import math

import numpy as np

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

# ---------------------------------------------------------------- activations


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))   # shift: same value, no overflow
    return e / np.sum(e, axis=axis, keepdims=True)


def gelu(x):
    """The exact gelu (tf_keras's default, approximate=False): 0.5 x (1 + erf(x / sqrt 2))."""
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": sigmoid,
    "softmax": softmax,
    "tanh": np.tanh,
    "linear": lambda x: x,
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "softplus": lambda x: np.logaddexp(0.0, x),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "swish": lambda x: x * sigmoid(x),
    "gelu": gelu,
    "exponential": np.exp,
    "hard_sigmoid": lambda x: np.clip(0.2 * x + 0.5, 0.0, 1.0),
}


def activation(name, x):
    return ACTIVATIONS[name](x)


def relu(x, max_value=None, negative_slope=0.0, threshold=0.0):
    """layers.ReLU: x for threshold <= x < max_value, max_value above it,
    negative_slope * (x - threshold) below the threshold."""
    y = np.where(x >= threshold, x, negative_slope * (x - threshold))
    return y if max_value is None else np.minimum(y, max_value)


def leaky_relu(x, alpha=0.3):
    return np.where(x > 0, x, alpha * x)


# ---------------------------------------------------------------- core


def dense(x, kernel, bias=None):
    """x @ kernel + bias on the last axis (any leading axes)."""
    y = np.tensordot(x, kernel, axes=([-1], [0]))
    return y if bias is None else y + bias


def embedding(ids, table):
    return table[np.asarray(ids)]


def flatten(x):
    return x.reshape(x.shape[0], -1)


def reshape(x, target_shape):
    return x.reshape((x.shape[0],) + tuple(target_shape))


def permute(x, dims):
    """dims index the non-batch axes from 1, as in layers.Permute."""
    return np.transpose(x, (0,) + tuple(dims))


def repeat_vector(x, n):
    return np.repeat(x[:, None, :], n, axis=1)


# ---------------------------------------------------------------- merging

MERGES = {
    "Add": lambda xs: sum(xs[1:], xs[0]),
    "Subtract": lambda xs: xs[0] - xs[1],
    "Multiply": lambda xs: np.prod(np.stack(xs), axis=0),
    "Average": lambda xs: np.mean(np.stack(xs), axis=0),
    "Maximum": lambda xs: np.max(np.stack(xs), axis=0),
    "Minimum": lambda xs: np.min(np.stack(xs), axis=0),
}


def merge(kind, xs):
    return MERGES[kind](xs)


def concatenate(xs, axis=-1):
    return np.concatenate(xs, axis=axis)


# ---------------------------------------------------------------- convolution and pooling


def same_padding(size, kernel, stride, dilation):
    """TensorFlow's SAME padding of one spatial axis: the output has ceil(size / stride)
    positions, and an odd total padding puts the extra element after (bottom/right)."""
    span = (kernel - 1) * dilation + 1
    total = max((math.ceil(size / stride) - 1) * stride + span - size, 0)
    return total // 2, total - total // 2


def _pads(spatial, kernel, strides, dilation, padding):
    if padding == "valid":
        return [(0, 0)] * len(spatial)
    if padding == "causal":   # Conv1D only: all the padding before, so no output sees the future
        return [((kernel[0] - 1) * dilation[0], 0)]
    return [same_padding(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation)]


def _window(x, start, count, stride):
    """x[:, start : start + (count-1)*stride + 1 : stride] along axis 1 (and 2 for 4-D x)."""
    index = [slice(None)]
    for a in range(len(start)):
        index.append(slice(start[a], start[a] + (count[a] - 1) * stride[a] + 1, stride[a]))
    return x[tuple(index)]


def conv_nd(x, kernel, bias=None, strides=None, padding="valid", dilation=None):
    """Channels-last convolution (cross-correlation) of rank 1 or 2; kernel is
    (*window, in_channels, out_channels) as in Conv1D/Conv2D."""
    rank = kernel.ndim - 2
    strides = tuple(strides or (1,) * rank)
    dilation = tuple(dilation or (1,) * rank)
    window = kernel.shape[:rank]
    pads = _pads(x.shape[1:1 + rank], window, strides, dilation, padding)
    x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    count = [(x.shape[1 + a] - (window[a] - 1) * dilation[a] - 1) // strides[a] + 1
             for a in range(rank)]
    out = np.zeros((x.shape[0], *count, kernel.shape[-1]))
    for offset in np.ndindex(*window):
        start = [offset[a] * dilation[a] for a in range(rank)]
        out += _window(x, start, count, strides) @ kernel[offset]
    return out if bias is None else out + bias


def pool_nd(x, pool_size, strides=None, padding="valid", kind="max"):
    """Channels-last max or average pooling of rank 1 or 2. SAME average pooling
    divides by the number of real (unpadded) elements in each window."""
    rank = x.ndim - 2
    strides = tuple(strides or pool_size)
    pads = _pads(x.shape[1:1 + rank], pool_size, strides, (1,) * rank, padding)
    full = [(0, 0)] + pads + [(0, 0)]
    fill = -np.inf if kind == "max" else 0.0
    padded = np.pad(x, full, constant_values=fill)
    real = np.pad(np.ones_like(x), full)
    count = [(padded.shape[1 + a] - pool_size[a]) // strides[a] + 1 for a in range(rank)]
    windows = [_window(padded, offset, count, strides) for offset in np.ndindex(*pool_size)]
    if kind == "max":
        return np.max(np.stack(windows), axis=0)
    counts = sum(_window(real, offset, count, strides) for offset in np.ndindex(*pool_size))
    return np.sum(np.stack(windows), axis=0) / counts


def global_pool(x, kind="max", keepdims=False):
    axes = tuple(range(1, x.ndim - 1))
    reduce = np.max if kind == "max" else np.mean
    return reduce(x, axis=axes, keepdims=keepdims)


# ---------------------------------------------------------------- normalization


def batch_normalization(x, gamma, beta, moving_mean, moving_variance, *, training,
                        epsilon=1e-3):
    """training=True normalizes with the batch mean and biased variance over every axis
    but the last; otherwise with the moving statistics."""
    axes = tuple(range(x.ndim - 1))
    mean = np.mean(x, axis=axes) if training else moving_mean
    variance = np.var(x, axis=axes) if training else moving_variance
    return (x - mean) / np.sqrt(variance + epsilon) * gamma + beta


def layer_normalization(x, gamma, beta, epsilon=1e-3):
    mean = np.mean(x, axis=-1, keepdims=True)
    variance = np.var(x, axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + epsilon) * gamma + beta


__all__ = [
    "ACTIVATIONS",
    "MERGES",
    "activation",
    "batch_normalization",
    "concatenate",
    "conv_nd",
    "dense",
    "embedding",
    "flatten",
    "gelu",
    "global_pool",
    "layer_normalization",
    "leaky_relu",
    "merge",
    "permute",
    "pool_nd",
    "relu",
    "repeat_vector",
    "reshape",
    "same_padding",
    "sigmoid",
    "softmax",
]
