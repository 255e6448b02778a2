"""Built-in callbacks: CSVLogger, LearningRateScheduler, TerminateOnNaN, LambdaCallback.

Clauses: CALLBACKS.CSV_LOGGER, CALLBACKS.LR_SCHEDULER, CALLBACKS.TERMINATE_ON_NAN,
CALLBACKS.LAMBDA, PIT.LR_IN_LOGS.

Seeds: 000 "### 内置 callback" (``CSVLogger``), 004 (``keras.callbacks.LearningRateScheduler
(lr_schedule)``), 003 "### 7.3.3 编写自己的回调函数" (on_epoch_begin / on_batch_end ...).
Every expected value, message and file byte was measured on tf_keras 2.21. Values that
hang on training arithmetic are taken from the run's own History; values a test wants
to pin exactly are written into the epoch logs by a ``Script`` callback placed before
the callback under test (PIT.HOOK_ORDER). Every file goes to pytest's tmp_path.
"""
import numpy as np
import pytest

from conformance import clause
from conformance.tests.training_models import logs_script

X = np.arange(16, dtype="float32").reshape(8, 2) / 16
Y = np.ones((8, 1), dtype="float32")
LR = float(np.float32(0.1))          # what a schedule is handed for SGD(0.1)


def small_model(keras, learning_rate=0.1, metrics=("mae",)):
    """Dense(1) on 2 features, kernel of ones, SGD, mse."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(learning_rate), "mse", metrics=list(metrics))
    return model


def fit(keras, callbacks, epochs=2, model=None, x=X, y=Y, batch_size=4, **kwargs):
    model = model or small_model(keras)
    return model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=callbacks, **kwargs)




def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return f.read()


def rows(history, keys, epochs, sep=","):
    """The CSV rows tf_keras writes for these History values (``str`` of each value)."""
    out = []
    for i, epoch in enumerate(epochs):
        values = [str(history.history[k][i]) if k in history.history else "NA" for k in keys]
        out.append(sep.join([str(epoch), *values]) + "\r\n")
    return out


# ------------------------------------------------------------------ CALLBACKS.CSV_LOGGER
@clause("CALLBACKS.CSV_LOGGER")
def test_csv_header_and_rows_with_validation(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    history = fit(keras, [keras.callbacks.CSVLogger(str(path))], validation_data=(X, Y))
    keys = ["loss", "mae", "val_loss", "val_mae"]
    assert read(path) == "".join(["epoch,loss,mae,val_loss,val_mae\r\n",
                                  *rows(history, keys, [0, 1])])


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_without_validation_adds_val_columns_of_NA_and_uses_the_separator(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    history = fit(keras, [keras.callbacks.CSVLogger(str(path), separator=";")])
    text = read(path)
    assert text.startswith("epoch;loss;mae;val_loss;val_mae\r\n")
    assert text == "".join(["epoch;loss;mae;val_loss;val_mae\r\n",
                            *rows(history, ["loss", "mae", "val_loss", "val_mae"], [0, 1], ";")])
    assert text.splitlines()[1].endswith(";NA;NA")


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_defaults(backend, tmp_path):
    logger = backend.keras.callbacks.CSVLogger(str(tmp_path / "log.csv"))
    assert (logger.sep, logger.append, logger.filename) == (",", False, str(tmp_path / "log.csv"))


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_columns_are_frozen_at_the_first_epoch(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    model = small_model(keras, metrics=())
    history = fit(keras, [logs_script(keras, [{"a": 1.0}, {"b": 2.0}, {}]),
                          keras.callbacks.CSVLogger(str(path))], epochs=3, model=model)
    loss = [str(v) for v in history.history["loss"]]
    assert read(path) == ("epoch,a,loss,val_a,val_loss\r\n"
                          f"0,1.0,{loss[0]},NA,NA\r\n"
                          f"1,NA,{loss[1]},NA,NA\r\n"          # "b" came too late
                          f"2,NA,{loss[2]},NA,NA\r\n")


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_validation_freq_keeps_the_val_columns(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    model = small_model(keras, metrics=())
    history = fit(keras, [keras.callbacks.CSVLogger(str(path))], epochs=3, model=model,
                  validation_data=(X, Y), validation_freq=2)
    loss, val = history.history["loss"], history.history["val_loss"]
    assert read(path) == ("epoch,loss,val_loss\r\n"
                          f"0,{loss[0]},NA\r\n1,{loss[1]},{val[0]}\r\n2,{loss[2]},NA\r\n")


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_nan_inf_and_non_scalar_values(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    values = {"nan": float("nan"), "inf": float("inf"), "ninf": -np.inf, "lst": [1.5, 2],
              "arr": np.array([0.5, 1.0], "float32"), "text": "a,b", "quote": 'he"y',
              "none": None, "count": 3, "f32": np.float32(0.1)}
    model = small_model(keras, metrics=())
    history = fit(keras, [logs_script(keras, [values]), keras.callbacks.CSVLogger(str(path))],
                  epochs=1, model=model)
    header, row, end = read(path).split("\r\n")
    assert end == ""
    assert header == ("epoch,arr,count,f32,inf,loss,lst,nan,ninf,none,quote,text,val_arr,"
                      "val_count,val_f32,val_inf,val_loss,val_lst,val_nan,val_ninf,val_none,"
                      "val_quote,val_text")
    loss = history.history["loss"][0]
    assert row == (f'0,"""[0.5, 1.0]""",3,0.1,inf,{loss},"""[1.5, 2]""",nan,-inf,,"he""y","a,b",'
                   + ",".join(["NA"] * 11))


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_append_writes_the_header_only_into_an_empty_file(backend, tmp_path):
    keras = backend.keras
    model = small_model(keras, metrics=())
    existing, empty, missing = tmp_path / "existing.csv", tmp_path / "empty.csv", tmp_path / "new.csv"
    existing.write_text("old line\n")
    empty.write_text("")
    for path in (existing, empty, missing):
        history = fit(keras, [keras.callbacks.CSVLogger(str(path), append=True)], epochs=1,
                      model=model)
        row = f"0,{history.history['loss'][0]},NA\r\n"
        header = "" if path is existing else "epoch,loss,val_loss\r\n"
        before = "old line\n" if path is existing else ""
        assert read(path) == before + header + row, path.name


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_without_append_overwrites_the_file(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    path.write_text("old line\n")
    history = fit(keras, [keras.callbacks.CSVLogger(str(path))], epochs=1,
                  model=small_model(keras, metrics=()))
    assert read(path) == f"epoch,loss,val_loss\r\n0,{history.history['loss'][0]},NA\r\n"


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_reused_logger_keeps_its_columns_and_appends_with_initial_epoch(backend, tmp_path):
    keras = backend.keras
    model = small_model(keras, metrics=())
    path = tmp_path / "log.csv"
    logger = keras.callbacks.CSVLogger(str(path))
    fit(keras, [logger], epochs=1, model=model)
    second = fit(keras, [logger], epochs=1, model=model, validation_data=(X, Y))
    # The second fit rewrites the file, with the first fit's columns.
    assert read(path) == ("epoch,loss,val_loss\r\n"
                          f"0,{second.history['loss'][0]},{second.history['val_loss'][0]}\r\n")
    path = tmp_path / "appended.csv"
    logger = keras.callbacks.CSVLogger(str(path), append=True)
    first = fit(keras, [logger], epochs=1, model=model)
    second = fit(keras, [logger], epochs=3, initial_epoch=1, model=model)
    assert read(path) == "".join(["epoch,loss,val_loss\r\n", *rows(first, ["loss", "val_loss"], [0]),
                                  *rows(second, ["loss", "val_loss"], [1, 2])])


@clause("CALLBACKS.CSV_LOGGER")
def test_csv_rows_are_on_disk_at_each_epoch_end(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    seen = []
    peek = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(read(path)))
    fit(keras, [keras.callbacks.CSVLogger(str(path)), peek], model=small_model(keras, metrics=()))
    assert [text.count("\r\n") for text in seen] == [2, 3]


# ------------------------------------------------------------------ CALLBACKS.LR_SCHEDULER
@clause("CALLBACKS.LR_SCHEDULER")
def test_schedule_gets_the_epoch_and_the_current_rate_as_a_python_float(backend):
    keras = backend.keras
    calls = []

    def schedule(epoch, lr):
        calls.append((epoch, lr, type(lr)))
        return lr if epoch == 0 else 0.1 / (epoch + 1)

    model = small_model(keras)
    fit(keras, [keras.callbacks.LearningRateScheduler(schedule)], epochs=3, model=model)
    assert calls == [(0, LR, float), (1, LR, float), (2, float(np.float32(0.05)), float)]
    assert float(backend.to_numpy(model.optimizer.learning_rate)) == float(np.float32(0.1 / 3))


@clause("CALLBACKS.LR_SCHEDULER")
def test_a_schedule_of_the_epoch_alone(backend):
    keras = backend.keras
    calls = []
    history = fit(keras, [keras.callbacks.LearningRateScheduler(
        lambda epoch: calls.append(epoch) or 0.05 * (epoch + 1))], epochs=2)
    assert calls == [0, 1]
    assert history.history["lr"] == [np.float32(0.05), np.float32(0.1)]


@clause("CALLBACKS.LR_SCHEDULER")
def test_schedule_defaults_and_epochs_count_from_initial_epoch(backend):
    keras = backend.keras
    calls = []
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: calls.append(epoch) or lr)
    assert scheduler.verbose == 0
    fit(keras, [scheduler], epochs=3, initial_epoch=1)
    assert calls == [1, 2]


@clause("CALLBACKS.LR_SCHEDULER")
def test_verbose_message(backend, capsys):
    keras = backend.keras
    rates = [LR, 0.05, np.float32(0.05)]
    capsys.readouterr()
    fit(keras, [keras.callbacks.LearningRateScheduler(lambda epoch, lr: rates[epoch], verbose=1)],
        epochs=3)
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.10000000149011612.\n"
        "\nEpoch 2: LearningRateScheduler setting learning rate to 0.05.\n"
        # An f-string shows a np.float32 as the float64 it widens to.
        "\nEpoch 3: LearningRateScheduler setting learning rate to 0.05000000074505806.\n")


@clause("CALLBACKS.LR_SCHEDULER")
@pytest.mark.parametrize("result", [1, True, "0.1", np.array(0.05), np.float16(0.05)],
                         ids=["int", "bool", "str", "0d-array", "float16"])
def test_a_result_that_is_not_a_float_raises(backend, result):
    keras = backend.keras
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: result)
    with pytest.raises(ValueError) as error:
        fit(keras, [scheduler], epochs=1)
    assert str(error.value) == f'The output of the "schedule" function should be float. Got: {result}'


@clause("CALLBACKS.LR_SCHEDULER")
def test_float_results_of_every_accepted_type(backend):
    keras, tf = backend.keras, backend.tf
    for result in (0.05, np.float32(0.05), np.float64(0.05), tf.constant(0.05)):
        model = small_model(keras)
        history = fit(keras, [keras.callbacks.LearningRateScheduler(lambda e, lr, r=result: r)],
                      epochs=1, model=model)
        assert history.history["lr"] == [np.float32(0.05)], type(result)


@clause("CALLBACKS.LR_SCHEDULER")
def test_an_integer_tensor_result_raises(backend):
    keras, tf = backend.keras, backend.tf
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: tf.constant(1))
    with pytest.raises(ValueError, match=r"^The dtype of `lr` Tensor should be float. "
                                         r"Got: <dtype: 'int32'>$"):
        fit(keras, [scheduler], epochs=1)


@clause("CALLBACKS.LR_SCHEDULER")
def test_the_new_rate_is_used_from_the_next_update_on(backend):
    keras = backend.keras
    kernels = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: kernels.append(model.get_weights()[0].copy()))
    model = small_model(keras)
    # Epoch 0 at rate 0 leaves the weights alone; epoch 1 (two batches) runs at 0.1.
    fit(keras, [keras.callbacks.LearningRateScheduler(lambda epoch: [0.0, 0.1][epoch]), record],
        model=model)
    reference = small_model(keras)
    fit(keras, [], epochs=1, model=reference)
    np.testing.assert_array_equal(kernels[0], np.ones((2, 1), "float32"))
    np.testing.assert_array_equal(kernels[1], reference.get_weights()[0])


# ------------------------------------------------------------------ PIT.LR_IN_LOGS
@clause("PIT.LR_IN_LOGS")
def test_history_records_lr_as_float32(backend):
    keras = backend.keras
    history = fit(keras, [keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr / 2)])
    assert history.history["lr"] == [np.float32(0.05), np.float32(0.025)]
    assert all(type(v) is np.float32 for v in history.history["lr"])
    assert list(history.history) == ["loss", "mae", "lr"]


@clause("PIT.LR_IN_LOGS")
def test_only_callbacks_after_the_scheduler_see_lr(backend, tmp_path):
    keras = backend.keras
    seen = []

    def peek(name):
        return keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: seen.append((name, "lr" in logs)))

    before, after = tmp_path / "before.csv", tmp_path / "after.csv"
    history = fit(keras, [peek("before"), keras.callbacks.CSVLogger(str(before)),
                          keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.05),
                          keras.callbacks.CSVLogger(str(after)), peek("after")], epochs=1)
    assert seen == [("before", False), ("after", True)]
    assert read(before).startswith("epoch,loss,mae,val_loss,val_mae\r\n")
    # Without validation every key gets its val_ twin, lr too.
    keys = ["loss", "lr", "mae", "val_loss", "val_lr", "val_mae"]
    assert read(after) == "".join(["epoch," + ",".join(keys) + "\r\n", *rows(history, keys, [0])])
    assert read(after).split("\r\n")[1].split(",")[2:6:3] == ["0.05", "NA"]


@clause("PIT.LR_IN_LOGS")
def test_with_validation_lr_gets_no_val_column(backend, tmp_path):
    keras = backend.keras
    path = tmp_path / "log.csv"
    history = fit(keras, [keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.05),
                          keras.callbacks.CSVLogger(str(path))], epochs=1, validation_data=(X, Y))
    keys = ["loss", "lr", "mae", "val_loss", "val_mae"]
    assert read(path) == "".join(["epoch," + ",".join(keys) + "\r\n", *rows(history, keys, [0])])


# ------------------------------------------------------------------ CALLBACKS.TERMINATE_ON_NAN
@clause("CALLBACKS.TERMINATE_ON_NAN")
def test_a_nan_loss_stops_fit_after_that_batch(backend, capsys):
    keras = backend.keras
    x = X.copy()
    x[5, 0] = np.nan                               # batch 2 of size 2
    model = small_model(keras)
    losses = []
    record = keras.callbacks.LambdaCallback(
        on_batch_end=lambda batch, logs: losses.append((batch, logs["loss"])))
    capsys.readouterr()
    history = fit(keras, [keras.callbacks.TerminateOnNaN(), record], epochs=3, model=model,
                  x=x, batch_size=2)
    assert capsys.readouterr().out == "Batch 2: Invalid loss, terminating training\n"
    assert history.epoch == [0]
    assert [batch for batch, _ in losses] == [0, 1, 2]
    assert np.isnan(losses[2][1]) and not np.isnan(losses[1][1])
    assert int(backend.to_numpy(model.optimizer.iterations)) == 3
    assert sorted(history.history) == ["loss", "mae"]
    assert np.isnan(history.history["loss"][0])


@clause("CALLBACKS.TERMINATE_ON_NAN")
def test_an_infinite_loss_stops_fit_and_validation_still_runs(backend, capsys):
    keras = backend.keras
    y = Y.copy()
    y[2, 0] = np.inf                               # batch 1 of size 2
    capsys.readouterr()
    history = fit(keras, [keras.callbacks.TerminateOnNaN()], epochs=2, y=y, batch_size=2,
                  validation_data=(X, Y))
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"
    assert history.epoch == [0]
    assert history.history["loss"] == [np.inf]
    assert sorted(history.history) == ["loss", "mae", "val_loss", "val_mae"]


@clause("CALLBACKS.TERMINATE_ON_NAN")
def test_the_batch_hook_reads_loss_only(backend, capsys):
    keras = backend.keras

    class Model:
        stop_training = False

    callback = keras.callbacks.TerminateOnNaN()
    callback.set_model(Model())
    callback.on_train_batch_end(0, {})
    callback.on_train_batch_end(1, {"loss": 0.5, "mae": float("nan")})
    assert callback.model.stop_training is False
    callback.on_train_batch_end(4, {"loss": -np.inf})
    assert callback.model.stop_training is True
    assert capsys.readouterr().out == "Batch 4: Invalid loss, terminating training\n"


@clause("CALLBACKS.TERMINATE_ON_NAN")
def test_evaluate_is_not_checked(backend, capsys):
    keras = backend.keras
    x = X.copy()
    x[0, 0] = np.nan
    capsys.readouterr()
    loss, _ = small_model(keras).evaluate(x, Y, batch_size=2, verbose=0,
                                          callbacks=[keras.callbacks.TerminateOnNaN()])
    assert np.isnan(loss)
    assert capsys.readouterr().out == ""


# ------------------------------------------------------------------ CALLBACKS.LAMBDA
def recorder(keras, events):
    return keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: events.append(("eb", epoch)),
        on_epoch_end=lambda epoch, logs: events.append(("ee", epoch, sorted(logs))),
        on_batch_begin=lambda batch, logs: events.append(("bb", batch)),
        on_batch_end=lambda batch, logs: events.append(("be", batch)),
        on_train_begin=lambda logs: events.append("tb"),
        on_train_end=lambda logs: events.append(("te", sorted(logs))))


@clause("CALLBACKS.LAMBDA")
def test_lambda_hooks_fire_in_fit_and_batches_are_training_batches(backend):
    keras = backend.keras
    events = []
    fit(keras, [recorder(keras, events)], epochs=1, validation_data=(X, Y))
    logs = ["loss", "mae", "val_loss", "val_mae"]
    assert events == ["tb", ("eb", 0), ("bb", 0), ("be", 0), ("bb", 1), ("be", 1),
                      ("ee", 0, logs), ("te", logs)]


@clause("CALLBACKS.LAMBDA")
def test_lambda_batch_hooks_do_not_fire_in_evaluate_or_predict(backend):
    keras = backend.keras
    events = []
    callback = recorder(keras, events)
    model = small_model(keras)
    model.evaluate(X, Y, batch_size=4, verbose=0, callbacks=[callback])
    model.predict(X, batch_size=4, verbose=0, callbacks=[callback])
    assert events == []


@clause("CALLBACKS.LAMBDA")
def test_lambda_positional_arguments_in_order(backend):
    keras = backend.keras
    functions = [lambda *args, **kwargs: None for _ in range(6)]
    callback = keras.callbacks.LambdaCallback(*functions)
    names = ["on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
             "on_train_begin", "on_train_end"]
    assert [getattr(callback, name) for name in names] == functions


@clause("CALLBACKS.LAMBDA")
def test_lambda_other_hooks_by_keyword(backend):
    keras = backend.keras
    events = []
    callback = keras.callbacks.LambdaCallback(
        on_test_begin=lambda logs: events.append(("test_begin", logs)),
        on_test_batch_end=lambda batch, logs: events.append(("test_batch_end", batch, sorted(logs))),
        on_train_batch_begin=lambda batch, logs: events.append(("train_batch_begin", batch)),
        on_batch_begin=lambda batch, logs: events.append("never: on_train_batch_begin replaced it"),
        on_predict_end=lambda logs: events.append(("predict_end", logs)))
    assert callback._implements_train_batch_hooks() and callback._implements_test_batch_hooks()
    assert not callback._implements_predict_batch_hooks()
    model = small_model(keras)
    fit(keras, [callback], epochs=1, model=model, validation_data=(X, Y))
    model.predict(X, verbose=0, callbacks=[callback])
    assert events == [("train_batch_begin", 0), ("train_batch_begin", 1), ("test_begin", {}),
                      ("test_batch_end", 0, ["loss", "mae"]),
                      ("test_batch_end", 1, ["loss", "mae"]), ("predict_end", {})]


@clause("CALLBACKS.LAMBDA")
def test_a_lambda_can_stop_training(backend):
    keras = backend.keras
    model = small_model(keras)

    def stop(epoch, logs):
        model.stop_training = epoch == 1

    history = fit(keras, [keras.callbacks.LambdaCallback(on_epoch_end=stop)], epochs=5, model=model)
    assert history.epoch == [0, 1]
