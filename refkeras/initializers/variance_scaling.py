"""VarianceScaling: random values whose scale adapts to the weight's shape.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal",
seed=None)``. ``mode`` is one of fan_in, fan_out, fan_avg (case-sensitive);
``distribution`` one of uniform, truncated_normal, untruncated_normal (lower-cased
first; "normal" means truncated_normal). The fans of a kernel count the inputs
and outputs of one unit, the receptive field (all axes but the last two) times the
channels. GlorotUniform, HeNormal ... (their own files) are fixed settings of it.

    fan_in, fan_out = compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    s = scale / max(1.0, n)
    truncated_normal:   stddev = sqrt(s) / 0.87962566103423978, cut at 2 stddev
    untruncated_normal: stddev = sqrt(s)
    uniform:            U[-limit, limit), limit = sqrt(3 * s)

>>> compute_fans((3, 3, 16, 32))          # a 3x3 Conv2D kernel, 16 -> 32 channels
(144, 288)
"""
import math

from refkeras.initializers._random import SeededDraws
from refkeras.initializers.initializer import (
    Initializer,
    as_shape,
    check_kwargs,
    floating_dtype,
)

# The standard deviation of N(0, 1) truncated to [-2, 2]: dividing by it gives the
# truncated draws the intended standard deviation.
_TRUNCATED_STDDEV = 0.87962566103423978
_MODES = ("fan_avg", "fan_in", "fan_out")
_DISTRIBUTIONS = ("truncated_normal", "uniform", "untruncated_normal")


def compute_fans(shape):
    """(fan_in, fan_out) of a weight shape: scalars 1, vectors their length, matrices
    (rows, cols), kernels receptive_field * (in_channels, out_channels)."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


def _set_text(names):
    """A set's repr in a fixed order (TensorFlow prints its set in hash order)."""
    return "{" + ", ".join(repr(n) for n in names) + "}"


class VarianceScaling(Initializer):
    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be positive float. Received: scale={scale}.")
        if mode not in _MODES:
            raise ValueError(f"Invalid `mode` argument: {mode}. "
                             f"Please use one of the {_set_text(_MODES)}.")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f"Invalid `distribution` argument: {distribution}."
                             f"Allowed distributions: {_set_text(_DISTRIBUTIONS)}.")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed
        self._draws = SeededDraws(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        check_kwargs(kwargs)
        dtype = floating_dtype(dtype)
        shape = as_shape(shape)
        self._warn_reuse()
        s = self.scale / max(1.0, self._fan(shape))
        if self.distribution == "truncated_normal":
            return self._draws.truncated_normal(shape, 0.0, math.sqrt(s) / _TRUNCATED_STDDEV, dtype)
        if self.distribution == "untruncated_normal":
            return self._draws.normal(shape, 0.0, math.sqrt(s), dtype)
        limit = math.sqrt(3.0 * s)
        return self._draws.uniform(shape, -limit, limit, dtype)

    def _fan(self, shape):
        fan_in, fan_out = compute_fans(shape)
        return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


__all__ = ["VarianceScaling", "compute_fans"]
