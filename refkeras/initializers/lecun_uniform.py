"""LecunUniform: VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform").

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

LeCun uniform: U[-limit, limit), limit = sqrt(3 / fan_in).
A subclass of ``VarianceScaling`` whose config is only ``{"seed": seed}``; the string ``"lecun_uniform"`` names it.

    limit = sqrt(3 * 1.0 / fan_in)

>>> LecunUniform(seed=1).get_config()
{'seed': 1}
"""
from refkeras.initializers.variance_scaling import VarianceScaling


class LecunUniform(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(scale=1.0, mode="fan_in", distribution="uniform", seed=seed)

    def get_config(self):
        return {"seed": self.seed}


__all__ = ["LecunUniform"]
