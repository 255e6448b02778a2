"""LecunNormal: VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal").

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

LeCun normal: truncated normal, stddev = sqrt(1 / fan_in).
A subclass of ``VarianceScaling`` whose config is only ``{"seed": seed}``; the string ``"lecun_normal"`` names it.

    stddev = sqrt(1.0 / fan_in) / 0.87962566103423978   # before truncation

>>> LecunNormal(seed=1).get_config()
{'seed': 1}
"""
from refkeras.initializers.variance_scaling import VarianceScaling


class LecunNormal(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=seed)

    def get_config(self):
        return {"seed": self.seed}


__all__ = ["LecunNormal"]
