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
from refkeras.ops._core import InvalidArgumentError, Tensor, binary_operands, record


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
    if transpose_a:
        a = array_ops.matrix_transpose(a)
    if transpose_b:
        b = array_ops.matrix_transpose(b)
    try:
        c = Tensor(kernels.matmul(a._value, b._value))
    except ValueError:
        raise InvalidArgumentError(
            f"Matrix size-incompatible: In[0]: {list(a.shape)}, In[1]: {list(b.shape)}",
            "MatMul") from None
    if c._value.dtype.kind == "f":
        record("MatMul", (a, b), (c,))
    return c


@register_gradient("MatMul", skips_inputs=True)
def _matmul_grad(op, dc):
    a, b = op.inputs
    skip = op.skip_input_indices   # e.g. the input batch of a first layer: no dx needed
    da = None if 0 in skip else array_ops.sum_to_shape(matmul(dc, b, transpose_b=True), a.shape)
    db = None if 1 in skip else array_ops.sum_to_shape(matmul(a, dc, transpose_a=True), b.shape)
    return da, db


def norm(tensor, ord="euclidean", axis=None, keepdims=False, name=None):
    """The Euclidean norm sqrt(sum(x**2)) over ``axis`` (all axes when None).

    Its gradient at 0 is nan, as TensorFlow's.
    """
    if ord not in ("euclidean", 2, 2.0, "fro"):
        raise ValueError(f"norm: only ord='euclidean' (2) is implemented, got {ord!r}.")
    squares = math_ops.square(tensor)
    return math_ops.sqrt(reduction_ops.reduce_sum(squares, axis=axis, keepdims=keepdims))


__all__ = ["matmul", "norm"]
