"""Permute: reorder the non-batch axes.

Clauses: LAYER.NUMERIC.RESHAPING, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

``dims`` is a permutation of ``1 .. rank - 1`` (1-based: axis 0, the batch, stays);
the input must have rank ``len(dims) + 1`` (checked by ``input_spec``):

    outputs = transpose(inputs, (0,) + dims)
    output_shape[i + 1] == input_shape[dims[i]]

Who owns what: the layer has no weights; the gradient is transpose's.

>>> import numpy as np
>>> Permute((2, 1))(np.zeros((1, 3, 4))).shape
TensorShape([1, 4, 3])
"""
from refkeras import ops
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer


class Permute(Layer):
    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set of "
                             "indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={dims}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config


__all__ = ["Permute"]
