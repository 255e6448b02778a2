"""Conv2D: 2-D convolution over (batch, rows, columns, channels) images.

Clauses: LAYER.CONFIG (docs/spec.md).

The kernel has shape ``(kh, kw, channels, filters)``; see ``base_conv.py`` for the
output length rule and ``refkeras.ops.conv_ops`` for the arithmetic (cross-correlation,
TensorFlow's SAME split)::

    outputs = activation(conv2d(inputs, kernel, strides, padding, dilation_rate) + bias)

>>> import numpy as np, refkeras as keras
>>> layer = keras.layers.Conv2D(2, 3, padding="same")
>>> layer(np.ones((1, 5, 5, 3))).shape
TensorShape([1, 5, 5, 2])
"""
from refkeras import activations, ops
from refkeras.layers.convolutional.base_conv import Conv


class Conv2D(Conv):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)

    def _convolve(self, inputs):
        return ops.conv2d(inputs, self.kernel, self.strides, self.padding.upper(),
                          dilations=self.dilation_rate)

    def _fusable(self):
        return True

    def _convolve_biased(self, inputs):
        # Convolution, bias and relu as one op (ops.fused_conv2d): the same numbers as
        # conv2d, bias_add and relu, with one pass over the output instead of three.
        fuse_relu = self.activation is activations.relu
        outputs = ops.fused_conv2d(inputs, self.kernel, self.bias, self.strides,
                                   self.padding.upper(), dilations=self.dilation_rate,
                                   activation="relu" if fuse_relu else None)
        return outputs if fuse_relu else self.activation(outputs)


Convolution2D = Conv2D

__all__ = ["Conv2D", "Convolution2D"]
