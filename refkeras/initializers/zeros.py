"""Zeros: the initializer that fills a tensor with 0.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``Zeros()(shape, dtype)`` is ``tf.zeros(shape, dtype)``; any numeric or bool dtype
(float32 by default). No config. Aliases: ``zeros``, ``zero``.

>>> Zeros()((2,)).numpy()
array([0., 0.], dtype=float32)
"""
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    resolve_dtype,
)
from refkeras.ops import creation_ops


class Zeros(Initializer):
    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        return creation_ops.zeros(as_shape(shape), resolve_dtype(dtype))


__all__ = ["Zeros"]
