"""Embedding: integer ids looked up as rows of a trainable table.

Clauses: LAYER.NUMERIC.EMBEDDING, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

The table ``embeddings`` has shape ``(input_dim, output_dim)``; an input of any
shape of ids gives an output of that shape plus ``output_dim``. Ids that are not
int32/int64 are cast to int32 first (floats truncate toward zero, as
``tf.cast``), and an id outside ``[0, input_dim)`` is an InvalidArgumentError with
TensorFlow's words. The gradient reaches only the rows that were looked up:

    ids = cast(inputs, "int32") if inputs.dtype not in (int32, int64) else inputs
    check: 0 <= ids < input_dim      # else InvalidArgumentError "indices[i,j] = v is not in [0, n)"
    outputs = embeddings[ids]        # shape inputs.shape + (output_dim,)

As in tf_keras the layer records ``input_shape=(input_length,)`` (``(None,)``
without one), so its config has ``batch_input_shape``. ``mask_zero`` is stored and
``compute_mask`` gives ``ids != 0``; refkeras layers do not propagate masks yet.
Who owns what: the table is this layer's only weight; ``refkeras.initializers``
owns ``"uniform"`` (RandomUniform in [-0.05, 0.05]).

>>> import numpy as np
>>> layer = Embedding(3, 2, embeddings_initializer="ones")
>>> layer(np.array([[0, 2]])).shape
TensorShape([1, 2, 2])
"""
import numpy as np

from refkeras import constraints, initializers, ops, regularizers
from refkeras.framework.errors import InvalidArgumentError
from refkeras.layers.layer import Layer


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, sparse=False,
                 **kwargs):
        _check_dims(input_dim, output_dim)
        if sparse:
            raise ValueError("Embedding(sparse=True) returns a tf.SparseTensor, which refkeras "
                             "does not have. Received: sparse=True")
        if "input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,) if input_length else (None,)
        kwargs["autocast"] = False
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.input_length = input_length
        self.sparse = sparse

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(name="embeddings",
                                          shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs):
        if inputs.dtype.name not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        _check_ids(inputs.numpy(), self.input_dim)
        return ops.gather(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.input_length is None:
            return input_shape + (self.output_dim,)
        lengths = list(self.input_length) if isinstance(self.input_length, (list, tuple)) \
            else [self.input_length]
        mismatch = ValueError(f'"input_length" is {self.input_length}, but received input has '
                              f"shape {input_shape}")
        if len(lengths) != len(input_shape) - 1:
            raise mismatch
        for i, (expected, got) in enumerate(zip(lengths, input_shape[1:])):
            if expected is not None and got is not None and expected != got:
                raise mismatch
            if expected is None:
                lengths[i] = got
        return (input_shape[0],) + tuple(lengths) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "input_length": self.input_length,
        })
        return config


def _check_dims(input_dim, output_dim):
    for argument, value in (("input_dim", input_dim), ("output_dim", output_dim)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"Embedding: `{argument}` must be a positive integer. "
                            f"Received: {argument}={value!r}")
    if input_dim <= 0 or output_dim <= 0:
        raise ValueError("Both `input_dim` and `output_dim` should be positive, "
                         f"Received input_dim = {input_dim} and output_dim = {output_dim}")


def _check_ids(ids, input_dim):
    """TensorFlow's ResourceGather error for the first id (row-major) out of range."""
    bad = (ids < 0) | (ids >= input_dim)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        position = ",".join(str(i) for i in where)
        raise InvalidArgumentError(
            f"indices[{position}] = {int(ids[where])} is not in [0, {input_dim})",
            "ResourceGather")


__all__ = ["Embedding"]
