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
import math

import numpy as np

# -- element-wise arithmetic (numpy's ufuncs are already single fused loops) ------
add = np.add
subtract = np.subtract
multiply = np.multiply
true_divide = np.true_divide


def div_no_nan(x, y):
    """x / y, and 0 wherever y == 0 (even for x == 0 or inf)."""
    if np.ndim(x) == 0 and np.ndim(y) == 0:     # a metric's total / count: skip the masks
        dtype = np.result_type(x, y)
        return np.zeros((), dtype) if y == 0 else np.asarray(np.divide(x, y), dtype)
    zero = y == 0
    return np.where(zero, np.zeros((), np.result_type(x, y)), x / np.where(zero, 1, y))


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


def bias_activation(z, bias, relu):
    """z + bias, then max(., 0) if ``relu``: in place on ``z``, a fresh matmul result."""
    np.add(z, bias, out=z)
    if relu:
        np.maximum(z, 0, out=z)
    return z


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


# -- sliding windows over NHWC images: convolution and pooling ---------------------------
# Shared by the window kernels: ``strides``, ``dilations`` and ``ksize`` are (rows, columns)
# pairs, ``pads`` is (top, bottom, left, right), already worked out by the op (SAME puts
# the odd pixel at the end). Every kernel loops over the kernel's taps (a, b), not over
# output pixels: each tap is one strided slice of the padded input, so the work per tap
# is a whole-array numpy operation.

def _pad_hw(x, pads, value=0.0):
    top, bottom, left, right = pads
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def _out_hw(padded_hw, ksize, strides, dilations=(1, 1)):
    """Output rows and columns: how many window positions fit in the padded image."""
    return tuple((p - (k - 1) * d - 1) // s + 1
                 for p, k, s, d in zip(padded_hw, ksize, strides, dilations))


def _tap(padded, a, b, out_hw, strides, dilations=(1, 1)):
    """The cells kernel tap (a, b) reads, for every output pixel: a strided view.

    >>> _tap(np.arange(16.0).reshape(1, 4, 4, 1), 1, 1, (2, 2), (2, 2))[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    (oh, ow), (sh, sw), (dh, dw) = out_hw, strides, dilations
    return padded[:, a * dh: a * dh + sh * (oh - 1) + 1: sh, b * dw: b * dw + sw * (ow - 1) + 1: sw, :]


def _crop(padded, pads, input_hw):
    top, _, left, _ = pads
    return padded[:, top: top + input_hw[0], left: left + input_hw[1], :]


def conv2d(x, w, strides, pads, dilations):
    """y[n, i, j, o] = sum over a, b, c of xpad[n, i*sh + a*dh, j*sw + b*dw, c] * w[a, b, c, o]."""
    xp = _pad_hw(x, pads)
    out_hw = _out_hw(xp.shape[1:3], w.shape[:2], strides, dilations)
    y = np.zeros((x.shape[0],) + out_hw + (w.shape[3],), np.result_type(x, w))
    for a, b in np.ndindex(*w.shape[:2]):
        y += _tap(xp, a, b, out_hw, strides, dilations) @ w[a, b]
    return y


def conv2d_backprop_input(input_shape, w, dy, strides, pads, dilations):
    """d conv2d / d x: each tap sends dy @ w[a, b]^T back to the cells it read."""
    n, h, wd, c = input_shape
    top, bottom, left, right = pads
    dxp = np.zeros((n, h + top + bottom, wd + left + right, c), dy.dtype)
    for a, b in np.ndindex(*w.shape[:2]):
        window = _tap(dxp, a, b, dy.shape[1:3], strides, dilations)   # a view into dxp
        window += dy @ w[a, b].T
    return np.ascontiguousarray(_crop(dxp, pads, (h, wd)))


def conv2d_backprop_filter(x, filter_shape, dy, strides, pads, dilations):
    """d conv2d / d w: dw[a, b] = (cells tap (a, b) read)^T @ dy, summed over all pixels."""
    xp = _pad_hw(x, pads)
    kh, kw, c, o = filter_shape
    dw = np.empty(filter_shape, dy.dtype)
    for a, b in np.ndindex(kh, kw):
        window = _tap(xp, a, b, dy.shape[1:3], strides, dilations)
        dw[a, b] = window.reshape(-1, c).T @ dy.reshape(-1, o)
    return dw


def max_pool(x, ksize, strides, pads):
    """The largest cell of each window; padding cells are -inf, so they never win."""
    xp = _pad_hw(x, pads, -np.inf)
    out_hw = _out_hw(xp.shape[1:3], ksize, strides)
    y = np.full((x.shape[0],) + out_hw + (x.shape[3],), -np.inf, x.dtype)
    for a, b in np.ndindex(*ksize):
        np.maximum(y, _tap(xp, a, b, out_hw, strides), out=y)
    return y


def _first_max_tap(xp, ksize, strides, out_hw):
    """For each output pixel, the index of the tap holding its window's maximum; on a tie
    the first in window order (row by row), where TensorFlow sends the gradient."""
    best = np.full((xp.shape[0],) + out_hw + (xp.shape[3],), -np.inf, xp.dtype)
    arg = np.zeros(best.shape, np.int64)
    for t, (a, b) in enumerate(np.ndindex(*ksize)):
        v = _tap(xp, a, b, out_hw, strides)
        better = v > best        # strictly greater: an equal later cell does not take over
        best[better] = v[better]
        arg[better] = t
    return arg


def max_pool_grad(x, dy, ksize, strides, pads):
    """dy of each window goes to the window's (first) maximum cell."""
    xp = _pad_hw(x, pads, -np.inf)
    arg = _first_max_tap(xp, ksize, strides, dy.shape[1:3])
    dxp = np.zeros(xp.shape, dy.dtype)
    for t, (a, b) in enumerate(np.ndindex(*ksize)):
        window = _tap(dxp, a, b, dy.shape[1:3], strides)
        window += np.where(arg == t, dy, 0)
    return np.ascontiguousarray(_crop(dxp, pads, x.shape[1:3]))


def max_pool_grad_grad(x, u, ksize, strides, pads):
    """The adjoint of max_pool_grad in its dy: u read at each window's (first) maximum."""
    xp = _pad_hw(x, pads, -np.inf)
    out_hw = _out_hw(xp.shape[1:3], ksize, strides)
    arg = _first_max_tap(xp, ksize, strides, out_hw)
    up = _pad_hw(u, pads)
    out = np.zeros(arg.shape, u.dtype)
    for t, (a, b) in enumerate(np.ndindex(*ksize)):
        out += np.where(arg == t, _tap(up, a, b, out_hw, strides), 0)
    return out


def _window_counts(input_hw, ksize, strides, pads, dtype):
    """How many real (not padding) cells each window covers: avg_pool divides by it."""
    ones = _pad_hw(np.ones((1,) + tuple(input_hw) + (1,), dtype), pads)
    out_hw = _out_hw(ones.shape[1:3], ksize, strides)
    counts = np.zeros((1,) + out_hw + (1,), dtype)
    for a, b in np.ndindex(*ksize):
        counts += _tap(ones, a, b, out_hw, strides)
    return counts


def avg_pool(x, ksize, strides, pads):
    """The mean of each window's real cells (SAME padding cells are not counted)."""
    xp = _pad_hw(x, pads)
    out_hw = _out_hw(xp.shape[1:3], ksize, strides)
    total = np.zeros((x.shape[0],) + out_hw + (x.shape[3],), x.dtype)
    for a, b in np.ndindex(*ksize):
        total += _tap(xp, a, b, out_hw, strides)
    return total / _window_counts(x.shape[1:3], ksize, strides, pads, x.dtype)


def avg_pool_grad(input_shape, dy, ksize, strides, pads):
    """Each window shares dy / count out among its cells."""
    n, h, w, c = input_shape
    top, bottom, left, right = pads
    share = dy / _window_counts((h, w), ksize, strides, pads, dy.dtype)
    dxp = np.zeros((n, h + top + bottom, w + left + right, c), dy.dtype)
    for a, b in np.ndindex(*ksize):
        window = _tap(dxp, a, b, dy.shape[1:3], strides)
        window += share
    return np.ascontiguousarray(_crop(dxp, pads, (h, w)))


# -- normalization over rows ----------------------------------------------------------------
# The ops lay the data out as a matrix first: batch norm as (samples, channels), statistics
# down the columns; layer norm as (samples, features), statistics along the rows.

def batch_norm_training(x, scale, offset, epsilon):
    """Per column: y = (x - mean) / sqrt(var + eps) * scale + offset, var biased (/ n)."""
    mean = np.mean(x, axis=0)
    variance = np.mean(np.square(x - mean), axis=0)
    inv = (1 / np.sqrt(variance + epsilon)).astype(x.dtype, copy=False)
    return (x - mean) * inv * scale + offset, mean, variance


def batch_norm_training_grad(dy, x, scale, dmean, dvariance, epsilon):
    """Gradients of batch_norm_training's three outputs, back to (x, scale, offset).

        xhat = (x - mean) * inv                       # inv = 1 / sqrt(var + eps)
        doffset = sum(dy);  dscale = sum(dy * xhat)   # down the columns
        dx = scale * inv * (dy - (doffset + xhat * dscale) / n)
             + dmean / n + dvariance * 2 * (x - mean) / n
    """
    n = x.shape[0]
    mean = np.mean(x, axis=0)
    centered = x - mean
    inv = (1 / np.sqrt(np.mean(np.square(centered), axis=0) + epsilon)).astype(x.dtype, copy=False)
    xhat = centered * inv
    doffset = np.sum(dy, axis=0)
    dscale = np.sum(dy * xhat, axis=0)
    dx = scale * inv * (dy - (doffset + xhat * dscale) / n) + (dmean + 2 * dvariance * centered) / n
    return dx.astype(x.dtype, copy=False), dscale, doffset


def layer_norm(x, scale, offset, epsilon):
    """Per row: y = (x - mean) / sqrt(var + eps) * scale + offset, var biased."""
    mean = np.mean(x, axis=1, keepdims=True)
    centered = x - mean
    inv = (1 / np.sqrt(np.mean(np.square(centered), axis=1, keepdims=True) + epsilon))
    return centered * inv.astype(x.dtype, copy=False) * scale + offset


def layer_norm_grad(dy, x, scale, epsilon):
    """Gradients of layer_norm back to (x, scale, offset).

        g = dy * scale;  xhat = (x - mean) * inv       # per row
        dx = inv * (g - mean(g) - xhat * mean(g * xhat))
        dscale = sum over rows of dy * xhat;  doffset = sum over rows of dy
    """
    mean = np.mean(x, axis=1, keepdims=True)
    centered = x - mean
    inv = (1 / np.sqrt(np.mean(np.square(centered), axis=1, keepdims=True) + epsilon))
    inv = inv.astype(x.dtype, copy=False)
    xhat = centered * inv
    g = dy * scale
    dx = inv * (g - np.mean(g, axis=1, keepdims=True) - xhat * np.mean(g * xhat, axis=1, keepdims=True))
    return dx, np.sum(dy * xhat, axis=0), np.sum(dy, axis=0)


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


# -- the error function (for gelu) ----------------------------------------------------
# math.erf / math.erfc per element in float64, rounded once to the input's dtype:
# numpy has no erf, and an element loop is the plainest correct definition.
_erf_float64 = np.vectorize(math.erf, otypes=[np.float64])
_erfc_float64 = np.vectorize(math.erfc, otypes=[np.float64])


def erf(x):
    """2 / sqrt(pi) * integral of exp(-t**2) from 0 to x."""
    return np.asarray(_erf_float64(x)).astype(x.dtype, copy=False)


def erfc(x):
    """1 - erf(x), accurate where erf(x) is close to 1 (large x)."""
    return np.asarray(_erfc_float64(x)).astype(x.dtype, copy=False)


# -- optimizer updates: one step of each optimizer on one variable ----------------------
# Each takes the variable's array, its gradient and its slot arrays, and returns the new
# arrays (variable first, then the slots in the order given). Scalars arrive already in
# the variable's dtype, computed by the optimizer exactly as tf_keras computes them, so
# every element goes through the same float32 operations, in the same order, as in
# tf_keras's ``update_step`` (``refkeras/optimizers/<name>.py`` shows each rule).

def weight_decay_update(var, weight_decay, lr):
    """var - var * wd * lr (the decay every optimizer applies before its update)."""
    return var - var * weight_decay * lr


def sgd_update(var, grad, m, lr, momentum, nesterov):
    # EXERCISE 5.1: the SGD update with momentum and Nesterov | OPT.RULES
    # hint: m = momentum * m - lr * grad; return (var + m, m), or with nesterov (var +
    # hint: momentum * m - lr * grad, m). Keep tf_keras's order of operations: -grad *
    # hint: lr + m * momentum.
    m = -grad * lr + m * momentum
    if nesterov:
        return var + (-grad * lr + m * momentum), m
    return var + m, m
    # END EXERCISE 5.1


def rmsprop_update(var, grad, velocity, momentum_slot, average_grad, lr, rho, one_minus_rho,
                   momentum, epsilon):
    """momentum_slot / average_grad are None when momentum == 0 / not centered."""
    # EXERCISE 5.2: the RMSprop update (centered, with momentum) | OPT.RULES
    # hint: velocity = rho * velocity + (1 - rho) * grad**2; centered: also average_grad
    # hint: = rho * average_grad + (1 - rho) * grad and subtract average_grad**2 from
    # hint: the denominator; increment = lr * grad / sqrt(velocity + epsilon) (epsilon
    # hint: inside the root); with momentum: momentum_slot = momentum * momentum_slot +
    # hint: increment is what var loses. Return (var, velocity, momentum_slot,
    # hint: average_grad).
    velocity = rho * velocity + one_minus_rho * np.square(grad)
    if average_grad is not None:
        average_grad = rho * average_grad + one_minus_rho * grad
        denominator = velocity - np.square(average_grad) + epsilon
    else:
        denominator = velocity + epsilon
    increment = lr * grad * (1 / np.sqrt(denominator))
    if momentum_slot is not None:
        momentum_slot = momentum * momentum_slot + increment
        return var - momentum_slot, velocity, momentum_slot, average_grad
    return var - increment, velocity, momentum_slot, average_grad
    # END EXERCISE 5.2


def adam_update(var, grad, m, v, v_hat, alpha, one_minus_beta_1, one_minus_beta_2, epsilon):
    """Adam and AdamW; v_hat is None unless amsgrad."""
    # EXERCISE 5.3: the Adam update (and amsgrad) | OPT.RULES
    # hint: m += (grad - m) * (1 - beta_1); v += (grad**2 - v) * (1 - beta_2); var -= m
    # hint: * alpha / (sqrt(v) + epsilon), where alpha already holds the bias correction
    # hint: lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) (see Adam._step_scalars); amsgrad
    # hint: uses v_hat = max(v_hat, v) in the root. Return (var, m, v, v_hat).
    m = m + (grad - m) * one_minus_beta_1
    v = v + (np.square(grad) - v) * one_minus_beta_2
    if v_hat is not None:
        v_hat = np.maximum(v_hat, v)
        return var - m * alpha / (np.sqrt(v_hat) + epsilon), m, v, v_hat
    return var - m * alpha / (np.sqrt(v) + epsilon), m, v, v_hat
    # END EXERCISE 5.3


def adagrad_update(var, grad, accumulator, lr, epsilon):
    accumulator = accumulator + grad * grad
    return var - lr * grad / np.sqrt(accumulator + epsilon), accumulator


def adadelta_update(var, grad, accumulated_grad, accumulated_delta_var, lr, rho, one_minus_rho,
                    epsilon):
    accumulated_grad = rho * accumulated_grad + one_minus_rho * grad * grad
    delta_var = -np.sqrt(accumulated_delta_var + epsilon) * grad / np.sqrt(accumulated_grad + epsilon)
    accumulated_delta_var = rho * accumulated_delta_var + one_minus_rho * delta_var * delta_var
    return var + lr * delta_var, accumulated_grad, accumulated_delta_var


def adamax_update(var, grad, m, u, lr, one_minus_beta_1, beta_2, one_minus_beta_1_power, epsilon):
    m = m + (grad - m) * one_minus_beta_1
    u = np.maximum(beta_2 * u, np.abs(grad))
    return var - lr * m / (one_minus_beta_1_power * (u + epsilon)), m, u


def nadam_update(var, grad, m, v, lr, one_minus_beta_1, one_minus_beta_2, u_t_1,
                 one_minus_u_product_t_1, one_minus_u_t, one_minus_u_product_t,
                 one_minus_beta_2_power, epsilon):
    m = m + (grad - m) * one_minus_beta_1
    v = v + (np.square(grad) - v) * one_minus_beta_2
    m_hat = u_t_1 * m / one_minus_u_product_t_1 + one_minus_u_t * grad / one_minus_u_product_t
    v_hat = v / one_minus_beta_2_power
    return var - m_hat * lr / (np.sqrt(v_hat) + epsilon), m, v


def ftrl_update(var, grad, accumulator, linear, lr, power, shrinkage, l1, two_l2):
    """power = -learning_rate_power; shrinkage = 2 * l2_shrinkage; two_l2 = 2 * (l2 + beta / (2 lr))."""
    grad_to_use = grad + shrinkage * var
    new_accumulator = accumulator + grad * grad      # exact: tf's vectorised pow(g, 2) is within 2 ulp
    new_power = np.power(new_accumulator, power)
    linear = linear + (grad_to_use - (new_power - np.power(accumulator, power)) / lr * var)
    quadratic = new_power / lr + two_l2
    var = (np.clip(linear, -l1, l1) - linear) / quadratic
    return var, new_accumulator, linear
