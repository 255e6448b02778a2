"""MaxPooling2D: the largest value of each ``pool_size`` window (``ops.max_pool2d``).

Clauses: LAYER.CONFIG (docs/spec.md).

    outputs[window] = max(inputs[cells of the window])     # strides default to pool_size

>>> import numpy as np, refkeras as keras
>>> keras.layers.MaxPooling2D()(np.ones((2, 6, 6, 3))).shape
TensorShape([2, 3, 3, 3])
"""
from refkeras import ops
from refkeras.layers.pooling.base_pooling import Pooling2D


class MaxPooling2D(Pooling2D):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(ops.max_pool2d, pool_size=pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


MaxPool2D = MaxPooling2D

__all__ = ["MaxPool2D", "MaxPooling2D"]
