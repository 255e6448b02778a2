"""HeNormal: VarianceScaling(scale=2.0, mode="fan_in", distribution="truncated_normal").

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

He normal: truncated normal, stddev = sqrt(2 / fan_in).
A subclass of ``VarianceScaling`` whose config is only ``{"seed": seed}``; the string ``"he_normal"`` names it.

    stddev = sqrt(2.0 / fan_in) / 0.87962566103423978   # before truncation

>>> HeNormal(seed=1).get_config()
{'seed': 1}
"""
from refkeras.initializers.variance_scaling import VarianceScaling


class HeNormal(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(scale=2.0, mode="fan_in", distribution="truncated_normal", seed=seed)

    def get_config(self):
        return {"seed": self.seed}


__all__ = ["HeNormal"]
