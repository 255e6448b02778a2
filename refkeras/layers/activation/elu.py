"""ELU: the exponential linear unit with a scale ``alpha`` for the negative side.

Clauses: LAYER.NUMERIC.ACTIVATION, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

As tf_keras's ``backend.elu``:

    y = elu(x)                                   # x if x > 0 else exp(x) - 1
    f(x) = y if alpha == 1 else where(x > 0, y, alpha * y)

so the gradient at 0 is ``alpha`` (the negative branch, whose slope there is 1,
scaled). ``alpha`` is stored as float32; None is a ValueError.

>>> import numpy as np
>>> ELU(alpha=0.5)(np.array([-1.0, 2.0])).numpy().round(4)
array([-0.3161,  2.    ], dtype=float32)
"""
from refkeras import ops
from refkeras.layers.activation.relu import cast_to_floatx
from refkeras.layers.layer import Layer


class ELU(Layer):
    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError("Alpha of an ELU layer cannot be None, expecting a float. "
                             f"Received: {alpha}")
        self.supports_masking = True
        self.alpha = cast_to_floatx(alpha)

    def call(self, inputs):
        y = ops.nn.elu(inputs)
        if self.alpha == 1:
            return y
        return ops.where(inputs > 0, y, self.alpha * y)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["alpha"] = float(self.alpha)
        return config


__all__ = ["ELU"]
