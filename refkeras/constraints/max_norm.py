"""MaxNorm: rescale each unit's weights so that their norm is at most ``max_value``.

Clauses: LAYER.CONSTRAINTS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``MaxNorm(max_value=2, axis=0)``. Norms already below ``max_value`` are kept
(up to the epsilon: w * n / (1e-07 + n)). Aliases ``max_norm``, ``maxnorm``.

    n = norms(w, axis)
    w * (clip(n, 0, max_value) / (epsilon + n))

>>> MaxNorm(1.0)([[3.0], [4.0]]).numpy()
array([[0.6],
       [0.8]], dtype=float32)
"""
from refkeras import backend
from refkeras.constraints.constraint import Constraint, clip, norms
from refkeras.framework.convert import convert_to_tensor


class MaxNorm(Constraint):
    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        n = norms(w, self.axis)
        desired = clip(n, 0, self.max_value)
        return w * (desired / (backend.epsilon() + n))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


__all__ = ["MaxNorm"]
