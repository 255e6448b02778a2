"""Constant: the initializer that fills a tensor with one value.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``Constant(value=0)(shape, dtype)`` is ``tf.constant(value, dtype, shape)``: a
scalar fills the shape; a list or array with as many elements as the shape is
reshaped to it; anything else is a TypeError. Config: ``{"value": value}`` (a
numpy array is serialized as ``{"class_name": "__numpy__", ...}`` by ``serialize``
and read back by ``from_config``).

>>> Constant(2.5)((2, 2)).numpy()
array([[2.5, 2.5],
       [2.5, 2.5]], dtype=float32)
"""
import numpy as np

from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    resolve_dtype,
)
from refkeras.ops import creation_ops


class Constant(Initializer):
    def __init__(self, value=0):
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        return creation_ops.constant(self.value, dtype=resolve_dtype(dtype), shape=as_shape(shape))

    def get_config(self):
        return {"value": self.value}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("dtype", None)
        value = config.get("value")
        if isinstance(value, dict) and value.get("class_name") == "__numpy__":
            inner = value["config"]
            config["value"] = np.asarray(inner["value"], dtype=inner["dtype"])
        return cls(**config)


__all__ = ["Constant"]
