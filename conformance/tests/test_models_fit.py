"""The training-loop halves of the model-building clauses: models that fit, evaluate, predict.

Seed 003 "训练多输入、多输出模型" (the ticket model's fit / evaluate / predict),
"7.2.3 子类化 Model 类", "7.2.4 混合和匹配不同的组件", "函数 API 的威力：访问层连接性"
(feature extraction) and "7.4.1 训练与推断" (training flag, trainable and
non-trainable weights). Oracles are the models applied by hand (``model(x)``), and
the structures, keys and counts measured on tf_keras 2.21. Everything observed
goes through variables or return values, never through Python side effects of
``call`` (those run once per trace in tf_keras, once per batch in an eager engine).
"""
import numpy as np

from conformance import clause

VOCAB, TAGS = 20, 5


def ticket_model(keras, outputs=("priority", "department")):
    """Seed 003's customer ticket model (vocabularies shrunk); returns (model, inputs)."""
    title = keras.Input(shape=(VOCAB,), name="title")
    text_body = keras.Input(shape=(VOCAB,), name="text_body")
    tags = keras.Input(shape=(TAGS,), name="tags")
    features = keras.layers.Concatenate()([title, text_body, tags])
    features = keras.layers.Dense(64, activation="relu")(features)
    tensors = {"priority": keras.layers.Dense(1, activation="sigmoid", name="priority")(features),
               "department": keras.layers.Dense(4, activation="softmax",
                                                name="department")(features)}
    if isinstance(outputs, dict):
        model_outputs = {key: tensors[name] for key, name in outputs.items()}
    else:
        model_outputs = [tensors[name] for name in outputs]
    return keras.Model(inputs=[title, text_body, tags], outputs=model_outputs), features


def ticket_data(n=10):
    rng = np.random.default_rng(0)
    return [rng.integers(0, 2, (n, VOCAB)).astype(np.float32),
            rng.integers(0, 2, (n, VOCAB)).astype(np.float32),
            rng.integers(0, 2, (n, TAGS)).astype(np.float32)]


def ticket_targets(n=10):
    rng = np.random.default_rng(1)
    return [rng.integers(0, 2, (n, 1)).astype(np.float32),
            np.eye(4, dtype=np.float32)[rng.integers(0, 4, n)]]


def _weights(model):
    return [np.array(w) for w in model.get_weights()]


# --------------------------------------------------------------------------------------
# MODEL.FUNC.MULTI_IO.PREDICT
# --------------------------------------------------------------------------------------

@clause("MODEL.FUNC.MULTI_IO.PREDICT")
def test_predict_returns_a_list_of_arrays_in_outputs_order(backend):
    keras = backend.keras
    model, _ = ticket_model(keras)
    data = ticket_data()
    got = model.predict(data, verbose=0)
    assert type(got) is list and len(got) == 2
    assert all(type(a) is np.ndarray for a in got)
    assert [a.shape for a in got] == [(10, 1), (10, 4)]
    called = [backend.to_numpy(t) for t in model(data)]
    for a, b in zip(got, called):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    by_name = model.predict({"tags": data[2], "title": data[0], "text_body": data[1]}, verbose=0)
    assert type(by_name) is list
    for a, b in zip(got, by_name):
        np.testing.assert_array_equal(a, b)


@clause("MODEL.FUNC.MULTI_IO.PREDICT")
def test_reversed_outputs_reverse_the_predict_list(backend):
    keras = backend.keras
    model, _ = ticket_model(keras, outputs=("department", "priority"))
    got = model.predict(ticket_data(), verbose=0)
    assert type(got) is list
    assert [a.shape for a in got] == [(10, 4), (10, 1)]


@clause("MODEL.FUNC.MULTI_IO.PREDICT")
def test_dict_outputs_give_a_dict_from_predict(backend):
    keras = backend.keras
    model, _ = ticket_model(keras, outputs={"b_dep": "department", "a_pri": "priority"})
    data = ticket_data()
    got = model.predict(data, verbose=0, batch_size=4)
    assert type(got) is dict
    assert sorted(got) == ["a_pri", "b_dep"]
    assert got["a_pri"].shape == (10, 1) and got["b_dep"].shape == (10, 4)
    called = model(data)
    np.testing.assert_allclose(got["b_dep"], backend.to_numpy(called["b_dep"]), rtol=1e-5,
                               atol=1e-6)


@clause("MODEL.FUNC.MULTI_IO.PREDICT")
def test_a_subclassed_model_returning_a_tuple_predicts_a_tuple(backend):
    keras = backend.keras

    class TwoHeads(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = keras.layers.Dense(1)
            self.b = keras.layers.Dense(3)

        def call(self, inputs):
            return self.a(inputs), self.b(inputs)

    got = TwoHeads().predict(np.ones((5, 2), np.float32), verbose=0)
    assert type(got) is tuple
    assert [a.shape for a in got] == [(5, 1), (5, 3)]
    assert all(type(a) is np.ndarray for a in got)


# --------------------------------------------------------------------------------------
# MODEL.FUNC.REUSE.FIT
# --------------------------------------------------------------------------------------

@clause("MODEL.FUNC.REUSE.FIT")
def test_fitting_the_new_model_trains_the_shared_layers_of_the_old(backend):
    keras = backend.keras
    model, features = ticket_model(keras)
    difficulty = keras.layers.Dense(3, activation="softmax", name="difficulty")(features)
    new_model = keras.Model(inputs=model.inputs, outputs=model.outputs + [difficulty])
    data = ticket_data()
    targets = ticket_targets() + [np.eye(3, dtype=np.float32)[np.arange(10) % 3]]
    before = _weights(model)
    new_model.compile(optimizer="rmsprop",
                      loss=["mean_squared_error", "categorical_crossentropy",
                            "categorical_crossentropy"])
    new_model.fit(data, targets, epochs=1, verbose=0)
    after = _weights(model)
    assert all(not np.array_equal(a, b) for a, b in zip(before, after))
    for w_old, w_new in zip(model.get_weights(), new_model.get_weights()[:6]):
        np.testing.assert_array_equal(w_old, w_new)
    old_pred = model.predict(data, verbose=0)
    new_pred = new_model.predict(data, verbose=0)
    for a, b in zip(old_pred, new_pred[:2]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


# --------------------------------------------------------------------------------------
# MODEL.SUBCLASS.FIT
# --------------------------------------------------------------------------------------

def ticket_class(keras):
    class CustomerTicketModel(keras.Model):
        def __init__(self, num_departments):
            super().__init__()
            self.concat_layer = keras.layers.Concatenate()
            self.mixing_layer = keras.layers.Dense(64, activation="relu")
            self.priority_scorer = keras.layers.Dense(1, activation="sigmoid")
            self.department_classifier = keras.layers.Dense(num_departments,
                                                            activation="softmax")

        def call(self, inputs):
            features = self.concat_layer([inputs["title"], inputs["text_body"], inputs["tags"]])
            features = self.mixing_layer(features)
            return self.priority_scorer(features), self.department_classifier(features)

    return CustomerTicketModel


def _ticket_dict():
    title, text_body, tags = ticket_data()
    return {"title": title, "text_body": text_body, "tags": tags}


@clause("MODEL.SUBCLASS.FIT")
def test_fit_builds_an_unbuilt_subclassed_model_and_names_its_outputs(backend):
    keras = backend.keras
    model = ticket_class(keras)(num_departments=4)
    assert model.built is False
    model.compile(optimizer="rmsprop", loss=["mean_squared_error", "categorical_crossentropy"],
                  metrics=["mean_absolute_error", "accuracy"])
    history = model.fit(_ticket_dict(), ticket_targets(), epochs=1, verbose=0)
    assert model.built is True and len(model.weights) == 6
    assert list(history.history) == [
        "loss", "output_1_loss", "output_2_loss", "output_1_mean_absolute_error",
        "output_1_accuracy", "output_2_mean_absolute_error", "output_2_accuracy"]
    logs = history.history
    np.testing.assert_allclose(logs["loss"][0], logs["output_1_loss"][0] + logs["output_2_loss"][0],
                               rtol=1e-5)
    result = model.evaluate(_ticket_dict(), ticket_targets(), verbose=0, return_dict=True)
    assert list(result) == list(logs)
    preds = model.predict(_ticket_dict(), verbose=0)
    assert type(preds) is tuple and [p.shape for p in preds] == [(10, 1), (10, 4)]


@clause("MODEL.SUBCLASS.FIT")
def test_a_missing_input_key_fails_fit_naming_the_key_before_any_update(backend):
    keras = backend.keras
    model = ticket_class(keras)(num_departments=4)
    model(_ticket_dict())
    model.compile(optimizer="rmsprop", loss=["mean_squared_error", "categorical_crossentropy"])
    before = _weights(model)
    data = _ticket_dict()
    del data["text_body"]
    try:
        model.fit(data, ticket_targets(), epochs=1, verbose=0)
    except Exception as exc:  # noqa: BLE001 - the type is pinned just below
        assert isinstance(exc, (KeyError, RuntimeError)), type(exc)
        assert "text_body" in str(exc)
    else:
        raise AssertionError("fit accepted inputs without the key 'text_body'")
    for a, b in zip(before, _weights(model)):
        np.testing.assert_array_equal(a, b)


@clause("MODEL.SUBCLASS.FIT")
def test_a_list_where_call_indexes_a_dict_fails_fit_with_a_type_error(backend):
    keras = backend.keras
    model = ticket_class(keras)(num_departments=4)
    model(_ticket_dict())
    model.compile(optimizer="rmsprop", loss=["mean_squared_error", "categorical_crossentropy"])
    before = _weights(model)
    try:
        model.fit(ticket_data(), ticket_targets(), epochs=1, verbose=0)
    except TypeError as exc:
        assert "tuple indices must be integers or slices, not str" in str(exc) or \
            "list indices must be integers or slices, not str" in str(exc)
    else:
        raise AssertionError("fit accepted a list for a call that indexes a dict")
    for a, b in zip(before, _weights(model)):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------------------
# MODEL.MIX.FIT
# --------------------------------------------------------------------------------------

@clause("MODEL.MIX.FIT")
def test_a_functional_model_holding_a_subclassed_classifier_fits(backend):
    keras = backend.keras

    class Classifier(keras.Model):
        def __init__(self, num_classes=2):
            super().__init__()
            units, activation = (1, "sigmoid") if num_classes == 2 else (num_classes, "softmax")
            self.dense = keras.layers.Dense(units, activation=activation)

        def call(self, inputs):
            return self.dense(inputs)

    inputs = keras.Input(shape=(3,))
    features = keras.layers.Dense(64, activation="relu")(inputs)
    model = keras.Model(inputs=inputs, outputs=Classifier()(features))
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).random((16, 3), dtype=np.float32)
    y = (x.sum(axis=1, keepdims=True) > 1.5).astype(np.float32)
    before = _weights(model)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]      # the key order is FIT.NAMES's
    assert len(history.history["loss"]) == 2
    assert all(not np.array_equal(a, b) for a, b in zip(before, _weights(model)))


@clause("MODEL.MIX.FIT")
def test_a_subclassed_model_holding_a_functional_model_fits(backend):
    keras = backend.keras
    inputs = keras.Input(shape=(64,))
    binary_classifier = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs))

    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(64, activation="relu")
            self.classifier = binary_classifier

        def call(self, inputs):
            return self.classifier(self.dense(inputs))

    model = MyModel()
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).random((16, 3), dtype=np.float32)
    y = (x[:, :1] > 0.5).astype(np.float32)
    model(x)
    inner_before = binary_classifier.get_weights()
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]      # the key order is FIT.NAMES's
    inner_after = binary_classifier.get_weights()
    assert all(not np.array_equal(a, b) for a, b in zip(inner_before, inner_after))
    np.testing.assert_array_equal(model.get_weights()[2], inner_after[0])  # shared, not copied


# --------------------------------------------------------------------------------------
# MODEL.TRAINING_ARG.FIT
# --------------------------------------------------------------------------------------

def _flag_layer(keras, name):
    """A pass-through layer that stores the `training` value it last saw in a variable."""

    class Flag(keras.layers.Layer):
        def build(self, input_shape):
            self.seen = self.add_weight(name="seen", shape=(), initializer="zeros",
                                        trainable=False)

        def call(self, inputs, training=None):
            self.seen.assign(1.0 if training else -1.0)
            return inputs

    return Flag(name=name)


def _flag_model(keras):
    """outer Flag -> nested functional model (inner Flag) -> subclassed model (Flag) -> Dense."""

    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.inner = _flag_layer(keras, "sub_inner")
            self.dense = keras.layers.Dense(1)

        def call(self, inputs, training=None):
            return self.dense(self.inner(inputs))

    i = keras.Input(shape=(3,))
    nested = keras.Model(i, _flag_layer(keras, "nested_inner")(i), name="nested")
    x = keras.Input(shape=(3,))
    model = keras.Model(x, Sub()(nested(_flag_layer(keras, "outer")(x))))
    model.compile(optimizer="sgd", loss="mse")
    return model


def _seen(model):
    return sorted(float(np.array(w)) for w in model.non_trainable_weights)


@clause("MODEL.TRAINING_ARG.FIT")
def test_fit_and_train_on_batch_run_every_layer_with_training_true(backend):
    keras = backend.keras
    model = _flag_model(keras)
    x, y = np.ones((4, 3), np.float32), np.ones((4, 1), np.float32)
    assert _seen(model) == [0.0, 0.0, 0.0]
    model.fit(x, y, epochs=1, verbose=0)
    assert _seen(model) == [1.0, 1.0, 1.0]
    model.predict(x, verbose=0)
    assert _seen(model) == [-1.0, -1.0, -1.0]
    model.train_on_batch(x, y)
    assert _seen(model) == [1.0, 1.0, 1.0]


@clause("MODEL.TRAINING_ARG.FIT")
def test_evaluate_predict_and_the_batch_methods_run_with_training_false(backend):
    keras = backend.keras
    model = _flag_model(keras)
    x, y = np.ones((4, 3), np.float32), np.ones((4, 1), np.float32)
    for run in (lambda: model.evaluate(x, y, verbose=0), lambda: model.predict(x, verbose=0),
                lambda: model.predict_on_batch(x), lambda: model.test_on_batch(x, y)):
        model.fit(x, y, epochs=1, verbose=0)
        assert _seen(model) == [1.0, 1.0, 1.0]
        run()
        assert _seen(model) == [-1.0, -1.0, -1.0]


@clause("MODEL.TRAINING_ARG.FIT")
def test_dropout_is_inactive_in_evaluate_and_predict(backend):
    keras = backend.keras
    model = keras.Sequential([keras.Input(shape=(1000,)), keras.layers.Dropout(0.5)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((2, 1000), np.float32)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    np.testing.assert_array_equal(backend.to_numpy(model.predict_on_batch(x)), x)
    assert model.evaluate(x, x, verbose=0) == 0.0
    history = model.fit(x, x, epochs=1, verbose=0)      # dropped entries: (0-1)^2 or (2-1)^2
    np.testing.assert_allclose(history.history["loss"][0], 1.0, rtol=1e-6)


# --------------------------------------------------------------------------------------
# MODEL.WEIGHTS.TRAINABLE.FIT
# --------------------------------------------------------------------------------------

def _bn_model(keras):
    inputs = keras.Input(shape=(2,))
    outputs = keras.layers.BatchNormalization(name="bn")(keras.layers.Dense(2, name="d")(inputs))
    return keras.Model(inputs, outputs)


@clause("MODEL.WEIGHTS.TRAINABLE.FIT")
def test_fit_changes_trainable_and_non_trainable_weights_evaluate_and_predict_neither(backend):
    keras = backend.keras
    model = _bn_model(keras)
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 2), dtype=np.float32), rng.random((8, 2), dtype=np.float32)
    before = _weights(model)
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    after = _weights(model)
    assert [not np.array_equal(a, b) for a, b in zip(before, after)] == [True] * 6
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    model.test_on_batch(x, y)
    model.predict_on_batch(x)
    for a, b in zip(after, _weights(model)):
        np.testing.assert_array_equal(a, b)


@clause("MODEL.WEIGHTS.TRAINABLE.FIT")
def test_moving_statistics_follow_the_batches_of_fit(backend):
    keras = backend.keras
    model = _bn_model(keras)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    x = np.array([[1, 2], [3, 6], [0, 1], [5, 5]], np.float32)
    model.fit(x, x, epochs=1, batch_size=2, shuffle=False, verbose=0)
    dense = x @ model.get_layer("d").get_weights()[0]          # bias is zero, lr 0
    mean, var = np.zeros(2, np.float32), np.ones(2, np.float32)
    for batch in (dense[:2], dense[2:]):
        mean = 0.99 * mean + 0.01 * batch.mean(axis=0)
        var = 0.99 * var + 0.01 * batch.var(axis=0)
    bn = model.get_layer("bn")
    np.testing.assert_allclose(backend.to_numpy(bn.moving_mean), mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(bn.moving_variance), var, rtol=1e-5, atol=1e-6)


@clause("MODEL.WEIGHTS.TRAINABLE.FIT")
def test_a_non_trainable_counter_counts_the_batches_of_fit(backend):
    keras = backend.keras

    class Counter(keras.layers.Layer):
        def build(self, input_shape):
            self.count = self.add_weight(name="count", shape=(), initializer="zeros",
                                         trainable=False)

        def call(self, inputs):
            self.count.assign_add(1.0)
            return inputs

    counter = Counter(name="counter")
    model = keras.Sequential([keras.Input(shape=(2,)), counter, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((10, 2), np.float32), np.ones((10, 1), np.float32)
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert float(backend.to_numpy(counter.count)) == 3.0
    model.fit(x, y, epochs=2, batch_size=5, verbose=0)
    assert float(backend.to_numpy(counter.count)) == 7.0
    [only] = model.non_trainable_weights                   # its variable name is not the rule
    assert only is counter.count
