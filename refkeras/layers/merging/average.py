"""Average: the element-wise mean of a list of tensors.

Clauses: LAYER.NUMERIC.MERGING, LAYER.CONFIG (docs/spec.md).

Shapes are checked and broadcast by ``_Merge`` (base_merge.py); then

    outputs = (inputs[0] + ... + inputs[-1]) / len(inputs)      # sum first, one division

``average(inputs, **kwargs)`` is the functional form: ``Average(**kwargs)(inputs)``.
Who owns what: the gradient is that of the ops used.

>>> import numpy as np
>>> average([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy()
array([[2., 3.]], dtype=float32)
"""
from refkeras import ops
from refkeras.layers.merging.base_merge import _Merge


class Average(_Merge):
    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output / len(inputs)


def average(inputs, **kwargs):
    """Functional interface to the ``Average`` layer."""
    return Average(**kwargs)(inputs)


__all__ = ["Average", "average"]
