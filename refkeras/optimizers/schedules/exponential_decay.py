"""ExponentialDecay: the learning rate shrinks by ``decay_rate`` every ``decay_steps``.

Clauses: SCHEDULE.VALUES, SCHEDULE.EXPONENTIAL (docs/spec.md).

Rule, in the schedule's dtype (float32 for a Python ``initial_learning_rate``),
every name below a cast scalar and ``pow`` the C library's ``powf``::

    p = step / decay_steps
    if staircase: p = floor(p)
    lr = initial_learning_rate * pow(decay_rate, p)

>>> float(ExponentialDecay(0.1, 10, 0.5)(10)), float(ExponentialDecay(0.1, 10, 0.5, True)(19))
(0.05000000074505806, 0.05000000074505806)

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


class ExponentialDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        super().__init__()
        self.initial_learning_rate = check_number("initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_number("decay_steps", decay_steps, minimum=0, strict=True)
        self.decay_rate = check_number("decay_rate", decay_rate, minimum=0, strict=True)
        self.staircase = check_bool("staircase", staircase)
        self.name = name

    def __call__(self, step):
        dtype = compute_dtype(self.initial_learning_rate)
        step = step_array(step).astype(dtype)[()]
        # EXERCISE 5.4: ExponentialDecay | SCHEDULE.EXPONENTIAL
        # hint: initial_learning_rate * decay_rate ** (step / decay_steps), the exponent
        # hint: floored when staircase; compute in the initial rate's dtype (cast,
        # hint: scalar_math.power); float32 underflows to 0 for huge steps, so flush
        # hint: subnormals (scalar_math.flush) as TensorFlow does; return result(value, dtype).
        p = step / cast(self.decay_steps, dtype)
        if self.staircase:
            p = np.floor(p)
        decay = scalar_math.power(cast(self.decay_rate, dtype), p)
        return result(scalar_math.flush(cast(self.initial_learning_rate, dtype) * decay), dtype)
        # END EXERCISE 5.4

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


__all__ = ["ExponentialDecay"]
