"""UnitNorm: rescale each unit's weights to norm 1.

Clauses: LAYER.CONSTRAINTS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``UnitNorm(axis=0)``. Aliases ``unit_norm``, ``unitnorm``.

    w / (epsilon + norms(w, axis))

>>> UnitNorm()([[3.0], [4.0]]).numpy().round(6)
array([[0.6],
       [0.8]], dtype=float32)
"""
from refkeras import backend
from refkeras.constraints.constraint import Constraint, norms
from refkeras.framework.convert import convert_to_tensor


class UnitNorm(Constraint):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        return w / (backend.epsilon() + norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


__all__ = ["UnitNorm"]
