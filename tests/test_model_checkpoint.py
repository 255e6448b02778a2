"""Engine tests of refkeras.callbacks.ModelCheckpoint, beyond the conformance suite.

conformance/tests/test_model_checkpoint.py pins the clauses (MODEL_CHECKPOINT, RESUME);
these tests pin the rest of the rule: explicit modes, the warnings, batch saving with
messages, path-likes, reuse across fits, the deprecated keywords, folders and errors.
Every expected file name, message and warning was measured on tf_keras 2.21 unless a
test says refkeras departs from it (and why).
"""
import logging
import os
import re
import zipfile

import h5py
import numpy as np
import pytest

import refkeras as keras
from refkeras.callbacks import CallbackList, ModelCheckpoint
from tests.callback_models import Script, X, Y, small_model


def fit(checkpoint, epochs, *before, batch_size=4, model=None):
    model = model or small_model()
    return model.fit(X, Y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=[*before, checkpoint])


def written(folder):
    return sorted(os.listdir(folder))


def lines(out, folder):
    """Printed messages, one per entry, with the folder taken out of the paths."""
    assert out.startswith("\n") and out.endswith("\n"), repr(out)
    return [line.replace(f"{folder}{os.sep}", "") for line in out.split("\n") if line]


def best_only(folder, **kwargs):
    return ModelCheckpoint(str(folder / "e{epoch}.weights.h5"), save_best_only=True,
                           save_weights_only=True, **kwargs)


# -- mode
def test_mode_max_maximises_even_a_loss(tmp_path, capsys):
    checkpoint = best_only(tmp_path, mode="max", verbose=1)
    fit(checkpoint, 4, Script("val_loss", [0.5, 0.7, 0.4, 0.8]))
    assert written(tmp_path) == ["e1.weights.h5", "e2.weights.h5", "e4.weights.h5"]
    assert lines(capsys.readouterr().out, tmp_path) == [
        "Epoch 1: val_loss improved from -inf to 0.50000, saving model to e1.weights.h5",
        "Epoch 2: val_loss improved from 0.50000 to 0.70000, saving model to e2.weights.h5",
        "Epoch 3: val_loss did not improve from 0.70000",
        "Epoch 4: val_loss improved from 0.70000 to 0.80000, saving model to e4.weights.h5"]


def test_mode_min_minimises_even_an_accuracy(tmp_path):
    checkpoint = best_only(tmp_path, mode="min", monitor="val_accuracy")
    fit(checkpoint, 4, Script("val_accuracy", [0.5, 0.7, 0.4, 0.8]))
    assert written(tmp_path) == ["e1.weights.h5", "e3.weights.h5"]


def test_an_unknown_mode_warns_and_falls_back_to_auto(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="refkeras"):
        checkpoint = best_only(tmp_path, mode="bogus", monitor="val_acc")
    assert caplog.messages == ["ModelCheckpoint mode bogus is unknown, fallback to auto mode."]
    assert checkpoint.monitor_op is np.greater and checkpoint.best == -np.inf   # auto, "acc"


def test_an_equal_value_is_not_an_improvement_and_nan_never_is(tmp_path, capsys):
    checkpoint = best_only(tmp_path, verbose=1)
    fit(checkpoint, 3, Script("val_loss", [float("nan"), 2.0, 2.0]))
    assert written(tmp_path) == ["e2.weights.h5"]
    assert lines(capsys.readouterr().out, tmp_path) == [
        "Epoch 1: val_loss did not improve from inf",
        "Epoch 2: val_loss improved from inf to 2.00000, saving model to e2.weights.h5",
        "Epoch 3: val_loss did not improve from 2.00000"]


def test_initial_value_threshold_with_mode_max(tmp_path):
    checkpoint = best_only(tmp_path, monitor="acc", initial_value_threshold=0.6)
    fit(checkpoint, 3, Script("acc", [0.5, 0.7, 0.65]))
    assert written(tmp_path) == ["e2.weights.h5"] and checkpoint.best == 0.7


# -- saving per batch
def test_save_freq_1_saves_and_prints_after_every_batch(tmp_path, capsys):
    checkpoint = ModelCheckpoint(str(tmp_path / "b{batch}.weights.h5"), save_weights_only=True,
                                 save_freq=1, verbose=1)
    fit(checkpoint, 1)                                 # 2 batches of 4
    assert written(tmp_path) == ["b1.weights.h5", "b2.weights.h5"]
    assert capsys.readouterr().out == "".join(
        f"\nEpoch 1: saving model to {tmp_path / name}\n" for name in written(tmp_path))


def test_save_best_only_per_batch_compares_the_running_batch_logs(tmp_path, capsys):
    checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}b{batch}-{loss:.4f}.weights.h5"),
                                 monitor="loss", save_best_only=True, save_weights_only=True,
                                 save_freq=2, verbose=1)
    fit(checkpoint, 2, batch_size=1)                   # 8 batches per epoch
    assert written(tmp_path) == ["e1b2-0.5634.weights.h5", "e1b4-0.2922.weights.h5",
                                 "e1b6-0.2579.weights.h5", "e2b8-0.2542.weights.h5"]
    out = lines(capsys.readouterr().out, tmp_path)
    assert out[0] == ("Epoch 1: loss improved from inf to 0.56336, saving model to "
                      "e1b2-0.5634.weights.h5")
    assert out[3:7] == ["Epoch 1: loss did not improve from 0.25792"] + \
        ["Epoch 2: loss did not improve from 0.25792"] * 3


def test_steps_per_execution_counts_every_batch_of_an_execution(tmp_path):
    model = small_model()
    model.compile(keras.optimizers.SGD(0.1), "mse", steps_per_execution=3)
    checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}b{batch}.weights.h5"),
                                 save_weights_only=True, save_freq=4)
    fit(checkpoint, 2, batch_size=1, model=model)      # hooks after batches 3, 6, 8
    assert written(tmp_path) == ["e1b6.weights.h5", "e2b3.weights.h5", "e2b8.weights.h5"]


def test_batch_hooks_are_called_only_for_an_integer_save_freq(tmp_path):
    by_epoch = ModelCheckpoint(str(tmp_path / "m.keras"))
    by_batch = ModelCheckpoint(str(tmp_path / "m.keras"), save_freq=5)
    assert not by_epoch._implements_train_batch_hooks()
    assert by_batch._implements_train_batch_hooks()
    assert not CallbackList([by_epoch])._should_call_train_batch_hooks
    assert CallbackList([by_batch])._should_call_train_batch_hooks


class RecordingModel:
    """Stands in for a model: records save_weights calls instead of writing files."""

    def __init__(self):
        self.saved = []

    def save_weights(self, path, overwrite=True, options=None):
        self.saved.append(path)


def test_a_batch_log_key_wins_over_the_batch_index(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "b{batch}.h5"), save_weights_only=True,
                                 save_freq=1)
    checkpoint.set_model(RecordingModel())
    checkpoint.on_train_begin()
    checkpoint.on_epoch_begin(0)
    checkpoint.on_train_batch_end(0, {"batch": 7})
    checkpoint.on_train_batch_end(1, {})
    assert checkpoint.model.saved == [str(tmp_path / "b7.h5"), str(tmp_path / "b2.h5")]


# -- the path
@pytest.mark.parametrize("name, weights_only", [("m.weights.h5", True), ("m.keras", False)])
def test_a_pathlib_path_is_accepted(tmp_path, name, weights_only):
    """tf_keras 2.21 raises AttributeError ('PosixPath' object has no attribute 'endswith')
    for a Path with save_weights_only=False; its docstring promises path-likes, so refkeras
    accepts them for both kinds of checkpoint."""
    checkpoint = ModelCheckpoint(tmp_path / name, save_weights_only=weights_only)
    assert checkpoint.filepath == str(tmp_path / name)
    fit(checkpoint, 1)
    assert written(tmp_path) == [name]


def test_a_batch_key_with_epoch_saving_raises_key_error(tmp_path):
    pattern = str(tmp_path / "b{batch}.weights.h5")
    with pytest.raises(KeyError) as raised:
        fit(ModelCheckpoint(pattern, save_weights_only=True), 1)
    assert raised.value.args[0] == (f'Failed to format this callback filepath: "{pattern}". '
                                    "Reason: 'batch'")
    assert written(tmp_path) == []


def test_an_epoch_key_in_the_logs_clashes_with_the_epoch(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}.weights.h5"), save_weights_only=True)
    with pytest.raises(TypeError, match="multiple values for keyword argument 'epoch'"):
        fit(checkpoint, 1, Script("epoch", [7]))


def test_missing_folders_are_created(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "a" / "b" / "e{epoch}.h5"), save_weights_only=True)
    fit(checkpoint, 1)
    assert written(tmp_path / "a" / "b") == ["e1.h5"]


@pytest.mark.parametrize("name, weights_only", [("x.weights.h5", True), ("x.h5", True),
                                                ("x.keras", False)])
def test_an_existing_folder_at_the_path_raises_os_error(tmp_path, name, weights_only):
    (tmp_path / name).mkdir()
    checkpoint = ModelCheckpoint(str(tmp_path / name), save_weights_only=weights_only)
    message = ("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is "
               f"an existing directory: {tmp_path / name}")
    with pytest.raises(OSError, match=re.escape(message)):
        fit(checkpoint, 1)
    assert written(tmp_path) == [name]        # no temporary file left behind


# -- formats
def test_save_weights_only_with_h5_writes_keras_2_layout_that_loads_back(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "w.h5"), save_weights_only=True)
    model = small_model()
    fit(checkpoint, 1, model=model)
    with h5py.File(tmp_path / "w.h5", "r") as f:
        assert "layer_names" in f.attrs and "vars" not in f
    fresh = small_model()
    fresh.load_weights(str(tmp_path / "w.h5"))
    for expected, actual in zip(model.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(actual, expected)


def test_a_whole_model_h5_checkpoint_is_keras_2s_hdf5_model(tmp_path):
    with pytest.warns(UserWarning, match="legacy"):
        fit(ModelCheckpoint(str(tmp_path / "m.h5")), 1)
    assert written(tmp_path) == ["m.h5"] and h5py.is_hdf5(tmp_path / "m.h5")
    assert keras.models.load_model(str(tmp_path / "m.h5")).optimizer.iterations.numpy() == 2


def test_an_extension_less_whole_model_checkpoint_is_a_keras_zip(tmp_path):
    """tf_keras writes a SavedModel folder there; refkeras writes the .keras zip (saving/)."""
    fit(ModelCheckpoint(str(tmp_path / "mymodel_{epoch}")), 1)
    assert written(tmp_path) == ["mymodel_1"] and zipfile.is_zipfile(tmp_path / "mymodel_1")
    assert keras.models.load_model(str(tmp_path / "mymodel_1")).optimizer.iterations.numpy() == 2


# -- a checkpoint reused across fits
def test_the_best_value_carries_over_to_the_next_fit(tmp_path, capsys):
    checkpoint = best_only(tmp_path, verbose=1)
    model = small_model()
    fit(checkpoint, 2, Script("val_loss", [3.0, 2.0]), model=model)
    capsys.readouterr()
    fit(checkpoint, 2, Script("val_loss", [2.5, 1.0]), model=model)
    assert lines(capsys.readouterr().out, tmp_path) == [
        "Epoch 1: val_loss did not improve from 2.00000",
        "Epoch 2: val_loss improved from 2.00000 to 1.00000, saving model to e2.weights.h5"]


def test_the_batch_count_carries_over_to_the_next_fit(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "{epoch}-{batch}.weights.h5"),
                                 save_weights_only=True, save_freq=3)
    model = small_model()
    fit(checkpoint, 1, batch_size=2, model=model)     # 4 batches: saved after 3, 1 counted
    fit(checkpoint, 1, batch_size=2, model=model)     # 1 + 2 batches: saved after batch 2
    assert written(tmp_path) == ["1-2.weights.h5", "1-3.weights.h5"]


# -- arguments
@pytest.mark.parametrize("save_freq", [2.0, None, "batch"])
def test_save_freq_other_than_epoch_or_int_raises(tmp_path, save_freq):
    message = f'Unrecognized save_freq: {save_freq}. Expected save_freq are "epoch" or integer'
    with pytest.raises(ValueError, match=re.escape(message)):
        ModelCheckpoint(str(tmp_path / "m.keras"), save_freq=save_freq)


def test_options_with_a_whole_model_keras_path_raise(tmp_path):
    with pytest.raises(ValueError, match="does not support the `options` argument"):
        ModelCheckpoint(str(tmp_path / "m.keras"), options=object())


def test_the_deprecated_period_saves_every_period_epochs(tmp_path, caplog, capsys):
    with caplog.at_level(logging.WARNING, logger="refkeras"):
        checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}.weights.h5"),
                                     save_weights_only=True, period=2, verbose=1)
    warning = ("`period` argument is deprecated. Please use `save_freq` to specify the "
               "frequency in number of batches seen.")
    assert caplog.messages == [warning]
    fit(checkpoint, 5)
    assert written(tmp_path) == ["e2.weights.h5", "e4.weights.h5"]
    assert lines(capsys.readouterr().out, tmp_path) == [
        "Epoch 2: saving model to e2.weights.h5", "Epoch 4: saving model to e4.weights.h5"]


def test_load_weights_on_restart_warns_and_is_not_implemented(tmp_path, caplog):
    """tf_keras warns and reloads the newest matching file at on_train_begin; refkeras
    warns the same, and refuses True instead of silently training from scratch."""
    with caplog.at_level(logging.WARNING, logger="refkeras"):
        ModelCheckpoint(str(tmp_path / "m.keras"), load_weights_on_restart=False)
    assert caplog.messages[0].startswith("`load_weights_on_restart` argument is deprecated.")
    with pytest.raises(NotImplementedError, match="load_weights_on_restart=True"):
        ModelCheckpoint(str(tmp_path / "m.keras"), load_weights_on_restart=True)



def test_unknown_keywords_and_non_positive_counts_are_rejected(tmp_path):
    """tf_keras drops ModelCheckpoint(p, foo=1) silently and takes save_freq 0, -1 or True;
    refkeras rejects them before training starts."""
    path = str(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="foo"):
        ModelCheckpoint(path, foo=1)
    for bad in (0, -1, True):
        with pytest.raises(ValueError, match="positive"):
            ModelCheckpoint(path, save_freq=bad)
