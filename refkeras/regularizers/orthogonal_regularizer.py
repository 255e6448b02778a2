"""OrthogonalRegularizer: a penalty that pushes the rows (or columns) of a matrix
towards being orthogonal to each other.

Clauses: LAYER.LOSSES, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN_REGULARIZER (docs/spec.md).

``OrthogonalRegularizer(factor=0.01, mode="rows")`` for rank-2 weights only. Each
row (mode "rows") or column ("columns") is L2-normalised as ``tf.math.l2_normalize``
does (epsilon 1e-12 on the squared norm); the penalty is the mean absolute cosine
over the ``size * (size - 1) / 2`` distinct pairs, times ``factor``::

    v = x * rsqrt(maximum(sum(x ** 2, axis=1 if rows else 0, keepdims=True), 1e-12))
    p = v @ v.T if rows else v.T @ v                      # size x size cosines
    penalty = factor * 0.5 * sum(abs(p * (1 - eye(size)))) / (size * (size - 1) / 2)

>>> float(OrthogonalRegularizer(1.0)([[1.0, 0.0], [0.0, 1.0]]))
0.0
"""
from refkeras.framework.convert import convert_to_tensor
from refkeras.ops import array_ops, creation_ops, linalg_ops, math_ops, reduction_ops
from refkeras.regularizers.regularizer import Regularizer, penalty_factor

_L2_NORMALIZE_EPSILON = 1e-12


class OrthogonalRegularizer(Regularizer):
    def __init__(self, factor=0.01, mode="rows"):
        self.factor = penalty_factor(factor)
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of '
                             f'{{"rows", "columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, inputs):
        x = convert_to_tensor(inputs)
        if len(x.shape) != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape == {tuple(x.shape)}")
        axis = 1 if self.mode == "rows" else 0
        v = _l2_normalize(x, axis)
        if self.mode == "rows":
            product, size = linalg_ops.matmul(v, array_ops.transpose(v)), x.shape[0]
        else:
            product, size = linalg_ops.matmul(array_ops.transpose(v), v), x.shape[1]
        off_diagonal = product * (1.0 - creation_ops.eye(size, dtype=x.dtype))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * reduction_ops.reduce_sum(math_ops.abs(off_diagonal)) / num_pairs

    def get_config(self):
        return {"factor": float(self.factor), "mode": self.mode}


def _l2_normalize(x, axis):
    squares = reduction_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
    return x * math_ops.rsqrt(math_ops.maximum(squares, _L2_NORMALIZE_EPSILON))


__all__ = ["OrthogonalRegularizer"]
