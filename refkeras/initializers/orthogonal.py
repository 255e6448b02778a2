"""Orthogonal: a random orthogonal matrix (reshaped to the weight's shape).

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``Orthogonal(gain=1.0, seed=None)``; floating dtypes; shapes of rank >= 2. The
shape is flattened to (rows, cols) = (prod(shape[:-1]), shape[-1]); the Q factor
of a normal matrix gives orthonormal columns (or rows, when rows < cols), the
signs fixed by R's diagonal so that the result is uniformly distributed.
Stateless: the same values on every call.

    a = normal((max(rows, cols), min(rows, cols)))
    q, r = qr(a)                      # reduced
    q = q * sign(diag(r))
    q = q.T if rows < cols else q
    values = gain * reshape(q, shape)

>>> w = Orthogonal(seed=0)((3, 3)).numpy()
>>> bool(np.allclose(w.T @ w, np.eye(3), atol=1e-6))
True
"""
import math

import numpy as np

from refkeras.framework.tensor import Tensor
from refkeras.initializers._random import SeededDraws
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    floating_dtype,
)


class Orthogonal(Initializer):
    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        self.seed = seed
        self._draws = SeededDraws(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        dtype = floating_dtype(dtype)
        shape = as_shape(shape)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        self._warn_reuse()
        rows, cols = math.prod(shape[:-1]), shape[-1]
        # drawn and factored in float64 so the columns are orthonormal to float32 precision
        a = self._draws.normal((max(rows, cols), min(rows, cols)), 0.0, 1.0, np.dtype("float64"))
        q, r = np.linalg.qr(a.numpy(), mode="reduced")
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return Tensor((self.gain * q.reshape(shape)).astype(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


__all__ = ["Orthogonal"]
