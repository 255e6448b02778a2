"""Ops fused for speed: one op, one tape record and one gradient rule for what would
otherwise be several, with the same numbers as the unfused ops.

Clauses: LAYER.NUMERIC.DENSE, TAPE.GRADIENT_VALUES (docs/spec.md).

``fused_matmul`` is a Dense layer's ``activation(x @ kernel + bias)`` for a 2-D
input and a relu (or no) activation, as TensorFlow's graph optimizer rewrites
MatMul + BiasAdd + Relu into one ``_FusedMatMul``. In eager mode every op costs a
Python dispatch and a tape record, so three ops become one; the arithmetic is the
same, in the same order (the BLAS product, then the bias added, then max(z, 0)),
so the results are bit-identical to the three ops::

    z = x @ kernel + bias;  y = relu(z) if activation == "relu" else z
    dz = dy * (y > 0) if activation == "relu" else dy       # y > 0 exactly where z > 0
    dx = dz @ kernel^T;  dkernel = x^T @ dz;  dbias = sum(dz, axis=0)

>>> import numpy as np, refkeras.ops as ops
>>> x, w, b = ops.ones((2, 3)), ops.ones((3, 2)), ops.constant([-4.0, 1.0])
>>> fused_matmul(x, w, b, "relu").numpy()
array([[0., 4.],
       [0., 4.]], dtype=float32)
"""
from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import linalg_ops, nn_ops, reduction_ops
from refkeras.ops._core import InvalidArgumentError, convert_to_tensor, emit

ACTIVATIONS = (None, "relu")


def fused_matmul(x, kernel, bias, activation=None):
    """``activation(x @ kernel + bias)`` for 2-D ``x`` as one op (module docstring)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"fused_matmul fuses activation None or 'relu', not {activation!r}.")
    x, kernel, bias = (convert_to_tensor(t) for t in (x, kernel, bias))
    z_shape = (x._value.shape[0], kernel._value.shape[-1]) if x._value.ndim == 2 else None
    if (z_shape is None or kernel._value.ndim != 2 or x._value.shape[1] != kernel._value.shape[0]
            or bias._value.shape != z_shape[1:]):
        raise InvalidArgumentError(
            f"fused_matmul needs x (n, k), kernel (k, m) and bias (m,); got "
            f"{list(x._value.shape)}, {list(kernel._value.shape)}, {list(bias._value.shape)}",
            "FusedMatMul")
    return emit("FusedMatMul", fused_matmul_kernel, (x, kernel, bias), {"activation": activation})


def fused_matmul_kernel(x, kernel, bias, activation):
    """The arrays' ``activation(x @ kernel + bias)``: the BLAS product, then one pass."""
    return kernels.bias_activation(kernels.matmul(x, kernel), bias, activation == "relu")


@register_gradient("FusedMatMul", skips_inputs=True)
def _fused_matmul_grad(op, dy):
    x, kernel, _ = op.inputs
    dz = nn_ops.relu_grad(op.outputs[0], dy) if op.attrs["activation"] == "relu" else dy
    skip = op.skip_input_indices      # the first layer's input needs no gradient
    dx = None if 0 in skip else linalg_ops.matmul(dz, kernel, transpose_b=True)
    dkernel = None if 1 in skip else linalg_ops.matmul(x, dz, transpose_a=True)
    dbias = None if 2 in skip else reduction_ops.reduce_sum(dz, axis=0)
    return dx, dkernel, dbias


__all__ = ["fused_matmul"]
