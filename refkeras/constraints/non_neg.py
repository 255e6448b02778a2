"""NonNeg: set negative weights to zero.

Clauses: LAYER.CONSTRAINTS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``NonNeg()``, no config. As in tf_keras the mask is cast to floatx (float32), so a
float64 weight is an InvalidArgumentError (TensorFlow never promotes). Negative
values become -0.0 (w * 0). Aliases ``non_neg``, ``nonneg``.

    w * cast(w >= 0, "float32")

>>> NonNeg()([1.0, -2.0]).numpy()
array([ 1., -0.], dtype=float32)
"""
from refkeras import backend
from refkeras.constraints.constraint import Constraint
from refkeras.framework.convert import convert_to_tensor
from refkeras.ops import math_ops


class NonNeg(Constraint):
    def __call__(self, w):
        w = convert_to_tensor(w)
        return w * math_ops.cast(w >= 0.0, backend.floatx())


__all__ = ["NonNeg"]
