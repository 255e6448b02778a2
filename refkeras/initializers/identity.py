"""Identity: ``gain`` times the identity matrix (2-D shapes only).

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``Identity(gain=1.0)``; floating dtypes. A non-square shape gives ones on the main
diagonal and zeros elsewhere (``tf.eye(rows, cols)``); any other rank is a ValueError.

    values = gain * eye(rows, cols)

>>> Identity(2.0)((2, 3)).numpy()
array([[2., 0., 0.],
       [0., 2., 0.]], dtype=float32)
"""
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    floating_dtype,
)
from refkeras.ops import creation_ops


class Identity(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        dtype = floating_dtype(dtype)
        shape = as_shape(shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return self.gain * creation_ops.eye(shape[0], shape[1], dtype=dtype)

    def get_config(self):
        return {"gain": self.gain}


__all__ = ["Identity"]
