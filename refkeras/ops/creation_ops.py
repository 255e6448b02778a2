"""Making tensors: constant, zeros, ones, fill, range, eye, one_hot.

Clauses: OPS.DTYPE_INFERENCE (docs/spec.md).

New tensors depend on nothing a tape watches, so none of these is recorded.
Shapes are lists or tuples of ints; the default dtype is float32 where the value
does not say otherwise (``zeros``, ``ones``), or what the value implies
(``constant(2)`` is int32).

>>> constant(1.0, shape=(2,)).numpy()
array([1., 1.], dtype=float32)
>>> one_hot([0, 2, -1], 3).numpy()
array([[1., 0., 0.],
       [0., 0., 1.],
       [0., 0., 0.]], dtype=float32)
"""
import builtins
import math

import numpy as np

from refkeras.framework import dtypes
from refkeras.framework.convert import convert_to_tensor, to_array
from refkeras.framework.errors import InvalidArgumentError
from refkeras.framework.tensor import Tensor
from refkeras.ops._core import emit


def constant(value, dtype=None, shape=None, name=None):
    """A Tensor holding ``value`` (broadcast to ``shape`` if given)."""
    if hasattr(value, "_as_tensor"):
        value = np.asarray(value)
    array = to_array(value, dtype)
    if shape is not None:
        shape = tuple(shape)
        if array.size == 1:
            array = np.full(shape, array.reshape(()), array.dtype)
        elif array.size == math.prod(shape):
            array = array.reshape(shape)
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tried to "
                            f"convert a value of {array.size} elements to shape {shape}.")
    return Tensor(array)


def _shape(shape):
    if isinstance(shape, Tensor):
        shape = shape._value.tolist()
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def zeros(shape, dtype=dtypes.float32, name=None):
    return Tensor(np.zeros(_shape(shape), dtypes.as_dtype(dtype)))


def ones(shape, dtype=dtypes.float32, name=None):
    return Tensor(np.ones(_shape(shape), dtypes.as_dtype(dtype)))


def fill(dims, value, name=None):
    value = to_array(value)
    return Tensor(np.full(_shape(dims), value, value.dtype))


def zeros_like(x, dtype=None, name=None):
    x = convert_to_tensor(x)
    return Tensor(np.zeros(x._value.shape, dtypes.as_dtype(dtype) if dtype else x._value.dtype))


def ones_like(x, dtype=None, name=None):
    x = convert_to_tensor(x)
    return Tensor(np.ones(x._value.shape, dtypes.as_dtype(dtype) if dtype else x._value.dtype))


def range(start, limit=None, delta=1, dtype=None, name=None):
    """[start, start + delta, ...) up to ``limit``; int32 for ints, float32 for floats."""
    if limit is None:
        start, limit = 0, start
    values = [to_array(v) for v in (start, limit, delta)]
    kind = "f" if builtins.any(v.dtype.kind == "f" for v in values) else "i"
    default = dtypes.float32 if kind == "f" else dtypes.int32
    return Tensor(np.arange(*[v[()] for v in values]).astype(dtypes.as_dtype(dtype or default)))


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    return Tensor(np.eye(num_rows, num_columns, dtype=dtypes.as_dtype(dtype)))


def one_hot(indices, depth, on_value=None, off_value=None, axis=-1, dtype=None, name=None):
    """Rows of ``depth`` values: ``on_value`` at each index, ``off_value`` elsewhere.

    An index outside [0, depth) gives a row of ``off_value`` (no error), as in TF.
    """
    indices = convert_to_tensor(indices)
    if indices._value.dtype.kind not in "iu":
        raise InvalidArgumentError(
            f"one_hot indices must be integers (uint8, int8, int32 or int64), got "
            f"{indices._value.dtype.name}; cast them first with tf.cast(indices, 'int32').",
            "OneHot")
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.float32
    on = np.asarray(1 if on_value is None else on_value, dtype)
    off = np.asarray(0 if off_value is None else off_value, dtype)
    return emit("OneHot", _one_hot_kernel, (indices,),
                {"depth": int(depth), "on": on, "off": off, "axis": axis})


def _one_hot_kernel(indices, depth, on, off, axis):
    hot = indices[..., None] == np.arange(depth)
    out = np.where(hot, on, off).astype(on.dtype)
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return np.ascontiguousarray(out)


def linspace(start, stop, num, name=None):
    start = to_array(start)
    return Tensor(np.linspace(start, to_array(stop), int(num)).astype(start.dtype))


__all__ = [
    "constant",
    "convert_to_tensor",
    "eye",
    "fill",
    "linspace",
    "one_hot",
    "ones",
    "ones_like",
    "range",
    "zeros",
    "zeros_like",
]
