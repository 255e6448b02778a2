"""GlobalMaxPooling1D: the largest value over the steps (``ops.reduce_max``).

Clauses: LAYER.CONFIG (docs/spec.md).

>>> import numpy as np, refkeras as keras
>>> keras.layers.GlobalMaxPooling1D()(np.ones((2, 6, 3))).shape
TensorShape([2, 3])
"""
from refkeras import ops
from refkeras.layers.pooling.base_global_pooling import GlobalPooling1D


class GlobalMaxPooling1D(GlobalPooling1D):
    def call(self, inputs):
        return ops.reduce_max(inputs, axis=self.axes, keepdims=self.keepdims)


GlobalMaxPool1D = GlobalMaxPooling1D

__all__ = ["GlobalMaxPool1D", "GlobalMaxPooling1D"]
