"""EarlyStopping: stop fit when a monitored value stops improving.

Clauses: CALLBACKS.EARLY_STOPPING, PIT.RESTORE_BEST_AT_END, PIT.MODE_AUTO (docs/spec.md).

The rule (tf_keras 2.21, measured). At each epoch end the logs' value of ``monitor``
is read (missing: a warning naming the keys there are, and the epoch is ignored);
epochs before ``start_from_epoch`` are ignored too. ``wait`` counts the epochs
considered since the last one that beat both the best value and ``baseline``. A value
improves iff it beats the best by more than ``min_delta`` (strictly; NaN never does),
so the first epoch considered always improves. When a considered epoch does not
improve and ``wait >= patience`` (and it is not epoch 0), ``model.stop_training`` is
set. At train end, ``verbose`` prints ``Epoch N: early stopping`` (1-based) if it
stopped; with ``restore_best_weights`` the best epoch's weights are put back whether
or not it stopped, and when no epoch improved on the first one considered, that
first one's. Mode "auto" maximises iff the monitor's name ends with "acc",
"accuracy" or "auc" (EarlyStopping's own rule, refkeras/callbacks/monitor.py). All
of this resets at every ``on_train_begin``, as in tf_keras.

The decision, per epoch end (runnable as written, given the names)::

    current = logs.get(monitor)            # None: warn "Early stopping conditioned on ..."
    if current is None or epoch < start_from_epoch:
        return
    if restore_best_weights and best_weights is None:
        best_weights, best_epoch = model.get_weights(), epoch
    wait += 1
    if monitor_op(current - min_delta, best):      # min_delta is -|d| for "min", +|d| for "max"
        best, best_epoch = current, epoch
        if restore_best_weights:
            best_weights = model.get_weights()
        if baseline is None or monitor_op(current - min_delta, baseline):
            wait = 0
    elif wait >= patience and epoch > 0:
        stopped_epoch, model.stop_training = epoch, True

So a value that keeps improving without ever beating ``baseline`` never stops fit.

>>> import numpy as np, refkeras as keras
>>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros")])
>>> model.compile(keras.optimizers.SGD(0.0), "mse")          # the loss never moves
>>> stop = EarlyStopping(monitor="loss", verbose=1)
>>> history = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=5, verbose=0, callbacks=[stop])
Epoch 2: early stopping
>>> history.epoch
[0, 1]

Who owns what: this callback decides and sets ``model.stop_training``; the trainer
ends the loop after that epoch (CALLBACKS.STOP).
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
from refkeras.utils.progbar import print_msg

logger = logging.getLogger("refkeras")


class EarlyStopping(Callback):
    """Stops training when ``monitor`` stops improving (``keras.callbacks.EarlyStopping``).

    Args:
        monitor: the log key to watch.
        min_delta: how much a value must beat the best by to count as an improvement (>= 0).
        patience: how many epochs without improvement to allow before stopping.
        verbose: 0 silent, 1 prints the stop and the restore.
        mode: "auto", "min" or "max": whether a smaller or a larger value is better.
        baseline: a value that ``wait`` only resets for once it is beaten; None for none.
        restore_best_weights: put the best epoch's weights back at train end.
        start_from_epoch: the first epoch (0-based) whose value is considered.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        self.monitor = monitor
        self.patience = check_count("EarlyStopping", "patience", patience)
        self.verbose = verbose
        self.baseline = _check_baseline(baseline)
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = check_count("EarlyStopping", "start_from_epoch", start_from_epoch)
        # tf_keras would take abs() of a negative min_delta; refkeras rejects it instead.
        min_delta = check_non_negative("EarlyStopping", "min_delta", min_delta)
        self.monitor_op, self._worst = comparison(resolve_mode(mode, monitor, "EarlyStopping"))
        # Signed as in tf_keras, so one subtraction serves both modes.
        self.min_delta = min_delta if self.monitor_op is np.greater else -min_delta
        self._reset()

    def _reset(self):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = self._worst
        self.best_weights = None
        self.best_epoch = 0

    # -- hooks
    def on_train_begin(self, logs=None):
        # A callback reused for a second fit starts afresh, as in tf_keras.
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        current = self._monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        # EXERCISE 7.1: EarlyStopping.on_epoch_end: patience and the best epoch | CALLBACKS.EARLY_STOPPING PIT.RESTORE_BEST_AT_END
        # hint: count the epoch (self.wait += 1); on an improvement
        # hint: (self._is_improvement(current, self.best), which applies min_delta)
        # hint: record it with self._record_best and reset wait to 0 (unless a baseline
        # hint: is set and not beaten); otherwise stop (self.model.stop_training = True,
        # hint: remember stopped_epoch) once wait >= patience and epoch > 0. With
        # hint: restore_best_weights, the first considered epoch's weights are the best
        # hint: until something improves.
        if self.restore_best_weights and self.best_weights is None:
            # Without any later improvement, the first considered epoch is the best one.
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self._record_best(current, epoch)
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
        elif self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
        # END EXERCISE 7.1

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping\n")
        # EXERCISE 7.2: EarlyStopping.on_train_end: restore the best weights | PIT.RESTORE_BEST_AT_END
        # hint: with restore_best_weights, set the model's weights to the best epoch's
        # hint: at the end of training, whether or not training stopped early (verbose >
        # hint: 0 prints 'Restoring model weights from the end of the best epoch: N.').
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg("Restoring model weights from the end of the best epoch: "
                          f"{self.best_epoch + 1}.\n")
            self.model.set_weights(self.best_weights)
        # END EXERCISE 7.2

    # -- the comparison
    def _monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            logger.warning("Early stopping conditioned on metric `%s` which is not available. "
                           "Available metrics are: %s", self.monitor, ",".join(logs))
        return value

    def _is_improvement(self, value, reference):
        return self.monitor_op(value - self.min_delta, reference)

    def _record_best(self, current, epoch):
        self.best, self.best_epoch = current, epoch
        if self.restore_best_weights:
            self.best_weights = self.model.get_weights()


def _check_baseline(baseline):
    # tf_keras compares whatever it is given; a string fails only at the first epoch end.
    if baseline is None:
        return None
    if isinstance(baseline, (bool, np.bool_)) or not isinstance(baseline, numbers.Real):
        raise TypeError(f"EarlyStopping: `baseline` must be None or a number; "
                        f"received baseline={baseline!r} (of type {type(baseline).__name__}).")
    if not np.isfinite(baseline):
        raise ValueError(f"EarlyStopping: `baseline` must be finite; received "
                         f"baseline={baseline!r}.")
    return baseline


__all__ = ["EarlyStopping"]
