"""BackupAndRestore: an interrupted fit, run again, resumes from the backup (RESUME.BACKUP).

Seed 000 "## Checkpoint 模型" (fault-tolerant training: "确保能够在任意时刻重启训练").
The interruption is an exception raised from a callback at a chosen epoch (and batch), as
tf_keras's own tests do; the second fit uses a fresh model of the same architecture and
the same backup folder. Every run starts from the same weights (set_weights from a seeded
generator), trains with Adam (so the optimizer's slots and ``iterations`` matter) on 16
samples in 4 batches of 4, never shuffled. Every expected value was measured on tf_keras
2.21; runs on one backend are compared with runs on the same backend, bit for bit.
"""
import inspect
import os

import numpy as np
import pytest

from conformance import clause

X = np.arange(32, dtype="float32").reshape(16, 2) / 32
Y = (X[:, :1] * 2 - X[:, 1:] + 0.5).astype("float32")
EPOCHS = 6
STEPS = 4      # batches per epoch


class Interrupted(Exception):
    pass


def make_model(keras):
    """Dense(3, tanh) -> Dense(1), weights uniform(-1, 1) from RandomState(0), Adam(0.05), mse."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="tanh"),
                              keras.layers.Dense(1)])
    rng = np.random.RandomState(0)
    model.set_weights([rng.uniform(-1, 1, w.shape).astype("float32") for w in model.get_weights()])
    model.compile(keras.optimizers.Adam(0.05), "mse")
    return model


def interrupt_at(keras, epoch, batch=None):
    """Raises Interrupted at the start of ``epoch`` (or of that epoch's ``batch``)."""
    class Interrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, e, logs=None):
            self.epoch = e
            if batch is None and e == epoch:
                raise Interrupted

        def on_train_batch_begin(self, b, logs=None):
            if batch is not None and self.epoch == epoch and b == batch:
                raise Interrupted
    return Interrupt()


def recorder(keras):
    """Records ("epoch", e) and ("batch", b) as fit calls the hooks."""
    class Record(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.calls = []

        def on_epoch_begin(self, e, logs=None):
            self.calls.append(("epoch", int(e)))

        def on_train_batch_begin(self, b, logs=None):
            self.calls.append(("batch", int(b)))
    return Record()


def fit(keras, model, *callbacks, epochs=EPOCHS):
    return model.fit(X, Y, batch_size=4, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=list(callbacks))


def interrupted_run(keras, folder, epoch, batch=None, **kwargs):
    """A fit with the backup, interrupted; returns the model as the interruption left it."""
    model = make_model(keras)
    with pytest.raises(Interrupted):
        fit(keras, model, keras.callbacks.BackupAndRestore(folder, **kwargs),
            interrupt_at(keras, epoch, batch))
    return model


def iterations(backend, model):
    return int(backend.to_numpy(model.optimizer.iterations))


def assert_same_weights(a, b):
    for u, v in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(u, v)


def files(folder):
    return sorted(os.listdir(folder))


def replay(keras, batches):
    """The model after train_on_batch on the given batch indices, in order."""
    model = make_model(keras)
    for b in batches:
        model.train_on_batch(X[4 * b:4 * b + 4], Y[4 * b:4 * b + 4])
    return model


# ------------------------------------------------------------------ epoch backups
@clause("RESUME.BACKUP")
@pytest.mark.parametrize("batch", [None, 2], ids=["at_epoch_begin", "mid_epoch"])
def test_an_interrupted_fit_resumes_after_the_last_finished_epoch(backend, tmp_path, batch):
    keras = backend.keras
    folder = str(tmp_path / "backup")
    uninterrupted = make_model(keras)
    reference = fit(keras, uninterrupted)
    first = interrupted_run(keras, folder, 3, batch)
    assert iterations(backend, first) == (12 if batch is None else 14)
    assert files(folder)                               # the backup of epoch 2's end

    model, record = make_model(keras), recorder(keras)
    history = fit(keras, model, keras.callbacks.BackupAndRestore(folder), record)
    assert history.epoch == [3, 4, 5]
    assert list(history.history) == ["loss"]
    np.testing.assert_allclose(history.history["loss"], reference.history["loss"][3:], rtol=1e-6)
    assert record.calls == [call for e in (3, 4, 5)
                            for call in [("epoch", e)] + [("batch", b) for b in range(STEPS)]]
    assert history.params["epochs"] == EPOCHS
    assert iterations(backend, model) == EPOCHS * STEPS
    assert_same_weights(model, uninterrupted)


@clause("RESUME.BACKUP")
def test_without_a_backup_fit_runs_every_epoch(backend, tmp_path):
    keras = backend.keras
    uninterrupted = make_model(keras)
    fit(keras, uninterrupted)
    model = make_model(keras)
    history = fit(keras, model, keras.callbacks.BackupAndRestore(str(tmp_path / "backup")))
    assert history.epoch == list(range(EPOCHS))
    assert_same_weights(model, uninterrupted)


# ------------------------------------------------------------------ deleting
@clause("RESUME.BACKUP")
def test_the_backup_is_deleted_when_fit_completes(backend, tmp_path):
    keras = backend.keras
    folder = str(tmp_path / "backup")
    interrupted_run(keras, folder, 3)
    assert files(folder)                   # a fit that raises never reaches on_train_end
    fit(keras, make_model(keras), keras.callbacks.BackupAndRestore(folder))
    assert files(folder) == []             # the folder stays, empty


@clause("RESUME.BACKUP")
def test_delete_checkpoint_false_keeps_the_backup_of_the_last_epoch(backend, tmp_path):
    keras = backend.keras
    folder = str(tmp_path / "backup")
    done = make_model(keras)
    fit(keras, done, keras.callbacks.BackupAndRestore(folder, delete_checkpoint=False), epochs=3)
    assert files(folder)
    # A fit over the same epochs restores the end of epoch 2: nothing is left to run.
    model = make_model(keras)
    history = fit(keras, model, keras.callbacks.BackupAndRestore(folder), epochs=3)
    assert history.epoch == [] and history.history == {}
    assert iterations(backend, model) == 3 * STEPS
    assert_same_weights(model, done)
    assert files(folder) == []


# ------------------------------------------------------------------ batch backups
@clause("RESUME.BACKUP")
def test_an_integer_save_freq_resumes_mid_epoch_on_the_data_from_its_start(backend, tmp_path):
    keras = backend.keras
    folder = str(tmp_path / "backup")
    # save_freq=3: backups after batches 3, 6 and 9 of the run; the 9th is epoch 2's batch 0.
    first = interrupted_run(keras, folder, 2, 1, save_freq=3)
    assert iterations(backend, first) == 9

    model, record = make_model(keras), recorder(keras)
    history = fit(keras, model, keras.callbacks.BackupAndRestore(folder, save_freq=3), record)
    assert history.epoch == [2, 3, 4, 5]
    assert record.calls[:5] == [("epoch", 2), ("batch", 1), ("batch", 2), ("batch", 3),
                                ("epoch", 3)]
    assert iterations(backend, model) == EPOCHS * STEPS
    # Steps 1..3 of epoch 2 run on the data's batches 0, 1, 2, and the data runs on from
    # there: every later epoch sees it shifted by one batch.
    stream = [0, 1, 2, 3] * EPOCHS
    assert_same_weights(model, replay(keras, stream[:9] + stream[:15]))
    uninterrupted = make_model(keras)
    fit(keras, uninterrupted)
    assert not np.array_equal(model.get_weights()[0], uninterrupted.get_weights()[0])


@clause("RESUME.BACKUP")
def test_an_integer_save_freq_backup_at_an_epochs_last_batch_resumes_at_the_next_epoch(
        backend, tmp_path):
    keras = backend.keras
    folder = str(tmp_path / "backup")
    # save_freq=4: the last backup is after epoch 1's last batch (batch 3).
    interrupted_run(keras, folder, 2, 1, save_freq=4)
    model, record = make_model(keras), recorder(keras)
    history = fit(keras, model, keras.callbacks.BackupAndRestore(folder, save_freq=4), record)
    assert history.epoch == [2, 3, 4, 5]
    assert record.calls[:2] == [("epoch", 2), ("batch", 0)]
    uninterrupted = make_model(keras)
    fit(keras, uninterrupted)
    assert_same_weights(model, uninterrupted)


# ------------------------------------------------------------------ arguments
@clause("RESUME.BACKUP")
def test_defaults(backend, tmp_path):
    BackupAndRestore = backend.keras.callbacks.BackupAndRestore
    callback = BackupAndRestore(str(tmp_path))
    assert callback.backup_dir == str(tmp_path)
    assert callback.save_freq == "epoch"
    assert callback.delete_checkpoint is True
    assert callback.save_before_preemption is False
    assert list(inspect.signature(BackupAndRestore).parameters) == [
        "backup_dir", "save_freq", "delete_checkpoint", "save_before_preemption"]


@clause("RESUME.BACKUP")
@pytest.mark.parametrize("save_freq", [0, False, None])
def test_no_save_freq_raises_at_construction(backend, tmp_path, save_freq):
    with pytest.raises(ValueError, match="Either `save_freq` or `save_before_preemption` "
                                         "must be set."):
        backend.keras.callbacks.BackupAndRestore(str(tmp_path), save_freq=save_freq)
