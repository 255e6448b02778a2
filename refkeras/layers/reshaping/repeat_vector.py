"""RepeatVector: a (batch, features) input repeated ``n`` times along a new axis 1.

Clauses: LAYER.NUMERIC.RESHAPING, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

    outputs = tile(expand_dims(inputs, 1), (1, n, 1))     # (batch, n, features)

The gradient sums the ``n`` copies (tile's rule). ``n`` must be an int (tf_keras
lets a bool through, and so does refkeras); a negative ``n`` fails when the layer
runs, as TensorFlow's Tile op does.

>>> import numpy as np
>>> RepeatVector(2)(np.array([[1.0, 2.0]])).numpy()
array([[[1., 2.],
        [1., 2.]]], dtype=float32)
"""
from refkeras import ops
from refkeras.framework.errors import InvalidArgumentError
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer


class RepeatVector(Layer):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = n
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        if self.n < 0:
            raise InvalidArgumentError(f"Expected multiples[1] >= 0, but got {self.n}", "Tile")
        return ops.tile(ops.expand_dims(inputs, 1), (1, int(self.n), 1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config


__all__ = ["RepeatVector"]
