"""Engine tests of EarlyStopping, ReduceLROnPlateau and their shared monitor rules.

conformance/tests/test_early_stopping_reduce_lr.py pins the clauses
(CALLBACKS.EARLY_STOPPING, CALLBACKS.REDUCE_LR_ON_PLATEAU, PIT.RESTORE_BEST_AT_END,
PIT.MODE_AUTO); these tests pin the rest: the arguments refkeras rejects where tf_keras
accepts them silently, the signed min_delta, copies of the best weights, a real
validation loss, steps_per_execution, and refkeras/callbacks/monitor.py itself. Every
expected value was measured on tf_keras 2.21 unless a test says refkeras departs from it.
"""
import logging

import numpy as np
import pytest

import refkeras as keras
from refkeras.callbacks import (
    Callback,
    EarlyStopping,
    ModelCheckpoint,
    ReduceLROnPlateau,
)
from refkeras.callbacks.monitor import AUTO_RULES, comparison, resolve_mode
from tests.callback_models import Script, X, Y, small_model


class Rates(Callback):
    """The learning rate before every batch."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_begin(self, batch, logs=None):
        self.seen.append(float(self.model.optimizer.learning_rate.numpy()))


def fit(callbacks, values, key="val_loss", model=None, **kwargs):
    model = model or small_model()
    kwargs.setdefault("epochs", len(values))
    kwargs.setdefault("batch_size", 4)
    return model.fit(X, Y, shuffle=False, verbose=0,
                     callbacks=[Script(key, values), *callbacks], **kwargs)


# -- monitor.py: one piece of code, three "auto" rules
@pytest.mark.parametrize("monitor, checkpoint, early, plateau", [
    ("val_auc", "min", "max", "min"), ("val_auc_1", "min", "min", "min"),
    ("fmeasure", "max", "min", "min"), ("acc_loss", "max", "min", "max"),
    ("val_accuracy", "max", "max", "max"), ("val_loss", "min", "min", "min")])
def test_each_callback_reads_auto_its_own_way(monitor, checkpoint, early, plateau):
    got = [resolve_mode("auto", monitor, name) for name in AUTO_RULES]
    assert got == [checkpoint, early, plateau]
    assert list(AUTO_RULES) == ["ModelCheckpoint", "EarlyStopping", "ReduceLROnPlateau"]


def test_explicit_modes_win_and_comparison_gives_the_worst_value():
    assert resolve_mode("max", "val_loss", "EarlyStopping") == "max"
    assert resolve_mode("min", "val_acc", "ReduceLROnPlateau") == "min"
    assert comparison("min") == (np.less, np.inf)
    assert comparison("max") == (np.greater, -np.inf)


@pytest.mark.parametrize("callback, prefix", [
    ("ModelCheckpoint", "ModelCheckpoint"), ("EarlyStopping", "EarlyStopping"),
    ("ReduceLROnPlateau", "Learning rate reduction")])
def test_an_unknown_mode_warns_with_the_callbacks_own_prefix(caplog, callback, prefix):
    with caplog.at_level(logging.WARNING, logger="refkeras"):
        assert resolve_mode("bogus", "val_acc", callback) == "max"
    assert caplog.messages == [f"{prefix} mode bogus is unknown, fallback to auto mode."]


def test_the_three_callbacks_use_the_shared_rule(tmp_path):
    """The attributes tf_keras sets: monitor_op np.greater/np.less, best ±inf."""
    checkpoint = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_auc")
    assert (checkpoint.monitor_op, checkpoint.best) == (np.less, np.inf)
    assert EarlyStopping(monitor="val_auc").monitor_op is np.greater
    assert ReduceLROnPlateau(monitor="val_auc").best == np.inf
    assert ReduceLROnPlateau(monitor="val_acc").best == -np.inf


def test_a_monitor_that_is_not_a_name_is_a_type_error():
    """tf_keras fails inside its rule (AttributeError: 'NoneType' object has no attribute
    'endswith'); refkeras names the argument."""
    with pytest.raises(TypeError, match="monitor=None"):
        EarlyStopping(monitor=None)
    with pytest.raises(TypeError, match="monitor=3"):
        ReduceLROnPlateau(monitor=3)


# -- EarlyStopping
def test_min_delta_is_stored_signed_as_tf_keras_does():
    assert EarlyStopping(min_delta=0.01).min_delta == -0.01
    assert EarlyStopping(min_delta=0.01, mode="max").min_delta == 0.01


@pytest.mark.parametrize("kwargs, error, words", [
    ({"patience": -1}, ValueError, "patience=-1"),
    ({"patience": 1.5}, TypeError, "patience=1.5"),
    ({"patience": True}, TypeError, "patience=True"),
    ({"start_from_epoch": -2}, ValueError, "start_from_epoch=-2"),
    ({"min_delta": -0.01}, ValueError, "min_delta=-0.01"),
    ({"min_delta": float("nan")}, ValueError, "min_delta=nan"),
    ({"baseline": "0.5"}, TypeError, "baseline='0.5'"),
    ({"baseline": float("inf")}, ValueError, "baseline=inf")])
def test_early_stopping_rejects_what_tf_keras_takes_silently(kwargs, error, words):
    """tf_keras takes abs() of a negative min_delta, compares wait with any patience and
    fails on a string baseline only at the first epoch end."""
    with pytest.raises(error, match=words.replace("(", r"\(").replace(".", r"\.")):
        EarlyStopping(**kwargs)


def test_the_best_weights_are_a_copy_taken_at_that_epoch_end():
    model = small_model()
    stop = EarlyStopping(patience=9, restore_best_weights=True)
    fit([stop], [5, 3, 4], model=model)
    best = [w.copy() for w in stop.best_weights]
    model.set_weights([np.zeros_like(w) for w in best])        # not aliased
    assert all(np.array_equal(a, b) for a, b in zip(stop.best_weights, best))
    assert stop.best_epoch == 1


def test_a_real_validation_loss_stops_training():
    """No script: val_loss of an SGD(0.0) model stays equal, so epoch 2 stops it."""
    model = small_model(keras.optimizers.SGD(0.0))
    stop = EarlyStopping(patience=1)
    history = model.fit(X, Y, batch_size=4, epochs=6, verbose=0, validation_data=(X, Y),
                        callbacks=[stop])
    assert history.epoch == [0, 1] and stop.stopped_epoch == 1


def test_stop_training_ends_fit_after_that_epoch_with_its_validation():
    """The epoch that stops still runs its validation and on_epoch_end (CALLBACKS.STOP)."""
    stop = EarlyStopping(monitor="loss_script")
    history = fit([stop], [2, 2, 2], key="loss_script", validation_data=(X, Y))
    assert history.epoch == [0, 1] and len(history.history["val_loss"]) == 2


# -- ReduceLROnPlateau
@pytest.mark.parametrize("kwargs, error, words", [
    ({"factor": 0}, ValueError, "factor=0"),
    ({"factor": -0.5}, ValueError, "factor=-0.5"),
    ({"factor": "0.5"}, TypeError, "factor='0.5'"),
    ({"min_lr": -1e-3}, ValueError, "min_lr=-0.001"),
    ({"min_delta": -0.5}, ValueError, "min_delta=-0.5"),
    ({"epsilon": -0.5}, ValueError, "min_delta=-0.5"),
    ({"patience": -1}, ValueError, "patience=-1"),
    ({"cooldown": 0.5}, TypeError, "cooldown=0.5"),
    ({"foo": 1}, TypeError, "foo")])
def test_reduce_lr_on_plateau_rejects_what_tf_keras_takes_silently(kwargs, error, words):
    """tf_keras drops unknown keywords, sets the rate to 0 (factor 0) or to min_lr (a
    negative factor), and counts worse values as improvements with a negative min_delta."""
    with pytest.raises(error, match=words.replace(".", r"\.")):
        ReduceLROnPlateau(**kwargs)


def test_a_factor_of_1_keeps_tf_keras_message():
    with pytest.raises(ValueError, match=r"^ReduceLROnPlateau does not support a factor >= 1.0. "
                                         r"Got 1.5$"):
        ReduceLROnPlateau(factor=1.5)


def test_a_schedule_optimizer_is_rejected_before_the_first_update():
    """tf_keras writes the reduction into the schedule's current value, which the next
    update overwrites: the reduction is lost without a word. refkeras refuses at
    on_train_begin, before any weight changes."""
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)
    model = small_model(keras.optimizers.SGD(schedule))
    before = model.get_weights()
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        model.fit(X, Y, verbose=0, callbacks=[ReduceLROnPlateau()])
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before))


def test_the_new_rate_reaches_the_next_execution_with_steps_per_execution():
    """compile(steps_per_execution=2): one execution per epoch; the rate set at epoch 1's
    end is the rate of epoch 2's execution (measured: 0.1, 0.1, 0.05)."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.1), "mse", steps_per_execution=2)
    rates = Rates()
    fit([ReduceLROnPlateau(patience=0, factor=0.5), rates], [5, 5, 5], model=model)
    assert rates.seen == [0.10000000149011612, 0.10000000149011612, 0.05000000074505806]


def test_lr_is_added_to_the_logs_as_float32_and_none_is_tolerated():
    model = small_model()
    plateau = ReduceLROnPlateau(monitor="loss")
    plateau.set_model(model)
    logs = {"loss": 1.0}
    plateau.on_epoch_end(0, logs)
    assert logs == {"loss": 1.0, "lr": np.float32(0.1)} and type(logs["lr"]) is np.float32
    plateau.on_epoch_end(1, None)


def test_a_float64_factor_computes_and_prints_in_float64(capsys):
    """numpy's rules: float32 * np.float64 is float64, printed as its repr."""
    plateau = ReduceLROnPlateau(patience=0, factor=np.float64(0.5), verbose=1)
    capsys.readouterr()
    fit([plateau], [5, 5])
    assert capsys.readouterr().out == (
        "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n")
