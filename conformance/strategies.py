"""Hypothesis strategies shared by the conformance tests (and the unit tests).

Values are float32 arrays of small rank and side, with elements in a moderate range
so that float32 oracles stay meaningful; strategies for inputs that must avoid a
non-differentiable point (0 for abs, ties for max) say so in their names.
"""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def shapes(min_dims=0, max_dims=3, min_side=1, max_side=4):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def floats(low=-3.0, high=3.0, width=32):
    if width == 32:   # bounds must be representable in float32
        low, high = float(np.float32(low)), float(np.float32(high))
    return st.floats(low, high, width=width, allow_nan=False, allow_infinity=False,
                     allow_subnormal=False)


def arrays(shape=None, low=-3.0, high=3.0, dtype=np.float32):
    shape = shapes() if shape is None else shape
    return hnp.arrays(dtype, shape, elements=floats(low, high, width=np.dtype(dtype).itemsize * 8))


def away_from_zero(shape=None, margin=0.05, high=3.0):
    """Arrays whose elements satisfy margin <= |x| <= high."""
    return arrays(shape, -high, high).map(
        lambda a: np.where(np.abs(a) < margin, np.where(a < 0, -margin, margin), a).astype(a.dtype))


def positive(shape=None, low=0.1, high=3.0):
    return arrays(shape, low, high)


def distinct(shape=None, gap=0.05, high=3.0):
    """Arrays whose elements differ pairwise by at least ``gap`` (no near-ties for max/min)."""
    shape = shapes() if shape is None else shape
    n = int(high / gap)
    return hnp.arrays(np.int32, shape, elements=st.integers(-n, n), unique=True).map(
        lambda a: (a * np.float32(gap)).astype(np.float32))


def broadcastable_pair(max_dims=3, max_side=4):
    """Two shapes that broadcast together (some axes stretched, some added)."""
    return hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=max_dims,
                                             max_side=max_side).map(lambda s: s.input_shapes)


__all__ = [
    "arrays",
    "away_from_zero",
    "broadcastable_pair",
    "distinct",
    "floats",
    "positive",
    "shapes",
]
