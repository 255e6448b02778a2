"""Fused Numba kernels: the same math as ``reference.py``, one pass, no temporaries.

This is the only module that imports numba. Each public function here replaces
the reference kernel of the same name (``kernels/__init__.py`` does the swap) and
must return the same values (``tests/test_kernels.py`` checks it on random inputs).
Compiled code is cached on disk (``cache=True``), so only the first process after
an install pays for compilation.

Element-wise kernels run over the flattened arrays; softmax-like kernels run over
rows after moving the reduced axis last. The loop nest of ``softmax`` is:

    for each row r:
        m = max(x[r, :])
        s = sum(exp(x[r, j] - m) for j)
        y[r, j] = exp(x[r, j] - m) / s

Why these kernels and not others: numpy's own ufuncs (add, multiply, exp ...) are
already single loops; these are the ones numpy can only write as several passes
with temporaries (``tests`` and ``benchmarks/bench_kernels.py`` measure the gain).
"""
import math

import numpy as np
from numba import njit

_JIT = dict(cache=True, nogil=True, fastmath=False, boundscheck=False)


# -- element-wise -------------------------------------------------------------------

@njit(**_JIT)
def _sigmoid(x, out):
    for i in range(x.size):
        v = x[i]
        if v >= 0:
            out[i] = 1.0 / (1.0 + math.exp(-v))
        else:
            e = math.exp(v)
            out[i] = e / (1.0 + e)


@njit(**_JIT)
def _softplus(x, out):
    for i in range(x.size):
        v = x[i]
        out[i] = max(v, 0.0) + math.log1p(math.exp(-abs(v)))


@njit(**_JIT)
def _elu(x, alpha, out):
    for i in range(x.size):
        v = x[i]
        out[i] = v if v > 0 else alpha * math.expm1(v)


@njit(**_JIT)
def _relu_grad(x, dy, out):
    for i in range(x.size):
        out[i] = dy[i] if x[i] > 0 else 0.0


@njit(**_JIT)
def _sigmoid_grad(y, dy, out):
    for i in range(y.size):
        out[i] = dy[i] * y[i] * (1.0 - y[i])


@njit(**_JIT)
def _tanh_grad(y, dy, out):
    for i in range(y.size):
        out[i] = dy[i] * (1.0 - y[i] * y[i])


def _flat(x):
    """A contiguous 1-d view or copy of x (ascontiguousarray alone turns 0-d into (1,))."""
    return np.ascontiguousarray(x).reshape(-1)


def _unary(kernel, x, *args):
    out = np.empty(x.shape, x.dtype)
    kernel(_flat(x), *args, out.reshape(-1))
    return out


def _binary(kernel, a, b):
    if a.shape != b.shape:   # the fused loops are element-for-element
        a, b = np.broadcast_arrays(a, b)
    out = np.empty(a.shape, dtype=b.dtype)
    kernel(_flat(a), _flat(b), out.reshape(-1))
    return out


def sigmoid(x):
    return _unary(_sigmoid, x)


def softplus(x):
    return _unary(_softplus, x)


def elu(x, alpha=1.0):
    return _unary(_elu, x, x.dtype.type(alpha))


def relu_grad(x, dy):
    return _binary(_relu_grad, x, dy)


def sigmoid_grad(y, dy):
    return _binary(_sigmoid_grad, y, dy)


def tanh_grad(y, dy):
    return _binary(_tanh_grad, y, dy)


# -- softmax over rows ----------------------------------------------------------------

@njit(**_JIT)
def _softmax_rows(x, out):
    for r in range(x.shape[0]):
        m = x[r, 0]
        for j in range(1, x.shape[1]):
            m = max(m, x[r, j])
        s = 0.0
        for j in range(x.shape[1]):
            e = math.exp(x[r, j] - m)
            out[r, j] = e
            s += e
        for j in range(x.shape[1]):
            out[r, j] = out[r, j] / s


@njit(**_JIT)
def _log_softmax_rows(x, out):
    for r in range(x.shape[0]):
        m = x[r, 0]
        for j in range(1, x.shape[1]):
            m = max(m, x[r, j])
        s = 0.0
        for j in range(x.shape[1]):
            s += math.exp(x[r, j] - m)
        log_s = math.log(s)
        for j in range(x.shape[1]):
            out[r, j] = x[r, j] - m - log_s


@njit(**_JIT)
def _softmax_grad_rows(y, dy, out):
    for r in range(y.shape[0]):
        s = 0.0
        for j in range(y.shape[1]):
            s += dy[r, j] * y[r, j]
        for j in range(y.shape[1]):
            out[r, j] = y[r, j] * (dy[r, j] - s)


def _rows(kernel, axis, *arrays):
    """Run a row kernel with ``axis`` as the row axis; return the result in x's layout."""
    first = arrays[0]
    if first.size == 0 or first.ndim == 0:
        return None
    moved = [np.ascontiguousarray(np.moveaxis(a, axis, -1)) for a in arrays]
    shape = moved[0].shape
    flat = [m.reshape(-1, shape[-1]) for m in moved]
    out = np.empty_like(flat[-1])
    kernel(*flat, out)
    return np.moveaxis(out.reshape(shape), -1, axis)


def softmax(x, axis=-1):
    out = _rows(_softmax_rows, axis, x)
    return _fallback("softmax", x, axis) if out is None else out


def log_softmax(x, axis=-1):
    out = _rows(_log_softmax_rows, axis, x)
    return _fallback("log_softmax", x, axis) if out is None else out


def softmax_grad(y, dy, axis=-1):
    out = _rows(_softmax_grad_rows, axis, y, dy)
    return _fallback("softmax_grad", y, dy, axis) if out is None else out


def _fallback(name, *args):
    """Empty and rank-0 inputs: nothing to fuse, let the reference kernel answer."""
    from refkeras.kernels import reference
    return getattr(reference, name)(*args)


FUSED = ("sigmoid", "softplus", "elu", "relu_grad", "sigmoid_grad", "tanh_grad",
         "softmax", "log_softmax", "softmax_grad")
