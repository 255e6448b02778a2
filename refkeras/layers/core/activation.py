"""Activation: apply an activation function, element by element.

Clauses: LAYER.NUMERIC.ACTIVATION, LAYER.CONFIG (docs/spec.md).

The layer holds no weights; ``activation`` is anything ``keras.activations.get``
accepts (a name such as ``"relu"``, a function, or None for the identity), and
``get_config`` stores it by name through ``keras.activations.serialize``:

    outputs = activations.get(activation)(inputs)       # same shape as inputs

Who owns what: the activation functions and their names belong to
``refkeras.activations``; this layer only applies one.

>>> import numpy as np
>>> Activation("relu")(np.array([[-3.0, -1.0, 0.0, 2.0]])).numpy()
array([[0., 0., 0., 2.]], dtype=float32)
"""
from refkeras import activations
from refkeras.layers.layer import Layer


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config


__all__ = ["Activation"]
