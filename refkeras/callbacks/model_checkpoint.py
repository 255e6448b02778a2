"""ModelCheckpoint: save the model, or its weights, while fit runs.

Clauses: MODEL_CHECKPOINT, RESUME (docs/spec.md).

The rule (tf_keras 2.21, measured). A checkpoint is considered at every epoch end
(``save_freq="epoch"``) or after every ``save_freq`` training batches, counted across
epoch boundaries (4 batches per epoch and ``save_freq=3``: epoch 1 batch 3, epoch 2
batch 2, ...). Its path is ``filepath.format(epoch=epoch + 1, **logs)``, plus
``batch=batch + 1`` for a batch save; a key the logs lack raises ``KeyError``. Without
``save_best_only`` every considered checkpoint is written. With it, the logs' value of
``monitor`` is compared with the best so far (``initial_value_threshold``, else +inf
for "min", -inf for "max"); only a strict improvement is written, and a missing value
logs a warning and writes nothing. ``mode="auto"`` maximises iff "acc" occurs in the
monitor's name or the name starts with "fmeasure" (so ``val_auc`` is minimised;
refkeras/callbacks/monitor.py holds the rule, PIT.MODE_AUTO). The
path picks the format, through ``model.save_weights`` / ``model.save``
(refkeras/saving). The best value and the batch count live on the callback, so a
checkpoint passed to a second fit carries on from the first, as in tf_keras.

The decision, per considered checkpoint (runnable as written, given the names)::

    path = filepath.format(epoch=epoch + 1, **logs)          # + batch=batch + 1 per batch
    current = logs.get(monitor)
    if not save_best_only:
        say(f"Epoch {epoch + 1}: saving model to {path}"); write(path)
    elif current is None:
        warn(f"Can save best model only with {monitor} available, skipping.")
    elif better(current, best):                               # np.less or np.greater
        say(f"Epoch {epoch + 1}: {monitor} improved from {best:.5f} to {current:.5f}, "
            f"saving model to {path}")
        best = current; write(path)
    else:
        say(f"Epoch {epoch + 1}: {monitor} did not improve from {best:.5f}")

where ``say`` prints ``"\\n" + message + "\\n"`` when ``verbose > 0``.

RESUME: a ``.keras`` checkpoint holds the architecture, weights, compile config and
optimizer state, so ``keras.models.load_model`` on the newest one continues training
exactly where the saving run was (optimizer ``iterations`` included).

Who owns what: this callback owns when to save, the path and the messages; the
model's ``save`` / ``save_weights`` own the formats and the atomic write; the
trainer calls ``on_train_batch_end`` only because ``_implements_train_batch_hooks``
says so (integer ``save_freq`` only).

>>> import os, tempfile, numpy as np, refkeras as keras
>>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros")])
>>> model.compile(keras.optimizers.SGD(0.1), "mse")
>>> folder = tempfile.mkdtemp()
>>> checkpoint = ModelCheckpoint(os.path.join(folder, "e{epoch}-{loss:.2f}.weights.h5"),
...                              monitor="loss", save_best_only=True, save_weights_only=True,
...                              verbose=1)
>>> _ = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0, callbacks=[checkpoint])
<BLANKLINE>
Epoch 1: loss improved from inf to 1.00000, saving model to ...e1-1.00.weights.h5
<BLANKLINE>
Epoch 2: loss improved from 1.00000 to 0.36000, saving model to ...e2-0.36.weights.h5
>>> sorted(os.listdir(folder))
['e1-1.00.weights.h5', 'e2-0.36.weights.h5']
"""
import logging
import os

from refkeras.callbacks.callback import Callback
from refkeras.callbacks.logs import to_python_logs
from refkeras.callbacks.monitor import comparison, resolve_mode
from refkeras.utils.progbar import print_msg

logger = logging.getLogger("refkeras")


class ModelCheckpoint(Callback):
    """Saves the model or its weights during fit (``keras.callbacks.ModelCheckpoint``).

    Args:
        filepath: str or path-like; may hold ``{epoch}``, ``{batch}`` (integer
            ``save_freq`` only) and any log key, with format specs (``{loss:.2f}``).
        monitor: the log key ``save_best_only`` compares.
        verbose: 0 silent, 1 a message each time a checkpoint is considered.
        save_best_only: write only when ``monitor`` improves on the best so far.
        save_weights_only: ``model.save_weights`` instead of ``model.save``.
        mode: "auto", "min" or "max": whether a smaller or a larger value is better.
        save_freq: "epoch" or an integer number of training batches.
        options: handed to the save call, except for ``.weights.h5`` and ``.keras``
            paths (tf_keras's TensorFlow save options; refkeras writes no TF format).
        initial_value_threshold: the best value to beat at the start.
        **kwargs: tf_keras's deprecated ``period`` (save every ``period`` epochs) and
            ``load_weights_on_restart`` (not implemented); others are ignored, as in tf_keras.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch", options=None,
                 initial_value_threshold=None, **kwargs):
        super().__init__()
        # Logs may arrive unconverted: _save_model converts them only when a checkpoint
        # is considered, as tf_keras does, instead of CallbackList doing it every batch.
        self._supports_tf_logs = True
        # tf_keras crashes on a path-like full-model filepath; its docstring promises
        # path-likes, so they are accepted for both kinds of checkpoint here.
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        # The checks and warnings come in tf_keras's order.
        self._options = _check_options(options, self.filepath, save_weights_only)
        _check_kwargs(kwargs)
        _check_load_weights_on_restart(kwargs)
        self.load_weights_on_restart = False
        self.period = _deprecated_period(kwargs)
        self.monitor_op, self.best = _comparison(mode, monitor, initial_value_threshold)
        self.save_freq = _check_save_freq(save_freq)
        self.epochs_since_last_save = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = -1
        self._current_epoch = 0
        # As tf_keras: not chief-only, since there every worker takes part (one process here).
        self._chief_worker_only = False

    # -- hooks
    def on_train_begin(self, logs=None):
        # Batch indices restart with every fit; the count since the last save and the
        # best value do not (a reused checkpoint carries on, as in tf_keras).
        self._last_batch_seen = -1

    def _implements_train_batch_hooks(self):
        # Batch hooks cost a call per batch; only an integer save_freq needs them.
        return self.save_freq != "epoch"

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._batch_is_due(batch):
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_since_last_save += 1
        if self.save_freq == "epoch" and self.epochs_since_last_save >= self.period:
            self._save_model(epoch, None, logs)

    # -- when
    def _batch_is_due(self, batch):
        """Count the batches run since the last call; due once ``save_freq`` are counted."""
        if self.save_freq == "epoch":
            return False
        # A batch index that did not grow means a new epoch began at index 0; with
        # steps_per_execution the index jumps by several batches at once.
        if batch <= self._last_batch_seen:
            self._batches_seen_since_last_saving += batch + 1
        else:
            self._batches_seen_since_last_saving += batch - self._last_batch_seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving < self.save_freq:
            return False
        self._batches_seen_since_last_saving = 0
        return True

    # -- what
    def _save_model(self, epoch, batch, logs):
        logs = to_python_logs(logs)
        self.epochs_since_last_save = 0
        path = self._file_path(epoch, batch, logs)
        folder = os.path.dirname(path)
        if folder:
            # As tf_keras: the folder appears even when nothing better gets written.
            os.makedirs(folder, exist_ok=True)
        if not self.save_best_only:
            self._say(f"Epoch {epoch + 1}: saving model to {path}")
            self._write(path)
            return
        # EXERCISE 7.4: ModelCheckpoint(save_best_only=True) | MODEL_CHECKPOINT
        # hint: write only when logs[monitor] beats self.best by self.monitor_op, then
        # hint: remember it; a missing monitor key warns 'Can save best model only with
        # hint: <monitor> available, skipping.' and writes nothing.
        current = logs.get(self.monitor)
        if current is None:
            logger.warning("Can save best model only with %s available, skipping.", self.monitor)
        elif self.monitor_op(current, self.best):
            self._say(f"Epoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to "
                      f"{current:.5f}, saving model to {path}")
            self.best = current
            self._write(path)
        else:
            self._say(f"Epoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
        # END EXERCISE 7.4

    def _file_path(self, epoch, batch, logs):
        # A `batch` log key wins over the batch index, as in tf_keras.
        # EXERCISE 7.3: ModelCheckpoint's file name | MODEL_CHECKPOINT
        # hint: self.filepath.format(epoch=epoch + 1, **logs), plus batch=batch + 1 when
        # hint: saving per batch (a 'batch' log key wins); a missing key is
        # hint: KeyError('Failed to format this callback filepath: "...". Reason: ...').
        keys = {"epoch": epoch + 1}
        if batch is not None and "batch" not in logs:
            keys["batch"] = batch + 1
        try:
            return self.filepath.format(**keys, **logs)
        except KeyError as error:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {error}") from None
        # END EXERCISE 7.3

    def _write(self, path):
        try:
            if self.save_weights_only:
                self._save_weights(path)
            else:
                self._save_whole_model(path)
        except IsADirectoryError:
            raise OSError("Please specify a non-directory filepath for ModelCheckpoint. "
                          f"Filepath used is an existing directory: {path}") from None

    def _save_weights(self, path):
        if path.endswith(".weights.h5"):
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save_weights(path, overwrite=True, options=self._options)

    def _save_whole_model(self, path):
        if path.endswith(".keras"):
            self.model.save(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True, options=self._options)

    def _say(self, message):
        if self.verbose > 0:
            print_msg(f"\n{message}\n")


# -- construction checks
def _check_kwargs(kwargs):
    """tf_keras drops unknown keywords silently; a typo here would lose checkpoints."""
    unknown = sorted(set(kwargs) - {"period", "load_weights_on_restart"})
    if unknown:
        raise TypeError(f"ModelCheckpoint got unexpected keyword argument(s) {unknown}; the "
                        "deprecated ones it still accepts are 'period' and "
                        "'load_weights_on_restart'.")


def _check_save_freq(save_freq):
    # bool is an int to Python and to tf_keras: True counts as 1.
    if save_freq != "epoch" and not isinstance(save_freq, int):
        raise ValueError(f"Unrecognized save_freq: {save_freq}. "
                         'Expected save_freq are "epoch" or integer')
    # tf_keras takes 0, -1 and True (saving after every batch); a count must be positive.
    if save_freq != "epoch" and (isinstance(save_freq, bool) or save_freq < 1):
        raise ValueError(f"save_freq must be 'epoch' or a positive number of batches; "
                         f"received save_freq={save_freq!r}.")
    return save_freq


def _check_options(options, filepath, save_weights_only):
    if options is not None and not save_weights_only and filepath.endswith(".keras"):
        raise ValueError("The native TF-Keras format does not support the `options` argument. "
                         "Please remove the `options` argument, or use the SavedModel format "
                         "by removing the `.keras` extension from the model filepath.")
    return options


def _comparison(mode, monitor, initial_value_threshold):
    """(monitor_op, initial best) for ``mode``, by ModelCheckpoint's "auto" rule (monitor.py)."""
    monitor_op, worst = comparison(resolve_mode(mode, monitor, "ModelCheckpoint"))
    best = worst if initial_value_threshold is None else initial_value_threshold
    return monitor_op, best


def _deprecated_period(kwargs):
    if "period" not in kwargs:
        return 1
    logger.warning("`period` argument is deprecated. Please use `save_freq` to specify the "
                   "frequency in number of batches seen.")
    return kwargs["period"]


def _check_load_weights_on_restart(kwargs):
    if "load_weights_on_restart" not in kwargs:
        return
    logger.warning("`load_weights_on_restart` argument is deprecated. Please use "
                   "`model.load_weights()` for loading weights before the start of `model.fit()`.")
    # tf_keras then reloads the newest matching file at on_train_begin; refkeras does not,
    # and saying so beats silently training from scratch.
    if kwargs["load_weights_on_restart"]:
        raise NotImplementedError(
            "ModelCheckpoint(load_weights_on_restart="
            f"{kwargs['load_weights_on_restart']!r}) is not implemented in refkeras. Call "
            "model.load_weights(path) before model.fit().")


__all__ = ["ModelCheckpoint"]
