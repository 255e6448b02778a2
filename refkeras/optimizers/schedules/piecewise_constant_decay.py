"""PiecewiseConstantDecay: a constant learning rate on each interval between boundaries.

Clauses: SCHEDULE.VALUES, SCHEDULE.PIECEWISE, SCHEDULE.BAD_INPUT,
SCHEDULE.BAD_INPUT.EARLY (docs/spec.md).

Rule: ``values[i]`` for ``boundaries[i-1] < step <= boundaries[i]`` (the first value up
to and including the first boundary, the last one after the last boundary). As in
tf_keras the boundaries are cast to the step's dtype before comparing, and the
result has the values' dtype (float32 for Python floats, int32 if all are ints).
``len(values)`` must be ``len(boundaries) + 1`` (ValueError, tf_keras's message);
refkeras also requires at least one boundary and strictly increasing boundaries,
where tf_keras fails only when called (IndexError, InvalidArgumentError)::

    i = number of boundaries b with step > b
    lr = values[i]

>>> schedule = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
>>> [float(schedule(s)) for s in (10, 11, 21)]
[1.0, 0.5, 0.10000000149011612]

"""

import itertools

from refkeras.framework.convert import convert_to_tensor
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_number,
    result,
    step_array,
)


def _check_lists(boundaries, values):
    if not isinstance(boundaries, (list, tuple)) or not isinstance(values, (list, tuple)):
        raise TypeError("Arguments `boundaries` and `values` must be lists; received "
                        f"boundaries={boundaries!r}, values={values!r}.")
    if len(boundaries) != len(values) - 1:
        raise ValueError(
            "The length of boundaries should be 1 less than the length of values. Received: "
            f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
            f"length {len(values)}.")
    if not boundaries:
        raise ValueError("Argument `boundaries` must hold at least one boundary; received "
                         f"boundaries={boundaries!r} (for a constant rate pass a float).")
    for i, b in enumerate(boundaries):
        check_number(f"boundaries[{i}]", b)
    for i, v in enumerate(values):
        check_number(f"values[{i}]", v)
    if any(not low < high for low, high in itertools.pairwise(boundaries)):
        raise ValueError(f"Argument `boundaries` must be strictly increasing; received "
                         f"boundaries={boundaries!r}.")


class PiecewiseConstantDecay(LearningRateSchedule):
    def __init__(self, boundaries, values, name=None):
        super().__init__()
        _check_lists(boundaries, values)
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = step_array(step)
        # As tf.cast: each boundary is converted on its own, then cast to the step's dtype.
        boundaries = [convert_to_tensor(b).numpy().astype(step.dtype) for b in self.boundaries]
        # EXERCISE 5.5: PiecewiseConstantDecay | SCHEDULE.PIECEWISE
        # hint: values[i] where i is the number of boundaries the step is strictly
        # hint: greater than (a step equal to a boundary still gets the earlier value);
        # hint: return result(value, value.dtype).
        index = sum(1 for b in boundaries if step > b)
        value = convert_to_tensor(self.values).numpy()[index]
        return result(value, value.dtype)
        # END EXERCISE 5.5

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


__all__ = ["PiecewiseConstantDecay"]
