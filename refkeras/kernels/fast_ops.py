"""Fused Numba kernels: the same math as ``reference.py``, in fewer passes.

This is the only module that imports numba. Each public function here replaces
the reference kernel of the same name (``kernels/__init__.py`` does the swap) and
must return the same values (``tests/test_kernels.py`` checks it on random inputs).
Compiled code is cached on disk (``cache=True``): only the first process after an
install compiles.

What is fused, and why (measured with ``benchmarks/bench_kernels.py`` on float32
64x512 batches on the 2-core CI machine; numba time vs numpy reference):

    relu_grad     5.0 us vs 36.4 us      sigmoid_grad  5.2 us vs 11.9 us
    tanh_grad     5.0 us vs 10.6 us      softmax_grad 15.3 us vs 24.5 us
    sigmoid      55.7 us vs 72.7 us

* Arithmetic and reductions run as single Numba loops compiled with
  ``fastmath={"reassoc", "contract"}`` only: sums may be reordered and
  multiply-adds fused, which lets LLVM vectorise the loops, while inf and nan keep
  their IEEE meaning.
* ``exp`` stays numpy's: numpy's is SIMD-vectorised, Numba's a scalar libm call per
  element (pip's llvmlite has no SVML), 6x slower. So ``sigmoid`` computes
  ``e = exp(-|x|)`` with numpy, in place, and one Numba loop finishes it::

      e = exp(-|x|)                                   # numpy, in place
      out[i] = (1 if x[i] >= 0 else e[i]) / (1 + e[i])  # numba: never overflows

* softmax, log_softmax, softplus and elu are dominated by ``exp``: on large arrays
  fused versions measured no faster, so the reference kernels serve; softmax and
  log_softmax of small arrays (a classifier's 64x10 outputs) run as one loop, where
  numpy's per-call overhead dominates (see ``_SMALL_SOFTMAX``).
* Parallel loops (``prange``: pooling, batch norm) run on Numba's ``workqueue``
  threading layer unless ``NUMBA_THREADING_LAYER`` says otherwise. OpenMP's
  threads keep spinning after a parallel loop and steal the two cores from
  OpenBLAS's threads in the matrix product that follows: the seed 004 CNN's step
  measured 79-90 ms with OpenMP, 68-76 ms with workqueue.
"""
import os

import numba
import numpy as np
from numba import njit, prange

if "NUMBA_THREADING_LAYER" not in os.environ:
    numba.config.THREADING_LAYER = "workqueue"

_JIT = {"cache": True, "nogil": True, "boundscheck": False, "fastmath": {"reassoc", "contract"}}


# -- element-wise gradients ---------------------------------------------------------

@njit(**_JIT)
def _relu_grad(x, dy, out):
    for i in range(x.size):
        out[i] = dy[i] if x[i] > 0 else 0


# Constants are typed as the array's dtype (``one``): a bare ``1`` would promote
# float32 arithmetic to float64 and halve the loops' speed.

@njit(**_JIT)
def _sigmoid_grad(y, dy, out):
    one = y.dtype.type(1)
    for i in range(y.size):
        out[i] = dy[i] * y[i] * (one - y[i])


@njit(**_JIT)
def _tanh_grad(y, dy, out):
    one = y.dtype.type(1)
    for i in range(y.size):
        out[i] = dy[i] * (one - y[i] * y[i])


@njit(**_JIT)
def _sigmoid_from_exp(x, e, out):
    """out = 1/(1+e) where x >= 0, else e/(1+e); e = exp(-|x|) (never overflows)."""
    one = x.dtype.type(1)
    for i in range(x.size):
        numerator = one if x[i] >= 0 else e[i]
        out[i] = numerator / (one + e[i])


def _flat(x):
    """A contiguous 1-d view or copy of x (ascontiguousarray alone turns 0-d into (1,))."""
    return np.ascontiguousarray(x).reshape(-1)


def _binary(kernel, a, b):
    if a.shape != b.shape:   # the fused loops are element-for-element
        a, b = np.broadcast_arrays(a, b)
    out = np.empty(a.shape, dtype=b.dtype)
    kernel(_flat(a), _flat(b), out.reshape(-1))
    return out


def relu_grad(x, dy):
    return _binary(_relu_grad, x, dy)


def sigmoid_grad(y, dy):
    return _binary(_sigmoid_grad, y, dy)


def tanh_grad(y, dy):
    return _binary(_tanh_grad, y, dy)


def sigmoid(x):
    e = np.empty(x.shape, x.dtype)   # np.abs(x) alone would return a scalar for 0-d x
    np.abs(x, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    out = np.empty(x.shape, x.dtype)
    _sigmoid_from_exp(_flat(x), _flat(e), out.reshape(-1))
    return out


# -- the softmax gradient, over rows ---------------------------------------------------

@njit(**_JIT)
def _softmax_grad_rows(y, dy, out):
    for r in range(y.shape[0]):
        s = y.dtype.type(0)
        for j in range(y.shape[1]):
            s += dy[r, j] * y[r, j]
        for j in range(y.shape[1]):
            out[r, j] = y[r, j] * (dy[r, j] - s)


# -- softmax and log_softmax of small arrays, over rows -------------------------------------
# numpy's softmax is five array passes, each a ufunc call of ~1-2 us whatever the size;
# one Numba loop over rows computes a small batch in a fraction of that. Numba's exp is
# a scalar libm call, numpy's is SIMD, so on large arrays numpy wins. Measured on the
# 2-core machine (numpy vs numba): 32x10 9.5 vs 2.1 us, 64x10 12.2 vs 3.2 us, 64x64
# 18.3 vs 16.0 us, 64x512 49 vs 106 us; so rows run here up to _SMALL_SOFTMAX elements.
_SMALL_SOFTMAX = 4096


@njit(**_JIT)
def _softmax_rows(x, out, log):
    """out = softmax(x) (or log_softmax(x) when ``log``) of each row."""
    for r in range(x.shape[0]):
        m = x[r, 0]
        for j in range(1, x.shape[1]):
            m = max(m, x[r, j])
        s = x.dtype.type(0)
        for j in range(x.shape[1]):
            s += np.exp(x[r, j] - m)
        if log:
            log_s = np.log(s)
            for j in range(x.shape[1]):
                out[r, j] = (x[r, j] - m) - log_s
        else:
            for j in range(x.shape[1]):
                out[r, j] = np.exp(x[r, j] - m) / s


def softmax(x, axis=-1):
    return _small_softmax(x, axis, False)


def log_softmax(x, axis=-1):
    return _small_softmax(x, axis, True)


def _small_softmax(x, axis, log):
    if not _fusable(x) or x.size > _SMALL_SOFTMAX or x.dtype.kind != "f":
        reference = _reference()
        return reference.log_softmax(x, axis) if log else reference.softmax(x, axis)
    rows, shape = _as_rows(x, axis)
    out = np.empty_like(rows)
    _softmax_rows(rows, out, log)
    return _from_rows(out, shape, axis)


def _as_rows(a, axis):
    """``a`` with ``axis`` moved last, as a contiguous (rows, n) array."""
    last = axis in (-1, a.ndim - 1)      # the usual case needs no moveaxis
    moved = np.ascontiguousarray(a if last else np.moveaxis(a, axis, -1))
    return moved.reshape(-1, moved.shape[-1]), moved.shape


def _from_rows(rows, shape, axis):
    if axis in (-1, len(shape) - 1):
        return rows.reshape(shape)
    return np.moveaxis(rows.reshape(shape), -1, axis)


def _fusable(x):
    return x.ndim > 0 and x.size > 0


def softmax_grad(y, dy, axis=-1):
    if not _fusable(y):
        return _reference().softmax_grad(y, dy, axis)
    y_rows, shape = _as_rows(y, axis)
    dy_rows, _ = _as_rows(dy, axis)
    out = np.empty_like(y_rows)
    _softmax_grad_rows(y_rows, dy_rows, out)
    return _from_rows(out, shape, axis)


def _reference():
    """Empty and rank-0 inputs have nothing to fuse: the reference kernels answer."""
    from refkeras.kernels import reference
    return reference


# -- sliding windows: convolution as im2col + BLAS, pooling as direct loops ----------------
# conv2d copies every window into one row of a matrix (im2col), so that the convolution
# is a BLAS matrix product; the input gradient multiplies back and adds each row into
# the window it came from (col2im). Padding is never materialised: a cell outside the
# image reads as 0 (convolution) or is skipped (pooling).
#
# The column matrix is built and multiplied ``_CHUNK_ROWS`` output pixels at a time.
# Measured on the 2-core machine, conv2d of (64, 32, 32, 3) by 3x3x3x32: one product of
# the whole (65536, 27) matrix took 17-40 ms (OpenBLAS splitting a tall, thin product
# over its threads), chunks of 1024 rows 2.4-2.6 ms in all; the chunk also stays in cache.

_CHUNK_ROWS = 1024
_PAR = dict(_JIT, parallel=True)


@njit(**_JIT)
def _im2col(x, kh, kw, sh, sw, dh, dw, top, left, oh, ow, first, cols):
    """cols[p, (a, b, c)] = x[n, i*sh + a*dh - top, j*sw + b*dw - left, c], 0 outside the
    image, for output pixels p = first, first + 1, ... (pixel p is (n, i, j) in row order)."""
    _, h, w, c = x.shape
    zero = x.dtype.type(0)
    for p in range(cols.shape[0]):
        n, rest = divmod(first + p, oh * ow)
        i, j = divmod(rest, ow)
        for a in range(kh):
            r = i * sh + a * dh - top
            for b in range(kw):
                q = j * sw + b * dw - left
                start = (a * kw + b) * c
                if 0 <= r < h and 0 <= q < w:
                    for ch in range(c):
                        cols[p, start + ch] = x[n, r, q, ch]
                else:
                    for ch in range(c):
                        cols[p, start + ch] = zero


@njit(**_JIT)
def _col2im(cols, kh, kw, sh, sw, dh, dw, top, left, oh, ow, first, dx):
    """dx[n, r, q, c] += cols[p, (a, b, c)] for every window cell inside the image."""
    _, h, w, c = dx.shape
    for p in range(cols.shape[0]):
        n, rest = divmod(first + p, oh * ow)
        i, j = divmod(rest, ow)
        for a in range(kh):
            r = i * sh + a * dh - top
            if r < 0 or r >= h:
                continue
            for b in range(kw):
                q = j * sw + b * dw - left
                if 0 <= q < w:
                    start = (a * kw + b) * c
                    for ch in range(c):
                        dx[n, r, q, ch] += cols[p, start + ch]


def _out_hw(hw, ksize, strides, pads, dilations=(1, 1)):
    return tuple((size + before + after - (k - 1) * d - 1) // s + 1 for size, k, s, d, before, after
                 in zip(hw, ksize, strides, dilations, pads[0::2], pads[1::2]))


def _chunks(pixels):
    """(first, stop) ranges of output pixels, ``_CHUNK_ROWS`` at a time."""
    return [(first, min(first + _CHUNK_ROWS, pixels)) for first in range(0, pixels, _CHUNK_ROWS)]


def conv2d(x, w, strides, pads, dilations):
    kh, kw, c, o = w.shape
    oh, ow = _out_hw(x.shape[1:3], (kh, kw), strides, pads, dilations)
    x = np.ascontiguousarray(x)
    w2 = np.ascontiguousarray(w).reshape(kh * kw * c, o)
    y = np.empty((x.shape[0] * oh * ow, o), np.result_type(x, w))
    cols = np.empty((min(_CHUNK_ROWS, y.shape[0]), kh * kw * c), x.dtype)
    for first, stop in _chunks(y.shape[0]):
        chunk = cols[:stop - first]
        _im2col(x, kh, kw, *strides, *dilations, pads[0], pads[2], oh, ow, first, chunk)
        np.matmul(chunk, w2, out=y[first:stop])
    return y.reshape(x.shape[0], oh, ow, o)


def conv2d_backprop_input(input_shape, w, dy, strides, pads, dilations):
    kh, kw, c, o = w.shape
    oh, ow = dy.shape[1:3]
    # A contiguous copy of w^T: BLAS measured 4x slower with the transposed view here.
    w2t = np.ascontiguousarray(w.reshape(kh * kw * c, o).T)
    dy2 = np.ascontiguousarray(dy).reshape(-1, o)
    dx = np.zeros(input_shape, dy.dtype)
    for first, stop in _chunks(dy2.shape[0]):
        _col2im(dy2[first:stop] @ w2t, kh, kw, *strides, *dilations, pads[0], pads[2], oh, ow,
                first, dx)
    return dx


def conv2d_backprop_filter(x, filter_shape, dy, strides, pads, dilations):
    kh, kw, c, o = filter_shape
    oh, ow = dy.shape[1:3]
    x = np.ascontiguousarray(x)
    dy2 = np.ascontiguousarray(dy).reshape(-1, o)
    dw = np.zeros((kh * kw * c, o), dy.dtype)
    cols = np.empty((min(_CHUNK_ROWS, dy2.shape[0]), kh * kw * c), x.dtype)
    for first, stop in _chunks(dy2.shape[0]):
        chunk = cols[:stop - first]
        _im2col(x, kh, kw, *strides, *dilations, pads[0], pads[2], oh, ow, first, chunk)
        dw += chunk.T @ dy2[first:stop]
    return dw.reshape(filter_shape)


@njit(**_PAR)
def _max_pool(x, kh, kw, sh, sw, top, left, y):
    n_images, h, w, c = x.shape
    _, oh, ow, _ = y.shape
    for n in prange(n_images):
        for i in range(oh):
            for j in range(ow):
                for ch in range(c):
                    y[n, i, j, ch] = -np.inf
                for a in range(kh):
                    r = i * sh + a - top
                    if r < 0 or r >= h:
                        continue
                    for b in range(kw):
                        q = j * sw + b - left
                        if 0 <= q < w:
                            for ch in range(c):
                                y[n, i, j, ch] = max(y[n, i, j, ch], x[n, r, q, ch])


@njit(**_PAR)
def _max_pool_route(x, g, kh, kw, sh, sw, top, left, to_input, out):
    """For every window and channel, find the first maximum cell (row by row); then
    to_input: out[cell] += g[window] (MaxPoolGrad), else out[window] = g[cell] (its adjoint)."""
    n_images, h, w, c = x.shape
    oh, ow = (g.shape[1], g.shape[2]) if to_input else (out.shape[1], out.shape[2])
    for n in prange(n_images):
        best = np.empty(c, x.dtype)
        at_r = np.zeros(c, np.int64)
        at_q = np.zeros(c, np.int64)
        for i in range(oh):
            for j in range(ow):
                best[:] = -np.inf
                for a in range(kh):
                    r = i * sh + a - top
                    if r < 0 or r >= h:
                        continue
                    for b in range(kw):
                        q = j * sw + b - left
                        if 0 <= q < w:
                            for ch in range(c):
                                if x[n, r, q, ch] > best[ch]:
                                    best[ch] = x[n, r, q, ch]
                                    at_r[ch] = r
                                    at_q[ch] = q
                for ch in range(c):
                    if to_input:
                        out[n, at_r[ch], at_q[ch], ch] += g[n, i, j, ch]
                    else:
                        out[n, i, j, ch] = g[n, at_r[ch], at_q[ch], ch]


@njit(**_PAR)
def _avg_pool(x, kh, kw, sh, sw, top, left, y):
    n_images, h, w, c = x.shape
    _, oh, ow, _ = y.shape
    for n in prange(n_images):
        for i in range(oh):
            for j in range(ow):
                count = 0
                for ch in range(c):
                    y[n, i, j, ch] = 0
                for a in range(kh):
                    r = i * sh + a - top
                    if r < 0 or r >= h:
                        continue
                    for b in range(kw):
                        q = j * sw + b - left
                        if 0 <= q < w:
                            count += 1
                            for ch in range(c):
                                y[n, i, j, ch] += x[n, r, q, ch]
                for ch in range(c):
                    y[n, i, j, ch] /= count


@njit(**_PAR)
def _avg_pool_grad(dy, kh, kw, sh, sw, top, left, dx):
    n_images, h, w, c = dx.shape
    _, oh, ow, _ = dy.shape
    for n in prange(n_images):
        for i in range(oh):
            for j in range(ow):
                r0, q0 = i * sh - top, j * sw - left
                rows = min(r0 + kh, h) - max(r0, 0)
                cols = min(q0 + kw, w) - max(q0, 0)
                count = dy.dtype.type(rows * cols)
                for r in range(max(r0, 0), min(r0 + kh, h)):
                    for q in range(max(q0, 0), min(q0 + kw, w)):
                        for ch in range(c):
                            dx[n, r, q, ch] += dy[n, i, j, ch] / count


def _pool_out(x, ksize, strides, pads):
    return np.empty((x.shape[0],) + _out_hw(x.shape[1:3], ksize, strides, pads) + (x.shape[3],),
                    x.dtype)


def max_pool(x, ksize, strides, pads):
    y = _pool_out(x, ksize, strides, pads)
    _max_pool(np.ascontiguousarray(x), *ksize, *strides, pads[0], pads[2], y)
    return y


def max_pool_grad(x, dy, ksize, strides, pads):
    dx = np.zeros(x.shape, dy.dtype)
    _max_pool_route(np.ascontiguousarray(x), np.ascontiguousarray(dy), *ksize, *strides, pads[0],
                    pads[2], True, dx)
    return dx


def max_pool_grad_grad(x, u, ksize, strides, pads):
    out = _pool_out(u, ksize, strides, pads)
    _max_pool_route(np.ascontiguousarray(x), np.ascontiguousarray(u), *ksize, *strides, pads[0],
                    pads[2], False, out)
    return out


def avg_pool(x, ksize, strides, pads):
    y = _pool_out(x, ksize, strides, pads)
    _avg_pool(np.ascontiguousarray(x), *ksize, *strides, pads[0], pads[2], y)
    return y


def avg_pool_grad(input_shape, dy, ksize, strides, pads):
    dx = np.zeros(input_shape, dy.dtype)
    _avg_pool_grad(np.ascontiguousarray(dy), *ksize, *strides, pads[0], pads[2], dx)
    return dx


# -- normalization: statistics and the normalized output in a few passes ---------------------
# Sums are accumulated in float64 (sequential float32 sums over 10^5 rows would lose
# digits); outputs are in the input's dtype.

@njit(**_JIT)
def _column_moments(x):
    """Per column (mean, biased variance) of a (rows, columns) matrix, two passes."""
    rows, cols = x.shape
    mean = np.zeros(cols)
    var = np.zeros(cols)
    for r in range(rows):
        for j in range(cols):
            mean[j] += x[r, j]
    mean /= max(rows, 1)
    for r in range(rows):
        for j in range(cols):
            d = x[r, j] - mean[j]
            var[j] += d * d
    var /= max(rows, 1)
    return mean, var


@njit(**_JIT)
def _batch_norm_apply(x, mean, inv, scale, offset, y):
    for r in range(x.shape[0]):
        for j in range(x.shape[1]):
            y[r, j] = (x[r, j] - mean[j]) * inv[j] * scale[j] + offset[j]


def batch_norm_training(x, scale, offset, epsilon):
    x = np.ascontiguousarray(x)
    mean64, var64 = _column_moments(x)
    mean, variance = mean64.astype(x.dtype), var64.astype(x.dtype)
    inv = (1 / np.sqrt(variance + epsilon)).astype(x.dtype, copy=False)
    y = np.empty_like(x)
    _batch_norm_apply(x, mean, inv, scale, offset, y)
    return y, mean, variance


@njit(**_JIT)
def _batch_norm_grad(dy, x, mean, inv, scale, dmean, dvariance, dx, dscale, doffset):
    rows, cols = x.shape
    sum_dy = np.zeros(cols)
    sum_dy_xhat = np.zeros(cols)
    for r in range(rows):
        for j in range(cols):
            sum_dy[j] += dy[r, j]
            sum_dy_xhat[j] += dy[r, j] * (x[r, j] - mean[j]) * inv[j]
    n = x.dtype.type(rows)
    two = x.dtype.type(2)
    for r in range(rows):
        for j in range(cols):
            centered = x[r, j] - mean[j]
            xhat = centered * inv[j]
            dx[r, j] = (scale[j] * inv[j] * (dy[r, j] - (sum_dy[j] + xhat * sum_dy_xhat[j]) / n)
                        + (dmean[j] + two * dvariance[j] * centered) / n)
    for j in range(cols):
        dscale[j] = sum_dy_xhat[j]
        doffset[j] = sum_dy[j]


def batch_norm_training_grad(dy, x, scale, dmean, dvariance, epsilon):
    x, dy = np.ascontiguousarray(x), np.ascontiguousarray(dy)
    mean64, var64 = _column_moments(x)
    mean = mean64.astype(x.dtype)
    inv = (1 / np.sqrt(var64.astype(x.dtype) + epsilon)).astype(x.dtype, copy=False)
    dx, dscale, doffset = np.empty_like(x), np.empty_like(scale), np.empty_like(scale)
    _batch_norm_grad(dy, x, mean, inv, scale, dmean, dvariance, dx, dscale, doffset)
    return dx, dscale, doffset


@njit(inline="always", **_JIT)    # inlined into its callers: no cache entry of its own
def _row_moments(x, r, epsilon):
    """Row ``r``'s mean and ``1 / sqrt(variance + epsilon)``, summed in float64."""
    cols = x.shape[1]
    mean = 0.0
    for j in range(cols):
        mean += x[r, j]
    mean /= cols
    var = 0.0
    for j in range(cols):
        var += (x[r, j] - mean) * (x[r, j] - mean)
    return x.dtype.type(mean), x.dtype.type(1) / np.sqrt(x.dtype.type(var / cols) + epsilon)


@njit(**_PAR)
def _layer_norm(x, scale, offset, epsilon, y):
    rows, cols = x.shape
    for r in prange(rows):
        m, inv = _row_moments(x, r, epsilon)
        for j in range(cols):
            y[r, j] = (x[r, j] - m) * inv * scale[j] + offset[j]


def layer_norm(x, scale, offset, epsilon):
    x = np.ascontiguousarray(x)
    y = np.empty_like(x)
    _layer_norm(x, scale, offset, x.dtype.type(epsilon), y)
    return y


@njit(**_JIT)
def _layer_norm_grad(dy, x, scale, epsilon, dx, dscale, doffset):
    rows, cols = x.shape
    dscale64 = np.zeros(cols)
    doffset64 = np.zeros(cols)
    for r in range(rows):
        m, inv = _row_moments(x, r, epsilon)
        mean_g = 0.0
        mean_g_xhat = 0.0
        for j in range(cols):
            g = dy[r, j] * scale[j]
            xhat = (x[r, j] - m) * inv
            mean_g += g
            mean_g_xhat += g * xhat
            dscale64[j] += dy[r, j] * xhat
            doffset64[j] += dy[r, j]
        mg, mgx = x.dtype.type(mean_g / cols), x.dtype.type(mean_g_xhat / cols)
        for j in range(cols):
            xhat = (x[r, j] - m) * inv
            dx[r, j] = inv * (dy[r, j] * scale[j] - mg - xhat * mgx)
    for j in range(cols):
        dscale[j] = dscale64[j]
        doffset[j] = doffset64[j]


def layer_norm_grad(dy, x, scale, epsilon):
    x, dy = np.ascontiguousarray(x), np.ascontiguousarray(dy)
    dx, dscale, doffset = np.empty_like(x), np.empty_like(scale), np.empty_like(scale)
    _layer_norm_grad(dy, x, scale, x.dtype.type(epsilon), dx, dscale, doffset)
    return dx, dscale, doffset


# -- optimizer updates: one pass over the variable, its gradient and its slots -----------------
# Compiled WITHOUT fastmath: each element goes through exactly the float operations of
# the reference kernel (and of tf_keras's update_step), in the same order, so no
# contraction into fused multiply-adds and no reordering. The loops read the old
# arrays and write fresh ones (``out_*``): a Variable's array is never written in place,
# so a Tensor read from it before the step keeps its value (clause TAPE.SNAPSHOT).
# Measured on (1000, 1000) float32 (benchmarks/bench_optimizers.py): one pass instead of
# numpy's 6-15 temporaries.

# error_model="numpy": x / 0 gives inf or nan, as in TensorFlow, instead of Python's
# ZeroDivisionError check in every iteration, a check that stopped LLVM from vectorizing
# the loops (Adam and RMSprop on 1M parameters: 2.8 and 2.4 ms with it, 1.0 and 0.4 ms
# without it).
_EXACT = {"cache": True, "nogil": True, "boundscheck": False, "error_model": "numpy"}


@njit(inline="always", **_EXACT)
def _maximum(a, b):
    """np.maximum for one pair: nan if either is nan."""
    if np.isnan(a) or np.isnan(b):
        return a + b
    return max(a, b)


@njit(**_EXACT)
def _weight_decay(var, weight_decay, lr, out):
    for i in range(var.size):
        out[i] = var[i] - var[i] * weight_decay * lr


@njit(**_EXACT)
def _sgd(var, grad, m, lr, momentum, nesterov, out_var, out_m):
    for i in range(var.size):
        step = -grad[i] * lr
        new_m = step + m[i] * momentum
        out_m[i] = new_m
        out_var[i] = var[i] + (step + new_m * momentum) if nesterov else var[i] + new_m


@njit(**_EXACT)
def _rmsprop(var, grad, velocity, mom, average, lr, rho, one_minus_rho, momentum, epsilon,
             use_momentum, centered, out_var, out_velocity, out_mom, out_average):
    one = var.dtype.type(1)
    for i in range(var.size):
        g = grad[i]
        v = rho * velocity[i] + one_minus_rho * (g * g)
        out_velocity[i] = v
        if centered:
            a = rho * average[i] + one_minus_rho * g
            out_average[i] = a
            denominator = v - a * a + epsilon
        else:
            denominator = v + epsilon
        increment = lr * g * (one / np.sqrt(denominator))
        if use_momentum:
            new_mom = momentum * mom[i] + increment
            out_mom[i] = new_mom
            out_var[i] = var[i] - new_mom
        else:
            out_var[i] = var[i] - increment


@njit(**_EXACT)
def _adam(var, grad, m, v, v_hat, alpha, one_minus_beta_1, one_minus_beta_2, epsilon, amsgrad,
          out_var, out_m, out_v, out_v_hat):
    for i in range(var.size):
        g = grad[i]
        new_m = m[i] + (g - m[i]) * one_minus_beta_1
        new_v = v[i] + (g * g - v[i]) * one_minus_beta_2
        out_m[i] = new_m
        out_v[i] = new_v
        if amsgrad:
            new_v = _maximum(v_hat[i], new_v)
            out_v_hat[i] = new_v
        out_var[i] = var[i] - new_m * alpha / (np.sqrt(new_v) + epsilon)


@njit(**_EXACT)
def _adagrad(var, grad, accumulator, lr, epsilon, out_var, out_accumulator):
    for i in range(var.size):
        g = grad[i]
        a = accumulator[i] + g * g
        out_accumulator[i] = a
        out_var[i] = var[i] - lr * g / np.sqrt(a + epsilon)


@njit(**_EXACT)
def _adadelta(var, grad, accumulated_grad, accumulated_delta, lr, rho, one_minus_rho, epsilon,
              out_var, out_grad, out_delta):
    for i in range(var.size):
        g = grad[i]
        a = rho * accumulated_grad[i] + one_minus_rho * g * g
        delta = -np.sqrt(accumulated_delta[i] + epsilon) * g / np.sqrt(a + epsilon)
        out_grad[i] = a
        out_delta[i] = rho * accumulated_delta[i] + one_minus_rho * delta * delta
        out_var[i] = var[i] + lr * delta


@njit(**_EXACT)
def _adamax(var, grad, m, u, lr, one_minus_beta_1, beta_2, one_minus_beta_1_power, epsilon,
            out_var, out_m, out_u):
    for i in range(var.size):
        g = grad[i]
        new_m = m[i] + (g - m[i]) * one_minus_beta_1
        new_u = _maximum(beta_2 * u[i], abs(g))
        out_m[i] = new_m
        out_u[i] = new_u
        out_var[i] = var[i] - lr * new_m / (one_minus_beta_1_power * (new_u + epsilon))


@njit(**_EXACT)
def _nadam(var, grad, m, v, lr, one_minus_beta_1, one_minus_beta_2, u_t_1, one_minus_u_product_t_1,
           one_minus_u_t, one_minus_u_product_t, one_minus_beta_2_power, epsilon,
           out_var, out_m, out_v):
    for i in range(var.size):
        g = grad[i]
        new_m = m[i] + (g - m[i]) * one_minus_beta_1
        new_v = v[i] + (g * g - v[i]) * one_minus_beta_2
        out_m[i] = new_m
        out_v[i] = new_v
        m_hat = u_t_1 * new_m / one_minus_u_product_t_1 + one_minus_u_t * g / one_minus_u_product_t
        v_hat = new_v / one_minus_beta_2_power
        out_var[i] = var[i] - m_hat * lr / (np.sqrt(v_hat) + epsilon)


@njit(**_EXACT)
def _ftrl(var, grad, accumulator, linear, lr, power, shrinkage, l1, two_l2,
          out_var, out_accumulator, out_linear):
    # The default power, 0.5, is a square root: correctly rounded like powf, but vectorized.
    root = power == 0.5
    for i in range(var.size):
        g = grad[i]
        w = var[i]
        new_accumulator = accumulator[i] + g * g
        if root:
            new_power = np.sqrt(new_accumulator)
            old_power = np.sqrt(accumulator[i])
        else:
            new_power = new_accumulator ** power
            old_power = accumulator[i] ** power
        new_linear = linear[i] + ((g + shrinkage * w) - (new_power - old_power) / lr * w)
        clipped = min(max(new_linear, -l1), l1)
        out_var[i] = (clipped - new_linear) / (new_power / lr + two_l2)
        out_accumulator[i] = new_accumulator
        out_linear[i] = new_linear


def _update(kernel, arrays, scalars, flags=()):
    """Run an update ``kernel`` on flat views of ``arrays`` (variable, gradient, slots...);
    return fresh (variable, slots...) arrays shaped like the variable.

    A slot given as None (RMSprop without momentum, Adam without amsgrad) reaches the
    kernel as the variable's array, which its flag tells it not to read; it returns None."""
    var, slots = arrays[0], arrays[2:]
    dtype = var.dtype.type
    # ravel is a view of a contiguous array (the usual case) and a copy otherwise; this runs
    # once per variable per step, so each saved call counts.
    flat = [(var if a is None else a).ravel() for a in arrays]
    outs = [np.empty(var.size, var.dtype) for _ in range(1 + len(slots))]
    kernel(*flat, *[s if type(s) is dtype else dtype(s) for s in scalars], *flags, *outs)
    shaped = [o.reshape(var.shape) for o in outs]
    return (shaped[0],) + tuple(None if s is None else o for s, o in zip(slots, shaped[1:]))


def weight_decay_update(var, weight_decay, lr):
    out = np.empty(var.shape, var.dtype)
    dtype = var.dtype.type
    _weight_decay(_flat(var), dtype(weight_decay), dtype(lr), out.reshape(-1))
    return out


def sgd_update(var, grad, m, lr, momentum, nesterov):
    return _update(_sgd, (var, grad, m), (lr, momentum), (bool(nesterov),))


def rmsprop_update(var, grad, velocity, momentum_slot, average_grad, lr, rho, one_minus_rho,
                   momentum, epsilon):
    flags = (momentum_slot is not None, average_grad is not None)
    return _update(_rmsprop, (var, grad, velocity, momentum_slot, average_grad),
                   (lr, rho, one_minus_rho, momentum, epsilon), flags)


def adam_update(var, grad, m, v, v_hat, alpha, one_minus_beta_1, one_minus_beta_2, epsilon):
    return _update(_adam, (var, grad, m, v, v_hat), (alpha, one_minus_beta_1, one_minus_beta_2,
                                                     epsilon), (v_hat is not None,))


def adagrad_update(var, grad, accumulator, lr, epsilon):
    return _update(_adagrad, (var, grad, accumulator), (lr, epsilon))


def adadelta_update(var, grad, accumulated_grad, accumulated_delta_var, lr, rho, one_minus_rho,
                    epsilon):
    return _update(_adadelta, (var, grad, accumulated_grad, accumulated_delta_var),
                   (lr, rho, one_minus_rho, epsilon))


def adamax_update(var, grad, m, u, lr, one_minus_beta_1, beta_2, one_minus_beta_1_power, epsilon):
    return _update(_adamax, (var, grad, m, u),
                   (lr, one_minus_beta_1, beta_2, one_minus_beta_1_power, epsilon))


def nadam_update(var, grad, m, v, lr, one_minus_beta_1, one_minus_beta_2, u_t_1,
                 one_minus_u_product_t_1, one_minus_u_t, one_minus_u_product_t,
                 one_minus_beta_2_power, epsilon):
    return _update(_nadam, (var, grad, m, v),
                   (lr, one_minus_beta_1, one_minus_beta_2, u_t_1, one_minus_u_product_t_1,
                    one_minus_u_t, one_minus_u_product_t, one_minus_beta_2_power, epsilon))


def ftrl_update(var, grad, accumulator, linear, lr, power, shrinkage, l1, two_l2):
    return _update(_ftrl, (var, grad, accumulator, linear), (lr, power, shrinkage, l1, two_l2))


FUSED = ("sigmoid", "relu_grad", "sigmoid_grad", "tanh_grad", "softmax_grad", "softmax",
         "log_softmax",
         # sliding windows and normalization
         "conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "max_pool", "max_pool_grad",
         "max_pool_grad_grad", "avg_pool", "avg_pool_grad", "batch_norm_training",
         "batch_norm_training_grad", "layer_norm", "layer_norm_grad")

# The optimizer updates, swapped in like FUSED (kept apart so that FUSED stays the list of
# the op kernels tests/test_kernels.py compiles).
OPTIMIZER_UPDATES = ("weight_decay_update", "sgd_update", "rmsprop_update", "adam_update",
                     "adagrad_update", "adadelta_update", "adamax_update", "nadam_update",
                     "ftrl_update")
