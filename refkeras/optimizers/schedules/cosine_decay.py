"""CosineDecay: an optional linear warmup, then half a cosine down to ``alpha`` times the peak.

Clauses: SCHEDULE.COSINE (docs/spec.md).

Rule, in the schedule's dtype, ``cos`` the C library's ``cosf``, ``pi`` float32(pi).
``alpha`` is a Python operand, so ``1 - alpha`` is computed in float64 and *then*
rounded (tf_keras's order; it matters in the last bit)::

    def decay(step, decay_steps, peak):
        cosine = 0.5 * (1 + cos(pi * (step / decay_steps)))
        return peak * ((1 - alpha) * cosine + alpha)

    if warmup_target is None:
        lr = decay(min(step, decay_steps), decay_steps, initial_learning_rate)
    else:
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            lr = (warmup_target - initial_learning_rate) * (step / warmup_steps) + initial_learning_rate
        else:
            lr = decay(step - warmup_steps, decay_steps, warmup_target)

>>> round(float(CosineDecay(0.1, 10)(5)), 6), round(float(CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=4)(1)), 6)
(0.05, 0.25)

"""
import numpy as np

from refkeras.optimizers.schedules import scalar_math
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    cast,
    check_number,
    compute_dtype,
    operand,
    result,
    step_array,
)


class CosineDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name=None,
                 warmup_target=None, warmup_steps=0):
        super().__init__()
        self.initial_learning_rate = check_number("initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_number("decay_steps", decay_steps, minimum=0, strict=True)
        self.alpha = check_number("alpha", alpha)
        self.name = name
        self.warmup_steps = check_number("warmup_steps", warmup_steps, minimum=0)
        if warmup_target is not None:
            check_number("warmup_target", warmup_target)
        self.warmup_target = warmup_target

    def _decay(self, step, decay_steps, peak, dtype):
        pi = dtype.type(np.pi)
        cosine = dtype.type(0.5) * (dtype.type(1) + scalar_math.cos(pi * (step / decay_steps)))
        alpha = operand(self.alpha, dtype)
        return peak * (operand(1 - self.alpha, dtype) * cosine + alpha)

    def __call__(self, step):
        dtype = compute_dtype(self.initial_learning_rate)
        step = step_array(step).astype(dtype)[()]
        initial = cast(self.initial_learning_rate, dtype)
        decay_steps = cast(self.decay_steps, dtype)
        if self.warmup_target is None:
            value = self._decay(min(step, decay_steps), decay_steps, initial, dtype)
            return result(scalar_math.flush(value), dtype)
        target = cast(self.warmup_target, dtype)
        warmup_steps = cast(self.warmup_steps, dtype)
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            value = (target - initial) * (step / warmup_steps) + initial
        else:
            value = self._decay(step - warmup_steps, decay_steps, target, dtype)
        return result(scalar_math.flush(value), dtype)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


__all__ = ["CosineDecay"]
