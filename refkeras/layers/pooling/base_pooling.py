"""Pooling1D and Pooling2D: a window of ``pool_size`` sliding by ``strides``.

Clauses: LAYER.CONFIG (docs/spec.md).

The pooling function (max or average, from ``refkeras.ops.pooling_ops``) reduces each
window; ``strides`` defaults to ``pool_size`` (windows side by side). Output length
per spatial axis, as for convolutions (``base_conv.output_length``)::

    valid: ceil((length - pool + 1) / stride)      same: ceil(length / stride)

Average pooling with "same" divides by the number of real (not padding) cells.
Only channels_last data is supported.

Who owns what: these base classes check arguments, compute shapes and serialize;
subclasses name the pooling op.
"""
from refkeras.layers.convolutional.base_conv import (
    check_output_lengths,
    normalize_data_format,
    normalize_padding,
    normalize_tuple,
    output_length,
)
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer


class _Pooling(Layer):
    rank = None

    def __init__(self, pool_function, pool_size, strides, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if strides is None:
            strides = pool_size
        self.pool_function = pool_function
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = normalize_tuple(strides, self.rank, "strides", allow_zero=True)
        self.padding = normalize_padding(padding, allowed=("valid", "same"))
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)   # refuses inputs smaller than the window
        self.built = True

    def call(self, inputs):
        return self.pool_function(inputs, self.pool_size, self.strides, self.padding.upper())

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = tuple(output_length(length, k, self.padding, s) for length, k, s in
                        zip(input_shape[1:-1], self.pool_size, self.strides))
        check_output_lengths(spatial, input_shape, self.name)
        return (input_shape[0],) + spatial + (input_shape[-1],)


class Pooling1D(_Pooling):
    """Pooling over the steps of (batch, steps, features) sequences."""
    rank = 1

    def get_config(self):
        config = super().get_config()
        config.update({"strides": self.strides, "pool_size": self.pool_size,
                       "padding": self.padding, "data_format": self.data_format})
        return config


class Pooling2D(_Pooling):
    """Pooling over the rows and columns of (batch, rows, columns, channels) images."""
    rank = 2

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding,
                       "strides": self.strides, "data_format": self.data_format})
        return config


__all__ = ["Pooling1D", "Pooling2D"]
