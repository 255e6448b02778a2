"""Float64 oracles of the learning rate schedules (clauses SCHEDULE.* of docs/spec.md).

Rule: each function evaluates one schedule's documented formula at one step, in
float64 with Python's math. The conformance tests compare a backend's float32
value with it under the float32 tolerance of conformance/numerics.py. The one
place float32 rounding decides more than the last bits, the period of
CosineDecayRestarts at a restart step, is pinned by its own test, not here:
``near_restart`` tells the tests which steps to leave to that test. Owned by the
conformance suite; no backend is imported.

>>> exponential(0.1, 10, 0.5, False, 15) == 0.1 * 0.5 ** 1.5
True
>>> piecewise([10, 20], [1.0, 0.5, 0.1], 20)
0.5
"""
import math


def exponential(lr, decay_steps, rate, staircase, step):
    p = step / decay_steps
    return lr * rate ** (math.floor(p) if staircase else p)


def inverse_time(lr, decay_steps, rate, staircase, step):
    p = step / decay_steps
    return lr / (1.0 + rate * (math.floor(p) if staircase else p))


def piecewise(boundaries, values, step):
    return values[sum(1 for b in boundaries if step > b)]


def polynomial(lr, decay_steps, end, power, cycle, step):
    if cycle:
        decay_steps = decay_steps * (1 if step == 0 else math.ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    return (lr - end) * (1.0 - step / decay_steps) ** power + end


def _half_cosine(fraction):
    return 0.5 * (1.0 + math.cos(math.pi * fraction))


def cosine(lr, decay_steps, alpha, warmup_target, warmup_steps, step):
    if warmup_target is None:
        peak, step = lr, min(step, decay_steps)
    else:
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            return lr + (warmup_target - lr) * step / warmup_steps
        peak, step = warmup_target, step - warmup_steps
    return peak * ((1.0 - alpha) * _half_cosine(step / decay_steps) + alpha)


def restart_period(first_decay_steps, t_mul, step):
    """(index i of the period holding ``step``, fraction of that period done), exactly."""
    t = step / first_decay_steps
    if t_mul == 1.0:
        return math.floor(t), t - math.floor(t)
    i = math.floor(math.log(1.0 - t * (1.0 - t_mul)) / math.log(t_mul))
    start = (1.0 - t_mul ** i) / (1.0 - t_mul)
    return i, (t - start) / t_mul ** i


def cosine_restarts(lr, first_decay_steps, t_mul, m_mul, alpha, step):
    i, fraction = restart_period(first_decay_steps, t_mul, step)
    return lr * ((1.0 - alpha) * m_mul ** i * _half_cosine(fraction) + alpha)


def near_restart(first_decay_steps, t_mul, step, margin=1e-4):
    """Whether ``step`` lies within ``margin`` (in first periods) of a restart, where a
    float32 rounding picks the period."""
    t = step / first_decay_steps
    if t_mul == 1.0:
        return abs(t - round(t)) * 1.0 < margin
    i, fraction = restart_period(first_decay_steps, t_mul, step)
    length = t_mul ** i
    return min(fraction, 1.0 - fraction) * length < margin


__all__ = ["cosine", "cosine_restarts", "exponential", "inverse_time", "near_restart",
           "piecewise", "polynomial", "restart_period"]
