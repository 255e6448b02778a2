"""GlobalAveragePooling1D: the mean over the steps (over the unmasked steps with a mask) (``ops.reduce_mean``).

Clauses: LAYER.CONFIG (docs/spec.md).

>>> import numpy as np, refkeras as keras
>>> keras.layers.GlobalAveragePooling1D()(np.ones((2, 6, 3))).shape
TensorShape([2, 3])
"""
from refkeras import ops
from refkeras.layers.pooling.base_global_pooling import GlobalPooling1D


class GlobalAveragePooling1D(GlobalPooling1D):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.reduce_mean(inputs, axis=1, keepdims=self.keepdims)
        # masked steps count neither in the sum nor in the number of steps
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), 2)
        total = ops.reduce_sum(inputs * weights, axis=1, keepdims=self.keepdims)
        return total / ops.reduce_sum(weights, axis=1, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


GlobalAvgPool1D = GlobalAveragePooling1D

__all__ = ["GlobalAveragePooling1D", "GlobalAvgPool1D"]
