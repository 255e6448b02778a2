"""Ones: the initializer that fills a tensor with 1.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``Ones()(shape, dtype)`` is ``tf.ones(shape, dtype)``; any numeric or bool dtype
(float32 by default). No config. Aliases: ``ones``, ``one``.

>>> Ones()((2,), dtype="int32").numpy()
array([1, 1], dtype=int32)
"""
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    resolve_dtype,
)
from refkeras.ops import creation_ops


class Ones(Initializer):
    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        return creation_ops.ones(as_shape(shape), resolve_dtype(dtype))


__all__ = ["Ones"]
