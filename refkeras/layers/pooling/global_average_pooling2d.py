"""GlobalAveragePooling2D: the mean over rows and columns (``ops.reduce_mean``).

Clauses: LAYER.CONFIG (docs/spec.md).

>>> import numpy as np, refkeras as keras
>>> keras.layers.GlobalAveragePooling2D()(np.ones((2, 6, 6, 3))).shape
TensorShape([2, 3])
"""
from refkeras import ops
from refkeras.layers.pooling.base_global_pooling import GlobalPooling2D


class GlobalAveragePooling2D(GlobalPooling2D):
    def call(self, inputs):
        return ops.reduce_mean(inputs, axis=self.axes, keepdims=self.keepdims)


GlobalAvgPool2D = GlobalAveragePooling2D

__all__ = ["GlobalAveragePooling2D", "GlobalAvgPool2D"]
