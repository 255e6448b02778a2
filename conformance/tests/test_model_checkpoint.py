"""ModelCheckpoint and resuming from its checkpoints (MODEL_CHECKPOINT, RESUME).

Seed 000 "## Checkpoint 模型": ``ModelCheckpoint(filepath="mymodel_{epoch}", save_best_only=True,
monitor="val_loss", verbose=1)``, and the guide's ``make_or_restore_model()``, which
reloads the newest checkpoint (``max(checkpoints, key=os.path.getctime)``) with
``keras.models.load_model``. Every expected value was measured on tf_keras 2.21.

Which epochs improve must not hang on training noise, so the best-only tests run a
``Script`` callback before the checkpoint: it writes a chosen value for the monitored key
into the epoch logs, which every later callback sees (PIT.HOOK_ORDER). Every file goes
to pytest's tmp_path, under a ``.keras``, ``.weights.h5`` or ``.h5`` name only (tf_keras
writes TensorFlow formats at extension-less paths).
"""
import inspect
import os
import re
import warnings
import zipfile

import h5py
import numpy as np
import pytest

from conformance import clause
from conformance.tests.training_models import logs_script

X = np.arange(16, dtype="float32").reshape(8, 2) / 16
Y = np.ones((8, 1), dtype="float32")


def small_model(keras, optimizer=None):
    """Dense(1) on 2 features, kernel of ones, SGD(0.1) unless told, mse."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer or keras.optimizers.SGD(0.1), "mse")
    return model


def script(keras, key, values):
    """A callback that sets logs[key] = values[epoch] at every epoch end."""
    return logs_script(keras, [{key: v} for v in values])


def fit(keras, checkpoint, epochs, *before, batch_size=4, model=None):
    """fit the small model (verbose=0, no shuffling) with the callbacks before the checkpoint."""
    model = model or small_model(keras)
    return model.fit(X, Y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=[*before, checkpoint])


def written(folder):
    return sorted(os.listdir(folder))


# ------------------------------------------------------------------ MODEL_CHECKPOINT
@clause("MODEL_CHECKPOINT")
def test_the_filepath_is_formatted_with_the_1_based_epoch_and_the_epoch_logs(backend, tmp_path):
    keras = backend.keras
    checkpoint = keras.callbacks.ModelCheckpoint(
        str(tmp_path / "ckpt-{epoch:02d}-loss={loss:.2f}.weights.h5"), save_weights_only=True)
    history = fit(keras, checkpoint, 3)
    expected = [f"ckpt-{epoch:02d}-loss={loss:.2f}.weights.h5"
                for epoch, loss in zip([1, 2, 3], history.history["loss"])]
    assert len(set(expected)) == 3, expected       # the losses differ at 2 decimals
    assert written(tmp_path) == sorted(expected)


@clause("MODEL_CHECKPOINT")
def test_defaults(backend, tmp_path):
    ModelCheckpoint = backend.keras.callbacks.ModelCheckpoint
    checkpoint = ModelCheckpoint(str(tmp_path / "m.keras"))
    assert checkpoint.monitor == "val_loss"
    assert checkpoint.verbose == 0
    assert checkpoint.save_best_only is False
    assert checkpoint.save_weights_only is False
    assert checkpoint.save_freq == "epoch"
    # tf_keras keeps no `mode` attribute (only the comparison it picks): read the default
    # from the signature
    assert inspect.signature(ModelCheckpoint).parameters["mode"].default == "auto"


@clause("MODEL_CHECKPOINT")
def test_save_best_only_writes_only_the_epochs_that_improve(backend, tmp_path):
    keras = backend.keras
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}.weights.h5"),
                                                 save_best_only=True, save_weights_only=True)
    fit(keras, checkpoint, 4, script(keras, "val_loss", [3.0, 2.0, 2.5, 1.0]))
    assert written(tmp_path) == ["e1.weights.h5", "e2.weights.h5", "e4.weights.h5"]


@clause("MODEL_CHECKPOINT")
def test_verbose_messages_with_save_best_only(backend, tmp_path, capsys):
    keras = backend.keras
    pattern = str(tmp_path / "e{epoch}.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint(pattern, save_best_only=True,
                                                 save_weights_only=True, verbose=1)
    capsys.readouterr()
    fit(keras, checkpoint, 4, script(keras, "val_loss", [3.0, 2.0, 2.5, 1.0]))
    p = pattern.format
    expected = [
        f"Epoch 1: val_loss improved from inf to 3.00000, saving model to {p(epoch=1)}",
        f"Epoch 2: val_loss improved from 3.00000 to 2.00000, saving model to {p(epoch=2)}",
        "Epoch 3: val_loss did not improve from 2.00000",
        f"Epoch 4: val_loss improved from 2.00000 to 1.00000, saving model to {p(epoch=4)}",
    ]
    assert capsys.readouterr().out == "".join(f"\n{line}\n" for line in expected)


@clause("MODEL_CHECKPOINT")
def test_verbose_messages_without_save_best_only(backend, tmp_path, capsys):
    keras = backend.keras
    pattern = str(tmp_path / "e{epoch}.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint(pattern, save_weights_only=True, verbose=1)
    capsys.readouterr()
    fit(keras, checkpoint, 2)
    expected = [f"Epoch {e}: saving model to {pattern.format(epoch=e)}" for e in (1, 2)]
    assert capsys.readouterr().out == "".join(f"\n{line}\n" for line in expected)
    assert written(tmp_path) == ["e1.weights.h5", "e2.weights.h5"]


@clause("MODEL_CHECKPOINT")
def test_an_integer_save_freq_counts_batches_across_epochs(backend, tmp_path):
    keras = backend.keras
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "{epoch}-{batch}.weights.h5"),
                                                 save_weights_only=True, save_freq=3)
    fit(keras, checkpoint, 3, batch_size=2)          # 4 batches per epoch, 12 in all
    assert written(tmp_path) == ["1-3.weights.h5", "2-2.weights.h5", "3-1.weights.h5",
                                 "3-4.weights.h5"]


@clause("MODEL_CHECKPOINT")
def test_an_unrecognized_save_freq_string_raises(backend, tmp_path):
    keras = backend.keras
    message = 'Unrecognized save_freq: batch. Expected save_freq are "epoch" or integer'
    with pytest.raises(ValueError, match=re.escape(message)):
        checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "m.weights.h5"),
                                                     save_weights_only=True, save_freq="batch")
        fit(keras, checkpoint, 1)
    assert written(tmp_path) == []


@clause("MODEL_CHECKPOINT")
def test_a_key_missing_from_the_logs_raises_key_error(backend, tmp_path):
    keras = backend.keras
    pattern = str(tmp_path / "m-{nothere}.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint(pattern, save_weights_only=True)
    with pytest.raises(KeyError) as raised:
        fit(keras, checkpoint, 1)
    assert raised.value.args[0] == (f'Failed to format this callback filepath: "{pattern}". '
                                    "Reason: 'nothere'")
    assert written(tmp_path) == []


@clause("MODEL_CHECKPOINT")
def test_initial_value_threshold_replaces_the_initial_best(backend, tmp_path, capsys):
    keras = backend.keras
    checkpoint = keras.callbacks.ModelCheckpoint(
        str(tmp_path / "e{epoch}.weights.h5"), save_best_only=True, save_weights_only=True,
        initial_value_threshold=1.8, verbose=1)
    capsys.readouterr()
    fit(keras, checkpoint, 4, script(keras, "val_loss", [3.0, 2.0, 1.5, 1.0]))
    assert written(tmp_path) == ["e3.weights.h5", "e4.weights.h5"]
    assert capsys.readouterr().out.startswith(
        "\nEpoch 1: val_loss did not improve from 1.80000\n"
        "\nEpoch 2: val_loss did not improve from 1.80000\n"
        "\nEpoch 3: val_loss improved from 1.80000 to 1.50000, saving model to ")


@clause("MODEL_CHECKPOINT")
def test_a_missing_monitor_with_save_best_only_warns_and_saves_nothing(backend, tmp_path,
                                                                       warnings_log):
    keras = backend.keras
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}.weights.h5"),
                                                 monitor="val_nothere", save_best_only=True,
                                                 save_weights_only=True)
    fit(keras, checkpoint, 2)
    assert "Can save best model only with val_nothere available, skipping." in warnings_log
    assert written(tmp_path) == []


@clause("MODEL_CHECKPOINT")
@pytest.mark.parametrize("monitor, maximised", [
    ("val_accuracy", True), ("acc", True), ("fmeasure", True),
    ("val_auc", False), ("val_precision", False), ("val_loss", False)])
def test_mode_auto_maximises_iff_the_monitor_name_has_acc_or_starts_with_fmeasure(
        backend, tmp_path, monitor, maximised):
    keras = backend.keras
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}.weights.h5"),
                                                 monitor=monitor, save_best_only=True,
                                                 save_weights_only=True)
    fit(keras, checkpoint, 4, script(keras, monitor, [0.5, 0.7, 0.4, 0.8]))
    epochs = [1, 2, 4] if maximised else [1, 3]
    assert written(tmp_path) == [f"e{e}.weights.h5" for e in epochs]


@clause("MODEL_CHECKPOINT")
@pytest.mark.parametrize("name, weights_only, kind", [
    ("c.weights.h5", True, "weights_v3"), ("c.h5", True, "legacy_h5"),
    ("c.keras", False, "zip"), ("c.h5", False, "legacy_h5")])
def test_the_format_follows_the_path(backend, tmp_path, name, weights_only, kind):
    keras = backend.keras
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / name),
                                                 save_weights_only=weights_only)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(keras, checkpoint, 1)
    legacy = [str(w.message) for w in caught
              if issubclass(w.category, UserWarning) and "legacy" in str(w.message)]
    assert bool(legacy) == (name == "c.h5" and not weights_only), legacy
    path = tmp_path / name
    assert written(tmp_path) == [name]
    if kind == "zip":
        assert zipfile.is_zipfile(path)
        return
    assert h5py.is_hdf5(path)
    with h5py.File(path, "r") as f:
        if kind == "weights_v3":            # the Keras 3 layout (SAVING.WEIGHTS.V3)
            assert "layers" in f and "vars" in f and "layer_names" not in f.attrs
        else:                               # Keras 2's layout (SAVING.WEIGHTS)
            layers = f.get("model_weights", f)
            assert "layer_names" in layers.attrs


# ------------------------------------------------------------------ RESUME
def resumable(keras, folder):
    """The guide's make_or_restore_model(): the newest checkpoint in folder, else a new model."""
    checkpoints = [os.path.join(folder, name) for name in os.listdir(folder)]
    if checkpoints:
        latest_checkpoint = max(checkpoints, key=os.path.getctime)
        return keras.models.load_model(latest_checkpoint)
    return small_model(keras, keras.optimizers.RMSprop(learning_rate=1e-3))


def train_with_checkpoints(backend, folder):
    """A first run: 1 epoch of 4 batches, a .keras checkpoint every 2 batches."""
    keras = backend.keras
    model = resumable(keras, folder)
    assert int(backend.to_numpy(model.optimizer.iterations)) == 0
    checkpoint = keras.callbacks.ModelCheckpoint(os.path.join(folder, "ckpt-loss={loss:.2f}.keras"),
                                                 save_freq=2)
    fit(keras, checkpoint, 1, batch_size=2, model=model)
    return model


def state(backend, model):
    return ([np.array(w) for w in model.get_weights()],
            [backend.to_numpy(v) for v in model.optimizer.variables])


@clause("RESUME")
def test_restoring_the_newest_keras_checkpoint_restores_weights_and_optimizer(backend, tmp_path):
    keras = backend.keras
    folder = str(tmp_path)
    trained = train_with_checkpoints(backend, folder)
    assert len(written(folder)) == 2, written(folder)   # after batches 2 and 4
    restored = resumable(keras, folder)
    assert type(restored.optimizer).__name__ == "RMSprop"
    np.testing.assert_allclose(backend.to_numpy(restored.optimizer.learning_rate), 1e-3, rtol=1e-6)
    assert int(backend.to_numpy(restored.optimizer.iterations)) == 4
    weights, slots = state(backend, trained)
    weights_now, slots_now = state(backend, restored)
    # every optimizer variable comes back (how many there are is the optimizer's business)
    assert len(weights_now) == len(weights) and len(slots_now) == len(slots) > 0
    for saved, loaded in zip(weights + slots, weights_now + slots_now):
        np.testing.assert_array_equal(loaded, saved)


@clause("RESUME")
def test_training_continues_from_the_restored_checkpoint(backend, tmp_path):
    keras = backend.keras
    folder = str(tmp_path)
    trained = train_with_checkpoints(backend, folder)
    restored = resumable(keras, folder)
    start = restored.get_weights()
    for model in (trained, restored):              # one more epoch each, no checkpoint
        model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    assert int(backend.to_numpy(restored.optimizer.iterations)) == 8
    assert not np.array_equal(restored.get_weights()[0], start[0]), "training did not move"
    for expected, actual in zip(trained.get_weights(), restored.get_weights()):
        np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-7)
