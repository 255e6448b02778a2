"""MaxPooling1D: the largest value of each ``pool_size`` window (``ops.max_pool1d``).

Clauses: LAYER.CONFIG (docs/spec.md).

    outputs[window] = max(inputs[cells of the window])     # strides default to pool_size

>>> import numpy as np, refkeras as keras
>>> keras.layers.MaxPooling1D()(np.ones((2, 6, 3))).shape
TensorShape([2, 3, 3])
"""
from refkeras import ops
from refkeras.layers.pooling.base_pooling import Pooling1D


class MaxPooling1D(Pooling1D):
    def __init__(self, pool_size=2, strides=None, padding="valid", data_format="channels_last",
                 **kwargs):
        super().__init__(ops.max_pool1d, pool_size=pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


MaxPool1D = MaxPooling1D

__all__ = ["MaxPool1D", "MaxPooling1D"]
