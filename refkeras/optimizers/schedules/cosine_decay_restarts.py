"""CosineDecayRestarts (SGDR): cosine decays that restart, each ``t_mul`` times longer.

Clauses: SCHEDULE.COSINE_RESTARTS, SCHEDULE.FLOAT32 (docs/spec.md).

Rule, in the schedule's dtype, every hyper-parameter cast, ``log``/``pow``/``cos``
the C library's ``logf``/``powf``/``cosf`` (the floor of a ratio of logs decides
which period a step is in, so the last bit matters at a restart)::

    t = step / first_decay_steps                       # in units of the first period
    if t_mul == 1:
        i = floor(t); t = t - i
    else:                                              # periods 1, t_mul, t_mul**2 ...
        i = floor(log(1 - t * (1 - t_mul)) / log(t_mul))
        t = (t - (1 - t_mul**i) / (1 - t_mul)) / t_mul**i
    cosine = 0.5 * m_mul**i * (1 + cos(pi * t))
    lr = initial_learning_rate * ((1 - alpha) * cosine + alpha)

>>> schedule = CosineDecayRestarts(1.0, 10)
>>> [round(float(schedule(s)), 6) for s in (0, 5, 10, 20, 30)]
[1.0, 0.5, 1.0, 0.5, 1.0]

"""
import numpy as np

from refkeras.optimizers.schedules import scalar_math
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    cast,
    check_number,
    compute_dtype,
    result,
    step_array,
)


def _period(t, t_mul, one):
    """(index of the period holding ``t``, fraction of that period done)."""
    if t_mul == one:
        i = np.floor(t)
        return i, t - i
    i = np.floor(scalar_math.log(one - t * (one - t_mul)) / scalar_math.log(t_mul))
    done_before = (one - scalar_math.power(t_mul, i)) / (one - t_mul)
    return i, (t - done_before) / scalar_math.power(t_mul, i)


class CosineDecayRestarts(LearningRateSchedule):
    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name=None):
        super().__init__()
        self.initial_learning_rate = check_number("initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = check_number("first_decay_steps", first_decay_steps, minimum=0,
                                              strict=True)
        self._t_mul = check_number("t_mul", t_mul, minimum=0, strict=True)
        self._m_mul = check_number("m_mul", m_mul, minimum=0)
        self.alpha = check_number("alpha", alpha)
        self.name = name

    def __call__(self, step):
        dtype = compute_dtype(self.initial_learning_rate)
        one = dtype.type(1)
        step = step_array(step).astype(dtype)[()]
        t = step / cast(self.first_decay_steps, dtype)
        i, t = _period(t, cast(self._t_mul, dtype), one)
        m_factor = scalar_math.power(cast(self._m_mul, dtype), i)
        pi = dtype.type(np.pi)
        cosine = dtype.type(0.5) * m_factor * (one + scalar_math.cos(pi * t))
        alpha = cast(self.alpha, dtype)
        value = cast(self.initial_learning_rate, dtype) * ((one - alpha) * cosine + alpha)
        return result(scalar_math.flush(value), dtype)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


__all__ = ["CosineDecayRestarts"]
