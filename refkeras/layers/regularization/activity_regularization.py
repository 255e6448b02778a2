"""ActivityRegularization: the identity, plus an L1/L2 penalty on its output.

Clauses: LAYER.NUMERIC.ACTIVITY_REGULARIZATION, ADD_LOSS.LAYER, LAYER.CONFIG
(docs/spec.md).

The layer is ``Layer(activity_regularizer=L1L2(l1, l2))`` and nothing else, so
``Layer.__call__`` adds the loss of each call, divided by the batch size:

    outputs = inputs
    loss = (l1 * sum(|outputs|) + l2 * sum(outputs ** 2)) / batch_size

``get_config`` holds ``l1`` and ``l2`` as given (not the regularizer).

>>> import numpy as np
>>> layer = ActivityRegularization(l1=0.1, l2=0.2)
>>> _ = layer(np.array([[1.0, -2.0], [3.0, 0.0]]))
>>> round(float(layer.losses[0]), 4)
1.7
"""
from refkeras import regularizers
from refkeras.layers.layer import Layer


class ActivityRegularization(Layer):
    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config


__all__ = ["ActivityRegularization"]
