"""Flatten: every axis but the batch axis folded into one.

Clauses: LAYER.NUMERIC.RESHAPING, LAYER.CONFIG (docs/spec.md).

A ``(batch, d1, d2, ...)`` input becomes ``(batch, d1 * d2 * ...)``; a ``(batch,)``
input becomes ``(batch, 1)``. With ``data_format="channels_first"`` the channel
axis 1 is moved last first, so the order of the values matches a channels-last
model's. The output shape knows the product only when every non-batch dimension
is known (and non-zero, as tf_keras counts it):

    if channels_first: inputs = transpose(inputs, (0, 2, ..., rank - 1, 1))
    outputs = reshape(inputs, (batch, prod(inputs.shape[1:])))

Who owns what: the layer has no weights; the gradient is reshape's.

>>> import numpy as np
>>> Flatten()(np.zeros((2, 3, 4))).shape
TensorShape([2, 12])
"""
import math

from refkeras import ops
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer

_DATA_FORMATS = ("channels_first", "channels_last")


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self._channels_first = self.data_format == "channels_first"

    def call(self, inputs):
        rank = inputs.shape.rank
        if self._channels_first and rank > 1:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, rank)) + (1,))
        shape = tuple(inputs.shape)
        return ops.reshape(inputs, (shape[0], math.prod(shape[1:])))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if not input_shape:
            return (1, 1)   # tf_keras's answer; a rank-0 input fails input_spec anyway
        rest = input_shape[1:]
        known = all(rest)       # None, and also 0, count as unknown in tf_keras
        return (input_shape[0], math.prod(rest) if known else None)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


def normalize_data_format(value):
    """None -> "channels_last" (keras.backend.image_data_format()); else one of the two."""
    if value is None:
        return "channels_last"
    data_format = value.lower() if isinstance(value, str) else value
    if data_format not in _DATA_FORMATS:
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         f'"channels_last". Received: {value}')
    return data_format


__all__ = ["Flatten", "normalize_data_format"]
