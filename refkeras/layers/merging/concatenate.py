"""Concatenate: a list of tensors joined along one axis (the last by default).

Clauses: LAYER.NUMERIC.MERGING, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

Every input must have the same rank and the same dimensions except along
``axis`` (None matches anything); ``build`` checks it with tf_keras's message. The
output's ``axis`` dimension is the sum (None if any is unknown):

    outputs = concat(inputs, axis)
    output_shape[axis] == sum(shape[axis] for shape in input_shapes)
    output_shape[d]    == the known one of the inputs' shape[d]      (d != axis)

The last line follows the shapes tf_keras's symbolic call gives (TensorFlow merges
the inputs' known dimensions); tf_keras's own ``compute_output_shape`` copies
the first input's. ``concatenate(inputs, axis=-1, **kwargs)`` is the functional
form. Who owns what: the gradient is the concat op's (a slice per input).

>>> import numpy as np
>>> concatenate([np.zeros((2, 3)), np.ones((2, 1))]).shape
TensorShape([2, 4])
"""
from refkeras import ops
from refkeras.layers.merging.base_merge import _Merge, display, is_shape_list


class Concatenate(_Merge):
    _broadcasts_ranks = False

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def build(self, input_shape):
        if not is_shape_list(input_shape) or len(input_shape) < 1:
            raise ValueError("A `Concatenate` layer should be called on a list of at least 1 "
                             f"input. Received: input_shape={display(input_shape)}")
        self._check_shapes([tuple(s) for s in input_shape])
        self.built = True

    def _check_shapes(self, input_shapes):
        message = ("A `Concatenate` layer requires inputs with matching shapes except for the "
                   f"concatenation axis. Received: input_shape={input_shapes}")
        reduced = set()
        for shape in input_shapes:
            shape = list(shape)
            if not -len(shape) <= self.axis < len(shape):
                raise ValueError(f"{message} (axis={self.axis} is out of range for rank "
                                 f"{len(shape)})")
            del shape[self.axis]
            reduced.add(tuple(shape))
        if len(reduced) == 1:
            return
        if len({len(shape) for shape in reduced}) != 1:
            raise ValueError(message)
        for dims in zip(*reduced):
            if len({d for d in dims if d is not None}) > 1:
                raise ValueError(message)

    def _merge_function(self, inputs):
        return ops.concat(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        if not is_shape_list(input_shape) or not input_shape:
            raise ValueError("A `Concatenate` layer should be called on a list of inputs. "
                             f"Received: input_shape={display(input_shape)}")
        shapes = [tuple(s) for s in input_shape]
        axis = self.axis % len(shapes[0])
        output = []
        for d, dims in enumerate(zip(*shapes)):
            if d == axis:
                output.append(None if None in dims else sum(dims))
            else:
                known = [n for n in dims if n is not None]
                output.append(known[0] if known else None)
        return tuple(output)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the ``Concatenate`` layer."""
    return Concatenate(axis=axis, **kwargs)(inputs)


__all__ = ["Concatenate", "concatenate"]
