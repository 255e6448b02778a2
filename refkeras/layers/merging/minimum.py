"""Minimum: the element-wise minimum of a list of tensors.

Clauses: LAYER.NUMERIC.MERGING, LAYER.CONFIG (docs/spec.md).

Shapes are checked and broadcast by ``_Merge`` (base_merge.py); then

    outputs = minimum(...minimum(minimum(inputs[0], inputs[1]), inputs[2])..., inputs[-1])
    # at a tie the gradient goes to the earlier input (TensorFlow's Minimum rule)

``minimum(inputs, **kwargs)`` is the functional form: ``Minimum(**kwargs)(inputs)``.
Who owns what: the gradient is that of the ops used.

>>> import numpy as np
>>> minimum([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy()
array([[1., 2.]], dtype=float32)
"""
from refkeras import ops
from refkeras.layers.merging.base_merge import _Merge


class Minimum(_Merge):
    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.minimum(output, x)
        return output


def minimum(inputs, **kwargs):
    """Functional interface to the ``Minimum`` layer."""
    return Minimum(**kwargs)(inputs)


__all__ = ["Minimum", "minimum"]
