"""RadialConstraint: make each 2-D kernel of a conv weight constant on square rings.

Clauses: LAYER.CONSTRAINTS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

For a weight of shape (n, n, channels, filters), each n x n kernel is rebuilt
ring by ring around its centre, every ring taking the value of one diagonal
element. The element chosen is tf_keras 2.21's, off-by-one included (for odd n
the centre takes the value just above-left of the centre): with m = n // 2 and
ring(i, j) the Chebyshev distance of (i, j) from the centre (the central 2x2
block is ring 0 when n is even),

    odd n:  value(ring r) = kernel[m - 1 + r, m - 1 + r]
    even n: value(ring 0) = kernel[m - 1, m - 1];  value(ring r) = kernel[m + r, m + r]

so n = 1 has no valid source (tf_keras fails; refkeras raises ValueError), as do
non-square kernels. The rebuild is a gather, so it is differentiable. Alias
``radial_constraint``.

>>> import numpy as np
>>> w = np.arange(9, dtype=np.float32).reshape(3, 3, 1, 1)
>>> RadialConstraint()(w).numpy()[:, :, 0, 0]
array([[4., 4., 4.],
       [4., 0., 4.],
       [4., 4., 4.]], dtype=float32)
"""
import numpy as np

from refkeras.constraints.constraint import Constraint
from refkeras.framework.convert import convert_to_tensor
from refkeras.ops import array_ops


class RadialConstraint(Constraint):
    def __call__(self, w):
        w = convert_to_tensor(w)
        if len(w.shape) != 4:
            raise ValueError("The weight tensor must have rank 4. "
                             f"Received weight tensor with shape: {tuple(w.shape)}")
        height, width, channels, filters = tuple(w.shape)
        if height != width or height < 2:
            raise ValueError("RadialConstraint needs square kernels of size at least 2. "
                             f"Received weight tensor with shape: {tuple(w.shape)}")
        flat = array_ops.reshape(w, (height * width, channels * filters))
        rebuilt = array_ops.gather(flat, _source_positions(height).reshape(-1))
        return array_ops.reshape(rebuilt, (height, width, channels, filters))


def _source_positions(n):
    """For each (i, j) of an n x n kernel, the flat index of the element it copies."""
    m = n // 2
    index = np.arange(n)
    if n % 2:
        distance = np.abs(index - m)
        diagonal = m - 1 + np.maximum.outer(distance, distance)
    else:
        distance = np.where(index < m, m - 1 - index, index - m)
        ring = np.maximum.outer(distance, distance)
        diagonal = np.where(ring == 0, m - 1, m + ring)
    return diagonal * n + diagonal


__all__ = ["RadialConstraint"]
