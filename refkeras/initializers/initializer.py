"""Initializer: the base class of every initializer, and the checks they share.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

An initializer is an object that, called as ``init(shape, dtype=None)``, returns a
new Tensor of that shape and dtype (``keras.backend.floatx()``, float32, when dtype
is None). Its constructor arguments are its config: ``get_config()`` returns them
and ``cls.from_config(config)`` rebuilds an equal initializer. Random initializers
are *stateless*, as in tf_keras 2.21: an instance fixes its seed on first use (its
``seed`` argument, or else one drawn from the session generator) and returns the
same values on every later call; an unseeded instance warns when called twice.
This module owns the base class; each concrete initializer has its own file.

>>> import refkeras
>>> class Fives(Initializer):
...     def __call__(self, shape, dtype=None, **kwargs):
...         return refkeras.ops.fill(shape, 5.0)
>>> Fives()((2,)).numpy()
array([5., 5.], dtype=float32)
"""
import warnings

import numpy as np

from refkeras import backend
from refkeras.framework import dtypes
from refkeras.framework.tensor_shape import TensorShape


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None, **kwargs)``."""

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError(
            "Initializer subclasses must implement the `__call__()` method.")

    def get_config(self):
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """An initializer built from ``get_config()``'s dict (a ``dtype`` key is ignored)."""
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)

    def _warn_reuse(self):
        """Warn on the second call of an unseeded random initializer (tf_keras's rule)."""
        if not getattr(self, "_used", False):
            self._used = True
        elif getattr(self, "seed", None) is None:
            warnings.warn(
                f"The initializer {type(self).__name__} is unseeded and being called multiple "
                "times, which will return identical values each time (even if the initializer "
                "is unseeded). Please update your code to provide a seed to the initializer, "
                "or avoid using the same initializer instance more than once.", stacklevel=3)


# -- checks shared by the concrete initializers --------------------------------------

def check_kwargs(kwargs):
    """TypeError for keyword arguments other than shape and dtype."""
    if kwargs:
        raise TypeError(
            f"Unknown keyword arguments: {sorted(kwargs)}. refkeras initializers take only "
            "`shape` and `dtype` (TensorFlow's partition_shape, partition_offset and layout "
            "are not supported).")


def as_shape(shape):
    """``shape`` as a tuple of non-negative ints; TypeError/ValueError otherwise."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if not isinstance(shape, (tuple, list)):
        raise TypeError(f"`shape` must be a tuple or list of ints, one per axis. "
                        f"Received: shape={shape!r} of type {type(shape).__name__}.")
    for dim in shape:
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 0:
            raise ValueError(f"`shape` must hold non-negative ints (fully defined). "
                             f"Received: shape={tuple(shape)}.")
    return tuple(int(dim) for dim in shape)


def resolve_dtype(dtype):
    """``dtype`` as a numpy dtype; None means ``keras.backend.floatx()``."""
    return dtypes.as_dtype(backend.floatx() if dtype is None else dtype)


def floating_dtype(dtype):
    """``resolve_dtype(dtype)``, which must be a floating type (ValueError otherwise)."""
    dtype = resolve_dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"Expected floating point type, got <dtype: '{dtype.name}'>.")
    return dtype


__all__ = ["Initializer", "as_shape", "check_kwargs", "floating_dtype", "resolve_dtype"]
