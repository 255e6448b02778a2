"""PolynomialDecay: from ``initial_learning_rate`` to ``end_learning_rate`` along (1 - t)^power.

Clauses: SCHEDULE.VALUES, SCHEDULE.POLYNOMIAL (docs/spec.md).

Rule, in the schedule's dtype, every name below a cast scalar::

    if cycle:   # the first multiple of decay_steps at or above step (decay_steps itself at 0)
        decay_steps = decay_steps * (1 if step == 0 else ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    p = step / decay_steps
    lr = (initial_learning_rate - end_learning_rate) * pow(1 - p, power) + end_learning_rate

>>> round(float(PolynomialDecay(0.1, 10, 0.01)(5)), 6), round(float(PolynomialDecay(0.1, 10, 0.01, cycle=True)(15)), 6)
(0.055, 0.0325)

"""
import numpy as np

from refkeras.optimizers.schedules import scalar_math
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    cast,
    check_bool,
    check_number,
    compute_dtype,
    operand,
    result,
    step_array,
)


class PolynomialDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name=None):
        super().__init__()
        self.initial_learning_rate = check_number("initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_number("decay_steps", decay_steps, minimum=0, strict=True)
        self.end_learning_rate = check_number("end_learning_rate", end_learning_rate)
        self.power = check_number("power", power, minimum=0)
        self.cycle = check_bool("cycle", cycle)
        self.name = name

    def __call__(self, step):
        dtype = compute_dtype(self.initial_learning_rate)
        step = step_array(step).astype(dtype)[()]
        decay_steps = cast(self.decay_steps, dtype)
        if self.cycle:
            # tf_keras divides by the Python decay_steps here (an operand, not a cast).
            periods = np.ceil(step / operand(self.decay_steps, dtype))
            decay_steps = decay_steps * (dtype.type(1) if step == 0 else periods)
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        initial = cast(self.initial_learning_rate, dtype)
        end = cast(self.end_learning_rate, dtype)
        decayed = (initial - end) * scalar_math.power(dtype.type(1) - p, cast(self.power, dtype))
        return result(scalar_math.flush(decayed + end), dtype)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


__all__ = ["PolynomialDecay"]
