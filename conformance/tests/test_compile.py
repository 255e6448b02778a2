"""compile(): strings, "accuracy", losses and metrics per output, loss_weights, None
losses, add_loss-only models and custom losses and metrics (COMPILE.*, PIT.ACCURACY_STRING).

Every number is checked against a float64 numpy oracle computed from weights the test
set (training_models.py); SGD(learning_rate=0) keeps them fixed where fit runs.
"""
import re

import numpy as np
import pytest

from conformance import clause
from conformance.oracles import training as oracle
from conformance.tests.training_models import (
    TwoHeads,
    arrays,
    assert_unchanged,
    close,
    frozen,
    identity,
    linear,
    one_hot,
    snapshot,
    two_heads_data,
)


def _evaluate(model, x, y, **kw):
    return model.evaluate(x, y, verbose=0, return_dict=True, **kw)


def _mse_setup(keras):
    x, y = arrays(3, (6, 2), (6, 1))
    kernel, bias = arrays(4, (2, 1), (1,))
    return linear(keras, kernel, bias), x, y, oracle.dense(x, kernel, bias)


# ---------------------------------------------------------------- COMPILE.STRINGS

OPTIMIZER_DEFAULTS = {
    "RMSprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-07,
                "centered": False},
    "Adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
             "amsgrad": False},
    "SGD": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
}


@clause("COMPILE.STRINGS")
@pytest.mark.parametrize("string, cls", [("rmsprop", "RMSprop"), ("RMSprop", "RMSprop"),
                                         ("adam", "Adam"), ("ADAM", "Adam"), ("sgd", "SGD"),
                                         ("SGD", "SGD")])
def test_optimizer_strings_give_the_class_defaults(backend, string, cls):
    model = identity(backend.keras, 2)
    model.compile(optimizer=string, loss="mse")
    assert type(model.optimizer).__name__ == cls
    config = model.optimizer.get_config()
    for key, value in OPTIMIZER_DEFAULTS[cls].items():
        assert config[key] == pytest.approx(value, rel=1e-6), key


@clause("COMPILE.STRINGS")
def test_compile_without_an_optimizer_uses_rmsprop(backend):
    model = identity(backend.keras, 2)
    model.compile(loss="mse")
    assert type(model.optimizer).__name__ == "RMSprop"
    assert model.optimizer.get_config()["learning_rate"] == pytest.approx(0.001)


@clause("COMPILE.STRINGS")
def test_an_optimizer_string_trains_like_its_default_object(backend):
    keras = backend.keras
    x, y = arrays(5, (8, 2), (8, 1))
    kernel = arrays(6, (2, 1))[0]
    results = []
    for optimizer in ("rmsprop", keras.optimizers.RMSprop(0.001, 0.9, 0.0, 1e-7)):
        model = linear(keras, kernel)
        model.compile(optimizer=optimizer, loss="mse")
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        results.append(model.get_weights())
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(results[0][0], kernel), "two RMSprop steps must move the kernel"


@clause("COMPILE.STRINGS")
@pytest.mark.parametrize("string, cls", [("mse", "MeanSquaredError"),
                                         ("mean_squared_error", "MeanSquaredError"),
                                         ("mae", "MeanAbsoluteError"),
                                         ("categorical_crossentropy", "CategoricalCrossentropy")])
def test_loss_strings_equal_their_classes(backend, string, cls):
    keras = backend.keras
    x = arrays(7, (6, 3))[0]
    y = one_hot([0, 1, 2, 2, 1, 0], 3)
    values = []
    for loss in (string, getattr(keras.losses, cls)()):
        model = identity(keras, 3, activation="softmax")
        model.compile(optimizer=frozen(keras), loss=loss)
        values.append(_evaluate(model, x, y)["loss"])
    per_sample = {"MeanSquaredError": oracle.squared_errors,
                  "MeanAbsoluteError": oracle.absolute_errors,
                  "CategoricalCrossentropy": oracle.crossentropy}[cls]
    expected = np.mean(per_sample(y, oracle.softmax(x.astype(np.float64))))
    assert values[0] == values[1]
    close(values[0], expected)


@clause("COMPILE.STRINGS")
def test_metric_strings_are_logged_under_the_string_given(backend):
    keras = backend.keras
    model, x, y, p = _mse_setup(keras)
    model.compile(optimizer=frozen(keras), loss="mse",
                  metrics=["mse", "mae", "MeanSquaredError", "RootMeanSquaredError"])
    logs = _evaluate(model, x, y)
    assert list(logs) == ["loss", "mse", "mae", "mean_squared_error", "root_mean_squared_error"]
    mse = np.mean(oracle.squared_errors(y, p))
    for key, expected in [("loss", mse), ("mse", mse), ("mean_squared_error", mse),
                          ("mae", np.mean(oracle.absolute_errors(y, p))),
                          ("root_mean_squared_error", np.sqrt(mse))]:
        close(logs[key], expected, message=key)


@clause("COMPILE.STRINGS")
def test_an_unknown_optimizer_string_raises_at_compile(backend):
    model = identity(backend.keras, 2)
    with pytest.raises(ValueError) as info:
        model.compile(optimizer="foo", loss="mse")
    assert str(info.value).startswith("Unknown optimizer: 'foo'. Please ensure you are using a "
                                      "`keras.utils.custom_object_scope`")


@clause("COMPILE.STRINGS")
def test_an_unknown_loss_string_raises_at_the_first_fit_and_changes_nothing(backend):
    keras = backend.keras
    model, x, y, _ = _mse_setup(keras)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="foo")
    before = snapshot(backend, model)
    with pytest.raises(ValueError) as info:
        model.fit(x, y, verbose=0)
    assert "Unknown loss function: 'foo'. " in str(info.value)    # the rest: LOSS.STRINGS
    assert_unchanged(backend, model, before)


@clause("COMPILE.STRINGS")
def test_two_metrics_with_one_name_raise_at_fit(backend):
    keras = backend.keras
    model, x, y, _ = _mse_setup(keras)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse",
                  metrics=[keras.metrics.MeanSquaredError(), "MeanSquaredError"])
    before = snapshot(backend, model)
    with pytest.raises(ValueError) as info:
        model.fit(x, y, verbose=0)
    assert ("Found two metrics with the same name: mean_squared_error. All the metrics added to "
            "the model need to have unique names.") in str(info.value)
    assert_unchanged(backend, model, before)


# ---------------------------------------------------------------- COMPILE.ACCURACY

def _accuracy_case(kind):
    """(predictions, targets, loss, expected accuracy, which accuracy) for one shape case."""
    p1 = np.array([[0.3], [-0.2], [0.7], [-1.0], [0.9], [0.6]], np.float32)
    p3 = np.array([[2, 1, 0], [0, 1, 2], [1, 3, 0], [0, 0, 1], [5, 1, 2], [0, 2, 1]], np.float32)
    labels = np.array([0, 1, 1, 0, 2, 1])
    if kind == "binary":
        y = np.array([[1], [1], [1], [0], [0], [1]], np.float32)
        return p1, y, "mse", np.mean(y == (p1 > 0.5))
    if kind == "sparse":
        return p3, labels.astype(np.float32), "sparse_categorical_crossentropy", np.mean(
            p3.argmax(-1) == labels)
    if kind == "sparse_column":
        return p3, labels[:, None].astype(np.float32), "mse", np.mean(p3.argmax(-1) == labels)
    if kind == "categorical":
        return p3, one_hot(labels, 3), "mse", np.mean(p3.argmax(-1) == labels)
    # multi-hot targets against 4 units: categorical (argmax), not binary, accuracy
    p4 = np.array([[0.9, 0.8, 0.1, 0.2], [0.2, 0.1, 0.7, 0.6], [0.6, 0.1, 0.2, 0.9]], np.float32)
    y4 = np.array([[0, 1, 0, 1], [0, 0, 1, 1], [1, 0, 1, 0]], np.float32)
    return p4, y4, "binary_crossentropy", np.mean(p4.argmax(-1) == y4.argmax(-1))


@clause("COMPILE.ACCURACY")
@pytest.mark.parametrize("kind", ["binary", "sparse", "sparse_column", "categorical", "multi_hot"])
@pytest.mark.parametrize("string", ["accuracy", "acc", "Accuracy"])
def test_accuracy_is_resolved_from_the_shapes(backend, kind, string):
    keras = backend.keras
    p, y, loss, expected = _accuracy_case(kind)
    model = identity(keras, p.shape[1])
    model.compile(optimizer=frozen(keras), loss=loss, metrics=[string])
    logs = _evaluate(model, p, y)
    assert list(logs) == ["loss", string]
    close(logs[string], expected)


@clause("COMPILE.ACCURACY")
def test_multi_hot_accuracy_is_not_binary_accuracy(backend):
    p, y, _, expected = _accuracy_case("multi_hot")
    assert expected != np.mean((p > 0.5) == (y > 0.5))   # the case tells the two apart


@clause("COMPILE.ACCURACY")
def test_accuracy_is_resolved_per_output(backend):
    keras = backend.keras
    heads = TwoHeads(keras)
    x, y, labels = two_heads_data()
    model = heads.model
    model.compile(optimizer=frozen(keras), loss=["mse", "sparse_categorical_crossentropy"],
                  metrics=["acc"])
    binary = (y[0] > 0).astype(np.float32)
    logs = _evaluate(model, x, [binary, labels.astype(np.float32)])
    assert list(logs) == ["loss", "score_output_loss", "class_output_loss", "score_output_acc",
                          "class_output_acc"]
    score, probs = heads.predict(*x)
    # binary accuracy compares the target itself with the thresholded prediction
    close(logs["score_output_acc"], np.mean(binary == (score > 0.5)))
    close(logs["class_output_acc"], np.mean(probs.argmax(-1) == labels))


# ---------------------------------------------------------------- PIT.ACCURACY_STRING

@clause("PIT.ACCURACY_STRING")
def test_accuracy_thresholds_logits_at_one_half(backend):
    keras = backend.keras
    logits = np.array([[0.3], [-0.2], [0.7], [-1.0]], np.float32)
    y = np.array([[1], [1], [1], [0]], np.float32)
    model = identity(keras, 1)
    model.compile(optimizer=frozen(keras), loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    assert _evaluate(model, logits, y)["accuracy"] == pytest.approx(0.5)   # 0.75 at threshold 0


@clause("PIT.ACCURACY_STRING")
@pytest.mark.parametrize("kind", ["sparse_column", "categorical"])
def test_accuracy_ignores_the_loss(backend, kind):
    keras = backend.keras
    p, y, _, expected = _accuracy_case(kind)
    model = identity(keras, 3)
    model.compile(optimizer=frozen(keras), loss="mse", metrics=["acc"])
    close(_evaluate(model, p, y)["acc"], expected)


@clause("PIT.ACCURACY_STRING")
def test_the_accuracy_class_compares_values_exactly(backend):
    keras = backend.keras
    p, y, _, _ = _accuracy_case("sparse_column")
    model = identity(keras, 3)
    model.compile(optimizer=frozen(keras), loss="mse", metrics=[keras.metrics.Accuracy()])
    with pytest.raises(ValueError) as info:
        model.evaluate(p, y, verbose=0)
    # tf_keras's traced step shows the batch axis as None; an eager backend shows its size.
    assert re.search(r"Shapes \((None|\d+), 1\) and \((None|\d+), 3\) are incompatible",
                     str(info.value)), str(info.value)


# ---------------------------------------------------------------- COMPILE.MULTI.*

def _two_heads_oracle(heads, x, y):
    score, probs = heads.predict(*x)
    return {
        "score_mse": np.mean(oracle.squared_errors(y[0], score)),
        "score_mae": np.mean(oracle.absolute_errors(y[0], score)),
        "score_mape": np.mean(100 * np.abs((y[0] - score) / np.maximum(np.abs(y[0]), 1e-7))),
        "class_cce": np.mean(oracle.crossentropy(y[1], probs)),
        "class_mse": np.mean(oracle.squared_errors(y[1], probs)),
        "class_mae": np.mean(oracle.absolute_errors(y[1], probs)),
        "class_acc": np.mean(probs.argmax(-1) == y[1].argmax(-1)),
    }


LIST_KEYS = ["loss", "score_output_loss", "class_output_loss",
             "score_output_mean_absolute_percentage_error", "score_output_mean_absolute_error",
             "class_output_categorical_accuracy"]


def _compile_list_or_dict(keras, model, form, reverse=False):
    losses = [keras.losses.MeanSquaredError(), keras.losses.CategoricalCrossentropy()]
    metrics = [[keras.metrics.MeanAbsolutePercentageError(), keras.metrics.MeanAbsoluteError()],
               [keras.metrics.CategoricalAccuracy()]]
    if form == "dict":
        names = ["score_output", "class_output"]
        order = slice(None, None, -1) if reverse else slice(None)
        losses = dict(list(zip(names, losses))[order])
        metrics = dict(list(zip(names, metrics))[order])
    model.compile(optimizer=frozen(keras), loss=losses, metrics=metrics)


@clause("COMPILE.MULTI.LIST")
def test_losses_and_metrics_listed_in_output_order(backend):
    heads = TwoHeads(backend.keras)
    x, y, _ = two_heads_data()
    _compile_list_or_dict(backend.keras, heads.model, "list")
    logs = _evaluate(heads.model, x, y)
    o = _two_heads_oracle(heads, x, y)
    assert list(logs) == LIST_KEYS
    expected = [o["score_mse"] + o["class_cce"], o["score_mse"], o["class_cce"], o["score_mape"],
                o["score_mae"], o["class_acc"]]
    for key, value in zip(LIST_KEYS, expected):
        close(logs[key], value, message=key)


@clause("COMPILE.MULTI.LIST")
def test_a_flat_metric_list_applies_to_every_output(backend):
    keras = backend.keras
    heads = TwoHeads(keras)
    x, y, _ = two_heads_data()
    heads.model.compile(optimizer=frozen(keras), loss=["mse", "categorical_crossentropy"],
                        metrics=["mae"])
    logs = _evaluate(heads.model, x, y)
    o = _two_heads_oracle(heads, x, y)
    assert list(logs) == ["loss", "score_output_loss", "class_output_loss", "score_output_mae",
                          "class_output_mae"]
    close(logs["score_output_mae"], o["score_mae"])
    close(logs["class_output_mae"], o["class_mae"])


@clause("COMPILE.MULTI.DICT")
@pytest.mark.parametrize("reverse", [False, True])
def test_dicts_by_output_name_equal_the_list_form(backend, reverse):
    keras = backend.keras
    x, y, _ = two_heads_data()
    results = []
    for form in ("list", "dict"):
        heads = TwoHeads(keras)
        _compile_list_or_dict(keras, heads.model, form, reverse=reverse)
        results.append(_evaluate(heads.model, x, y))
    assert list(results[1]) == LIST_KEYS
    assert results[0] == results[1]


@clause("COMPILE.MULTI.DICT")
def test_targets_as_a_dict_by_output_name(backend):
    keras = backend.keras
    heads = TwoHeads(keras)
    x, y, _ = two_heads_data()
    _compile_list_or_dict(keras, heads.model, "dict")
    by_list = _evaluate(heads.model, x, y)
    by_dict = _evaluate(heads.model, {"b_in": x[1], "a_in": x[0]},
                        {"class_output": y[1], "score_output": y[0]})
    assert by_list == by_dict


@clause("COMPILE.MULTI.DICT")
def test_a_metric_dict_on_a_single_output_logs_plain_names(backend):
    keras = backend.keras
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(3, name="predictions")(inputs))
    model.compile(optimizer=frozen(keras), loss="sparse_categorical_crossentropy",
                  metrics={"predictions": ["acc"]})
    p, y, _, expected = _accuracy_case("sparse")
    model.set_weights([np.eye(3, dtype=np.float32), np.zeros(3, np.float32)])
    logs = _evaluate(model, p, y)
    assert list(logs) == ["loss", "acc"]
    close(logs["acc"], expected)


@clause("COMPILE.MULTI.BROADCAST")
@pytest.mark.parametrize("loss", ["mse", "object"])
def test_one_loss_applies_to_every_output(backend, loss):
    keras = backend.keras
    heads = TwoHeads(keras)
    x, y, _ = two_heads_data()
    heads.model.compile(optimizer=frozen(keras),
                        loss=keras.losses.MeanSquaredError() if loss == "object" else loss)
    logs = _evaluate(heads.model, x, y)
    o = _two_heads_oracle(heads, x, y)
    # the key order is COMPILE.MULTI.LIST's rule, not this clause's
    assert sorted(logs) == ["class_output_loss", "loss", "score_output_loss"]
    close(logs["score_output_loss"], o["score_mse"])
    close(logs["class_output_loss"], o["class_mse"])
    close(logs["loss"], o["score_mse"] + o["class_mse"])


@clause("COMPILE.MULTI.WEIGHTS")
@pytest.mark.parametrize("loss_weights, factors", [
    ({"score_output": 2.0, "class_output": 1.0}, (2.0, 1.0)),
    ({"class_output": 1.0, "score_output": 2.0}, (2.0, 1.0)),
    ([0.5, 3.0], (0.5, 3.0)),
    ({"score_output": 2.0}, (2.0, 1.0)),
    ({"class_output": 0.0}, (1.0, 0.0)),
])
def test_loss_weights_scale_each_output_in_the_total(backend, loss_weights, factors):
    keras = backend.keras
    heads = TwoHeads(keras)
    x, y, _ = two_heads_data()
    heads.model.compile(optimizer=frozen(keras), loss=["mse", "categorical_crossentropy"],
                        loss_weights=loss_weights)
    logs = _evaluate(heads.model, x, y)
    o = _two_heads_oracle(heads, x, y)
    close(logs["score_output_loss"], o["score_mse"])    # logged unweighted
    close(logs["class_output_loss"], o["class_cce"])
    close(logs["loss"], factors[0] * o["score_mse"] + factors[1] * o["class_cce"])


def _none_compiled(keras, form):
    heads = TwoHeads(keras)
    loss = [None, "categorical_crossentropy"] if form == "list" else {
        "class_output": "categorical_crossentropy"}
    heads.model.compile(optimizer=frozen(keras), loss=loss)
    return heads


@clause("COMPILE.MULTI.NONE")
@pytest.mark.parametrize("form", ["list", "dict"])
@pytest.mark.parametrize("targets", ["none_in_list", "dict", "bare", "both"])
def test_an_output_without_a_loss_needs_no_target(backend, form, targets):
    keras = backend.keras
    heads = _none_compiled(keras, form)
    x, y, _ = two_heads_data()
    given = {"none_in_list": [None, y[1]], "dict": {"class_output": y[1]}, "bare": y[1],
             "both": y}[targets]
    logs = _evaluate(heads.model, x, given)
    history = heads.model.fit(x, given, batch_size=8, verbose=0).history
    o = _two_heads_oracle(heads, x, y)
    assert list(logs) == ["loss", "class_output_loss"]
    assert sorted(history) == ["class_output_loss", "loss"]
    for value in (logs["loss"], logs["class_output_loss"], history["loss"][0]):
        close(value, o["class_cce"])


@clause("COMPILE.MULTI.NONE")
@pytest.mark.parametrize("case", ["one_element_list", "all_none"])
def test_no_loss_found_raises_and_changes_nothing(backend, case):
    keras = backend.keras
    x, y, _ = two_heads_data()
    heads = TwoHeads(keras)
    if case == "all_none":
        heads.model.compile(optimizer=keras.optimizers.SGD(0.1), loss=[None, None])
        given = y
    else:
        heads.model.compile(optimizer=keras.optimizers.SGD(0.1), loss=[None, "mse"])
        given = [y[1]]
    before = snapshot(backend, heads.model)
    with pytest.raises(ValueError) as info:
        heads.model.fit(x, given, verbose=0)
    assert ("No loss found. You may have forgotten to provide a `loss` argument in the "
            "`compile()` method.") in str(info.value)
    assert_unchanged(backend, heads.model, before)


# ---------------------------------------------------------------- COMPILE.NO_LOSS

def _add_loss_model(keras, tf, factor=0.1):
    class SumLoss(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(factor * tf.reduce_sum(inputs))
            return inputs

    inputs = keras.Input((2,))
    outputs = SumLoss()(keras.layers.Dense(2, name="d")(inputs))
    model = keras.Model(inputs, outputs)
    model.set_weights([np.eye(2, dtype=np.float32), np.zeros(2, np.float32)])
    return model


@clause("COMPILE.NO_LOSS")
def test_add_loss_alone_needs_no_compiled_loss_and_no_targets(backend):
    keras = backend.keras
    x = np.arange(8, dtype=np.float32).reshape(4, 2) / 4
    model = _add_loss_model(keras, backend.tf)
    model.compile(optimizer=frozen(keras))
    history = model.fit(x, batch_size=4, verbose=0).history
    assert list(history) == ["loss"]
    expected = 0.1 * x.sum()
    close(history["loss"][0], expected)
    close(model.evaluate(x, batch_size=4, verbose=0), expected)


@clause("COMPILE.NO_LOSS")
def test_add_loss_is_added_to_a_compiled_loss(backend):
    keras = backend.keras
    x = np.arange(8, dtype=np.float32).reshape(4, 2) / 4
    y = np.zeros((4, 2), np.float32)
    model = _add_loss_model(keras, backend.tf)
    model.compile(optimizer=frozen(keras), loss="mse")
    expected = np.mean(oracle.squared_errors(y, x)) + 0.1 * x.sum()
    close(model.evaluate(x, y, batch_size=4, verbose=0), expected)


@clause("COMPILE.NO_LOSS")
@pytest.mark.parametrize("with_targets", [False, True])
def test_no_loss_at_all_raises_and_changes_nothing(backend, with_targets):
    keras = backend.keras
    model, x, y, _ = _mse_setup(keras)
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    before = snapshot(backend, model)
    with pytest.raises(ValueError) as info:
        model.fit(x, y if with_targets else None, verbose=0)
    assert ("No loss found. You may have forgotten to provide a `loss` argument in the "
            "`compile()` method.") in str(info.value)
    assert_unchanged(backend, model, before)


@clause("COMPILE.NO_LOSS", requires=("add_metric",))
def test_the_seed_logistic_endpoint_fits_on_a_dict_with_targets(backend):
    keras, tf = backend.keras, backend.tf

    class LogisticEndpoint(keras.layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
            self.accuracy_fn = keras.metrics.BinaryAccuracy()

        def call(self, targets, logits, sample_weights=None):
            self.add_loss(self.loss_fn(targets, logits, sample_weights))
            self.add_metric(self.accuracy_fn(targets, logits, sample_weights), name="accuracy")
            return tf.nn.softmax(logits)

    inputs = keras.Input(shape=(3,), name="inputs")
    targets = keras.Input(shape=(10,), name="targets")
    logits = keras.layers.Dense(10, name="d")(inputs)
    predictions = LogisticEndpoint(name="predictions")(logits=logits, targets=targets)
    model = keras.Model(inputs=[inputs, targets], outputs=predictions)
    kernel, bias = arrays(8, (3, 10), (10,))
    model.set_weights([kernel, bias])
    model.compile(optimizer=frozen(keras))
    x, t = arrays(9, (4, 3), (4, 10))
    t = (t > 0).astype(np.float32)
    history = model.fit({"inputs": x, "targets": t}, batch_size=4, verbose=0).history
    z = oracle.dense(x, kernel, bias)
    bce = np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z))))
    assert list(history) == ["loss", "binary_accuracy"]
    close(history["loss"][0], bce)
    close(history["binary_accuracy"][0], np.mean((z > 0.5) == (t > 0.5)))


# ---------------------------------------------------------------- COMPILE.CUSTOM.*

def _custom_mse(y_true, y_pred, tf):
    return tf.reduce_mean(tf.square(y_true - y_pred))


@clause("COMPILE.CUSTOM.FN")
@pytest.mark.parametrize("kind", ["scalar", "per_sample", "lambda"])
def test_a_function_of_y_true_y_pred_is_a_loss(backend, kind):
    keras, tf = backend.keras, backend.tf
    model, x, y, p = _mse_setup(keras)

    def custom_mean_squared_error(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1 if kind == "per_sample" else None)

    loss = (lambda t, q: tf.reduce_mean(tf.square(t - q))) if kind == "lambda" else \
        custom_mean_squared_error
    model.compile(optimizer=frozen(keras), loss=loss)
    logs = _evaluate(model, x, y)
    assert list(logs) == ["loss"]
    close(logs["loss"], np.mean(oracle.squared_errors(y, p)))


@clause("COMPILE.CUSTOM.FN")
def test_a_function_as_a_metric_is_logged_under_its_name(backend):
    keras, tf = backend.keras, backend.tf
    model, x, y, p = _mse_setup(keras)

    def custom_mean_squared_error(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    model.compile(optimizer=frozen(keras), loss="mae", metrics=[custom_mean_squared_error])
    logs = _evaluate(model, x, y)
    assert sorted(logs) == ["custom_mean_squared_error", "loss"]   # order: COMPILE.MULTI.LIST
    close(logs["custom_mean_squared_error"], np.mean(oracle.squared_errors(y, p)))


def _custom_mse_class(keras, tf):
    class CustomMSE(keras.losses.Loss):
        def __init__(self, regularization_factor=0.1, name="custom_mse"):
            super().__init__(name=name)
            self.regularization_factor = regularization_factor

        def call(self, y_true, y_pred):
            mse = tf.math.reduce_mean(tf.square(y_true - y_pred))
            reg = tf.math.reduce_mean(tf.square(0.5 - y_pred))
            return mse + reg * self.regularization_factor

    return CustomMSE


@clause("COMPILE.CUSTOM.SUBCLASS")
def test_a_loss_subclass_with_call_is_a_loss(backend):
    keras, tf = backend.keras, backend.tf
    model, x, y, p = _mse_setup(keras)
    loss = _custom_mse_class(keras, tf)()
    assert loss.reduction == "auto"
    model.compile(optimizer=frozen(keras), loss=loss)
    logs = _evaluate(model, x, y)
    assert list(logs) == ["loss"]
    close(logs["loss"], np.mean((y - p) ** 2) + 0.1 * np.mean((0.5 - p) ** 2))


@clause("COMPILE.CUSTOM.SUBCLASS")
def test_a_loss_subclass_is_logged_per_output_not_by_its_name(backend):
    keras, tf = backend.keras, backend.tf
    heads = TwoHeads(keras)
    x, y, _ = two_heads_data()
    heads.model.compile(optimizer=frozen(keras), loss=_custom_mse_class(keras, tf)())
    assert list(_evaluate(heads.model, x, y)) == ["loss", "score_output_loss", "class_output_loss"]


@clause("COMPILE.CUSTOM.SUBCLASS")
def test_a_loss_subclass_without_call_fails_at_fit_and_changes_nothing(backend):
    keras = backend.keras

    class NoCall(keras.losses.Loss):
        pass

    model, x, y, _ = _mse_setup(keras)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=NoCall())
    before = snapshot(backend, model)
    with pytest.raises(NotImplementedError) as info:
        model.fit(x, y, verbose=0)
    assert "Must be implemented in subclasses." in str(info.value)
    assert_unchanged(backend, model, before)


def _true_positives_class(keras, tf):
    class CategoricalTruePositives(keras.metrics.Metric):
        def __init__(self, name="categorical_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_weight(name="ctp", initializer="zeros")
            self.resets = 0

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = tf.reshape(tf.argmax(y_pred, axis=1), shape=(-1, 1))
            values = tf.cast(tf.cast(y_true, "int32") == tf.cast(y_pred, "int32"), "float32")
            self.true_positives.assign_add(tf.reduce_sum(values))

        def result(self):
            return self.true_positives

        def reset_state(self):
            self.resets += 1
            self.true_positives.assign(0.0)

    return CategoricalTruePositives


@clause("COMPILE.CUSTOM.SUBCLASS")
def test_a_metric_subclass_is_logged_as_its_result_and_reset_each_epoch(backend):
    keras = backend.keras
    p, y, _, _ = _accuracy_case("sparse_column")
    hits = float(np.sum(p.argmax(-1) == y[:, 0]))
    metric = _true_positives_class(keras, backend.tf)()
    model = identity(keras, 3)
    model.compile(optimizer=frozen(keras), loss="mse", metrics=[metric])
    history = model.fit(p, y, batch_size=2, epochs=3, shuffle=False, verbose=0).history
    assert list(history) == ["loss", "categorical_true_positives"]
    assert history["categorical_true_positives"] == [hits] * 3     # a count, not a mean
    assert any(m is metric for m in model.metrics)
    assert metric.resets == 2            # epochs 2 and 3; epoch 1 starts before it is built
    model.evaluate(p, y, verbose=0)
    assert metric.resets == 3
    assert float(backend.to_numpy(metric.result())) == hits


@clause("COMPILE.CUSTOM.SUBCLASS")
def test_calling_a_metric_updates_it_and_returns_the_result(backend):
    keras = backend.keras
    metric = _true_positives_class(keras, backend.tf)()
    # read each result at once: result() returns the variable itself, which the next call updates
    first = float(backend.to_numpy(
        metric(np.array([[0.0], [1.0]]), np.array([[1.0, 0.0], [1.0, 0.0]], np.float32))))
    second = float(backend.to_numpy(metric(np.array([[1.0]]), np.array([[0.0, 1.0]], np.float32))))
    assert first == 1.0
    assert second == 2.0


@clause("COMPILE.CUSTOM.SUBCLASS")
def test_a_metric_subclass_without_result_cannot_be_made(backend):
    keras = backend.keras

    class NoResult(keras.metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            pass

    with pytest.raises(TypeError) as info:
        NoResult()
    assert str(info.value).startswith("Can't instantiate abstract class NoResult")
