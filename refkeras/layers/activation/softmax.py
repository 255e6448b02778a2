"""Softmax: exp(x) normalised to sum 1 along ``axis`` (-1 by default).

Clauses: LAYER.NUMERIC.SOFTMAX, LAYER.CONFIG (docs/spec.md).

    softmax(x)[i] = exp(x[i] - max(x)) / sum(exp(x - max(x)))      # along axis
    axis a tuple of several axes: exp(x - reduce_logsumexp(x, axis, keepdims=True))

An optional ``mask`` (1 keep, 0 drop) pushes the dropped logits to a large
negative number first, as tf_keras: ``x + (1 - mask) * -1e9`` (float16: -65504),
or, with ``robust_masking=True``, ``where(mask, x, -1e9)``. ``get_config`` lists
``robust_masking`` only when it is True.

>>> import numpy as np
>>> Softmax()(np.array([[1.0, 1.0]])).numpy()
array([[0.5, 0.5]], dtype=float32)
"""
from refkeras import activations, ops
from refkeras.layers.layer import Layer


class Softmax(Layer):
    def __init__(self, axis=-1, robust_masking=False, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.robust_masking = robust_masking
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            inputs = self._apply_mask(inputs, ops.convert_to_tensor(mask))
        if isinstance(self.axis, (tuple, list)):
            if len(self.axis) > 1:
                return ops.exp(inputs - ops.reduce_logsumexp(inputs, axis=list(self.axis),
                                                             keepdims=True))
            return activations.softmax(inputs, axis=self.axis[0])
        # the Keras activation, as tf_keras: its output carries the logits for the losses
        return activations.softmax(inputs, axis=self.axis)

    def _apply_mask(self, inputs, mask):
        negative = _large_negative(inputs.dtype)
        if self.robust_masking:
            keep = mask if mask.dtype.kind == "b" else mask > 0.5
            return ops.where(keep, inputs, negative)
        return inputs + (1.0 - ops.cast(mask, inputs.dtype)) * negative

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        if self.robust_masking:
            config["robust_masking"] = True
        return config


def _large_negative(dtype):
    """A number that softmax turns into 0, yet finite in ``dtype``."""
    return -65504.0 if dtype.name == "float16" else -1e9


__all__ = ["Softmax"]
