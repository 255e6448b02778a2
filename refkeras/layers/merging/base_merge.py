"""_Merge: the base of the layers that combine a list of tensors element-wise.

Clauses: LAYER.NUMERIC.MERGING, LAYER.BAD_INPUT (docs/spec.md).

A merge layer is called on a list (or tuple) of tensors. ``build`` checks the
shapes once, with tf_keras's messages: the batch sizes must agree, and the sample
shapes must broadcast, aligned at their last axes, where 1 stretches and None
matches anything:

    def merged(shape1, shape2):                     # sample shapes, batch axis removed
        if len(shape1) < len(shape2): shape1, shape2 = shape2, shape1
        head, tail = shape1[:len(shape1) - len(shape2)], shape1[len(shape1) - len(shape2):]
        return head + [None if None in (i, j) else j if i == 1 else i if j == 1
                       else i if i == j else error for i, j in zip(tail, shape2)]

When the inputs differ in rank, ``call`` inserts size-1 axes right after the batch
axis of the lower-rank ones before merging, so (batch, 4) meets (batch, 3, 4) as
(batch, 1, 4). Subclasses define ``_merge_function(list of tensors)``.
tf_keras accepts a list of one tensor (returned merged with nothing); so does
refkeras. Who owns what: the subclasses own their arithmetic; the ops own the
gradients.

>>> import numpy as np
>>> from refkeras.layers.merging.add import Add
>>> Add()([np.ones((2, 3, 4)), np.ones((2, 4))]).shape
TensorShape([2, 3, 4])
"""
from refkeras import ops
from refkeras.layers.layer import Layer


class _Merge(Layer):
    # Concatenate joins along an axis and never inserts axes.
    _broadcasts_ranks = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError

    def build(self, input_shape):
        if not is_shape_list(input_shape):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={display(input_shape)} (not a list of shapes)")
        if not input_shape:
            raise ValueError("A merge layer should be called on a list of at least 1 input. "
                             f"Got 0 inputs. Full input_shape received: {display(input_shape)}")
        check_batch_sizes(input_shape)
        self._merged_sample_shape(input_shape)
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):   # tf_keras raises ValueError here
            raise ValueError(  # noqa: TRY004
                "A merge layer should be called on a list of inputs. Received: "
                f"inputs={inputs} (not a list of tensors)")
        ranks = [x.shape.rank for x in inputs]
        if self._broadcasts_ranks and len(set(ranks)) > 1:
            top = max(ranks)
            inputs = [_expand_after_batch(x, top - rank) for x, rank in zip(inputs, ranks)]
        return self._merge_function(list(inputs))

    def compute_output_shape(self, input_shape):
        sample = self._merged_sample_shape(input_shape)
        batch_sizes = {s[0] for s in input_shape if s is not None} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + tuple(sample)

    def _merged_sample_shape(self, input_shape):
        output = None if input_shape[0] is None else tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output = elementwise_shape(output, None if shape is None else tuple(shape[1:]))
        return output


def elementwise_shape(shape1, shape2):
    """The broadcast of two sample shapes, aligned at the last axis (None: unknown)."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        return elementwise_shape(shape2, shape1)
    if not shape2:
        return tuple(shape1)
    output = list(shape1[:len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            output.append(None)
        elif i == 1 or j == 1:
            output.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {shape1} and "
                             f"{shape2}")
        else:
            output.append(i)
    return tuple(output)


def check_batch_sizes(input_shape):
    batch_sizes = {s[0] for s in input_shape if s} - {None}
    if len(batch_sizes) > 1:
        raise ValueError("Cannot merge tensors with different batch sizes. Got tensors with "
                         f"shapes {display(input_shape)}")


def is_shape_list(value):
    """A list or tuple of shapes, as opposed to one shape (a tuple of ints)."""
    return isinstance(value, (list, tuple)) and all(
        isinstance(s, (list, tuple)) for s in value) and (
        bool(value) or isinstance(value, list))


def display(shapes):
    """Shapes as tf_keras prints them: tuples, in a list when there are several."""
    if is_shape_list(shapes) and shapes:
        return [tuple(s) for s in shapes]
    return tuple(shapes)


def _expand_after_batch(x, count):
    for _ in range(count):
        x = ops.expand_dims(x, 1)
    return x


__all__ = ["_Merge", "check_batch_sizes", "display", "elementwise_shape", "is_shape_list"]
