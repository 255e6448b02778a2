"""Python's operators on Tensors and Variables, bound to ops.

``x + y`` is ``add(x, y)``, ``2.0 * x`` is ``multiply(2.0, x)`` (the reflected
form keeps the operand order), ``x[1:]`` is ``strided_slice(x, ...)``. The tables
are installed on both classes by ``install`` when the ops package is imported.
``x == y`` is element-wise, as in TensorFlow 2; ``x == None`` is False, and so is
``==`` between shapes that do not broadcast.

>>> import refkeras.ops as ops
>>> x = ops.constant([1.0, 2.0])
>>> (2.0 - x).numpy(), (x ** 2).numpy()
(array([1., 0.], dtype=float32), array([1., 4.], dtype=float32))
"""
import numpy as np

from refkeras.framework.errors import InvalidArgumentError
from refkeras.framework.tensor import Tensor
from refkeras.ops import array_ops, comparison_ops, linalg_ops, math_ops

BINARY = {
    "add": math_ops.add, "sub": math_ops.subtract, "mul": math_ops.multiply,
    "truediv": math_ops.divide, "floordiv": math_ops.floordiv, "mod": math_ops.floormod,
    "pow": math_ops.pow, "matmul": linalg_ops.matmul,
}
COMPARISONS = {
    "__lt__": comparison_ops.less, "__le__": comparison_ops.less_equal,
    "__gt__": comparison_ops.greater, "__ge__": comparison_ops.greater_equal,
}
LOGICAL = {"and": comparison_ops.logical_and, "or": comparison_ops.logical_or,
           "xor": comparison_ops.logical_xor}


def _forward(op):
    return lambda x, y: op(x, y)


def _reflected(op):
    return lambda x, y: op(y, x)


def _eq(x, y):
    if y is None:
        return False
    try:
        return comparison_ops.equal(x, y)
    except InvalidArgumentError:
        return Tensor(np.array(False))


def _ne(x, y):
    if y is None:
        return True
    try:
        return comparison_ops.not_equal(x, y)
    except InvalidArgumentError:
        return Tensor(np.array(True))


def install(cls):
    """Define the arithmetic, comparison and indexing operators of ``cls``."""
    for name, op in BINARY.items():
        setattr(cls, f"__{name}__", _forward(op))
        setattr(cls, f"__r{name}__", _reflected(op))
    for name, op in LOGICAL.items():
        setattr(cls, f"__{name}__", _forward(op))
        setattr(cls, f"__r{name}__", _reflected(op))
    for dunder, op in COMPARISONS.items():
        setattr(cls, dunder, _forward(op))
    cls.__eq__ = _eq
    cls.__ne__ = _ne
    cls.__neg__ = math_ops.negative
    cls.__abs__ = math_ops.abs
    cls.__invert__ = comparison_ops.logical_not
    cls.__getitem__ = array_ops.strided_slice


__all__ = ["install"]
