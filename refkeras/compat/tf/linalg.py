"""``tf.linalg``: matrix products and norms."""
from refkeras.ops.array_ops import matrix_transpose
from refkeras.ops.linalg_ops import matmul, norm

__all__ = ["matmul", "matrix_transpose", "norm"]
