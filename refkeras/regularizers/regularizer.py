"""Regularizer: the base class of weight penalties, and the check of penalty factors.

Clauses: LAYER.LOSSES, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN_REGULARIZER (docs/spec.md).

A regularizer is called on a weight and returns a scalar penalty that the layer
adds to its losses (``refkeras/layers/layer.py`` calls it on every training
step), computed with refkeras ops so that its gradient reaches the weight. The
base class penalises nothing (returns 0.0) and has no config: ``get_config`` is
NotImplementedError, as in tf_keras. Penalty factors are Python ints or floats,
finite, stored as float32 (``keras.backend.cast_to_floatx``); numpy scalars other
than float64 are refused, as in tf_keras.

>>> Regularizer()(None)
0.0
"""
import math

import numpy as np


class Regularizer:
    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


def penalty_factor(value):
    """``value`` checked (a finite Python int or float) and cast to float32."""
    if not isinstance(value, (float, int)):   # tf_keras raises ValueError here, not TypeError
        raise ValueError(  # noqa: TRY004
            f"Value {value} is not a valid regularization penalty number, "
            "expected an int or float value.")
    if math.isinf(value) or math.isnan(value):
        raise ValueError(f"Value {value} is not a valid regularization penalty number, "
                         "an infinite number or NaN are not valid values.")
    return np.asarray(value, dtype=np.float32)


__all__ = ["Regularizer", "penalty_factor"]
