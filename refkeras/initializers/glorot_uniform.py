"""GlorotUniform: VarianceScaling(scale=1.0, mode="fan_avg", distribution="uniform").

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

Glorot (Xavier) uniform: U[-limit, limit), limit = sqrt(6 / (fan_in + fan_out)).
A subclass of ``VarianceScaling`` whose config is only ``{"seed": seed}``; the string ``"glorot_uniform"`` names it.

    limit = sqrt(3 * 1.0 / ((fan_in + fan_out) / 2))

>>> GlorotUniform(seed=1).get_config()
{'seed': 1}
"""
from refkeras.initializers.variance_scaling import VarianceScaling


class GlorotUniform(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed)

    def get_config(self):
        return {"seed": self.seed}


__all__ = ["GlorotUniform"]
