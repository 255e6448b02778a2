"""Turning Python values, numpy arrays and Variables into Tensors.

Clauses: OPS.DTYPE_INFERENCE, OPS.OPERAND_CONVERSION, OPS.DTYPE_MISMATCH,
OPS.LOSSY_CONVERSION (docs/spec.md).

The rules, as TensorFlow applies them in eager mode:

* A Tensor is returned as it is; a Variable is read (``read_value``).
* A numpy array keeps its dtype; a Python float becomes float32, a Python int int32
  (int64 when it does not fit), a Python bool bool.
* With ``dtype_hint`` (what the other operand of ``x * 2.0`` supplies), a non-tensor
  value takes the hinted dtype when that loses no *kind*: bools and ints go into
  any numeric dtype (ints only when they fit), floats into float dtypes. Otherwise
  it keeps its own dtype, and a binary op then reports the mismatch.
* With ``dtype`` (``tf.constant(v, dtype=...)``) the same rule is a requirement:
  a value that cannot be converted raises TypeError.

TensorFlow silently truncates a float numpy array used with an integer tensor
(``tf.constant([1]) * np.array([1.5])`` is ``[1]``); refkeras refuses it
(clause OPS.LOSSY_CONVERSION).

>>> convert_to_tensor(2.0).dtype.name, convert_to_tensor(2).dtype.name
('float32', 'int32')
>>> convert_to_tensor(np.array([1.0])).dtype.name
'float64'
>>> convert_to_tensor(np.array([1.0]), dtype_hint=np.dtype("float32")).dtype.name
'float32'
"""
import numbers

import numpy as np

from refkeras.framework import dtypes
from refkeras.framework.array_backed import ArrayBacked
from refkeras.framework.errors import InvalidArgumentError
from refkeras.framework.tensor import Tensor

_INT32 = np.iinfo(np.int32)


def convert_to_tensor(value, dtype=None, dtype_hint=None):
    """Return ``value`` as a Tensor (see the module docstring for the rules)."""
    if isinstance(value, ArrayBacked):
        tensor = value._as_tensor()
        if dtype is not None and tensor.dtype != dtypes.as_dtype(dtype):
            raise ValueError(
                f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for Tensor with "
                f"dtype {tensor.dtype.name}: {tensor!r}. Use tf.cast(x, '{dtypes.as_dtype(dtype).name}')."
            )
        return tensor
    return Tensor(to_array(value, dtype, dtype_hint))


def to_array(value, dtype=None, dtype_hint=None):
    """A fresh numpy array holding ``value`` with the dtype the rules give."""
    array, natural = _natural_array(value)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        if not _fits(array, dtype):
            raise TypeError(f"Cannot convert {_short(value)} to EagerTensor of dtype {dtype.name}")
        return np.array(array, dtype=dtype)
    if dtype_hint is not None and _fits(array, dtypes.as_dtype(dtype_hint)):
        return np.array(array, dtype=dtypes.as_dtype(dtype_hint))
    return np.array(array, dtype=natural)


def _natural_array(value):
    """(array, dtype the value has on its own) for a numpy or Python value."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype not in dtypes.SUPPORTED:
            raise _unsupported(value)
        return array, array.dtype
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise _unsupported(value)
    if not isinstance(value, (numbers.Number, list, tuple)) and not hasattr(value, "__array__"):
        raise _unsupported(value)
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
    if array.dtype == object:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
    kind = array.dtype.kind
    if kind == "f":
        natural = array.dtype if hasattr(value, "__array__") else dtypes.float32
    elif kind in "iu":
        natural = array.dtype if hasattr(value, "__array__") else _python_int_dtype(array)
    elif kind == "b":
        natural = dtypes.bool_
    else:
        raise _unsupported(value)
    return array, natural


def _python_int_dtype(array):
    if array.size == 0 or (array.min() >= _INT32.min and array.max() <= _INT32.max):
        return dtypes.int32
    return dtypes.int64


def _fits(array, dtype):
    """Whether ``array`` converts to ``dtype`` without changing the kind of its values."""
    src, dst = array.dtype.kind, dtype.kind
    if dst == "b":
        return src == "b"
    if src == "f":
        return dst == "f"
    if src in "iu" and dst in "iu" and array.size:
        info = np.iinfo(dtype)
        return bool(array.min() >= info.min and array.max() <= info.max)
    return src in "biuf"


def binary_operands(x, y, op):
    """Convert the two operands of a binary op to Tensors of one dtype.

    A non-tensor operand takes the dtype of the tensor one (``x * 2`` with float32
    ``x`` multiplies by float32 2.0); two tensors must already agree, since
    TensorFlow never promotes: InvalidArgumentError otherwise.
    """
    if type(x) is Tensor and type(y) is Tensor and x._value.dtype == y._value.dtype:
        return x, y
    if isinstance(x, ArrayBacked):
        x = x._as_tensor()
        y = y._as_tensor() if isinstance(y, ArrayBacked) else convert_to_tensor(y, dtype_hint=x.dtype)
    elif isinstance(y, ArrayBacked):
        y = y._as_tensor()
        x = convert_to_tensor(x, dtype_hint=y.dtype)
    else:
        x = convert_to_tensor(x)
        y = convert_to_tensor(y, dtype_hint=x.dtype)
    if x.dtype != y.dtype:
        raise InvalidArgumentError(
            f"cannot compute {op} as input #1(zero-based) was expected to be a {x.dtype.name} tensor "
            f"but is a {y.dtype.name} tensor; TensorFlow never promotes dtypes, so cast one "
            f"operand with tf.cast(y, '{x.dtype.name}')", op)
    return x, y


def _unsupported(value):
    return ValueError(
        f"Attempt to convert a value ({_short(value)}) with an unsupported type "
        f"({type(value)}) to a Tensor. Tensors hold numbers or bools: pass a number, "
        "a (nested) list of numbers, or a numpy array."
    )


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


__all__ = ["binary_operands", "convert_to_tensor", "to_array"]
