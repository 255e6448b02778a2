"""Learning rate schedules: ``keras.optimizers.schedules`` of tf_keras 2.21.

Clauses: SCHEDULE.VALUES, SCHEDULE.EXPONENTIAL, SCHEDULE.PIECEWISE,
SCHEDULE.POLYNOMIAL, SCHEDULE.INVERSE_TIME, SCHEDULE.COSINE, SCHEDULE.COSINE_RESTARTS,
SCHEDULE.FLOAT32, SCHEDULE.OPTIMIZER, SCHEDULE.CONFIG, SCHEDULE.BAD_INPUT, SCHEDULE.BAD_INPUT.EARLY
(docs/spec.md).

Rule: a schedule maps the optimizer step to a learning rate (a scalar Tensor);
one file per schedule, the base class and (de)serialization in
``learning_rate_schedule.py``, the float32 transcendental functions tf_keras's
values depend on in ``scalar_math.py``. An optimizer given a schedule calls it
with its ``iterations`` before each update.

>>> float(ExponentialDecay(1.0, 1, 0.5)(2))
0.25

``refkeras.optimizers`` re-exports this package.
"""
from refkeras.optimizers.schedules.cosine_decay import CosineDecay
from refkeras.optimizers.schedules.cosine_decay_restarts import CosineDecayRestarts
from refkeras.optimizers.schedules.exponential_decay import ExponentialDecay
from refkeras.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    deserialize,
    serialize,
)
from refkeras.optimizers.schedules.piecewise_constant_decay import (
    PiecewiseConstantDecay,
)
from refkeras.optimizers.schedules.polynomial_decay import PolynomialDecay

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]
