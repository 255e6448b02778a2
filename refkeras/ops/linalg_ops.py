"""Matrix products and norms.

Clauses: OPS.VALUES, OPS.SHAPE_MISMATCH, TAPE.GRADIENT_VALUES (docs/spec.md).

``matmul`` multiplies the last two axes and broadcasts the others (batch) axes.
For ``C = A @ B`` with upstream gradient ``dC``::

    dA = dC @ B^T      dB = A^T @ dC         # then summed back over broadcast batch axes

``transpose_a`` / ``transpose_b`` are composed from ``matrix_transpose``, so they
need no rule of their own.

>>> import refkeras.ops as ops
>>> ops.matmul(ops.ones((2, 3)), ops.ones((3, 4))).shape
TensorShape([2, 4])
"""
from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import array_ops, math_ops, reduction_ops
from refkeras.ops._core import InvalidArgumentError, binary_operands, emit


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """The matrix product of the last two axes of ``a`` and ``b``."""
    a, b = binary_operands(a, b, "MatMul")
    for i, t in enumerate((a, b)):
        if t._value.ndim < 2:
            raise InvalidArgumentError(
                f"In[{i}] ndims must be >= 2, got shape {list(t.shape)}; use tf.reshape or "
                "tf.expand_dims to make it a matrix", "MatMul")
    if a._value.dtype.kind == "b":
        raise InvalidArgumentError("MatMul is not defined for bool tensors.", "MatMul")
    flags = {"transpose_a": bool(transpose_a), "transpose_b": bool(transpose_b)}
    try:
        return emit("MatMul", matmul_kernel, (a, b), flags)
    except ValueError:
        a_shape, b_shape = (list(matmul_view(t._value, f).shape) for t, f in
                            ((a, transpose_a), (b, transpose_b)))
        raise InvalidArgumentError(
            f"Matrix size-incompatible: In[0]: {a_shape}, In[1]: {b_shape}", "MatMul") from None


def matmul_view(value, transpose):
    # A transpose is a strided view handed to the kernel, not an op of its own: the
    # record keeps the flags, and the gradient rule reads them.
    return value.swapaxes(-1, -2) if transpose else value


def matmul_kernel(a, b, transpose_a, transpose_b):
    return kernels.matmul(matmul_view(a, transpose_a), matmul_view(b, transpose_b))


@register_gradient("MatMul", skips_inputs=True)
def _matmul_grad(op, dc):
    """For c = op(a) @ op(b), with op the transpose where the flag says so::

        flags      da                  db
        (F, F)     dc @ b^T            a^T @ dc
        (F, T)     dc @ b              dc^T @ a
        (T, F)     b @ dc^T            a @ dc
        (T, T)     b^T @ dc^T          dc^T @ a^T
    """
    # EXERCISE 1.5: the gradient of MatMul | TAPE.GRADIENT_VALUES
    # hint: for c = a @ b, da = dc @ b^T and db = a^T @ dc (the docstring's table covers
    # hint: the transpose flags, read from op.attrs); return None for an input listed in
    # hint: op.skip_input_indices, and sum each result back to its input's shape with
    # hint: array_ops.sum_to_shape.
    a, b = op.inputs
    ta, tb = op.attrs.get("transpose_a", False), op.attrs.get("transpose_b", False)
    skip = op.skip_input_indices   # e.g. the input batch of a first layer: no dx needed
    da = db = None
    if 0 not in skip:
        da = (matmul(b, dc, transpose_a=tb, transpose_b=True) if ta
              else matmul(dc, b, transpose_b=not tb))
        da = array_ops.sum_to_shape(da, a._value.shape)
    if 1 not in skip:
        db = (matmul(dc, a, transpose_a=True, transpose_b=ta) if tb
              else matmul(a, dc, transpose_a=not ta))
        db = array_ops.sum_to_shape(db, b._value.shape)
    return da, db
    # END EXERCISE 1.5


def norm(tensor, ord="euclidean", axis=None, keepdims=False, name=None):
    """The Euclidean norm sqrt(sum(x**2)) over ``axis`` (all axes when None).

    Its gradient at 0 is nan, as TensorFlow's.
    """
    if ord not in ("euclidean", 2, 2.0, "fro"):
        raise ValueError(f"norm: only ord='euclidean' (2) is implemented, got {ord!r}.")
    squares = math_ops.square(tensor)
    return math_ops.sqrt(reduction_ops.reduce_sum(squares, axis=axis, keepdims=keepdims))


__all__ = ["matmul", "norm"]
