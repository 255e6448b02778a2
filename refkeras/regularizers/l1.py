"""L1: the penalty l1 * sum(|x|).

Clauses: LAYER.LOSSES, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN_REGULARIZER (docs/spec.md).

``L1(l1=0.01)``; ``l1=None`` means 0.01; ``l=`` is accepted for backwards
compatibility, any other keyword is a TypeError. The factor is stored as float32,
so ``get_config()`` gives ``{"l1": float(float32(l1))}`` (0.009999999776482582).
The result has the dtype of ``x``.

    penalty = l1 * reduce_sum(abs(x))

>>> float(L1(0.1)([[1.0, -2.0], [3.0, 0.5]]))
0.6500000357627869
"""
from refkeras.framework.convert import convert_to_tensor
from refkeras.ops import math_ops, reduction_ops
from refkeras.regularizers.regularizer import Regularizer, penalty_factor


class L1(Regularizer):
    def __init__(self, l1=0.01, **kwargs):
        l1 = kwargs.pop("l", l1)
        if kwargs:
            raise TypeError(f"Argument(s) not recognized: {kwargs}")
        self.l1 = penalty_factor(0.01 if l1 is None else l1)

    def __call__(self, x):
        x = convert_to_tensor(x)
        return self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))

    def get_config(self):
        return {"l1": float(self.l1)}


__all__ = ["L1"]
