"""Reference kernels: the math of every op, in plain numpy.

These are the definitions; ``fast_ops.py`` replaces some of them with fused Numba
loops that compute the same values without numpy's temporaries. Run everything on
these with ``REFKERAS_KERNELS=reference`` (see ``kernels/__init__.py``) when you
want to step through the math or rule out a compiled kernel.

Kernels take and return numpy arrays, never Tensors, and never write into their
inputs. They know nothing of tapes or gradients: an op calls a kernel to compute
its output, and the op's gradient rule calls ops (so that it can be recorded).

>>> sigmoid(np.array([0.0], dtype=np.float32))
array([0.5], dtype=float32)
"""
import numpy as np

# -- element-wise arithmetic (numpy's ufuncs are already single fused loops) ------
add = np.add
subtract = np.subtract
multiply = np.multiply
true_divide = np.true_divide
floor_divide = np.floor_divide
floor_mod = np.mod
negative = np.negative
absolute = np.abs
sign = np.sign
square = np.square
maximum = np.maximum
minimum = np.minimum
exp = np.exp
log = np.log
log1p = np.log1p
sqrt = np.sqrt
sin = np.sin
cos = np.cos
tanh = np.tanh
floor = np.floor
ceil = np.ceil
round_half_even = np.round   # numpy rounds half to even, as tf.round does
reciprocal = np.reciprocal


def power(x, y):
    return np.power(x, y)


def rsqrt(x):
    return 1.0 / np.sqrt(x)


def sigmoid(x):
    """1 / (1 + exp(-x)), computed without overflow for large |x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def relu(x):
    return np.maximum(x, 0).astype(x.dtype, copy=False)


def softplus(x):
    """log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))."""
    return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype, copy=False)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


# -- gradients that are cheaper fused than composed -------------------------------

def relu_grad(x, dy):
    """dy where x > 0, else 0 (TensorFlow gives 0 at exactly 0)."""
    return np.where(x > 0, dy, 0).astype(dy.dtype, copy=False)


def sigmoid_grad(y, dy):
    """dy * y * (1 - y), with y = sigmoid(x)."""
    return dy * y * (1 - y)


def tanh_grad(y, dy):
    """dy * (1 - y**2), with y = tanh(x)."""
    return dy * (1 - y * y)


# -- softmax along an axis --------------------------------------------------------

def softmax(x, axis=-1):
    """exp(x - max) / sum(exp(x - max)), along ``axis``."""
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """x - max - log(sum(exp(x - max))), along ``axis``."""
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_grad(y, dy, axis=-1):
    """y * (dy - sum(dy * y)), with y = softmax(x)."""
    return y * (dy - np.sum(dy * y, axis=axis, keepdims=True))


# -- reductions, linear algebra, shapes ----------------------------------------------

def reduce_sum(x, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims)


def reduce_mean(x, axis, keepdims):
    if x.dtype.kind in "iu":   # TensorFlow's integer mean truncates toward zero
        total = np.sum(x, axis=axis, keepdims=keepdims)
        count = x.size // max(total.size, 1) if x.size else 0
        return (total // count if count else total).astype(x.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.mean(x, axis=axis, keepdims=keepdims).astype(x.dtype, copy=False)


def reduce_max(x, axis, keepdims):
    if x.size == 0:
        return np.full(_reduced_shape(x.shape, axis, keepdims), _lowest(x.dtype), x.dtype)
    return np.max(x, axis=axis, keepdims=keepdims)


def reduce_min(x, axis, keepdims):
    if x.size == 0:
        return np.full(_reduced_shape(x.shape, axis, keepdims), _highest(x.dtype), x.dtype)
    return np.min(x, axis=axis, keepdims=keepdims)


def matmul(a, b):
    return np.matmul(a, b)


def sum_to_shape(x, shape):
    """Sum ``x`` over the axes that broadcasting added or stretched, back to ``shape``."""
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, d in enumerate(shape) if d == 1 and x.shape[lead + i] != 1)
    return np.sum(x, axis=axes).reshape(shape) if axes else x.reshape(shape)


def _reduced_shape(shape, axis, keepdims):
    axes = range(len(shape)) if axis is None else axis
    axes = {a % len(shape) for a in axes}
    return tuple(1 if i in axes else d for i, d in enumerate(shape) if keepdims or i not in axes)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max
