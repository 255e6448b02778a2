"""Reshape: the values of each sample in a new shape (the batch axis is kept).

Clauses: LAYER.NUMERIC.RESHAPING, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

``target_shape`` excludes the batch axis; one entry may be -1, inferred from the
sample size. For a symbolic input with a fully known sample shape the target is
checked when the layer is called (ValueError, tf_keras's words); an unknown input
dimension leaves the inferred entry unknown. On values, the reshape op checks the
size (InvalidArgumentError):

    outputs = reshape(inputs, (batch,) + target_shape)
    # shape rule: known = prod(d for d in target if d >= 0)
    #   one d < 0 -> it becomes prod(input_shape[1:]) // known (must divide exactly)
    #   no d < 0  -> prod(input_shape[1:]) must equal known

Who owns what: the layer has no weights; the gradient is reshape's.

>>> import numpy as np
>>> Reshape((-1, 2))(np.zeros((3, 4, 3))).shape
TensorShape([3, 6, 2])
"""
import math

from refkeras import ops
from refkeras.layers.layer import Layer


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            self.target_shape = tuple(target_shape)
        except TypeError:
            raise TypeError("Reshape: `target_shape` must be a tuple of integers (the sample "
                            f"shape, without the batch axis). Received: "
                            f"target_shape={target_shape!r}") from None
        if not all(isinstance(d, int) and not isinstance(d, bool) for d in self.target_shape):
            raise TypeError("Reshape: `target_shape` must be a tuple of integers. Received: "
                            f"target_shape={target_shape!r}")

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0],) + self.target_shape)

    def compute_output_shape(self, input_shape):
        input_shape = list(input_shape)
        if None in input_shape[1:]:
            return (input_shape[0],) + tuple(None if d == -1 else d for d in self.target_shape)
        return (input_shape[0],) + tuple(_fix_unknown_dimension(input_shape[1:],
                                                                self.target_shape))

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config


def _fix_unknown_dimension(input_shape, output_shape):
    """The target with its one negative entry inferred from the input's size."""
    output_shape = list(output_shape)
    mismatch = ValueError(f"total size of new array must be unchanged, input_shape = "
                          f"{list(input_shape)}, output_shape = {output_shape}")
    unknown = [i for i, d in enumerate(output_shape) if d < 0]
    if len(unknown) > 1:
        raise ValueError("There must be at most one unknown dimension in output_shape. "
                         f"Received: output_shape={output_shape}.")
    known = math.prod(d for d in output_shape if d >= 0)
    original = math.prod(input_shape)
    if unknown:
        if known == 0 or original % known != 0:
            raise mismatch
        output_shape[unknown[0]] = original // known
    elif original != known:
        raise mismatch
    return output_shape


__all__ = ["Reshape"]
