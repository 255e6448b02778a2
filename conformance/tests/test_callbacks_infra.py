"""The callback infrastructure: hook order and logs, params, stop_training, History,
the progress bar's text, and the order of the callbacks in a CallbackList.

Seed 003 "7.3.3 编写自己的回调函数" (the hooks, their index and logs arguments) and
"使用回调函数" (the progress bar is a callback; stopping training); 000 "自定义 callback"
(``self.model``) and "API 概述" (the History). Every expected value here was measured on
tf_keras 2.21: event lists, log keys and types, and the printed text. Printed text is
compared after masking only the timings (``0s``, ``20ms/step``, ``ETA: 0s`` -> ``T``);
a verbose=1 stream is checked frame by frame: each redraw must backspace exactly over
the previous frame and pad over its leftover width. Redraws between a bar's first
and last frame come at most every 0.05 s, so how many appear depends on the clock: they
are checked for shape but not counted.
"""
import contextlib
import io
import re

import numpy as np
import pytest

from conformance import clause

X = np.arange(8, dtype="float32").reshape(4, 2) / 8
Y = np.ones((4, 1), dtype="float32")

HOOKS_NO_INDEX = ("on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
                  "on_predict_begin", "on_predict_end")
HOOKS_INDEX = ("on_epoch_begin", "on_epoch_end", "on_train_batch_begin", "on_train_batch_end",
               "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
               "on_predict_batch_end")


def small_model(keras, init="ones", metrics=("mae",), **compile_kwargs):
    """Dense(1) on 2 features, deterministic weights, SGD(0.1), mse (+ mae)."""
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,), kernel_initializer=init)])
    model.compile(keras.optimizers.SGD(0.1), "mse", metrics=list(metrics), **compile_kwargs)
    return model


def recorder(keras):
    """A callback recording (hook, [index,] sorted log keys) for every hook."""
    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.events, self.logs = [], []

        def _note(self, name, index, logs):
            self.logs.append((name, index, logs))
            keys = None if logs is None else list(logs)
            self.events.append((name, keys) if index is None else (name, index, keys))

    def plain(name):
        return lambda self, logs=None: self._note(name, None, logs)

    def indexed(name):
        return lambda self, index, logs=None: self._note(name, index, logs)

    for name in HOOKS_NO_INDEX:
        setattr(Recorder, name, plain(name))
    for name in HOOKS_INDEX:
        setattr(Recorder, name, indexed(name))
    return Recorder()


def printed(fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn()
    return out.getvalue()


def mask(text):
    text = re.sub(r"ETA: [\d:]+s?", "ETA: T", text)
    return re.sub(r"\b\d+(?:ms|us|s)\b", "T", text)


_TOKEN = re.compile(r"(\x08*)\r([^\r\n\x08]*)(\n?)|([^\r\n\x08]*)\n")


def bars(text):
    """A verbose=1 stream as a list of lines and bars; each bar a list of its masked frames.

    Asserts the redraw protocol on the way: a frame starts with as many backspaces as the
    previous frame of its bar was wide, then ``\\r``; a shorter frame is padded with spaces
    up to the previous width; a bar ends with a newline after its last frame.
    """
    items, pos, width, current = [], 0, 0, None
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        assert match, f"unexpected text at {pos}: {text[pos:pos + 40]!r}"
        pos = match.end()
        if match.group(2) is None:
            assert current is None, "a plain line inside an unfinished bar"
            items.append(match.group(4))
            continue
        if current is None:
            current, width = [], 0
            items.append(current)
        backspaces, frame = len(match.group(1)), match.group(2)
        assert backspaces == width, (backspaces, width, frame)
        content = frame.rstrip(" ")
        assert len(frame) == max(len(content), width), (frame, width)
        width = len(content)
        current.append(mask(content))
        if match.group(3):
            current = None
    assert current is None, "the stream ended inside a bar"
    return items


def first_and_last(items):
    """Bars reduced to their first and last frames (the deterministic ones)."""
    return [item if isinstance(item, str) else [item[0], item[-1]] for item in items]


INTERMEDIATE = re.compile(r"^\s*\d+/\d+ \[[=>.]*\] - ETA: T( - \w+: -?\d\.\d{4}(e[+-]\d\d)?)*$")


def check_intermediate_frames(items):
    for item in items:
        if isinstance(item, list):
            for frame in item[1:-1]:
                assert INTERMEDIATE.match(frame), frame


# ------------------------------------------------------------------ CALLBACKS.ORDER
FIT_EVENTS = [
    ("on_train_begin", []),
    ("on_epoch_begin", 0, []),
    ("on_train_batch_begin", 0, []),
    ("on_train_batch_end", 0, ["loss", "mae"]),
    ("on_train_batch_begin", 1, []),
    ("on_train_batch_end", 1, ["loss", "mae"]),
    ("on_test_begin", []),
    ("on_test_batch_begin", 0, []),
    ("on_test_batch_end", 0, ["loss", "mae"]),
    ("on_test_batch_begin", 1, []),
    ("on_test_batch_end", 1, ["loss", "mae"]),
    ("on_test_end", ["loss", "mae"]),
    ("on_epoch_end", 0, ["loss", "mae", "val_loss", "val_mae"]),
    ("on_epoch_begin", 1, []),
    ("on_train_batch_begin", 0, []),
    ("on_train_batch_end", 0, ["loss", "mae"]),
    ("on_train_batch_begin", 1, []),
    ("on_train_batch_end", 1, ["loss", "mae"]),
    ("on_test_begin", []),
    ("on_test_batch_begin", 0, []),
    ("on_test_batch_end", 0, ["loss", "mae"]),
    ("on_test_batch_begin", 1, []),
    ("on_test_batch_end", 1, ["loss", "mae"]),
    ("on_test_end", ["loss", "mae"]),
    ("on_epoch_end", 1, ["loss", "mae", "val_loss", "val_mae"]),
    ("on_train_end", ["loss", "mae", "val_loss", "val_mae"]),
]


@clause("CALLBACKS.ORDER")
def test_fit_with_validation_calls_every_hook_in_order(backend):
    keras = backend.keras
    model, rec = small_model(keras), recorder(keras)
    model.fit(X, Y, batch_size=2, epochs=2, validation_data=(X[:3], Y[:3]), verbose=0,
              callbacks=[rec], shuffle=False)
    assert rec.events == FIT_EVENTS


@clause("CALLBACKS.ORDER")
def test_logs_are_python_floats_and_epoch_logs_repeat_the_last_batch(backend):
    keras = backend.keras
    model, rec = small_model(keras), recorder(keras)
    model.fit(X, Y, batch_size=2, epochs=2, validation_data=(X[:3], Y[:3]), verbose=0,
              callbacks=[rec], shuffle=False)
    for _, _, logs in rec.logs:
        assert all(type(value) is float for value in logs.values()), logs
    by_name = {}
    for name, index, logs in rec.logs:
        by_name.setdefault(name, []).append((index, logs))
    last_train = by_name["on_train_batch_end"][-1][1]
    last_test = by_name["on_test_end"][-1][1]
    epoch_logs = by_name["on_epoch_end"][-1][1]
    assert {k: epoch_logs[k] for k in ("loss", "mae")} == last_train
    assert {k: epoch_logs["val_" + k] for k in ("loss", "mae")} == last_test
    assert by_name["on_test_batch_end"][-1][1] == last_test
    assert by_name["on_train_end"][0][1] == epoch_logs


@clause("CALLBACKS.ORDER")
def test_evaluate_and_predict_hooks(backend):
    keras = backend.keras
    model, rec = small_model(keras), recorder(keras)
    model.evaluate(X, Y, batch_size=3, verbose=0, callbacks=[rec])
    assert rec.events == [("on_test_begin", []), ("on_test_batch_begin", 0, []),
                          ("on_test_batch_end", 0, ["loss", "mae"]), ("on_test_batch_begin", 1, []),
                          ("on_test_batch_end", 1, ["loss", "mae"]), ("on_test_end", ["loss", "mae"])]
    rec = recorder(keras)
    model.predict(X, batch_size=3, verbose=0, callbacks=[rec])
    assert rec.events == [("on_predict_begin", []), ("on_predict_batch_begin", 0, []),
                          ("on_predict_batch_end", 0, ["outputs"]), ("on_predict_batch_begin", 1, []),
                          ("on_predict_batch_end", 1, ["outputs"]), ("on_predict_end", [])]
    outputs = [logs["outputs"] for name, _, logs in rec.logs if name == "on_predict_batch_end"]
    assert [type(o) for o in outputs] == [np.ndarray, np.ndarray]
    assert [o.shape for o in outputs] == [(3, 1), (1, 1)]


@clause("CALLBACKS.ORDER")
def test_on_batch_aliases_fire_only_for_training_batches(backend):
    keras = backend.keras

    class Alias(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.events = []

        def on_batch_begin(self, batch, logs=None):
            self.events.append(("begin", batch, dict(logs)))

        def on_batch_end(self, batch, logs=None):
            self.events.append(("end", batch, sorted(logs)))

    model, alias = small_model(keras), Alias()
    model.fit(X, Y, batch_size=2, epochs=1, verbose=0, callbacks=[alias], validation_data=(X, Y))
    model.evaluate(X, Y, verbose=0, callbacks=[alias])
    model.predict(X, verbose=0, callbacks=[alias])
    assert alias.events == [("begin", 0, {}), ("end", 0, ["loss", "mae"]),
                            ("begin", 1, {}), ("end", 1, ["loss", "mae"])]


@clause("CALLBACKS.ORDER")
def test_overriding_on_train_batch_hooks_silences_the_aliases(backend):
    keras = backend.keras

    class Both(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.events = []

        def on_train_batch_begin(self, batch, logs=None):
            self.events.append(("train_begin", batch))

        def on_batch_begin(self, batch, logs=None):
            self.events.append(("alias_begin", batch))

    both = Both()
    small_model(keras).fit(X, Y, batch_size=2, verbose=0, callbacks=[both])
    assert both.events == [("train_begin", 0), ("train_begin", 1)]


@clause("CALLBACKS.ORDER")
def test_validation_freq_decides_which_epochs_validate(backend):
    keras = backend.keras
    model, rec = small_model(keras), recorder(keras)
    model.fit(X, Y, batch_size=4, epochs=5, validation_data=(X, Y), validation_freq=2, verbose=0,
              callbacks=[rec])
    ends = [(e[1], e[2]) for e in rec.events if e[0] == "on_epoch_end"]
    assert ends == [(0, ["loss", "mae"]), (1, ["loss", "mae", "val_loss", "val_mae"]),
                    (2, ["loss", "mae"]), (3, ["loss", "mae", "val_loss", "val_mae"]),
                    (4, ["loss", "mae"])]
    assert rec.events[-1] == ("on_train_end", ["loss", "mae"])


@clause("CALLBACKS.ORDER")
def test_steps_per_execution_calls_batch_hooks_once_per_execution(backend):
    keras = backend.keras
    model = small_model(keras, steps_per_execution=2)
    x, y = np.zeros((10, 2), "float32"), np.zeros((10, 1), "float32")
    rec = recorder(keras)
    model.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[rec])
    batch = [(e[0], e[1]) for e in rec.events if "batch" in e[0]]
    assert batch == [("on_train_batch_begin", 0), ("on_train_batch_end", 1),
                     ("on_train_batch_begin", 2), ("on_train_batch_end", 3),
                     ("on_train_batch_begin", 4), ("on_train_batch_end", 4)]
    assert rec.params["steps"] == 5
    rec = recorder(keras)
    model.predict(x, batch_size=2, verbose=0, callbacks=[rec])
    assert [e[1] for e in rec.events if e[0] == "on_predict_batch_end"] == [1, 3, 4]


# ------------------------------------------------------------------ CALLBACKS.ATTRS
@clause("CALLBACKS.ATTRS")
def test_params_of_fit_evaluate_and_predict(backend):
    keras = backend.keras

    class Params(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_train_begin(self, logs=None):
            self.seen.append(("train", dict(self.params)))

        def on_test_begin(self, logs=None):
            self.seen.append(("test", dict(self.params)))

        def on_predict_begin(self, logs=None):
            self.seen.append(("predict", dict(self.params)))

    model, cb = small_model(keras), Params()
    model.fit(X, Y, batch_size=3, epochs=2, verbose=0, callbacks=[cb], validation_data=(X, Y))
    model.evaluate(X, Y, batch_size=1, verbose=0, callbacks=[cb])
    model.predict(X, batch_size=2, verbose=0, callbacks=[cb])
    fit_params = {"verbose": 0, "epochs": 2, "steps": 2}
    assert cb.seen == [("train", fit_params), ("test", fit_params), ("test", fit_params),
                       ("test", {"verbose": 0, "epochs": 1, "steps": 4}),
                       ("predict", {"verbose": 0, "epochs": 1, "steps": 2})]
    assert list(cb.params) == ["verbose", "epochs", "steps"]


@clause("CALLBACKS.ATTRS")
def test_params_follow_verbose_and_steps_per_epoch(backend):
    keras = backend.keras
    rec = recorder(keras)
    printed(lambda: small_model(keras).fit(X, Y, batch_size=3, verbose=2, callbacks=[rec]))
    assert rec.params == {"verbose": 2, "epochs": 1, "steps": 2}
    rec = recorder(keras)
    printed(lambda: small_model(keras).fit(X, Y, callbacks=[rec]))   # verbose="auto"
    assert rec.params == {"verbose": 1, "epochs": 1, "steps": 1}
    rec = recorder(keras)
    small_model(keras).fit(X, Y, batch_size=1, steps_per_epoch=3, verbose=0, callbacks=[rec])
    assert rec.params == {"verbose": 0, "epochs": 1, "steps": 3}


@clause("CALLBACKS.ATTRS")
def test_model_history_and_stop_training_at_train_begin(backend):
    keras = backend.keras

    class Look(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.at_begin = (self.model, type(self.model.history).__name__,
                             self.model.stop_training)

    fresh = Look()
    assert fresh.model is None and not hasattr(fresh, "params")
    model = small_model(keras)
    history = model.fit(X, Y, verbose=0, callbacks=[fresh])
    assert fresh.at_begin[0] is model
    assert fresh.at_begin[1:] == ("History", False)
    assert fresh.model is model and history is model.history


# ------------------------------------------------------------------ CALLBACKS.STOP
def stopper(keras, where):
    class Stop(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.events = []

        def on_train_begin(self, logs=None):
            if where == "train_begin":
                self.model.stop_training = True

        def on_epoch_begin(self, epoch, logs=None):
            self.events.append(("epoch", epoch))
            if where == "epoch_begin":
                self.model.stop_training = True

        def on_train_batch_begin(self, batch, logs=None):
            if where == "batch_begin" and batch == 1:
                self.model.stop_training = True

        def on_train_batch_end(self, batch, logs=None):
            self.events.append(("batch", batch))
            if where == "batch_end" and batch == 0:
                self.model.stop_training = True

        def on_test_begin(self, logs=None):
            self.events.append("validation")

        def on_epoch_end(self, epoch, logs=None):
            self.events.append(("epoch_end", epoch))
            if where == "epoch_end" and epoch == 1:
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            self.events.append("train_end")

    return Stop()


@pytest.mark.parametrize("where, events", [
    ("train_begin", [("epoch", 0), ("batch", 0), "validation", ("epoch_end", 0), "train_end"]),
    ("epoch_begin", [("epoch", 0), ("batch", 0), "validation", ("epoch_end", 0), "train_end"]),
    ("batch_end", [("epoch", 0), ("batch", 0), "validation", ("epoch_end", 0), "train_end"]),
    ("batch_begin", [("epoch", 0), ("batch", 0), ("batch", 1), "validation", ("epoch_end", 0),
                     "train_end"]),
])
@clause("CALLBACKS.STOP")
def test_stop_training_set_before_or_in_a_batch_finishes_that_batch_and_epoch(backend, where, events):
    keras = backend.keras
    model, cb = small_model(keras), stopper(keras, where)
    history = model.fit(np.concatenate([X, X]), np.concatenate([Y, Y]), batch_size=2, epochs=3,
                        verbose=0, callbacks=[cb], validation_data=(X, Y), shuffle=False)
    assert cb.events == events
    assert history.epoch == [0]
    assert model.stop_training is True


@clause("CALLBACKS.STOP")
def test_stop_training_set_in_on_epoch_end_stops_after_that_epoch(backend):
    keras = backend.keras
    model, cb = small_model(keras), stopper(keras, "epoch_end")
    history = model.fit(X, Y, batch_size=2, epochs=5, verbose=0, callbacks=[cb])
    assert [e for e in cb.events if e[0] == "epoch"] == [("epoch", 0), ("epoch", 1)]
    assert len([e for e in cb.events if e[0] == "batch"]) == 4
    assert history.epoch == [0, 1] and cb.events[-1] == "train_end"


@clause("CALLBACKS.STOP")
def test_fit_resets_stop_training_before_on_train_begin(backend):
    keras = backend.keras
    model = small_model(keras)
    model.stop_training = True
    history = model.fit(X, Y, batch_size=2, epochs=2, verbose=0)
    assert history.epoch == [0, 1]


# ------------------------------------------------------------------ CALLBACKS.HISTORY
@clause("CALLBACKS.HISTORY")
def test_history_holds_one_float_per_epoch_in_log_order(backend):
    keras = backend.keras
    model = small_model(keras)
    history = model.fit(X, Y, batch_size=2, epochs=3, verbose=0, validation_data=(X, Y))
    assert type(history).__name__ == "History" and history is model.history
    assert list(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert all(len(v) == 3 and all(type(e) is float for e in v) for v in history.history.values())
    assert history.epoch == [0, 1, 2]
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 2}
    assert history.model is model
    later = model.fit(X, Y, epochs=5, initial_epoch=3, verbose=0)
    assert later is not history and later.epoch == [3, 4] and len(later.history["loss"]) == 2


@clause("CALLBACKS.HISTORY")
def test_a_history_passed_in_accumulates_across_fits(backend):
    keras = backend.keras
    model, mine = small_model(keras), keras.callbacks.History()
    model.fit(X, Y, epochs=2, verbose=0, callbacks=[mine])
    returned = model.fit(X, Y, epochs=1, verbose=0, callbacks=[mine])
    assert returned is mine and model.history is mine
    assert len(mine.history["loss"]) == 3 and mine.epoch == [0]


@clause("CALLBACKS.HISTORY")
def test_evaluate_and_predict_replace_model_history_with_an_empty_one(backend):
    keras = backend.keras
    model = small_model(keras)
    history = model.fit(X, Y, verbose=0)
    model.evaluate(X, Y, verbose=0)
    assert model.history is not history
    assert model.history.history == {} and not hasattr(model.history, "epoch")
    history = model.fit(X, Y, verbose=0)
    model.predict(X, verbose=0)
    assert model.history is not history and model.history.history == {}


@clause("CALLBACKS.HISTORY")
def test_values_a_callback_adds_are_recorded_as_given(backend):
    keras = backend.keras

    class Rate(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["lr"] = np.float32(0.1)

    history = small_model(keras).fit(X, Y, epochs=2, verbose=0, callbacks=[Rate()])
    assert list(history.history) == ["loss", "mae", "lr"]
    assert [type(v) for v in history.history["lr"]] == [np.float32, np.float32]


# ------------------------------------------------------------------ CALLBACKS.PROGBAR
FIT_V1 = [
    "Epoch 1/2",
    ["1/2 [==============>...............] - ETA: T - loss: 0.4531 - mae: 0.6250",
     ("2/2 [==============================] - T T/step - loss: 0.3965 - mae: 0.5748"
     " - val_loss: 0.3014 - val_mae: 0.4439")],
    "Epoch 2/2",
    ["1/2 [==============>...............] - ETA: T - loss: 0.4491 - mae: 0.6278",
     ("2/2 [==============================] - T T/step - loss: 0.3598 - mae: 0.5448"
     " - val_loss: 0.2848 - val_mae: 0.4263")],
]


@clause("CALLBACKS.PROGBAR")
def test_verbose_1_fit_prints_epoch_headers_and_a_redrawn_bar(backend):
    model = small_model(backend.keras)
    text = printed(lambda: model.fit(X, Y, batch_size=2, epochs=2, validation_data=(X[:3], Y[:3]),
                                     verbose=1, shuffle=False))
    items = bars(text)
    check_intermediate_frames(items)
    assert first_and_last(items) == FIT_V1


@clause("CALLBACKS.PROGBAR")
def test_verbose_2_fit_prints_one_line_per_epoch(backend):
    model = small_model(backend.keras)
    text = printed(lambda: model.fit(X, Y, batch_size=2, epochs=2, validation_data=(X[:3], Y[:3]),
                                     verbose=2, shuffle=False))
    assert mask(text) == (
        "Epoch 1/2\n"
        "2/2 - T - loss: 0.3965 - mae: 0.5748 - val_loss: 0.3014 - val_mae: 0.4439 - T/epoch - T/step\n"
        "Epoch 2/2\n"
        "2/2 - T - loss: 0.3598 - mae: 0.5448 - val_loss: 0.2848 - val_mae: 0.4263 - T/epoch - T/step\n")


@clause("CALLBACKS.PROGBAR")
def test_evaluate_and_predict_bars(backend):
    model = small_model(backend.keras)
    items = bars(printed(lambda: model.evaluate(X, Y, batch_size=2, verbose=1)))
    assert first_and_last(items) == [[
        "1/2 [==============>...............] - ETA: T - loss: 0.4531 - mae: 0.6250",
        "2/2 [==============================] - T T/step - loss: 0.3281 - mae: 0.5000"]]
    assert mask(printed(lambda: model.evaluate(X, Y, batch_size=2, verbose=2))) == (
        "2/2 - T - loss: 0.3281 - mae: 0.5000 - T/epoch - T/step\n")
    items = bars(printed(lambda: model.predict(X, batch_size=2, verbose=1)))
    assert first_and_last(items) == [["1/2 [==============>...............] - ETA: T",
                                      "2/2 [==============================] - T T/step"]]
    assert mask(printed(lambda: model.predict(X, batch_size=2, verbose=2))) == (
        "2/2 - T - T/epoch - T/step\n")


@clause("CALLBACKS.PROGBAR")
def test_one_epoch_has_no_header_and_verbose_0_prints_nothing(backend):
    model = small_model(backend.keras)
    items = bars(printed(lambda: model.fit(X, Y, batch_size=3, shuffle=False)))   # verbose="auto"
    assert [item if isinstance(item, str) else item[-1] for item in items] == [
        "2/2 [==============================] - T T/step - loss: 0.3571 - mae: 0.5216"]
    assert printed(lambda: model.fit(X, Y, epochs=2, verbose=0)) == ""
    assert printed(lambda: model.evaluate(X, Y, verbose=0)) == ""
    assert printed(lambda: model.predict(X, verbose=0)) == ""


@clause("CALLBACKS.PROGBAR")
def test_small_values_use_exponent_notation(backend):
    keras = backend.keras
    zeros = np.zeros((4, 1), "float32")
    model = small_model(keras, init="zeros")
    items = bars(printed(lambda: model.fit(X, zeros, batch_size=2, verbose=1, shuffle=False)))
    assert first_and_last(items) == [[
        "1/2 [==============>...............] - ETA: T - loss: 0.0000e+00 - mae: 0.0000e+00",
        "2/2 [==============================] - T T/step - loss: 0.0000e+00 - mae: 0.0000e+00"]]
    assert mask(printed(lambda: model.fit(X, zeros, batch_size=2, verbose=2, shuffle=False))) == (
        "2/2 - T - loss: 0.0000e+00 - mae: 0.0000e+00 - T/epoch - T/step\n")


@clause("CALLBACKS.PROGBAR")
def test_verbose_2_writes_negative_values_in_exponent_notation(backend):
    keras = backend.keras

    class Negative(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["added"] = -0.5

    model = small_model(keras)
    text = printed(lambda: model.fit(X, Y, batch_size=2, verbose=2, shuffle=False,
                                     callbacks=[Negative()]))
    assert mask(text) == ("2/2 - T - loss: 0.3965 - mae: 0.5748 - added: -5.0000e-01"
                          " - T/epoch - T/step\n")
    items = bars(printed(lambda: model.fit(X, Y, batch_size=2, verbose=1, shuffle=False,
                                           callbacks=[Negative()])))
    assert items[0][-1] == ("2/2 [==============================] - T T/step - loss: 0.3598"
                            " - mae: 0.5448 - added: -0.5000")


@clause("CALLBACKS.PROGBAR")
def test_unknown_step_count_shows_unknown_until_the_first_epoch_ends(backend):
    model = small_model(backend.keras)

    def batches():
        for _ in range(3):
            yield X[:2], Y[:2]

    items = bars(printed(lambda: model.fit(batches(), epochs=1, verbose=1)))
    assert first_and_last(items) == [[
        "      1/Unknown - T T/step - loss: 0.4531 - mae: 0.6250",
        "3/3 [==============================] - T T/step - loss: 0.3259 - mae: 0.5021"]]


@clause("CALLBACKS.PROGBAR")
def test_progbar_text(backend):
    keras = backend.keras

    def run():
        bar = keras.utils.Progbar(3, interval=0, stateful_metrics=["s"])
        bar.update(1, [("a", -0.5), ("b", 1e-4), ("s", 2.0), ("c", 0.0)])
        bar.update(2, [("a", 1.0), ("s", 3.0)])
        bar.update(3, [("a", 2.0)], finalize=True)

    items = bars(printed(run))
    assert items == [[
        ("1/3 [=========>....................] - ETA: T - a: -0.5000 - b: 1.0000e-04 - s: 2.0000"
        " - c: 0.0000e+00"),
        ("2/3 [===================>..........] - ETA: T - a: 0.2500 - b: 1.0000e-04 - s: 3.0000"
        " - c: 0.0000e+00"),
        ("3/3 [==============================] - T T/step - a: 0.8333 - b: 1.0000e-04 - s: 3.0000"
        " - c: 0.0000e+00")]]

    def run_unknown():
        bar = keras.utils.Progbar(None, width=10, interval=0, unit_name="sample")
        bar.update(1, [("a", 1.0)])
        bar.update(5, [("a", 2.0)], finalize=True)

    assert bars(printed(run_unknown)) == [["      1/Unknown - T T/sample - a: 1.0000",
                                           "      5/Unknown - T T/sample - a: 1.8000"]]


# ------------------------------------------------------------------ PIT.HOOK_ORDER
@clause("PIT.HOOK_ORDER")
def test_user_callbacks_come_before_history_and_the_progress_bar(backend):
    keras = backend.keras

    class Show(keras.callbacks.Callback):
        pass

    model = small_model(keras)
    cbs = keras.callbacks.CallbackList([Show()], add_history=True, add_progbar=True, model=model,
                                       verbose=1, epochs=1, steps=2)
    assert [type(c).__name__ for c in cbs.callbacks] == ["Show", "History", "ProgbarLogger"]
    assert model.history is cbs.callbacks[1]
    mine = [keras.callbacks.ProgbarLogger(), Show(), keras.callbacks.History()]
    cbs = keras.callbacks.CallbackList(mine, add_history=True, add_progbar=True)
    assert cbs.callbacks == mine


@clause("PIT.HOOK_ORDER")
def test_keys_added_in_on_epoch_end_reach_history_and_the_bar_but_not_on_train_end(backend):
    keras = backend.keras

    class Add(keras.callbacks.Callback):
        def __init__(self, name):
            super().__init__()
            self.name = name

        def on_epoch_end(self, epoch, logs=None):
            self.history_length = len(self.model.history.history.get("loss", []))
            logs["added_by_" + self.name] = 1.0

        def on_train_end(self, logs=None):
            self.end_keys = list(logs)

    first, second = Add("first"), Add("second")
    model = small_model(keras)
    out = printed(lambda: model.fit(X, Y, batch_size=4, verbose=1, callbacks=[first, second]))
    assert first.history_length == 0 and second.history_length == 0
    assert list(model.history.history) == ["loss", "mae", "added_by_first", "added_by_second"]
    # the epoch's last frame shows them (the bar's layout is CALLBACKS.PROGBAR's rule)
    assert out.rstrip().endswith(" - added_by_first: 1.0000 - added_by_second: 1.0000")
    assert first.end_keys == ["loss", "mae"]
