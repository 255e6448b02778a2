"""Random tensors (``tf.random``), drawn from the session's generator.

Clauses: RANDOM.SEED (docs/spec.md; refkeras's own numbers, not TensorFlow's).

The generator belongs to the session (``refkeras/backend/session.py``):
``set_seed(s)`` reseeds it, so a program that sets a seed draws the same numbers
on every run. An op-level ``seed=`` gives a fresh generator seeded by (global seed,
op seed), so the same call gives the same values. refkeras cannot reproduce
TensorFlow's random streams (a different generator), only their distributions.

>>> set_seed(0); a = normal([2]).numpy()
>>> set_seed(0); bool((a == normal([2]).numpy()).all())
True
"""
import numpy as np

from refkeras.backend import session
from refkeras.framework import dtypes
from refkeras.framework.tensor import Tensor


def set_seed(seed):
    session.set_seed(seed)


def _float_dtype(dtype):
    dtype = dtypes.as_dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"Cannot convert 0.0 to EagerTensor of dtype {dtype.name}: random floats "
                        "need a floating dtype such as tf.float32.")
    return dtype


def _shape(shape):
    if isinstance(shape, Tensor):
        shape = shape._value.tolist()
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    dtype = _float_dtype(dtype)
    rng = session.current().generator(seed)
    return Tensor((rng.standard_normal(_shape(shape)) * stddev + mean).astype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal values, redrawn until they lie within two standard deviations."""
    dtype = _float_dtype(dtype)
    rng = session.current().generator(seed)
    values = rng.standard_normal(_shape(shape))
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return Tensor((values * stddev + mean).astype(dtype))


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform in [minval, maxval) (maxval defaults to 1 for floats)."""
    dtype = dtypes.as_dtype(dtype)
    rng = session.current().generator(seed)
    shape = _shape(shape)
    if dtype.kind in "iu":
        if maxval is None:
            raise ValueError("uniform with an integer dtype needs maxval.")
        return Tensor(rng.integers(minval, maxval, shape).astype(dtype))
    maxval = 1.0 if maxval is None else maxval
    return Tensor(rng.uniform(minval, maxval, shape).astype(dtype))


def shuffle(value, seed=None, name=None):
    """``value`` with its first axis permuted."""
    array = np.asarray(value)
    return Tensor(array[session.current().generator(seed).permutation(len(array))])


__all__ = ["normal", "set_seed", "shuffle", "truncated_normal", "uniform"]
