"""RandomUniform: values drawn uniformly from [minval, maxval).

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``RandomUniform(minval=-0.05, maxval=0.05, seed=None)``; float dtypes, or integer
dtypes with integer bounds (``rng.integers(minval, maxval)``). Stateless: one
instance returns the same values on every call (see ``_random.py``).

    values = minval + (maxval - minval) * U[0, 1)

>>> v = RandomUniform(-1.0, 1.0, seed=0)((1000,)).numpy()
>>> bool(v.min() >= -1.0 and v.max() < 1.0)
True
"""
import numbers

from refkeras.initializers._random import SeededDraws
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    resolve_dtype,
)


class RandomUniform(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self._draws = SeededDraws(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        dtype = resolve_dtype(dtype)
        if dtype.kind not in "fiu":
            raise ValueError(f"Expected float or integer dtype, got <dtype: '{dtype.name}'>.")
        if dtype.kind in "iu":
            for bound in (self.minval, self.maxval):
                if not isinstance(bound, numbers.Integral) or isinstance(bound, bool):
                    raise TypeError(f"Cannot convert {bound} to EagerTensor of dtype "
                                    f"{dtype.name}: an integer dtype needs integer bounds.")
        shape = as_shape(shape)
        self._warn_reuse()
        return self._draws.uniform(shape, self.minval, self.maxval, dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


__all__ = ["RandomUniform"]
