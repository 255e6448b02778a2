"""Engine tests of CSVLogger, LearningRateScheduler, TerminateOnNaN and LambdaCallback.

conformance/tests/test_callbacks_builtin.py pins the clauses (CALLBACKS.CSV_LOGGER,
CALLBACKS.LR_SCHEDULER, CALLBACKS.TERMINATE_ON_NAN, CALLBACKS.LAMBDA, PIT.LR_IN_LOGS);
these tests pin the rest: the places where refkeras raises and tf_keras goes on (each
test says what tf_keras 2.21 does instead), and values and calls the suite leaves out.
"""
import math
import os

import numpy as np
import pytest

import refkeras as keras
from refkeras.callbacks import (
    CSVLogger,
    LambdaCallback,
    LearningRateScheduler,
    TerminateOnNaN,
)
from refkeras.compat import tf
from tests.callback_models import X, Y, small_model


def fit(callbacks, epochs=1, model=None, **kwargs):
    model = model or small_model()
    return model.fit(X, Y, batch_size=4, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=callbacks, **kwargs)


def script(rows):
    class Script(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs.update(rows[epoch])
    return Script()


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------------ CSVLogger
@pytest.mark.parametrize("separator", ["::", "", 1, None])
def test_csv_separator_must_be_one_character_at_construction(separator, tmp_path):
    # tf_keras: TypeError '"delimiter" must be a 1-character string' at the first epoch end.
    with pytest.raises(TypeError, match="`separator` must be a 1-character string"):
        CSVLogger(str(tmp_path / "log.csv"), separator=separator)


def test_csv_filename_and_append_types_at_construction(tmp_path):
    with pytest.raises(TypeError, match=r"`filename` must be a str or a path-like.*5"):
        CSVLogger(5)                        # tf_keras keeps 5 and fails when opening
    with pytest.raises(TypeError, match=r"`append` must be True or False. Received: append='no'"):
        CSVLogger(str(tmp_path / "log.csv"), append="no")   # tf_keras: truthy, so it appends
    assert CSVLogger(tmp_path / "log.csv").filename == str(tmp_path / "log.csv")


def test_csv_missing_folder_raises_before_training(tmp_path):
    # tf_keras: NotFoundError at the first epoch end, after the epoch has trained.
    model = small_model()
    with pytest.raises(FileNotFoundError):
        fit([CSVLogger(str(tmp_path / "nodir" / "log.csv"))], model=model)
    assert int(model.optimizer.iterations.numpy()) == 0


def test_csv_more_values(tmp_path):
    path = tmp_path / "log.csv"
    values = {"matrix": np.ones((2, 2)), "mapping": {"a": 1}, "pair": (1, 2), "flag": True,
              "zero_d": np.array(2.5), "empty": []}
    fit([script([values]), CSVLogger(str(path))])
    header, row, _ = read(path).split("\r\n")
    assert header.split(",")[:7] == ["epoch", "empty", "flag", "loss", "mapping", "matrix", "pair"]
    fields = row.split(",")
    assert fields[1:3] == ['"""[]"""', "True"]
    assert row.count('"""[a]"""') == 1 and row.count('"""[1, 2]"""') == 1
    assert '"""[[1. 1.], [1. 1.]]"""' in row
    assert fields[fields.index('"""[1') + 2] == "2.5"     # zero_d, after pair's two fields


def test_csv_header_is_decided_from_the_file_at_every_fit(tmp_path):
    # tf_keras keeps the first fit's answer: after the file is deleted, no header.
    path = tmp_path / "log.csv"
    logger = CSVLogger(str(path), append=True)
    fit([logger])
    os.remove(path)
    fit([logger])
    assert read(path).startswith("epoch,loss,val_loss\r\n")


def test_csv_file_is_opened_at_train_begin_and_closed_at_train_end(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("old\n")
    logger = CSVLogger(str(path))
    logger.on_train_begin()
    assert read(path) == ""                  # tf_keras truncates at the first row
    logger.on_train_end()
    assert logger.csv_file.closed and logger.writer is None
    CSVLogger(str(path)).on_train_end()     # never began: nothing to close


# ------------------------------------------------------------------ LearningRateScheduler
def test_a_type_error_inside_the_schedule_comes_out():
    # tf_keras retries schedule(epoch) and reports "missing 1 required positional argument".
    def schedule(epoch, lr):
        raise TypeError("inner")

    with pytest.raises(TypeError, match="^inner$"):
        fit([LearningRateScheduler(schedule)])


def test_a_schedule_with_a_default_rate_gets_the_rate():
    # tf_keras: the TypeError makes it retry schedule(epoch), which silently uses 0.5.
    def schedule(epoch, lr=0.5):
        if lr < 0.4:
            raise TypeError("a bug in the schedule")
        return lr

    with pytest.raises(TypeError, match="a bug in the schedule"):
        fit([LearningRateScheduler(schedule)])


def test_a_callable_without_a_signature_gets_the_retry():
    # float(epoch, lr) raises TypeError, then float(epoch) gives 0.0, 1.0 (as in tf_keras).
    history = fit([LearningRateScheduler(float)], epochs=2)
    assert history.history["lr"] == [np.float32(0.0), np.float32(1.0)]


@pytest.mark.parametrize("result", [-0.1, float("nan"), float("inf")])
def test_a_negative_or_non_finite_rate_raises(result):
    # tf_keras sets it: history lr [-0.1] and [nan].
    model = small_model()
    with pytest.raises(ValueError, match="must be a finite learning rate >= 0"):
        fit([LearningRateScheduler(lambda epoch, lr: result)], model=model)
    assert math.isclose(float(model.optimizer.learning_rate.numpy()), 0.1, rel_tol=1e-6)


def test_an_optimizer_on_a_learning_rate_schedule_raises():
    # tf_keras writes the value; the schedule overwrites it at the next step.
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)
    with pytest.raises(TypeError, match="created with a LearningRateSchedule"):
        fit([LearningRateScheduler(lambda epoch, lr: 0.01)], model=small_model(
            keras.optimizers.SGD(schedule)))


def test_the_schedule_must_be_callable():
    with pytest.raises(TypeError, match=r"`schedule` must be a function.*Received: schedule=0.1"):
        LearningRateScheduler(0.1)


@pytest.mark.parametrize("result", [np.float16(0.05), np.array(0.05)])
def test_results_refused_as_tf_keras_refuses_them(result):
    with pytest.raises(ValueError, match='The output of the "schedule" function should be float'):
        fit([LearningRateScheduler(lambda epoch, lr: result)])


def test_a_variable_result_is_refused():
    variable = keras.optimizers.SGD(0.03).learning_rate
    with pytest.raises(ValueError, match="should be float. Got: "):
        fit([LearningRateScheduler(lambda epoch, lr: variable)])


def test_verbose_message_for_a_tensor_result(capsys):
    capsys.readouterr()
    fit([LearningRateScheduler(lambda epoch, lr: tf.constant(0.05), verbose=1)])
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.05000000074505806.\n")


def test_an_optimizer_without_lr():
    scheduler = LearningRateScheduler(lambda epoch: 0.1)

    class Model:
        optimizer = object()

    scheduler.set_model(Model())
    with pytest.raises(ValueError, match='Optimizer must have a "lr" attribute.'):
        scheduler.on_epoch_begin(0)


def test_epoch_end_without_logs():
    scheduler = LearningRateScheduler(lambda epoch: 0.1)
    scheduler.set_model(small_model())
    scheduler.on_epoch_end(0)               # nothing to write into, nothing raised


# ------------------------------------------------------------------ TerminateOnNaN
def test_a_loss_of_several_values_raises():
    # tf_keras: numpy's "The truth value of an array with more than one element is ambiguous".
    callback = TerminateOnNaN()
    callback.set_model(small_model())
    with pytest.raises(ValueError, match=r"logs\['loss'\] has shape \(2,\)"):
        callback.on_train_batch_end(0, {"loss": np.array([1.0, np.nan])})


def test_a_tensor_loss_is_read(capsys):
    callback = TerminateOnNaN()
    model = small_model()
    callback.set_model(model)
    callback.on_train_batch_end(7, {"loss": tf.constant(np.nan)})
    assert model.stop_training is True
    assert capsys.readouterr().out == "Batch 7: Invalid loss, terminating training\n"


# ------------------------------------------------------------------ LambdaCallback
def test_lambda_unknown_keyword_raises():
    # tf_keras stores it: LambdaCallback(foo=3).foo == 3.
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['foo'\]"):
        LambdaCallback(foo=3)


def test_lambda_hook_must_be_callable():
    # tf_keras: TypeError "'int' object is not callable" when the hook fires.
    with pytest.raises(TypeError, match=r"`on_epoch_end` must be a function. Received: on_epoch_end=5"):
        LambdaCallback(on_epoch_end=5)


def test_lambda_batch_hook_must_name_its_second_parameter_logs():
    # tf_keras: "<lambda>() got an unexpected keyword argument 'logs'" at the first batch.
    with pytest.raises(TypeError, match=r"`on_batch_end` is called as f\(batch, logs=logs\).*"
                                        r"name its second parameter `logs`"):
        LambdaCallback(on_batch_end=lambda batch, l: None)
    # on_train_batch_end is called positionally: any name will do.
    LambdaCallback(on_train_batch_end=lambda batch, l: None)


@pytest.mark.parametrize("name, function", [("on_epoch_end", lambda epoch: None),
                                            ("on_train_begin", lambda: None),
                                            ("on_test_batch_end", lambda batch: None)])
def test_lambda_function_must_take_the_hook_call(name, function):
    # tf_keras: "<lambda>() takes 1 positional argument but 2 were given" when it fires.
    with pytest.raises(TypeError, match=f"`{name}` is called as"):
        LambdaCallback(**{name: function})


def test_lambda_none_and_builtins():
    callback = LambdaCallback(on_test_begin=None, on_train_begin=print)
    assert callback.on_train_begin is print           # no signature to check
    assert not callback._implements_test_batch_hooks()


def test_lambda_train_and_predict_batch_hooks_get_their_logs():
    seen = []
    callback = LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(("train", batch, sorted(logs))),
        on_predict_batch_end=lambda batch, logs: seen.append(("predict", batch,
                                                              logs["outputs"].shape)))
    model = small_model()
    fit([callback], model=model)
    model.predict(X, batch_size=8, verbose=0, callbacks=[callback])
    assert seen == [("train", 0, ["loss"]), ("train", 1, ["loss"]), ("predict", 0, (8, 1))]
