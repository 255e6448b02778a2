"""AveragePooling2D: the mean of the real cells of each ``pool_size`` window (``ops.avg_pool2d``).

Clauses: LAYER.CONFIG (docs/spec.md).

    outputs[window] = mean(inputs[cells of the window])     # strides default to pool_size

>>> import numpy as np, refkeras as keras
>>> keras.layers.AveragePooling2D()(np.ones((2, 6, 6, 3))).shape
TensorShape([2, 3, 3, 3])
"""
from refkeras import ops
from refkeras.layers.pooling.base_pooling import Pooling2D


class AveragePooling2D(Pooling2D):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(ops.avg_pool2d, pool_size=pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


AvgPool2D = AveragePooling2D

__all__ = ["AveragePooling2D", "AvgPool2D"]
