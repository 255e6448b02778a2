"""LeakyReLU: x where x > 0, alpha * x elsewhere (Keras 2: ``alpha``, default 0.3).

Clauses: LAYER.NUMERIC.LEAKY_RELU, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

    f(x) = x if x > 0 else alpha * x        # gradient alpha at 0, as TensorFlow

``alpha`` is stored as float32 (so ``get_config()["alpha"]`` is
``0.30000001192092896`` for the default, as tf_keras reports it); any float is
accepted, negative ones too; None is a ValueError. Keras 3's name
``negative_slope`` is not a keyword here (tf_keras rejects it as well).

>>> import numpy as np
>>> LeakyReLU()(np.array([-1.0, 2.0])).numpy()
array([-0.3,  2. ], dtype=float32)
"""
from refkeras import activations
from refkeras.layers.activation.relu import cast_to_floatx
from refkeras.layers.layer import Layer


class LeakyReLU(Layer):
    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError("The alpha value of a Leaky ReLU layer cannot be None, Expecting "
                             f"a float. Received: {alpha}")
        self.supports_masking = True
        self.alpha = cast_to_floatx(alpha)

    def call(self, inputs):
        return activations.relu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["alpha"] = float(self.alpha)
        return config


__all__ = ["LeakyReLU"]
