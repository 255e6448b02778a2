"""Conv1D: 1-D convolution over (batch, steps, channels) sequences.

Clauses: LAYER.CONFIG (docs/spec.md).

The kernel has shape ``(k, channels, filters)``. Besides "valid" and "same", padding
may be "causal": ``(k - 1) * dilation`` zeros on the left only, so that output step t
sees input steps <= t::

    outputs = activation(conv1d(inputs, kernel, stride, padding, dilation) + bias)

>>> import numpy as np, refkeras as keras
>>> layer = keras.layers.Conv1D(4, 3, padding="causal")
>>> layer(np.ones((2, 10, 3))).shape
TensorShape([2, 10, 4])
"""
from refkeras import ops
from refkeras.layers.convolutional.base_conv import Conv


class Conv1D(Conv):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format="channels_last",
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)

    def _convolve(self, inputs):
        padding = self.padding.upper()
        if self.padding == "causal":   # left zeros only: explicit padding, then no more
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            padding = [[0, 0], [left, 0], [0, 0]]
        return ops.conv1d(inputs, self.kernel, self.strides[0], padding,
                          dilations=self.dilation_rate[0])


Convolution1D = Conv1D

__all__ = ["Conv1D", "Convolution1D"]
