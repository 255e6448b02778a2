"""Engine tests of refkeras.callbacks: Callback, CallbackList, logs, History, ProgbarLogger.

The loops' side (order of hooks inside fit) is pinned by the conformance suite
(conformance/tests/test_callbacks_infra.py); these tests drive the hooks by hand with
a stand-in model, so they check this package alone.
"""
import contextlib
import io

import numpy as np
import pytest

import refkeras as keras
from refkeras.callbacks import Callback, CallbackList, History, ProgbarLogger
from refkeras.callbacks.logs import to_python_logs


class StubModel:
    """What callbacks touch on a model: metrics (names), history, stop_training."""

    def __init__(self, metric_names=("loss",)):
        self.metrics = [type("M", (), {"name": n})() for n in metric_names]
        self.stop_training = False


class Record(Callback):
    def __init__(self, tag, log):
        super().__init__()
        self.tag, self.log = tag, log

    def on_epoch_end(self, epoch, logs=None):
        self.log.append((self.tag, epoch, dict(logs)))
        logs[f"seen_by_{self.tag}"] = 1.0


def printed(fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn()
    return out.getvalue()


# -- Callback
def test_a_new_callback_has_no_model_and_no_params():
    cb = Callback()
    assert cb.model is None and cb.validation_data is None and not hasattr(cb, "params")
    assert cb._supports_tf_logs is False
    cb.set_params({"verbose": 0, "epochs": 1, "steps": 1})
    assert cb.params == {"verbose": 0, "epochs": 1, "steps": 1}


def test_batch_hook_detection_sees_subclass_and_instance_overrides():
    assert not Callback()._implements_train_batch_hooks()

    class OnTest(Callback):
        def on_test_batch_end(self, batch, logs=None):
            pass

    assert OnTest()._implements_test_batch_hooks() and not OnTest()._implements_train_batch_hooks()
    cb = Callback()
    cb.on_predict_batch_begin = lambda batch, logs=None: None
    assert cb._implements_predict_batch_hooks()


def test_default_train_batch_hooks_forward_to_the_aliases():
    seen = []

    class Alias(Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch))

    cb = Alias()
    cb.on_train_batch_begin(0)
    cb.on_train_batch_end(0, {})
    cb.on_test_batch_end(0, {})
    assert seen == [("begin", 0), ("end", 0)]


# -- CallbackList
def test_callbacks_are_flattened_and_defaults_appended_after_them():
    a, b = Callback(), Callback()
    cbs = CallbackList([[a], (b,)], add_history=True, add_progbar=True)
    assert cbs.callbacks[:2] == [a, b]
    assert [type(c) for c in cbs.callbacks[2:]] == [History, ProgbarLogger]
    assert cbs.callbacks[3].use_steps is True
    assert CallbackList().callbacks == [] and CallbackList(a).callbacks == [a]
    assert not hasattr(CallbackList(), "params") and not hasattr(CallbackList(), "model")


def test_callbacks_given_by_the_user_are_not_added_again():
    mine = [ProgbarLogger(), Callback(), History()]
    assert CallbackList(mine, add_history=True, add_progbar=True).callbacks == mine


def test_model_and_params_reach_every_callback_and_model_history_is_set():
    model, cb = StubModel(), Callback()
    cbs = CallbackList([cb], add_history=True, model=model, verbose=0, epochs=2, steps=3)
    assert cb.model is model and model.history is cbs.callbacks[1]
    assert cb.params == {"verbose": 0, "epochs": 2, "steps": 3} == cbs.params
    assert not hasattr(cbs.callbacks[1], "epoch")


def test_progbar_logger_reads_params_without_storing_them():
    logger = ProgbarLogger(count_mode="steps")
    logger.set_params({"verbose": 2, "epochs": 3, "steps": 7})
    assert (logger.verbose, logger.epochs, logger.target) == (2, 3, 7)
    assert not hasattr(logger, "params")


def test_an_entry_that_is_not_a_callback_raises_naming_it():
    with pytest.raises(AttributeError, match=r"entry 1 is 3 of type int"):
        CallbackList([Callback(), 3], model=StubModel())


def test_logs_become_a_new_dict_of_python_numbers():
    logs = {"loss": np.float32(0.5), "t": np.float64(2.0), "outputs": [np.ones((2, 1))], "name": "x"}
    out = to_python_logs(logs)
    assert out is not logs
    assert type(out["loss"]) is float and out["loss"] == 0.5
    assert type(out["t"]) is float and out["t"] == 2.0
    assert isinstance(out["outputs"], list) and out["outputs"][0].shape == (2, 1)
    assert out["name"] == "x" and to_python_logs(None) == {}


def test_a_refkeras_tensor_in_the_logs_becomes_a_float():
    value = keras.metrics.Mean()(3.0)
    out = to_python_logs({"m": value})
    assert type(out["m"]) is float and out["m"] == 3.0


def test_callbacks_of_one_hook_share_a_copy_of_the_logs():
    log, model = [], StubModel()
    cbs = CallbackList([Record("a", log), Record("b", log)], add_history=True, model=model)
    theirs = {"loss": 1.0}
    cbs.on_train_begin()
    cbs.on_epoch_end(0, theirs)
    assert log == [("a", 0, {"loss": 1.0}), ("b", 0, {"loss": 1.0, "seen_by_a": 1.0})]
    assert theirs == {"loss": 1.0}
    assert model.history.history == {"loss": [1.0], "seen_by_a": [1.0], "seen_by_b": [1.0]}


def test_batch_hooks_are_skipped_when_no_callback_implements_them():
    cbs = CallbackList([Callback()], add_history=True, model=StubModel())
    assert not cbs._should_call_train_batch_hooks
    cbs.on_train_batch_end(0, object())        # not even converted

    class Late(Callback):
        def on_train_batch_end(self, batch, logs=None):
            raise AssertionError("appended callbacks do not change the decision")

    cbs.append(Late())
    cbs.on_train_batch_end(0, {"loss": 1.0})
    assert CallbackList([Late()])._should_call_train_batch_hooks


# -- History
def test_history_resets_epoch_but_not_history_at_train_begin():
    history, model = History(), StubModel()
    history.set_model(model)
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 1.0})
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 0.5})
    assert history.history == {"loss": [1.0, 0.5]} and history.epoch == [0]
    assert model.history is history


# -- ProgbarLogger
def drive_fit(logger, epochs=2, steps=2, run_steps=None):
    """Call the hooks as fit does; ``steps`` is what params say, ``run_steps`` what runs."""
    cbs = CallbackList([logger] if logger else None, add_progbar=logger is None,
                       model=StubModel(("loss",)), verbose=2, epochs=epochs, steps=steps)
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for step in range(run_steps or steps):
            cbs.on_train_batch_end(step, {"loss": 1.0})
        cbs.on_test_begin()
        cbs.on_test_batch_end(0, {"loss": 2.0})
        cbs.on_test_end({"loss": 2.0})
        cbs.on_epoch_end(epoch, {"loss": 1.0, "val_loss": 2.0})
    cbs.on_train_end()


def test_progbar_logger_prints_headers_and_stays_silent_during_validation():
    lines = printed(lambda: drive_fit(None)).splitlines()
    assert [line.split(" - ")[0] for line in lines] == ["Epoch 1/2", "2/2", "Epoch 2/2", "2/2"]
    assert all("loss: 1.0000 - val_loss: 2.0000" in line for line in lines[1::2])
    assert "Epoch" not in printed(lambda: drive_fit(None, epochs=1))


def test_progbar_logger_learns_an_unknown_target_from_the_steps_run():
    logger = ProgbarLogger(count_mode="steps")
    lines = printed(lambda: drive_fit(logger, steps=None, run_steps=3)).splitlines()
    assert logger.target == 3
    assert [line.split(" - ")[0] for line in lines] == ["Epoch 1/2", "3/3", "Epoch 2/2", "3/3"]


def test_unknown_count_mode_raises():
    with pytest.raises(ValueError, match=r'Unknown `count_mode`: rows. Expected values are \["samples", "steps"\]'):
        ProgbarLogger(count_mode="rows")


def test_fit_returns_the_history_of_python_floats():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    history = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=2, verbose=0)
    assert isinstance(history, History) and history is model.history
    assert history.epoch == [0, 1] and [type(v) for v in history.history["loss"]] == [float, float]
