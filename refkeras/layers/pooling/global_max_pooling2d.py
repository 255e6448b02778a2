"""GlobalMaxPooling2D: the largest value over rows and columns (``ops.reduce_max``).

Clauses: LAYER.CONFIG (docs/spec.md).

>>> import numpy as np, refkeras as keras
>>> keras.layers.GlobalMaxPooling2D()(np.ones((2, 6, 6, 3))).shape
TensorShape([2, 3])
"""
from refkeras import ops
from refkeras.layers.pooling.base_global_pooling import GlobalPooling2D


class GlobalMaxPooling2D(GlobalPooling2D):
    def call(self, inputs):
        return ops.reduce_max(inputs, axis=self.axes, keepdims=self.keepdims)


GlobalMaxPool2D = GlobalMaxPooling2D

__all__ = ["GlobalMaxPool2D", "GlobalMaxPooling2D"]
