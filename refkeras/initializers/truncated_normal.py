"""TruncatedNormal: a normal distribution cut at two standard deviations.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``TruncatedNormal(mean=0.0, stddev=0.05, seed=None)``; floating dtypes only. Values
more than two ``stddev`` from ``mean`` are redrawn, so all lie in
[mean - 2 stddev, mean + 2 stddev] and their standard deviation is
``0.87962566103423978 * stddev``. Stateless: the same values on every call.

    z ~ N(0, 1), redrawn while |z| > 2;  values = mean + stddev * z

>>> v = TruncatedNormal(stddev=1.0, seed=0)((1000,)).numpy()
>>> bool(abs(v).max() <= 2.0)
True
"""
from refkeras.initializers._random import SeededDraws
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    floating_dtype,
)


class TruncatedNormal(Initializer):
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
        return self._draws.truncated_normal(shape, self.mean, self.stddev, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


__all__ = ["TruncatedNormal"]
