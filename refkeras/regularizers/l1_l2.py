"""L1L2: the sum of the L1 and L2 penalties, and the ``l1_l2`` shortcut.

Clauses: LAYER.LOSSES, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN_REGULARIZER (docs/spec.md).

Note the two different defaults, as in tf_keras 2.21: the class ``L1L2(l1=0.0,
l2=0.0)`` penalises nothing by default, while the function ``l1_l2(l1=0.01,
l2=0.01)`` (and the string ``"l1_l2"``) uses 0.01 for both. ``None`` means 0.0.
A zero factor skips its term; the sum starts from a zero of x's dtype.

    penalty = 0 + l1 * reduce_sum(abs(x)) + 2.0 * l2 * l2_loss(x)

>>> float(L1L2(0.1, 0.2)([[1.0, -2.0], [3.0, 0.5]]))
3.500000238418579
>>> l1_l2().get_config()
{'l1': 0.009999999776482582, 'l2': 0.009999999776482582}
"""
from refkeras.ops import creation_ops, math_ops, nn_ops, reduction_ops
from refkeras.regularizers.regularizer import Regularizer, penalty_factor


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = penalty_factor(0.0 if l1 is None else l1)
        self.l2 = penalty_factor(0.0 if l2 is None else l2)

    def __call__(self, x):
        x = creation_ops.convert_to_tensor(x)
        penalty = creation_ops.zeros((), dtype=x.dtype)
        if self.l1:
            penalty = penalty + self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            penalty = penalty + 2.0 * self.l2 * nn_ops.l2_loss(x)
        return penalty

    def get_config(self):
        return {"l1": float(self.l1), "l2": float(self.l2)}


def l1_l2(l1=0.01, l2=0.01):
    """An L1L2 regularizer with both factors 0.01 by default."""
    return L1L2(l1=l1, l2=l2)


__all__ = ["L1L2", "l1_l2"]
