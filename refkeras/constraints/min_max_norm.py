"""MinMaxNorm: move each unit's norm into [min_value, max_value], at ``rate``.

Clauses: LAYER.CONSTRAINTS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)``; rate 1 clips the
norm at once, a smaller rate moves it part of the way. Alias ``min_max_norm``.

    n = norms(w, axis)
    desired = rate * clip(n, min_value, max_value) + (1 - rate) * n
    w * (desired / (epsilon + n))

>>> MinMaxNorm(0.5, 1.0, 0.5)([[3.0], [4.0]]).numpy().round(5)
array([[1.8],
       [2.4]], dtype=float32)
"""
from refkeras import backend
from refkeras.constraints.constraint import Constraint, clip, norms
from refkeras.framework.convert import convert_to_tensor


class MinMaxNorm(Constraint):
    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        n = norms(w, self.axis)
        desired = self.rate * clip(n, self.min_value, self.max_value) + (1 - self.rate) * n
        return w * (desired / (backend.epsilon() + n))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


__all__ = ["MinMaxNorm"]
