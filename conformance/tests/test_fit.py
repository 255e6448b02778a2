"""fit / evaluate / predict: History, logged names, running averages, predict, list
and dict inputs (FIT.HISTORY, FIT.NAMES, FIT.LOGS.AVERAGE, FIT.PREDICT, FIT.DICT_INPUTS,
PIT.FIT_VS_EVALUATE_LOSS, PIT.REGULARIZATION_IN_VAL_LOSS).

The expected numbers come from the float64 oracles of conformance/oracles/training.py,
computed from weights the tests set; ``oracle.sgd_dense`` replays fit with SGD.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import training as oracle
from conformance.tests.training_models import (
    TwoHeads,
    arrays,
    close,
    frozen,
    linear,
    two_heads_data,
)


def _few(n):
    """At most n examples, fewer if the profile asks for fewer (fit is slow on tf_keras)."""
    return settings(max_examples=min(n, settings.default.max_examples))


def _recorder(keras):
    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.train, self.test, self.predict, self.epochs = [], [], [], []

        def on_train_batch_end(self, batch, logs=None):
            self.train.append((batch, logs["loss"]))

        def on_test_batch_end(self, batch, logs=None):
            self.test.append((batch, logs["loss"]))

        def on_predict_batch_end(self, batch, logs=None):
            self.predict.append(batch)

        def on_epoch_end(self, epoch, logs=None):
            self.epochs.append(dict(logs))

    return Recorder()


def _regression(n=10, seed=11):
    x, y = arrays(seed, (n, 2), (n, 1))
    kernel, bias = arrays(seed + 1, (2, 1), (1,))
    return x, y, kernel, bias


# ---------------------------------------------------------------- FIT.HISTORY

@clause("FIT.HISTORY")
def test_fit_returns_the_models_history(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression()
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=4, epochs=3, validation_data=(x, y), verbose=0)
    assert type(history).__name__ == "History"
    assert history is model.history
    assert history.model is model
    assert list(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    for values in history.history.values():
        assert len(values) == 3 and all(type(v) is float for v in values)
    assert history.epoch == [0, 1, 2]
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 3}


@clause("FIT.HISTORY")
def test_each_fit_returns_a_new_history_of_its_own_epochs(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression()
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    first = model.fit(x, y, epochs=2, verbose=0)
    second = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert first is not second and model.history is second
    assert first.epoch == [0, 1] and len(first.history["loss"]) == 2
    assert second.epoch == [3, 4] and len(second.history["loss"]) == 2
    assert second.params["epochs"] == 5


@clause("FIT.HISTORY")
def test_history_stops_with_stop_training(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression()
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")

    class StopAfterSecond(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    history = model.fit(x, y, epochs=5, callbacks=[StopAfterSecond()], verbose=0)
    assert history.epoch == [0, 1]
    assert len(history.history["loss"]) == 2


@clause("FIT.HISTORY")
def test_zero_epochs_raise(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression()
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    with pytest.raises(ValueError) as info:
        model.fit(x, y, epochs=0, verbose=0)
    assert "Expected epochs to be positive. Received is 0." in str(info.value)


# ---------------------------------------------------------------- FIT.NAMES

@clause("FIT.NAMES")
def test_metrics_names_follow_the_first_step(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression()
    model = linear(keras, kernel, bias)
    assert model.metrics_names == []
    model.compile(optimizer=frozen(keras), loss="mse",
                  metrics=["mae", keras.metrics.MeanSquaredError(name="my_mse")])
    assert model.metrics_names == []
    result = model.evaluate(x, y, verbose=0)
    assert model.metrics_names == ["loss", "mae", "my_mse"]
    p = oracle.dense(x, kernel, bias)
    expected = [np.mean(oracle.squared_errors(y, p)), np.mean(oracle.absolute_errors(y, p)),
                np.mean(oracle.squared_errors(y, p))]
    assert isinstance(result, list) and len(result) == 3
    close(result, expected)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(as_dict) == model.metrics_names
    assert list(as_dict.values()) == result


@clause("FIT.NAMES")
def test_evaluate_returns_a_float_when_there_is_only_the_loss(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression()
    model = linear(keras, kernel, bias)
    model.compile(optimizer=frozen(keras), loss="mse")
    result = model.evaluate(x, y, verbose=0)
    assert type(result) is float
    close(result, np.mean(oracle.squared_errors(y, oracle.dense(x, kernel, bias))))
    assert model.evaluate(x, y, verbose=0, return_dict=True) == {"loss": result}


@clause("FIT.NAMES")
def test_multi_output_names_and_order(backend):
    keras = backend.keras
    heads = TwoHeads(keras)
    x, y, labels = two_heads_data()
    heads.model.compile(optimizer=frozen(keras), loss=["mse", "sparse_categorical_crossentropy"],
                        metrics={"score_output": ["mae"],
                                 "class_output": ["accuracy",
                                                  keras.metrics.SparseCategoricalAccuracy()]})
    result = heads.model.evaluate(x, [y[0], labels], verbose=0)
    assert heads.model.metrics_names == [
        "loss", "score_output_loss", "class_output_loss", "score_output_mae",
        "class_output_accuracy", "class_output_sparse_categorical_accuracy"]
    score, probs = heads.predict(*x)
    accuracy = np.mean(probs.argmax(-1) == labels)
    cce = np.mean(-np.log(probs[np.arange(len(labels)), labels]))
    mse = np.mean(oracle.squared_errors(y[0], score))
    close(result, [mse + cce, mse, cce, np.mean(oracle.absolute_errors(y[0], score)), accuracy,
                   accuracy])


@clause("FIT.NAMES")
def test_unnamed_outputs_use_their_layer_names(backend):
    keras = backend.keras
    inputs = keras.Input((2,))
    model = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])
    model.compile(optimizer=frozen(keras), loss="mse", metrics=["mae"])
    x, y, _, _ = _regression(4)
    logs = model.evaluate(x, [y, y], verbose=0, return_dict=True)
    assert list(logs) == ["loss", "dense_loss", "dense_1_loss", "dense_mae", "dense_1_mae"]


# ---------------------------------------------------------------- FIT.LOGS.AVERAGE

@clause("FIT.LOGS.AVERAGE")
def test_logged_loss_is_the_size_weighted_running_mean_before_each_update(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression(10)
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    recorder = _recorder(keras)
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, callbacks=[recorder],
                        verbose=0)
    losses, k, b = oracle.sgd_dense(x, y, kernel, bias, 0.05, 4, epochs=2)
    sizes = oracle.batch_sizes(10, 4)
    expected = [m for epoch in losses for m in oracle.running_means(epoch, sizes)]
    assert [batch for batch, _ in recorder.train] == [0, 1, 2, 0, 1, 2]
    assert_close(np.float32([v for _, v in recorder.train]), expected, kind="gradient")
    assert_close(np.float32(history.history["loss"]), [expected[2], expected[5]], kind="gradient")
    assert [logs["loss"] for logs in recorder.epochs] == history.history["loss"]
    weights = model.get_weights()
    assert_close(weights[0], k.reshape(2, 1), kind="gradient")
    assert_close(weights[1], [b], kind="gradient")


@clause("FIT.LOGS.AVERAGE")
def test_the_running_mean_is_not_the_mean_of_batch_means(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression(10)
    model = linear(keras, kernel, bias)
    model.compile(optimizer=frozen(keras), loss="mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=4, shuffle=False, verbose=0).history
    p = oracle.dense(x, kernel, bias)
    se, ae = oracle.squared_errors(y, p), oracle.absolute_errors(y, p)
    batch_means = [se[:4].mean(), se[4:8].mean(), se[8:].mean()]
    assert abs(np.mean(batch_means) - se.mean()) > 1e-3       # the data tell them apart
    close(history["loss"][0], se.mean())
    close(history["mae"][0], ae.mean())


@clause("FIT.LOGS.AVERAGE")
def test_evaluate_starts_from_reset_metrics_and_logs_running_means(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression(10)
    model = linear(keras, kernel, bias)
    model.compile(optimizer=frozen(keras), loss="mse")
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    recorder = _recorder(keras)
    se = oracle.squared_errors(y, oracle.dense(x, kernel, bias))
    close(model.evaluate(x[:4], y[:4], verbose=0), se[:4].mean())
    model.evaluate(x, y, batch_size=4, callbacks=[recorder], verbose=0)
    assert [batch for batch, _ in recorder.test] == [0, 1, 2]
    close([v for _, v in recorder.test],
          oracle.running_means([se[:4].mean(), se[4:8].mean(), se[8:].mean()], [4, 4, 2]))


@clause("FIT.LOGS.AVERAGE")
def test_the_epoch_loss_law(backend):
    """For any data and batch size, the logged epoch loss is Σ n_b·loss_b / N over the
    batches of the epoch, each loss taken before its SGD update."""
    keras = backend.keras
    kernel, bias = arrays(21, (2, 1), (1,))
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.02), loss="mse")

    @_few(6)
    @given(n=st.integers(1, 12), batch_size=st.integers(1, 6), seed=st.integers(0, 2**16))
    def law(n, batch_size, seed):
        x, y = arrays(seed, (n, 2), (n, 1))
        model.set_weights([kernel, bias])
        history = model.fit(x, y, batch_size=batch_size, shuffle=False, verbose=0).history
        losses, _, _ = oracle.sgd_dense(x, y, kernel, bias, 0.02, batch_size)
        expected = oracle.running_means(losses[0], oracle.batch_sizes(n, batch_size))[-1]
        assert_close(np.float32(history["loss"][0]), expected, kind="gradient")

    law()


# ---------------------------------------------------------------- FIT.PREDICT

@clause("FIT.PREDICT")
def test_predict_returns_every_samples_output(backend):
    keras = backend.keras
    x = arrays(31, (70, 3))[0]
    kernel, bias = arrays(32, (3, 2), (2,))
    model = linear(keras, kernel, bias)                       # not compiled
    recorder = _recorder(keras)
    result = model.predict(x, verbose=0, callbacks=[recorder])
    assert type(result) is np.ndarray and result.dtype == np.float32 and result.shape == (70, 2)
    assert_close(result, oracle.dense(x, kernel, bias), dtype="float32")
    np.testing.assert_allclose(result, backend.to_numpy(model(x)), rtol=1e-6, atol=1e-6)
    assert recorder.predict == [0, 1, 2]                     # batches of 32, 32, 6
    on_batch = model.predict_on_batch(x[:5])
    assert type(on_batch) is np.ndarray and on_batch.shape == (5, 2)


@clause("FIT.PREDICT")
@pytest.mark.parametrize("kwargs, batches", [({"batch_size": 50}, 2), ({"steps": 2}, 2),
                                             ({"batch_size": 70}, 1)])
def test_predict_batching_does_not_change_the_result(backend, kwargs, batches):
    keras = backend.keras
    x = arrays(31, (70, 3))[0]
    kernel, bias = arrays(32, (3, 2), (2,))
    model = linear(keras, kernel, bias)
    recorder = _recorder(keras)
    result = model.predict(x, verbose=0, callbacks=[recorder], **kwargs)
    assert result.shape == (70, 2)
    assert len(recorder.predict) == batches
    assert_close(result, oracle.dense(x, kernel, bias), dtype="float32")


@clause("FIT.PREDICT")
def test_evaluate_and_predict_do_not_depend_on_the_batch_size(backend):
    keras = backend.keras
    kernel, bias = arrays(41, (3, 1), (1,))
    model = linear(keras, kernel, bias)
    model.compile(optimizer=frozen(keras), loss="mse")
    x, y = arrays(42, (13, 3), (13, 1))
    p = oracle.dense(x, kernel, bias)

    @_few(6)
    @given(batch_size=st.integers(1, 16))
    def law(batch_size):
        assert_close(model.predict(x, batch_size=batch_size, verbose=0), p, dtype="float32")
        close(model.evaluate(x, y, batch_size=batch_size, verbose=0),
              np.mean(oracle.squared_errors(y, p)))

    law()


# ---------------------------------------------------------------- FIT.DICT_INPUTS

@clause("FIT.DICT_INPUTS")
@pytest.mark.parametrize("form", ["tuple", "dict", "reversed_dict"])
def test_lists_and_dicts_of_inputs_and_targets_train_alike(backend, form):
    keras = backend.keras
    x, y, _ = two_heads_data(8)
    results = []
    for which in ("list", form):
        heads = TwoHeads(keras)
        heads.model.compile(optimizer=keras.optimizers.SGD(0.1),
                            loss=["mse", "categorical_crossentropy"])
        if which == "list":
            given_x, given_y = x, y
        elif which == "tuple":
            given_x, given_y = tuple(x), tuple(y)
        elif which == "dict":
            given_x = {"a_in": x[0], "b_in": x[1]}
            given_y = {"score_output": y[0], "class_output": y[1]}
        else:
            given_x = {"b_in": x[1], "a_in": x[0]}
            given_y = {"class_output": y[1], "score_output": y[0]}
        history = heads.model.fit(given_x, given_y, batch_size=4, epochs=2, shuffle=False,
                                  verbose=0).history
        results.append((history, heads.model.get_weights()))
    assert results[0][0] == results[1][0]
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_array_equal(a, b)


@clause("FIT.DICT_INPUTS")
def test_an_extra_input_key_only_warns(backend):
    keras = backend.keras
    heads = TwoHeads(keras)
    heads.model.compile(optimizer=frozen(keras), loss=["mse", "categorical_crossentropy"])
    x, y, _ = two_heads_data(8)
    with pytest.warns(UserWarning) as record:
        logs = heads.model.evaluate({"a_in": x[0], "b_in": x[1], "extra": x[0]}, y, verbose=0)
    assert any("Input dict contained keys ['extra'] which did not match any model input. They "
               "will be ignored by the model." in str(w.message) for w in record)
    score, probs = heads.predict(*x)
    close(logs[0], np.mean(oracle.squared_errors(y[0], score))
          + np.mean(oracle.crossentropy(y[1], probs)))


# ---------------------------------------------------------------- PIT.FIT_VS_EVALUATE_LOSS

@clause("PIT.FIT_VS_EVALUATE_LOSS")
def test_with_no_learning_and_no_dropout_fit_loss_equals_evaluate(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression(10)
    model = linear(keras, kernel, bias)
    model.compile(optimizer=frozen(keras), loss="mse")
    fit_loss = model.fit(x, y, batch_size=4, verbose=0).history["loss"][0]
    close(fit_loss, model.evaluate(x, y, batch_size=4, verbose=0))


@clause("PIT.FIT_VS_EVALUATE_LOSS")
def test_fit_loss_is_taken_before_the_updates(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression(10)
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    fit_loss = model.fit(x, y, batch_size=4, shuffle=False, verbose=0).history["loss"][0]
    evaluated = model.evaluate(x, y, verbose=0)
    losses, k, b = oracle.sgd_dense(x, y, kernel, bias, 0.05, 4)
    after = np.mean(oracle.squared_errors(y, x.astype(np.float64) @ k[:, None] + b))
    assert_close(np.float32(fit_loss), oracle.running_means(losses[0], [4, 4, 2])[-1],
                 kind="gradient")
    assert_close(np.float32(evaluated), after, kind="gradient")
    assert abs(fit_loss - evaluated) > 1e-3


@clause("PIT.FIT_VS_EVALUATE_LOSS")
def test_fit_runs_dropout_and_evaluate_does_not(backend):
    keras = backend.keras
    x, y, kernel, bias = _regression(32)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dropout(0.5),
                              keras.layers.Dense(1)])
    model.set_weights([kernel, bias])
    model.compile(optimizer=frozen(keras), loss="mse")
    fit_loss = model.fit(x, y, batch_size=32, verbose=0).history["loss"][0]
    evaluated = model.evaluate(x, y, verbose=0)
    close(evaluated, np.mean(oracle.squared_errors(y, oracle.dense(x, kernel, bias))))
    assert abs(fit_loss - evaluated) > 1e-3


# ---------------------------------------------------------------- PIT.REGULARIZATION_IN_VAL_LOSS

@clause("PIT.REGULARIZATION_IN_VAL_LOSS")
def test_regularizers_are_in_loss_val_loss_and_evaluate_but_not_in_metrics(backend):
    keras = backend.keras
    x = np.array([[1.0], [2.0], [-1.0], [3.0]], np.float32)
    y = np.zeros((4, 1), np.float32)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(
        1, kernel_regularizer=keras.regularizers.l2(0.5),
        activity_regularizer=keras.regularizers.l1(0.25))])
    model.set_weights([np.ones((1, 1), np.float32), np.zeros(1, np.float32)])
    model.compile(optimizer=frozen(keras), loss="mse", metrics=["mse"])
    history = model.fit(x, y, batch_size=2, shuffle=False, validation_data=(x, y),
                        verbose=0).history
    # per batch: mse + l2 0.5·k² + activity 0.25·Σ|out| / batch size
    batches = [x[:2, 0], x[2:, 0]]
    totals = [np.mean(b ** 2) + 0.5 + 0.25 * np.sum(np.abs(b)) / 2 for b in batches]
    expected = np.mean(totals)
    close(history["loss"][0], expected)
    close(history["val_loss"][0], expected)
    close(model.evaluate(x, y, batch_size=2, verbose=0)[0], expected)
    close(history["mse"][0], np.mean(x ** 2))
    close(history["val_mse"][0], np.mean(x ** 2))
