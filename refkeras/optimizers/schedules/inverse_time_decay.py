"""InverseTimeDecay: the learning rate falls as 1 / (1 + rate * t).

Clauses: SCHEDULE.VALUES, SCHEDULE.INVERSE_TIME (docs/spec.md).

Rule, in the schedule's dtype, every name below a cast scalar::

    p = step / decay_steps
    if staircase: p = floor(p)
    lr = initial_learning_rate / (1 + decay_rate * p)

>>> float(InverseTimeDecay(0.1, 10, 0.5)(20))
0.05000000074505806

"""
import numpy as np

from refkeras.optimizers.schedules import scalar_math
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    cast,
    check_bool,
    check_number,
    compute_dtype,
    result,
    step_array,
)


class InverseTimeDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        super().__init__()
        self.initial_learning_rate = check_number("initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_number("decay_steps", decay_steps, minimum=0, strict=True)
        self.decay_rate = check_number("decay_rate", decay_rate, minimum=0)
        self.staircase = check_bool("staircase", staircase)
        self.name = name

    def __call__(self, step):
        dtype = compute_dtype(self.initial_learning_rate)
        step = step_array(step).astype(dtype)[()]
        p = step / cast(self.decay_steps, dtype)
        if self.staircase:
            p = np.floor(p)
        denominator = dtype.type(1) + cast(self.decay_rate, dtype) * p
        return result(scalar_math.flush(cast(self.initial_learning_rate, dtype) / denominator),
                      dtype)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


__all__ = ["InverseTimeDecay"]
