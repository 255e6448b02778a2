"""BackupAndRestore: back up the training state during fit; a new fit resumes from it.

Clauses: RESUME.BACKUP (docs/spec.md).

The rule (tf_keras 2.21, measured). A backup holds the model's variables, the
optimizer's (``iterations`` and the slots) and where training stood: the epoch, and
for an integer ``save_freq`` the batch. It is written at every epoch end
(``save_freq="epoch"``) or after every ``save_freq`` training batches, counted across
epoch boundaries from the callback's creation. Each backup replaces the previous one.
``on_train_begin`` builds the optimizer (so its slots exist), loads the backup if the
folder holds one, and tells fit where to start::

    save_freq="epoch":  backup of epoch e                -> start at epoch e + 1, step 0
    integer save_freq:  backup after batch b of epoch e  -> epoch e + 1, step 0 if b is
                                                            the epoch's last batch, else
                                                            epoch e, step b + 1

A fit that was interrupted at epoch k therefore re-runs only from the last backup:
its History covers epochs ``start .. epochs - 1`` and, with epoch backups, the final
weights and ``iterations`` equal an uninterrupted run's. Resuming mid-epoch numbers
the steps from b + 1 but, as in tf_keras, takes the batches from the data's start, and
the data stream runs on from there: the rest of the run sees the data shifted by
b + 1 batches, so its final weights differ from an uninterrupted run's. ``on_train_end``
deletes the backup when ``delete_checkpoint`` (the folder itself stays, empty); a fit
that raises never reaches it, so the backup survives for the next run.

The files. tf_keras writes a TensorFlow checkpoint under ``backup_dir/chief``;
refkeras (no TensorFlow) writes its own, straight into ``backup_dir``::

    ckpt-<n>.weights.h5    model.save_weights: the Keras 3 layout, optimizer included
    training_state.json    {"epoch": e, "batch": b or null, "weights": "ckpt-<n>.weights.h5"}

Every file is written atomically (``saving/atomic.py``), the weights first under a new
name, then the JSON that names them, then older ``ckpt-*`` files are removed. The JSON
is the commit point: a process killed at any instant leaves a JSON naming a complete
weights file of the same backup (or no JSON at all), never a mix of two backups.

refkeras departs from tf_keras where tf_keras fails late or silently: an empty
``backup_dir``, a ``save_freq`` other than "epoch" or a positive integer, and
``save_before_preemption=True`` (multi-worker preemption; NotImplementedError) raise
at construction; a backup cannot be loaded into a model that is not built yet
(tf_keras defers the restore until the variables exist; refkeras raises ValueError),
nor resumed mid-epoch when the epoch's length is unknown (tf_keras raises TypeError).

Who owns what: this callback owns when to back up, the JSON and the resume point;
``model.save_weights`` / ``load_weights`` own the weights file; the trainer reads
``model._resume_from`` (set here in ``on_train_begin``) to pick its first epoch and
step.

>>> import os, tempfile, numpy as np, refkeras as keras
>>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
>>> model.compile(keras.optimizers.SGD(0.1), "mse")
>>> folder = tempfile.mkdtemp()
>>> class Interrupt(keras.callbacks.Callback):
...     def on_epoch_begin(self, epoch, logs=None):
...         if epoch == 2:
...             raise RuntimeError("interrupted")
>>> try:
...     model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=5, verbose=0,
...               callbacks=[BackupAndRestore(folder), Interrupt()])
... except RuntimeError:
...     pass
>>> sorted(os.listdir(folder))
['ckpt-2.weights.h5', 'training_state.json']
>>> history = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=5, verbose=0,
...                     callbacks=[BackupAndRestore(folder)])
>>> history.epoch, int(model.optimizer.iterations.numpy()), os.listdir(folder)
([2, 3, 4], 5, [])
"""
import json
import logging
import os
import re

from refkeras.callbacks.callback import Callback
from refkeras.saving.atomic import atomic_write

logger = logging.getLogger("refkeras")

STATE_FILE = "training_state.json"
_WEIGHTS = re.compile(r"ckpt-(\d+)\.weights\.h5")
# What atomic_write leaves behind when the process is killed mid-write.
_LEFTOVER = re.compile(rf"\.(ckpt-\d+\.weights\.h5|{re.escape(STATE_FILE)})\..*\.tmp")


class BackupAndRestore(Callback):
    """Backs up the training state; a later fit restores it (``keras.callbacks.BackupAndRestore``).

    Args:
        backup_dir: str or path-like, the folder of the backup. It is for this callback
            alone: another run's BackupAndRestore or a ModelCheckpoint must not share it.
        save_freq: "epoch" (back up at every epoch end) or a positive integer (back up
            every ``save_freq`` training batches).
        delete_checkpoint: delete the backup when fit completes.
        save_before_preemption: tf_keras's multi-worker preemption saving; only False
            is supported.
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True,
                 save_before_preemption=False):
        super().__init__()
        self.backup_dir = _check_backup_dir(backup_dir)
        self.save_freq = _check_save_freq(save_freq, save_before_preemption)
        self.delete_checkpoint = delete_checkpoint
        self.save_before_preemption = save_before_preemption
        # Counted from the callback's creation, never reset, as in tf_keras.
        self._batches_count = 0
        self._current_epoch = 0
        self._supports_tf_logs = True
        # As tf_keras: every worker restores (one process here).
        self._chief_worker_only = False

    # -- hooks
    def on_train_begin(self, logs=None):
        model = self.model
        if model.built:
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not getattr(optimizer, "_built", True):
                # The slots must exist before loading, or the saved ones are skipped.
                optimizer.build(model.trainable_variables)
        else:
            logger.warning("To use the BackupAndRestore callback, you model must be built "
                           "before you call `fit()`. Model %s is unbuilt. You can build it "
                           "beforehand by calling it on a batch of data.", model)
        state = self._read_state()
        if state is None:
            return
        if not model.built:
            raise ValueError(f"BackupAndRestore found a backup in {self.backup_dir}, but the "
                             "model is not built, so there are no variables to restore it "
                             "into. Build the model first (give it an Input, or call it on a "
                             "batch of data).")
        model.load_weights(os.path.join(self.backup_dir, state["weights"]))
        model._resume_from = self._resume_point(state["epoch"], state["batch"])

    def _implements_train_batch_hooks(self):
        return self.save_freq != "epoch"

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        # One count per call, as tf_keras (a call covers steps_per_execution batches).
        self._batches_count += 1
        if self._batches_count >= self.save_freq:
            self._batches_count = 0
            self._back_up(self._current_epoch, int(batch))

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._back_up(epoch, None)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint:
            self._delete_backup()

    # -- where to resume
    def _resume_point(self, epoch, batch):
        """(epoch, step) the next fit starts at, from the epoch and batch of the backup."""
        if self.save_freq == "epoch" or batch is None:
            return epoch + 1, 0
        steps = self.params.get("steps") if hasattr(self, "params") else None
        if steps is None:
            raise ValueError("BackupAndRestore cannot resume in the middle of an epoch whose "
                             "number of steps is unknown (the backup was made after batch "
                             f"{batch} of epoch {epoch}). Pass steps_per_epoch to fit.")
        if batch == steps - 1:
            return epoch + 1, 0
        return epoch, batch + 1

    # -- the files
    def _back_up(self, epoch, batch):
        os.makedirs(self.backup_dir, exist_ok=True)
        state = self._read_state()
        number = 1 if state is None else _number(state["weights"]) + 1
        name = f"ckpt-{number}.weights.h5"
        self.model.save_weights(os.path.join(self.backup_dir, name), overwrite=True)
        payload = json.dumps({"epoch": int(epoch), "batch": batch, "weights": name})
        with atomic_write(os.path.join(self.backup_dir, STATE_FILE)) as tmp, open(tmp, "w") as f:
            f.write(payload)
        self._remove_files(keep=name)

    def _read_state(self):
        path = os.path.join(self.backup_dir, STATE_FILE)
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    def _delete_backup(self):
        self._remove_files(keep=None, state_too=True)

    def _remove_files(self, keep, state_too=False):
        """Older weights files and killed writes' leftovers (and the JSON when asked)."""
        if not os.path.isdir(self.backup_dir):
            return
        for name in os.listdir(self.backup_dir):
            stale_weights = _WEIGHTS.fullmatch(name) and name != keep
            if stale_weights or _LEFTOVER.fullmatch(name) or (state_too and name == STATE_FILE):
                os.remove(os.path.join(self.backup_dir, name))


def _number(weights_name):
    return int(_WEIGHTS.fullmatch(weights_name).group(1))


# -- construction checks
def _check_backup_dir(backup_dir):
    if backup_dir is None or not os.fspath(backup_dir):
        # tf_keras takes "" and writes into ./chief of the working folder.
        raise ValueError(f"Empty `backup_dir` argument passed: {backup_dir!r}. BackupAndRestore "
                         "needs a folder for its backup.")
    return os.fspath(backup_dir)


def _check_save_freq(save_freq, save_before_preemption):
    if save_before_preemption:
        raise NotImplementedError(
            "BackupAndRestore(save_before_preemption=True) saves on a multi-worker "
            "preemption notice (tf.distribute); refkeras trains in one process and does not "
            "implement it. Use save_freq='epoch' or an integer save_freq.")
    if not save_freq:
        raise ValueError("Either `save_freq` or `save_before_preemption` must be set.")
    if save_freq == "epoch":
        return save_freq
    # tf_keras takes any value here and fails (a string) or saves every batch (True, a
    # negative count) only once training runs.
    if isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1:
        raise ValueError("save_freq must be 'epoch' or a positive number of batches; "
                         f"received save_freq={save_freq!r}.")
    return save_freq


__all__ = ["BackupAndRestore"]
