"""L2: the penalty l2 * sum(x ** 2).

Clauses: LAYER.LOSSES, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN_REGULARIZER (docs/spec.md).

``L2(l2=0.01)``; ``l2=None`` means 0.01; ``l=`` is accepted for backwards
compatibility. Computed as tf_keras does, through ``tf.nn.l2_loss`` (half the sum
of squares); the factor is stored as float32. The result has the dtype of ``x``.

    penalty = 2.0 * l2 * l2_loss(x)          # l2_loss(x) = sum(x ** 2) / 2

>>> float(L2(0.1)([[1.0, -2.0], [3.0, 0.5]]))
1.4250000715255737
"""
from refkeras.framework.convert import convert_to_tensor
from refkeras.ops import nn_ops
from refkeras.regularizers.regularizer import Regularizer, penalty_factor


class L2(Regularizer):
    def __init__(self, l2=0.01, **kwargs):
        l2 = kwargs.pop("l", l2)
        if kwargs:
            raise TypeError(f"Argument(s) not recognized: {kwargs}")
        self.l2 = penalty_factor(0.01 if l2 is None else l2)

    def __call__(self, x):
        x = convert_to_tensor(x)
        return 2.0 * self.l2 * nn_ops.l2_loss(x)

    def get_config(self):
        return {"l2": float(self.l2)}


__all__ = ["L2"]
