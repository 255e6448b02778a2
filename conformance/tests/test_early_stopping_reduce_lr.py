"""EarlyStopping and ReduceLROnPlateau (CALLBACKS.EARLY_STOPPING, CALLBACKS.REDUCE_LR_ON_PLATEAU,
PIT.RESTORE_BEST_AT_END, PIT.MODE_AUTO).

Seed 000 "## callback": ``keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e-2,
patience=2, verbose=1)``, whose run prints "Epoch 7: early stopping". Every expected value
was measured on tf_keras 2.21.

When an epoch improves must not hang on training noise, so a ``Script`` callback placed
before the one under test writes a chosen value for the monitored key into the epoch
logs, which every later callback sees (PIT.HOOK_ORDER). The model trains for real (2
batches of 4 per epoch), so restored weights and learning rates act on real updates.
"""
import inspect

import numpy as np
import pytest

from conformance import clause
from conformance.tests.training_models import logs_script

X = np.arange(16, dtype="float32").reshape(8, 2) / 16
Y = np.ones((8, 1), dtype="float32")
LR_01 = 0.10000000149011612         # float32(0.1), as a Python float
NAN = float("nan")


def small_model(keras):
    """Dense(1) on 2 features, kernel of ones, SGD(0.1), mse."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    return model


def script(keras, key, values):
    """A callback that sets logs[key] = values[epoch] at every epoch end."""
    return logs_script(keras, [{key: v} for v in values])


def spy(keras):
    """Records the learning rate before every batch and the weights at every epoch end."""
    class Spy(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.rates, self.weights = [], []

        def on_train_batch_begin(self, batch, logs=None):
            self.rates.append(float(self.model.optimizer.learning_rate.numpy()))

        def on_epoch_end(self, epoch, logs=None):
            self.weights.append(self.model.get_weights())
    return Spy()


def fit(keras, callback, values, *after, key="val_loss", model=None, **kwargs):
    """fit the small model for len(values) epochs with Script(key, values) before ``callback``."""
    model = model or small_model(keras)
    kwargs.setdefault("epochs", len(values))
    return model.fit(X, Y, batch_size=4, shuffle=False, verbose=0,
                     callbacks=[script(keras, key, values), callback, *after], **kwargs)


def same_weights(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


# ------------------------------------------------------------------ CALLBACKS.EARLY_STOPPING
@clause("CALLBACKS.EARLY_STOPPING")
def test_early_stopping_defaults(backend):
    EarlyStopping = backend.keras.callbacks.EarlyStopping
    stop = EarlyStopping()
    assert (stop.monitor, stop.min_delta, stop.patience, stop.verbose) == ("val_loss", 0, 0, 0)
    assert (stop.baseline, stop.restore_best_weights, stop.start_from_epoch) == (None, False, 0)
    assert stop.wait == 0 and stop.stopped_epoch == 0 and stop.best_weights is None
    # tf_keras keeps no `mode` attribute: read the default from the signature
    assert inspect.signature(EarlyStopping).parameters["mode"].default == "auto"


@clause("CALLBACKS.EARLY_STOPPING")
@pytest.mark.parametrize("patience, epochs, message", [
    (0, [0, 1, 2], "Epoch 3: early stopping\n"),
    (2, [0, 1, 2, 3], "Epoch 4: early stopping\n")])
def test_patience_counts_the_epochs_without_improvement(backend, capsys, patience, epochs,
                                                        message):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(patience=patience, verbose=1)
    capsys.readouterr()
    history = fit(keras, stop, [5, 4, 4, 4, 4, 4])
    assert history.epoch == epochs
    assert capsys.readouterr().out == message
    assert (stop.stopped_epoch, stop.best, stop.best_epoch) == (epochs[-1], 4, 1)


@clause("CALLBACKS.EARLY_STOPPING")
def test_a_change_of_at_most_min_delta_is_no_improvement(backend, capsys):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(min_delta=0.01, verbose=1)
    capsys.readouterr()
    history = fit(keras, stop, [5, 4.99, 4, 4])
    assert history.epoch == [0, 1]
    assert capsys.readouterr().out == "Epoch 2: early stopping\n"
    assert stop.best == 5


@clause("CALLBACKS.EARLY_STOPPING")
def test_mode_max_and_nan(backend, capsys):
    keras = backend.keras
    capsys.readouterr()
    assert fit(keras, keras.callbacks.EarlyStopping(mode="max", verbose=1),
               [1, 2, 2, 3]).epoch == [0, 1, 2]
    # NaN never improves: it counts as an epoch without improvement
    assert fit(keras, keras.callbacks.EarlyStopping(verbose=1), [5, NAN, 4]).epoch == [0, 1]
    assert capsys.readouterr().out == "Epoch 3: early stopping\nEpoch 2: early stopping\n"


@clause("CALLBACKS.EARLY_STOPPING")
def test_wait_resets_only_when_the_baseline_is_beaten_too(backend, capsys):
    keras = backend.keras
    # Improving every epoch never stops, even though wait grows past patience.
    stop = keras.callbacks.EarlyStopping(baseline=0.5, verbose=1)
    capsys.readouterr()
    assert fit(keras, stop, [5, 4, 3, 2, 1]).epoch == [0, 1, 2, 3, 4]
    assert (stop.wait, stop.stopped_epoch) == (5, 0)
    assert capsys.readouterr().out == ""
    # Not beating the baseline at epoch 1 leaves wait at 1: no improvement next stops it.
    assert fit(keras, keras.callbacks.EarlyStopping(baseline=4.0), [5, 5, 5]).epoch == [0, 1]
    stop = keras.callbacks.EarlyStopping(baseline=3.5, verbose=1)
    assert fit(keras, stop, [5, 4, 3, 3, 3, 3]).epoch == [0, 1, 2, 3]
    assert capsys.readouterr().out == "Epoch 4: early stopping\n"


@clause("CALLBACKS.EARLY_STOPPING")
def test_epochs_before_start_from_epoch_are_ignored(backend, capsys):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(start_from_epoch=2, verbose=1)
    capsys.readouterr()
    assert fit(keras, stop, [5, 9, 9, 1, 9, 9, 9]).epoch == [0, 1, 2, 3, 4]
    assert capsys.readouterr().out == "Epoch 5: early stopping\n"
    # start_from_epoch and the epoch > 0 check read the absolute epoch (initial_epoch=2)
    stop = keras.callbacks.EarlyStopping(start_from_epoch=1, verbose=1)
    history = fit(keras, stop, [0, 0, 5, 6, 7], initial_epoch=2)
    assert history.epoch == [2, 3]
    assert capsys.readouterr().out == "Epoch 4: early stopping\n"


@clause("CALLBACKS.EARLY_STOPPING")
def test_a_missing_monitor_warns_every_epoch_and_never_stops(backend, warnings_log):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(monitor="nothere", restore_best_weights=True)
    history = fit(keras, stop, [1, 1, 1], key="other")
    assert history.epoch == [0, 1, 2]
    expected = ("Early stopping conditioned on metric `nothere` which is not available. "
                "Available metrics are: loss,other")
    assert [m for m in warnings_log if m.startswith("Early stopping")] == [expected] * 3
    assert stop.best_weights is None


@clause("CALLBACKS.EARLY_STOPPING")
def test_an_unknown_mode_warns_and_falls_back_to_auto(backend, warnings_log):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(monitor="val_acc", mode="bogus")
    assert "EarlyStopping mode bogus is unknown, fallback to auto mode." in warnings_log
    assert stop.monitor_op is np.greater


@clause("CALLBACKS.EARLY_STOPPING")
def test_a_reused_callback_starts_afresh_and_verbose_0_prints_nothing(backend, capsys):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping()
    model = small_model(keras)
    capsys.readouterr()
    assert fit(keras, stop, [5, 4, 4], model=model).epoch == [0, 1, 2]
    assert stop.stopped_epoch == 2
    # best, wait and stopped_epoch reset in on_train_begin: 6 is a first, improving value
    assert fit(keras, stop, [6, 7, 8], model=model).epoch == [0, 1]
    assert (stop.stopped_epoch, stop.best) == (1, 6)
    assert capsys.readouterr().out == ""


# ------------------------------------------------------------------ PIT.RESTORE_BEST_AT_END
@clause("PIT.RESTORE_BEST_AT_END")
def test_best_weights_are_restored_even_without_a_stop(backend, capsys):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True, verbose=1)
    seen = spy(keras)
    capsys.readouterr()
    model = small_model(keras)
    history = fit(keras, stop, [5, 3, 4, 4], seen, model=model)
    assert history.epoch == [0, 1, 2, 3]
    assert capsys.readouterr().out == "Restoring model weights from the end of the best epoch: 2.\n"
    assert same_weights(model.get_weights(), seen.weights[1])
    assert not same_weights(model.get_weights(), seen.weights[3])


@clause("PIT.RESTORE_BEST_AT_END")
def test_after_a_stop_the_best_epoch_is_restored(backend, capsys):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(patience=1, restore_best_weights=True, verbose=1)
    seen = spy(keras)
    model = small_model(keras)
    capsys.readouterr()
    assert fit(keras, stop, [5, 3, 4, 4, 4], seen, model=model).epoch == [0, 1, 2]
    assert capsys.readouterr().out == ("Epoch 3: early stopping\n"
                                       "Restoring model weights from the end of the best epoch: 2.\n")
    assert same_weights(model.get_weights(), seen.weights[1])


@clause("PIT.RESTORE_BEST_AT_END")
@pytest.mark.parametrize("start_from_epoch, best", [(0, 1), (2, 3)])
def test_without_any_improvement_the_first_considered_epoch_is_restored(
        backend, capsys, start_from_epoch, best):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(patience=9, restore_best_weights=True, verbose=1,
                                         start_from_epoch=start_from_epoch)
    seen = spy(keras)
    model = small_model(keras)
    capsys.readouterr()
    assert fit(keras, stop, [5, 6, 7, 8, 9], seen, model=model).epoch == [0, 1, 2, 3, 4]
    assert capsys.readouterr().out == ("Restoring model weights from the end of the best epoch: "
                                       f"{best}.\n")
    assert same_weights(model.get_weights(), seen.weights[best - 1])


@clause("PIT.RESTORE_BEST_AT_END")
def test_without_restore_best_weights_the_last_weights_stay(backend, capsys):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(patience=1, verbose=1)
    seen = spy(keras)
    model = small_model(keras)
    capsys.readouterr()
    assert fit(keras, stop, [5, 3, 4, 4, 4], seen, model=model).epoch == [0, 1, 2]
    assert capsys.readouterr().out == "Epoch 3: early stopping\n"
    assert same_weights(model.get_weights(), seen.weights[2])
    assert stop.best_weights is None


# ------------------------------------------------------------------ PIT.MODE_AUTO
def stops_on_a_rise(keras, monitor):
    """Whether EarlyStopping(monitor, patience=0) stops when the value rises 1, 2, 3."""
    stop = keras.callbacks.EarlyStopping(monitor=monitor)
    return fit(keras, stop, [1, 2, 3], key=monitor).epoch != [0, 1, 2]


def reduces_on_a_rise(keras, monitor):
    """Whether ReduceLROnPlateau(monitor, patience=0) reduces when the value rises 1, 2, 3."""
    plateau = keras.callbacks.ReduceLROnPlateau(monitor=monitor, patience=0)
    return fit(keras, plateau, [1, 2, 3], key=monitor).history["lr"][-1] != np.float32(0.1)


@clause("PIT.MODE_AUTO")
@pytest.mark.parametrize("monitor, maximised", [
    ("val_accuracy", True), ("val_acc", True), ("val_auc", True), ("auc", True),
    ("val_auc_1", False), ("val_precision", False), ("val_recall", False), ("loss", False),
    ("accuracy_x", False), ("fmeasure", False)])
def test_early_stopping_maximises_names_ending_with_acc_accuracy_or_auc(
        backend, monitor, maximised):
    assert stops_on_a_rise(backend.keras, monitor) is not maximised


@clause("PIT.MODE_AUTO")
@pytest.mark.parametrize("monitor, maximised", [
    ("val_accuracy", True), ("accuracy_x", True), ("acc_loss", True), ("val_auc", False),
    ("fmeasure", False), ("val_loss", False)])
def test_reduce_lr_on_plateau_maximises_names_containing_acc(backend, monitor, maximised):
    assert reduces_on_a_rise(backend.keras, monitor) is not maximised


@clause("PIT.MODE_AUTO")
def test_one_val_auc_three_directions(backend, tmp_path):
    keras = backend.keras
    stop = keras.callbacks.EarlyStopping(monitor="val_auc")
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="val_auc", patience=0)
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}.weights.h5"),
                                                 monitor="val_auc", save_best_only=True,
                                                 save_weights_only=True)
    history = fit(keras, stop, [0.5, 0.6, 0.7], plateau, checkpoint, key="val_auc")
    assert history.epoch == [0, 1, 2]                  # EarlyStopping: larger is better
    assert [float(lr) for lr in history.history["lr"]] == [LR_01, LR_01, 0.010000000707805157]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e1.weights.h5"]     # smaller


@clause("PIT.MODE_AUTO")
def test_an_unknown_mode_of_reduce_lr_on_plateau_warns_and_falls_back(backend, warnings_log):
    plateau = backend.keras.callbacks.ReduceLROnPlateau(monitor="val_acc", mode="bogus")
    assert "Learning rate reduction mode bogus is unknown, fallback to auto mode." in warnings_log
    assert (plateau.mode, plateau.best) == ("auto", -np.inf)


# ------------------------------------------------------------------ CALLBACKS.REDUCE_LR_ON_PLATEAU
@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_reduce_lr_on_plateau_defaults(backend):
    plateau = backend.keras.callbacks.ReduceLROnPlateau()
    assert (plateau.monitor, plateau.factor, plateau.patience, plateau.verbose) == (
        "val_loss", 0.1, 10, 0)
    assert (plateau.mode, plateau.min_delta, plateau.cooldown, plateau.min_lr) == (
        "auto", 1e-4, 0, 0)
    assert (plateau.best, plateau.wait, plateau.cooldown_counter) == (np.inf, 0, 0)


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_each_reduction_prints_and_takes_effect_at_the_next_update(backend, capsys):
    keras = backend.keras
    plateau = keras.callbacks.ReduceLROnPlateau(patience=1, verbose=1)
    seen = spy(keras)
    capsys.readouterr()
    history = fit(keras, plateau, [5, 4, 4, 4, 4], seen)
    assert capsys.readouterr().out == (
        "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.010000000707805157.\n"
        "\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.0010000000474974513.\n"
        "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.00010000000474974513.\n")
    # two batches per epoch; the rate set at epoch 3's end drives epoch 4's first batch
    assert seen.rates == [LR_01] * 6 + [0.010000000707805157] * 2 + [0.0010000000474974513] * 2
    assert float(history.model.optimizer.learning_rate.numpy()) == 0.00010000000474974513


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_lr_in_the_logs_is_the_epochs_rate_as_float32(backend):
    keras = backend.keras
    plateau = keras.callbacks.ReduceLROnPlateau(patience=0, factor=0.5)
    history = fit(keras, plateau, [5, 5, 5])
    lrs = history.history["lr"]
    assert [type(lr) for lr in lrs] == [np.float32] * 3
    assert [float(lr) for lr in lrs] == [LR_01, LR_01, 0.05000000074505806]


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_the_reduced_rate_drives_the_updates(backend):
    keras = backend.keras
    seen = spy(keras)
    fit(keras, keras.callbacks.ReduceLROnPlateau(patience=0, factor=0.5), [5, 5, 5], seen)
    # kernels measured on tf_keras: lr 0.1, 0.1, then 0.05 in the third epoch
    expected = [[0.9263622760772705, 0.9262140393257141],
                [0.8686876893043518, 0.8700538873672485],
                [0.8493176102638245, 0.8522607684135437]]
    got = [w[0].ravel().tolist() for w in seen.weights]
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_cooldown_skips_epochs_after_a_reduction(backend, capsys):
    keras = backend.keras
    plateau = keras.callbacks.ReduceLROnPlateau(patience=1, factor=0.5, cooldown=2, verbose=1)
    capsys.readouterr()
    fit(keras, plateau, [5] + [4] * 8)
    out = capsys.readouterr().out
    assert [line.split(":")[0] for line in out.split("\n") if line] == [
        "Epoch 3", "Epoch 5", "Epoch 7", "Epoch 9"]
    assert (plateau.wait, plateau.cooldown_counter) == (0, 2)


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_min_lr_is_the_floor_and_then_nothing_happens(backend, capsys):
    keras = backend.keras
    plateau = keras.callbacks.ReduceLROnPlateau(patience=0, factor=0.5, min_lr=0.03, verbose=1)
    capsys.readouterr()
    history = fit(keras, plateau, [5, 5, 5, 5, 5])
    assert capsys.readouterr().out == (
        "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n"
        "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.03.\n")
    assert [float(lr) for lr in history.history["lr"]] == [
        LR_01, LR_01, 0.05000000074505806, 0.029999999329447746, 0.029999999329447746]
    assert plateau.wait == 2                     # at the floor, wait keeps counting


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_min_delta_and_mode_max(backend, capsys):
    keras = backend.keras
    capsys.readouterr()
    fit(keras, keras.callbacks.ReduceLROnPlateau(patience=1, min_delta=0.5, verbose=1),
        [5, 4.6, 4.2, 3.0, 2.9])
    fit(keras, keras.callbacks.ReduceLROnPlateau(patience=1, mode="max", verbose=1),
        [1, 2, 2, 2, 3])
    out = capsys.readouterr().out
    assert [line.split(":")[0] for line in out.split("\n") if line] == [
        "Epoch 2", "Epoch 5", "Epoch 3", "Epoch 4"]


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_a_missing_monitor_warns_but_lr_is_still_logged(backend, warnings_log):
    keras = backend.keras
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="nothere", patience=0)
    history = fit(keras, plateau, [5, 5, 5])
    expected = ("Learning rate reduction is conditioned on metric `nothere` which is not "
                "available. Available metrics are: loss,val_loss,lr")
    assert [m for m in warnings_log if m.startswith("Learning rate")] == [expected] * 3
    assert [float(lr) for lr in history.history["lr"]] == [LR_01] * 3


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_a_reused_callback_resets_but_the_rate_stays_reduced(backend):
    keras = backend.keras
    plateau = keras.callbacks.ReduceLROnPlateau(patience=0, factor=0.5)
    model = small_model(keras)
    fit(keras, plateau, [5, 5], model=model)
    # best restarts at inf: 9 improves; then 9 again reduces from the reduced rate
    history = fit(keras, plateau, [9, 9], model=model)
    assert [float(lr) for lr in history.history["lr"]] == [0.05000000074505806] * 2
    assert float(model.optimizer.learning_rate.numpy()) == 0.02500000037252903


@clause("CALLBACKS.REDUCE_LR_ON_PLATEAU")
def test_factor_of_1_or_more_raises_and_epsilon_is_the_old_min_delta(backend, warnings_log):
    ReduceLROnPlateau = backend.keras.callbacks.ReduceLROnPlateau
    with pytest.raises(ValueError, match=r"^ReduceLROnPlateau does not support a factor >= 1.0. "
                                         r"Got 1.0$"):
        ReduceLROnPlateau(factor=1.0)
    assert ReduceLROnPlateau(epsilon=0.3).min_delta == 0.3
    assert ("`epsilon` argument is deprecated and will be removed, use `min_delta` instead."
            in warnings_log)
