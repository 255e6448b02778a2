"""Scalar float32 arithmetic as TensorFlow's CPU kernels do it (used by every schedule).

Clauses: SCHEDULE.FLOAT32 (docs/spec.md).

Rule: + - * / on numpy float32 scalars round exactly as TensorFlow's ops do (IEEE),
but numpy's vectorised cos/log/pow often differ from TensorFlow's by one ulp.
TensorFlow evaluates a scalar ``tf.cos``/``tf.math.log``/``tf.pow`` with the C
library's float32 functions (``cosf``, ``logf``, ``powf``; measured bit for bit on
glibc) and flushes subnormal results to zero. One ulp matters: CosineDecayRestarts
takes ``floor(log(..) / log(t_mul))``, and at a restart step a one-ulp change moves
the learning rate from its minimum to its maximum. So float32 goes through the C
library here; float64 goes through Python's ``math`` (the C library's double
functions, as TensorFlow's float64 kernels). Without a C library (``find_library``
finds none) the float64 result rounded to float32 is used: within one ulp.

    cos(x)      = cosf(x)        for float32 x,   math.cos(x) for float64 x
    power(x, y) = flush(powf(x, y))
    flush(x)    = 0 if 0 < |x| < smallest normal float32 else x

>>> import numpy as np
>>> power(np.float32(0.5), np.float32(2.0)), log(np.float32(4.0)) / log(np.float32(2.0))
(np.float32(0.25), np.float32(2.0))

Only the schedules use it.
"""
import ctypes
import ctypes.util
import math

import numpy as np

_TINY32 = np.finfo(np.float32).tiny


def _c_float_functions():
    """{"cos": cosf, "log": logf, "pow": powf} from the C math library, or {} without one."""
    name = ctypes.util.find_library("m")
    if name is None:
        return {}
    try:
        libm = ctypes.CDLL(name)
    except OSError:
        return {}
    functions = {}
    for short, symbol, arity in (("cos", "cosf", 1), ("log", "logf", 1), ("pow", "powf", 2)):
        function = getattr(libm, symbol)
        function.restype = ctypes.c_float
        function.argtypes = [ctypes.c_float] * arity
        functions[short] = function
    return functions


_C_FLOAT = _c_float_functions()    # read-only after import: the C functions, looked up once
_DOUBLE = {"cos": math.cos, "log": math.log, "pow": math.pow}
_NUMPY = {"cos": np.cos, "log": np.log, "pow": np.power}


def flush(x):
    """TensorFlow's CPU kernels flush subnormal float32 results to zero."""
    if x.dtype == np.float32 and 0 < abs(x) < _TINY32:
        return np.float32(0.0) * np.sign(x)
    return x


def _call(name, *args):
    dtype = args[0].dtype
    if dtype == np.float32 and name in _C_FLOAT:
        return flush(np.float32(_C_FLOAT[name](*(float(a) for a in args))))
    try:
        value = _DOUBLE[name](*(float(a) for a in args))
    except (ValueError, OverflowError):     # math raises where C returns nan / inf
        with np.errstate(all="ignore"):
            value = float(_NUMPY[name](*(np.float64(a) for a in args)))
    return flush(np.asarray(value, dtype=dtype)[()])


def cos(x):
    return _call("cos", x)


def log(x):
    return _call("log", x)


def power(x, y):
    return _call("pow", x, y)


__all__ = ["cos", "flush", "log", "power"]
