"""Add: the element-wise sum of a list of tensors.

Clauses: LAYER.NUMERIC.MERGING, LAYER.CONFIG (docs/spec.md).

Shapes are checked and broadcast by ``_Merge`` (base_merge.py); then

    outputs = inputs[0] + inputs[1] + ... + inputs[-1]

``add(inputs, **kwargs)`` is the functional form: ``Add(**kwargs)(inputs)``.
Who owns what: the gradient is that of the ops used.

>>> import numpy as np
>>> add([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy()
array([[4., 6.]], dtype=float32)
"""
from refkeras import ops
from refkeras.layers.merging.base_merge import _Merge


class Add(_Merge):
    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output


def add(inputs, **kwargs):
    """Functional interface to the ``Add`` layer."""
    return Add(**kwargs)(inputs)


__all__ = ["Add", "add"]
