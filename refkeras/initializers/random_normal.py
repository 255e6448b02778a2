"""RandomNormal: values drawn from a normal distribution.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``RandomNormal(mean=0.0, stddev=0.05, seed=None)``; floating dtypes only.
Stateless: one instance returns the same values on every call.

    values = mean + stddev * N(0, 1)

>>> v = RandomNormal(stddev=1.0, seed=0)((100000,)).numpy()
>>> bool(abs(v.std() - 1.0) < 0.01)
True
"""
from refkeras.initializers._random import SeededDraws
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    floating_dtype,
)


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self._draws = SeededDraws(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        dtype = floating_dtype(dtype)
        shape = as_shape(shape)
        self._warn_reuse()
        return self._draws.normal(shape, self.mean, self.stddev, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


__all__ = ["RandomNormal"]
