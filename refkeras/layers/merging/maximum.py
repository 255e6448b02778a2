"""Maximum: the element-wise maximum of a list of tensors.

Clauses: LAYER.NUMERIC.MERGING, LAYER.CONFIG (docs/spec.md).

Shapes are checked and broadcast by ``_Merge`` (base_merge.py); then

    outputs = maximum(...maximum(maximum(inputs[0], inputs[1]), inputs[2])..., inputs[-1])
    # at a tie the gradient goes to the earlier input (TensorFlow's Maximum rule)

``maximum(inputs, **kwargs)`` is the functional form: ``Maximum(**kwargs)(inputs)``.
Who owns what: the gradient is that of the ops used.

>>> import numpy as np
>>> maximum([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy()
array([[3., 4.]], dtype=float32)
"""
from refkeras import ops
from refkeras.layers.merging.base_merge import _Merge


class Maximum(_Merge):
    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.maximum(output, x)
        return output


def maximum(inputs, **kwargs):
    """Functional interface to the ``Maximum`` layer."""
    return Maximum(**kwargs)(inputs)


__all__ = ["Maximum", "maximum"]
