"""Comparisons and logic: element-wise, broadcasting, returning bool Tensors.

They have no gradient (a bool cannot carry one), so they are never recorded.
``x == y`` on Tensors is element-wise, as in TensorFlow 2, which is why Tensors
are unhashable.

>>> import refkeras.ops as ops
>>> ops.greater(ops.constant([1.0, 3.0]), 2.0).numpy()
array([False,  True])
"""
import numpy as np

from refkeras.framework.tensor import Tensor
from refkeras.ops._core import (
    binary_operands,
    convert_to_tensor,
    emit,
    incompatible_shapes,
)


def _compare(op, fn, x, y):
    x, y = binary_operands(x, y, op)
    try:
        return emit(op, _elementwise_kernel, (x, y), {"fn": fn})
    except ValueError:
        raise incompatible_shapes(x, y, op) from None


def _elementwise_kernel(*arrays, fn):
    return np.asarray(fn(*arrays))


def equal(x, y, name=None):
    return _compare("Equal", np.equal, x, y)


def not_equal(x, y, name=None):
    return _compare("NotEqual", np.not_equal, x, y)


def greater(x, y, name=None):
    return _compare("Greater", np.greater, x, y)


def greater_equal(x, y, name=None):
    return _compare("GreaterEqual", np.greater_equal, x, y)


def less(x, y, name=None):
    return _compare("Less", np.less, x, y)


def less_equal(x, y, name=None):
    return _compare("LessEqual", np.less_equal, x, y)


def _logical(op, fn, x, y):
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if x.dtype.kind != "b" or y.dtype.kind != "b":
        raise TypeError(f"{op} needs bool tensors, got {x.dtype.name} and {y.dtype.name}.")
    return _compare(op, fn, x, y)


def logical_and(x, y, name=None):
    return _logical("LogicalAnd", np.logical_and, x, y)


def logical_or(x, y, name=None):
    return _logical("LogicalOr", np.logical_or, x, y)


def logical_xor(x, y, name=None):
    return _logical("LogicalXor", np.logical_xor, x, y)


def logical_not(x, name=None):
    x = convert_to_tensor(x)
    if x.dtype.kind != "b":
        raise TypeError(f"LogicalNot needs a bool tensor, got {x.dtype.name}.")
    return emit("LogicalNot", _elementwise_kernel, (x,), {"fn": np.logical_not})


def is_nan(x, name=None):
    return Tensor(np.isnan(convert_to_tensor(x)._value))


def is_inf(x, name=None):
    return Tensor(np.isinf(convert_to_tensor(x)._value))


def is_finite(x, name=None):
    return Tensor(np.isfinite(convert_to_tensor(x)._value))


__all__ = [
    "equal",
    "greater",
    "greater_equal",
    "is_finite",
    "is_inf",
    "is_nan",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "not_equal",
]
