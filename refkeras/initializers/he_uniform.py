"""HeUniform: VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform").

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

He uniform: U[-limit, limit), limit = sqrt(6 / fan_in).
A subclass of ``VarianceScaling`` whose config is only ``{"seed": seed}``; the string ``"he_uniform"`` names it.

    limit = sqrt(3 * 2.0 / fan_in)

>>> HeUniform(seed=1).get_config()
{'seed': 1}
"""
from refkeras.initializers.variance_scaling import VarianceScaling


class HeUniform(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(scale=2.0, mode="fan_in", distribution="uniform", seed=seed)

    def get_config(self):
        return {"seed": self.seed}


__all__ = ["HeUniform"]
