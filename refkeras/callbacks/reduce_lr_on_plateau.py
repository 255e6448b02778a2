"""ReduceLROnPlateau: lower the learning rate when a monitored value stops improving.

Clauses: CALLBACKS.REDUCE_LR_ON_PLATEAU, PIT.MODE_AUTO, PIT.LR_IN_LOGS (docs/spec.md).

The rule (tf_keras 2.21, measured). At each epoch end the callback first writes the
learning rate the epoch trained with into the logs, as ``logs["lr"]`` (a numpy
float32, before any reduction, even when the monitor is missing), so History and
every later callback see it. Then it reads ``monitor`` (missing: a warning, nothing
else). A value improves iff it beats the best by more than ``min_delta`` (strictly;
NaN never does). ``wait`` counts the epochs without improvement; when it reaches
``patience`` (outside a cooldown) the rate becomes ``max(lr * factor, min_lr)``
(the float32 rate times ``factor``) provided ``lr > float32(min_lr)``, the update
right after this epoch end uses it, and ``cooldown`` epochs follow in which
``wait`` stays 0. Mode "auto" maximises iff "acc" occurs in the monitor's name
(ReduceLROnPlateau's own rule, refkeras/callbacks/monitor.py). The best value, wait
and cooldown reset at every ``on_train_begin``, as in tf_keras; the learning rate
itself is the optimizer's, so a second fit starts from the reduced rate.

The decision, per epoch end (runnable as written, given the names)::

    logs["lr"] = np.float32(optimizer.learning_rate)
    current = logs.get(monitor)                  # None: warn and stop here
    if cooldown_counter > 0:
        cooldown_counter -= 1; wait = 0
    if improves(current, best):                  # current < best - min_delta ("min")
        best, wait = current, 0                  # current > best + min_delta ("max")
    elif cooldown_counter == 0:
        wait += 1
        if wait >= patience and logs["lr"] > np.float32(min_lr):
            new_lr = max(logs["lr"] * factor, min_lr)
            optimizer.learning_rate = new_lr
            say(f"\\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
            cooldown_counter, wait = cooldown, 0

where ``say`` prints ``message + "\\n"`` when ``verbose > 0``; ``{new_lr}`` of a numpy
float32 prints the float64 digits of its value (``0.05000000074505806``), as in
tf_keras. When the rate is already at ``min_lr`` nothing happens and ``wait`` keeps
growing.

>>> import numpy as np, refkeras as keras
>>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
>>> model.compile(keras.optimizers.SGD(0.1), "mse")
>>> plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, verbose=1)
>>> history = model.fit(np.zeros((4, 1)), np.ones((4, 1)), epochs=3, verbose=0,  # loss stays 1
...                     callbacks=[plateau])
<BLANKLINE>
Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.
<BLANKLINE>
Epoch 3: ReduceLROnPlateau reducing learning rate to 0.02500000037252903.
>>> [float(lr) for lr in history.history["lr"]]
[0.10000000149011612, 0.10000000149011612, 0.05000000074505806]

Who owns what: this callback decides the rate and writes ``lr``; the optimizer owns
the rate (a float32 Variable read at every update, refkeras/optimizers/optimizer.py).
"""
import logging
import numbers

import numpy as np

from refkeras.callbacks.callback import Callback
from refkeras.callbacks.monitor import (
    check_count,
    check_non_negative,
    comparison,
    resolve_mode,
)
from refkeras.optimizers.schedules import LearningRateSchedule
from refkeras.utils.progbar import print_msg

logger = logging.getLogger("refkeras")


class ReduceLROnPlateau(Callback):
    """Reduces the learning rate when ``monitor`` stops improving
    (``keras.callbacks.ReduceLROnPlateau``).

    Args:
        monitor: the log key to watch.
        factor: the rate is multiplied by it at each reduction; 0 < factor < 1.
        patience: how many epochs without improvement to allow before reducing.
        verbose: 0 silent, 1 prints each reduction.
        mode: "auto", "min" or "max": whether a smaller or a larger value is better.
        min_delta: how much a value must beat the best by to count as an improvement (>= 0).
        cooldown: how many epochs after a reduction during which ``wait`` stays 0.
        min_lr: the rate never goes below it (>= 0).
        **kwargs: tf_keras's deprecated ``epsilon`` (the old name of ``min_delta``).
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0, **kwargs):
        super().__init__()
        self.monitor = monitor
        self.factor = _check_factor(factor)
        min_delta = _deprecated_epsilon(kwargs, min_delta)
        self.min_lr = check_non_negative("ReduceLROnPlateau", "min_lr", min_lr)
        self.min_delta = check_non_negative("ReduceLROnPlateau", "min_delta", min_delta)
        self.patience = check_count("ReduceLROnPlateau", "patience", patience)
        self.verbose = verbose
        self.cooldown = check_count("ReduceLROnPlateau", "cooldown", cooldown)
        # After an unknown mode tf_keras keeps mode="auto" (the fallback); so does refkeras.
        self._maximise = resolve_mode(mode, monitor, "ReduceLROnPlateau") == "max"
        self.mode = mode if mode in ("auto", "min", "max") else "auto"
        self._reset()

    def _reset(self):
        self.best = comparison("max" if self._maximise else "min")[1]
        self.cooldown_counter = 0
        self.wait = 0

    def monitor_op(self, current, best):
        """Whether ``current`` improves on ``best`` by more than ``min_delta``."""
        if self._maximise:
            return np.greater(current, best + self.min_delta)
        return np.less(current, best - self.min_delta)

    def in_cooldown(self):
        return self.cooldown_counter > 0

    # -- hooks
    def on_train_begin(self, logs=None):
        _check_settable(self.model.optimizer)
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}       # as tf_keras: an empty dict is replaced, so it gets no lr
        logs["lr"] = self._learning_rate()
        current = logs.get(self.monitor)
        if current is None:
            logger.warning("Learning rate reduction is conditioned on metric `%s` which is not "
                           "available. Available metrics are: %s", self.monitor, ",".join(logs))
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best, self.wait = current, 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(epoch)

    # -- the reduction
    def _learning_rate(self):
        return np.float32(self.model.optimizer.learning_rate.numpy())

    def _reduce(self, epoch):
        old_lr = self._learning_rate()
        if not old_lr > np.float32(self.min_lr):
            return          # already at min_lr: nothing changes, wait keeps counting
        # float32 * a Python float stays float32 (numpy 2), as in tf_keras.
        new_lr = max(old_lr * self.factor, self.min_lr)
        self.model.optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                      f"{new_lr}.\n")
        self.cooldown_counter = self.cooldown
        self.wait = 0


def _check_factor(factor):
    if isinstance(factor, (bool, np.bool_)) or not isinstance(factor, numbers.Real):
        raise TypeError(f"ReduceLROnPlateau: `factor` must be a real number; received "
                        f"factor={factor!r} (of type {type(factor).__name__}).")
    if factor >= 1.0:
        raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Got {factor}")
    # tf_keras takes 0 (the rate drops to min_lr) and negative factors (clipped to min_lr).
    if not factor > 0:
        raise ValueError(f"ReduceLROnPlateau: `factor` must be > 0 (and < 1); "
                         f"received factor={factor!r}.")
    return factor


def _deprecated_epsilon(kwargs, min_delta):
    # tf_keras ignores any other keyword silently; a typo would go unnoticed.
    unknown = sorted(set(kwargs) - {"epsilon"})
    if unknown:
        raise TypeError(f"ReduceLROnPlateau got unexpected keyword argument(s) {unknown}; the "
                        "deprecated one it still accepts is 'epsilon'.")
    if "epsilon" not in kwargs:
        return min_delta
    logger.warning("`epsilon` argument is deprecated and will be removed, use `min_delta` "
                   "instead.")
    return kwargs["epsilon"]


def _check_settable(optimizer):
    # tf_keras writes into a schedule's current-value variable, which the next update
    # overwrites: every reduction would be lost without a word.
    if isinstance(getattr(optimizer, "_learning_rate", None), LearningRateSchedule):
        raise TypeError("ReduceLROnPlateau cannot reduce the learning rate of an optimizer "
                        "built with a LearningRateSchedule (its rate is not settable); use a "
                        "float `learning_rate`, or the schedule alone.")


__all__ = ["ReduceLROnPlateau"]
