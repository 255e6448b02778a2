"""Tensors, Variables and dtypes: the values everything else computes with.

Module map: ``dtypes.py`` (numpy dtypes, TF names), ``tensor_shape.py``,
``errors.py`` (InvalidArgumentError), ``array_backed.py`` (what Tensor and
Variable share), ``tensor.py``, ``variable.py``, ``convert.py`` (Python and
numpy values into Tensors; the dtype rules of binary ops).
"""
from refkeras.framework import dtypes
from refkeras.framework.convert import binary_operands, convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError, OpError
from refkeras.framework.tensor import Tensor
from refkeras.framework.tensor_shape import TensorShape
from refkeras.framework.variable import Variable

__all__ = [
    "InvalidArgumentError",
    "OpError",
    "Tensor",
    "TensorShape",
    "Variable",
    "binary_operands",
    "convert_to_tensor",
    "dtypes",
]
