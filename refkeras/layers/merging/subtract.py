"""Subtract: the element-wise difference of exactly two tensors.

Clauses: LAYER.NUMERIC.MERGING, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

Shapes are checked and broadcast by ``_Merge`` (base_merge.py); then

    outputs = inputs[0] - inputs[1]          # any other number of inputs: ValueError

``subtract(inputs, **kwargs)`` is the functional form: ``Subtract(**kwargs)(inputs)``.
Who owns what: the gradient is the subtract op's.

>>> import numpy as np
>>> subtract([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy()
array([[-2.,  2.]], dtype=float32)
"""
from refkeras import ops
from refkeras.layers.merging.base_merge import _Merge, display


class Subtract(_Merge):
    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={display(input_shape)}")

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: inputs={inputs}")
        return ops.subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """Functional interface to the ``Subtract`` layer."""
    return Subtract(**kwargs)(inputs)


__all__ = ["Subtract", "subtract"]
