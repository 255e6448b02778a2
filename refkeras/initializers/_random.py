"""The random numbers behind the random initializers: stateless draws from a seed.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md). RANDOM.SEED covers the session generator this uses.

tf_keras 2.21 initializers are stateless: an instance draws from a generator made
from one fixed seed, so every call returns the same values. The seed is the
user's ``seed`` argument or, on first use, an integer drawn from the session
generator (``refkeras/backend/session.py``), so ``keras.utils.set_random_seed(s)``
makes unseeded initializers reproducible while two unseeded instances still differ.
A seeded initializer ignores the global seed, as in tf_keras. The numbers are
numpy's, not TensorFlow's; only the distributions match::

    uniform:          minval + (maxval - minval) * U[0, 1)
    normal:           mean + stddev * N(0, 1)
    truncated normal: mean + stddev * z, z ~ N(0, 1) redrawn while |z| > 2

>>> draws = SeededDraws(seed=3)
>>> bool((draws.normal((2,), 0.0, 1.0, np.dtype("float32")).numpy()
...       == SeededDraws(seed=3).normal((2,), 0.0, 1.0, np.dtype("float32")).numpy()).all())
True
"""
import numpy as np

from refkeras.backend import session
from refkeras.framework.tensor import Tensor

_MAX_DRAWN_SEED = 10**9   # tf_keras draws unseeded initializers' seeds from [1, 1e9]


class SeededDraws:
    """One initializer's source of numbers: a fresh generator from a fixed seed per call."""

    def __init__(self, seed=None):
        self._seed = seed

    def _generator(self):
        if self._seed is None:   # fixed once, from the session, on first use
            self._seed = int(session.current().generator().integers(1, _MAX_DRAWN_SEED + 1))
        return np.random.default_rng(self._seed)

    def uniform(self, shape, minval, maxval, dtype):
        rng = self._generator()
        if dtype.kind in "iu":
            return Tensor(rng.integers(minval, maxval, shape).astype(dtype))
        return Tensor((minval + (maxval - minval) * rng.random(shape)).astype(dtype))

    def normal(self, shape, mean, stddev, dtype):
        return Tensor((mean + stddev * self._generator().standard_normal(shape)).astype(dtype))

    def truncated_normal(self, shape, mean, stddev, dtype):
        rng = self._generator()
        z = rng.standard_normal(shape)
        outside = np.abs(z) > 2
        while outside.any():
            z[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(z) > 2
        return Tensor((mean + stddev * z).astype(dtype))


__all__ = ["SeededDraws"]
