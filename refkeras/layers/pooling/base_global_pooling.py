"""GlobalPooling1D and GlobalPooling2D: one value per channel, over all positions.

Clauses: LAYER.CONFIG (docs/spec.md).

    outputs = reduce(inputs, axis=spatial axes, keepdims=keepdims)
    (batch, steps, C) -> (batch, C), or (batch, 1, C) with keepdims=True

Only channels_last data is supported. Subclasses choose the reduction.
"""
from refkeras.layers.convolutional.base_conv import normalize_data_format
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer


class _GlobalPooling(Layer):
    rank = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.axes = list(range(1, self.rank + 1))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.rank + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])

    def call(self, inputs):
        raise NotImplementedError

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config


class GlobalPooling1D(_GlobalPooling):
    rank = 1


class GlobalPooling2D(_GlobalPooling):
    rank = 2


__all__ = ["GlobalPooling1D", "GlobalPooling2D"]
