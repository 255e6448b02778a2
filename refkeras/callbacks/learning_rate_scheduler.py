"""LearningRateScheduler: a learning rate per epoch, from a function of the epoch.

Clauses: CALLBACKS.LR_SCHEDULER, PIT.LR_IN_LOGS (docs/spec.md).

The rule (tf_keras 2.21, measured). At every epoch begin the schedule is called with
the 0-based epoch (``initial_epoch`` counts) and the optimizer's current learning rate
as a Python float (``0.10000000149011612`` for SGD(0.1): the float32 value); a schedule
that takes only the epoch is called with the epoch alone. Its result must be a Python
float, a ``np.float32`` / ``np.float64`` or a float Tensor (an int, a bool, a 0-d array,
a ``np.float16``, a Variable are refused), and becomes the optimizer's learning rate
(float32) from the next update on, i.e. for the whole epoch. With ``verbose > 0`` the
callback prints ``\\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to
{result}.\\n``, the result as the schedule returned it. At every epoch end it writes the
learning rate as a ``np.float32`` into ``logs["lr"]``, which History (after it in the
list) records and a callback before it never sees (PIT.LR_IN_LOGS).

The decision, per epoch begin (runnable as written, given the names)::

    current = float(optimizer.learning_rate.numpy())
    lr = schedule(epoch, current) if it takes two arguments else schedule(epoch)
    if not isinstance(lr, (Tensor, float, np.float32, np.float64)):
        raise ValueError(f'The output of the "schedule" function should be float. Got: {lr}')
    if isinstance(lr, Tensor) and lr.dtype is not a float dtype:
        raise ValueError(f"The dtype of `lr` Tensor should be float. Got: {lr.dtype}")
    optimizer.learning_rate = lr
    if verbose > 0: print(f"\\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

Where refkeras departs from tf_keras (each raises where tf_keras goes on): tf_keras
calls ``schedule(epoch, lr)`` and, on ANY TypeError, retries ``schedule(epoch)``, so a
TypeError raised inside a two-argument schedule is hidden (it reappears as "missing 1
required positional argument", or, with a default for the second parameter, the
schedule silently runs without the learning rate); refkeras chooses by the schedule's
signature (the retry only for a callable without one), so the schedule's own error
comes out. A negative or non-finite result raises ValueError (tf_keras sets -0.1 or
nan). An optimizer made with a LearningRateSchedule raises TypeError (tf_keras writes
the value, the schedule overwrites it at the next step, and ``logs["lr"]`` shows the
schedule's value). A schedule that is not callable raises at construction.

Who owns what: this callback owns when the rate changes and what it prints; the
optimizer (``optimizers/optimizer.py``) owns the rate's Variable and its float32 rounding.

>>> import numpy as np, refkeras as keras
>>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
>>> model.compile(keras.optimizers.SGD(0.1), "mse")
>>> halve = LearningRateScheduler(lambda epoch, lr: lr / 2 if epoch else lr, verbose=1)
>>> history = model.fit(np.ones((2, 1)), np.ones((2, 1)), epochs=2, verbose=0, callbacks=[halve])
<BLANKLINE>
Epoch 1: LearningRateScheduler setting learning rate to 0.10000000149011612.
<BLANKLINE>
Epoch 2: LearningRateScheduler setting learning rate to 0.05000000074505806.
>>> history.history["lr"]
[np.float32(0.1), np.float32(0.05)]
"""
import inspect
import math

import numpy as np

from refkeras.callbacks.callback import Callback
from refkeras.framework.tensor import Tensor
from refkeras.optimizers.schedules import LearningRateSchedule
from refkeras.utils.progbar import print_msg

_FLOAT_RESULTS = (Tensor, float, np.float32, np.float64)


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at every epoch begin
    (``keras.callbacks.LearningRateScheduler``).

    Args:
        schedule: ``schedule(epoch, lr) -> new lr`` or ``schedule(epoch) -> new lr``;
            ``epoch`` counts from 0, ``lr`` is the current rate as a Python float.
        verbose: 0 quiet, 1 a message at every epoch begin.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError("LearningRateScheduler: `schedule` must be a function of (epoch, lr) "
                            f"or of (epoch). Received: schedule={schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "lr"):
            raise ValueError('Optimizer must have a "lr" attribute.')
        _check_settable(optimizer)
        lr = self._call_schedule(epoch, float(optimizer.learning_rate.numpy()))
        _check_result(lr, epoch)
        # The Variable's new value is read by the next update: the whole epoch uses it.
        optimizer.learning_rate = float(np.asarray(lr))
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.\n")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            # A numpy float32, as tf_keras's backend.get_value gives.
            logs["lr"] = np.float32(self.model.optimizer.learning_rate.numpy())

    def _call_schedule(self, epoch, lr):
        takes_lr = _takes_two_arguments(self.schedule)
        if takes_lr is None:
            # No signature to read (some builtins): tf_keras's try-and-retry.
            try:
                return self.schedule(epoch, lr)
            except TypeError:
                return self.schedule(epoch)
        return self.schedule(epoch, lr) if takes_lr else self.schedule(epoch)


def _takes_two_arguments(schedule):
    """True / False from the signature; None when the callable has none."""
    try:
        signature = inspect.signature(schedule)
    except (TypeError, ValueError):
        return None
    try:
        signature.bind(0, 0.0)
    except TypeError:
        return False
    return True


def _check_settable(optimizer):
    if isinstance(getattr(optimizer, "_learning_rate", None), LearningRateSchedule):
        # tf_keras writes the value anyway and the schedule overwrites it at the next step.
        raise TypeError("LearningRateScheduler cannot set the learning rate of an optimizer "
                        "created with a LearningRateSchedule (the schedule decides it at every "
                        "step). Create the optimizer with a float `learning_rate` instead.")


def _check_result(lr, epoch):
    if not isinstance(lr, _FLOAT_RESULTS):
        # ValueError, not TypeError: tf_keras's exception, which callers may catch.
        raise ValueError(  # noqa: TRY004
            f'The output of the "schedule" function should be float. Got: {lr}')
    if isinstance(lr, Tensor) and not np.issubdtype(lr.dtype, np.floating):
        raise ValueError(f"The dtype of `lr` Tensor should be float. Got: <dtype: '{lr.dtype.name}'>")
    value = float(np.asarray(lr))
    if not math.isfinite(value) or value < 0:
        raise ValueError(f'The output of the "schedule" function must be a finite learning rate '
                         f">= 0. Got: {lr} (epoch {epoch}).")


__all__ = ["LearningRateScheduler"]
