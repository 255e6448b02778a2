"""Training loops written by hand, overridden train/test/predict steps, and tf.function.

Seed 001 "第二部分：从头开始编写自己的训练和评估循环" (the GradientTape loop, metrics
by hand, ``sum(model.losses)``), 003 "7.4 编写您自己的训练和评估循环" (7.4.1-7.4.5:
``training=True``, the train/test step functions, tf_function, the CustomModel
overrides of ``train_step`` with a loss tracker or with ``compiled_loss`` /
``compiled_metrics`` and the ``metrics`` property) and 004 "自定义训练逻辑"
(``train_one_step`` under ``tf.function``). Oracles: ``fit`` against the same loop
written by hand, eager against ``tf.function``, and counts of samples and batches.
How often a ``tf.function`` traces its Python body is TensorFlow's business and is
not pinned here.
"""
import warnings

import numpy as np
import pytest

from conformance import clause

N, FEATURES, CLASSES, BATCH = 32, 4, 3, 8


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, FEATURES)).astype(np.float32)
    y = rng.integers(0, CLASSES, N).astype(np.int64)
    return x, y


def _batches(x, y):
    return [(x[i:i + BATCH], y[i:i + BATCH]) for i in range(0, len(x), BATCH)]


def _mlp(keras, tf, activity=True):
    """001's model, shrunk: Dense-relu, an activity-regularization layer, softmax Dense."""
    layers = keras.layers

    class ActivityRegularizationLayer(layers.Layer):
        def call(self, inputs):
            self.add_loss(1e-2 * tf.reduce_sum(inputs))
            return inputs

    inputs = keras.Input(shape=(FEATURES,), name="digits")
    x = layers.Dense(8, activation="relu", name="dense_1")(inputs)
    if activity:
        x = ActivityRegularizationLayer()(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def _fixed_weights(model):
    rng = np.random.default_rng(1)
    model.set_weights([rng.standard_normal(w.shape).astype(np.float32) * 0.5
                       for w in model.get_weights()])
    return model


def _numpy(backend, values):
    return [np.asarray(backend.to_numpy(v)) for v in values]


def _loop(backend, model, optimizer, epochs=3, step=None):
    """The seed's loop; returns the per-epoch mean batch loss and train accuracy."""
    keras, tf = backend.keras, backend.tf
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    acc = keras.metrics.SparseCategoricalAccuracy()

    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss_value = loss_fn(y, logits)
            loss_value += sum(model.losses)
        grads = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        acc.update_state(y, logits)
        return loss_value

    step = step(train_step) if step else train_step
    x, y = _data()
    losses, accs = [], []
    for _ in range(epochs):
        batch_losses = [float(backend.to_numpy(step(tf.constant(bx), tf.constant(by))))
                        for bx, by in _batches(x, y)]
        losses.append(np.mean(batch_losses))
        accs.append(float(backend.to_numpy(acc.result())))
        acc.reset_state()
    return losses, accs


# --------------------------------------------------------------------------------------
# LOOP
# --------------------------------------------------------------------------------------

@clause("LOOP")
def test_the_seed_loop_matches_fit_on_the_same_batches(backend):
    keras, tf = backend.keras, backend.tf
    looped = _fixed_weights(_mlp(keras, tf))
    fitted = _mlp(keras, tf)
    fitted.set_weights(looped.get_weights())
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    losses, accs = _loop(backend, looped, optimizer)
    assert int(backend.to_numpy(optimizer.iterations)) == 12
    fitted.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                   loss="sparse_categorical_crossentropy",
                   metrics=["sparse_categorical_accuracy"])
    x, y = _data()
    history = fitted.fit(x, y, batch_size=BATCH, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-5)
    np.testing.assert_allclose(history.history["sparse_categorical_accuracy"], accs, rtol=1e-6)
    assert losses[2] < losses[0]
    for a, b in zip(looped.get_weights(), fitted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(backend.to_numpy(fitted.optimizer.iterations)) == 12


@clause("LOOP")
def test_model_losses_after_a_call_hold_that_calls_add_loss_values(backend):
    keras, tf = backend.keras, backend.tf
    model = _fixed_weights(_mlp(keras, tf))
    x, _ = _data()
    model(x[:BATCH])
    model(x[BATCH:2 * BATCH])
    hidden = np.maximum(x[BATCH:2 * BATCH] @ model.get_weights()[0] + model.get_weights()[1], 0)
    assert len(model.losses) == 1
    np.testing.assert_allclose(backend.to_numpy(model.losses[0]), 1e-2 * hidden.sum(), rtol=1e-5)


@clause("LOOP")
def test_without_training_true_dropout_is_inactive_under_the_tape(backend):
    keras, tf = backend.keras, backend.tf
    model = keras.Sequential([keras.Input(shape=(1000,)), keras.layers.Dropout(0.5)])
    x = tf.constant(np.ones((2, 1000), np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        plain = model(x)
        dropped = model(x, training=True)
    np.testing.assert_array_equal(backend.to_numpy(plain), np.ones((2, 1000)))
    dropped = backend.to_numpy(dropped)
    assert set(np.unique(dropped)) <= {0.0, 2.0}
    assert 0.4 < np.mean(dropped == 0) < 0.6


# --------------------------------------------------------------------------------------
# TRAIN_STEP
# --------------------------------------------------------------------------------------

def _tracker_model_class(keras, tf, loss_tracker, seen, listed):
    """003's first CustomModel: train_step with its own loss; `metrics` lists the trackers."""
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    class CustomModel(keras.Model):
        def train_step(self, data):
            inputs, targets = data
            with tf.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = loss_fn(targets, predictions)
            gradients = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
            loss_tracker.update_state(loss)
            seen.update_state(tf.cast(tf.shape(inputs)[0], "float32"))
            return {"loss": loss_tracker.result(), "seen": seen.result()}

        @property
        def metrics(self):
            return [loss_tracker, seen] if listed else [loss_tracker]

    return CustomModel


def _functional(keras, cls):
    inputs = keras.Input(shape=(FEATURES,))
    features = keras.layers.Dense(8, activation="relu")(inputs)
    outputs = keras.layers.Dense(CLASSES, activation="softmax")(features)
    return cls(inputs=inputs, outputs=outputs)


@clause("TRAIN_STEP")
@pytest.mark.parametrize("listed", [True, False])
def test_fit_resets_exactly_the_metrics_the_metrics_property_lists(backend, listed):
    keras, tf = backend.keras, backend.tf
    loss_tracker = keras.metrics.Mean(name="loss")
    seen = keras.metrics.Sum(name="seen")
    model = _functional(keras, _tracker_model_class(keras, tf, loss_tracker, seen, listed))
    model.compile(optimizer=keras.optimizers.RMSprop())
    x, y = _data()
    history = model.fit(x, y, batch_size=BATCH, epochs=3, verbose=0)
    assert list(history.history) == ["loss", "seen"]
    assert history.history["seen"] == ([32.0, 32.0, 32.0] if listed else [32.0, 64.0, 96.0])
    assert float(backend.to_numpy(loss_tracker.count)) == 4.0     # reset: one epoch's batches
    model.evaluate(x, y, batch_size=BATCH, verbose=0)             # the default test_step
    assert float(backend.to_numpy(seen.result())) == (0.0 if listed else 96.0)


@clause("TRAIN_STEP")
def test_the_returned_dict_becomes_the_logs(backend):
    keras, tf = backend.keras, backend.tf

    class Logged(keras.Model):
        def train_step(self, data):
            inputs, _ = data
            return {"b_first": tf.reduce_sum(inputs) * 0.0 + 1.0,
                    "a_second": tf.cast(tf.shape(inputs)[0], "float32")}

    model = _functional(keras, Logged)
    model.compile(optimizer="sgd")
    x, y = _data()
    history = model.fit(x, y, batch_size=10, epochs=2, verbose=0)
    assert list(history.history) == ["b_first", "a_second"]
    assert history.history["a_second"] == [2.0, 2.0]              # the last batch: 32 = 3*10 + 2
    assert history.history["b_first"] == [1.0, 1.0]


def _compiled_model_class(keras, tf):
    """003's second CustomModel: compiled_loss, compiled_metrics and self.metrics."""

    class CustomModel(keras.Model):
        def train_step(self, data):
            inputs, targets = data
            with tf.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = self.compiled_loss(targets, predictions,
                                          regularization_losses=self.losses)
            gradients = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
            self.compiled_metrics.update_state(targets, predictions)
            return {m.name: m.result() for m in self.metrics}

    return CustomModel


@clause("TRAIN_STEP")
def test_compiled_loss_and_metrics_reproduce_the_default_train_step(backend):
    keras, tf = backend.keras, backend.tf
    custom = _fixed_weights(_functional(keras, _compiled_model_class(keras, tf)))
    plain = _functional(keras, keras.Model)
    plain.set_weights(custom.get_weights())
    assert custom.metrics == []
    for model in (custom, plain):
        model.compile(optimizer=keras.optimizers.RMSprop(),
                      loss=keras.losses.SparseCategoricalCrossentropy(),
                      metrics=[keras.metrics.SparseCategoricalAccuracy()])
    assert custom.metrics == []                                   # filled by the first fit
    x, y = _data()
    got = custom.fit(x, y, batch_size=BATCH, epochs=2, shuffle=False, verbose=0).history
    want = plain.fit(x, y, batch_size=BATCH, epochs=2, shuffle=False, verbose=0).history
    assert list(got) == ["loss", "sparse_categorical_accuracy"] == list(want)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-5)
    for a, b in zip(custom.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert [(type(m).__name__, m.name) for m in custom.metrics] == [
        ("Mean", "loss"), ("SparseCategoricalAccuracy", "sparse_categorical_accuracy")]
    assert custom.metrics_names == ["loss", "sparse_categorical_accuracy"]
    assert custom.optimizer is not None and int(backend.to_numpy(custom.optimizer.iterations)) == 8


@clause("TRAIN_STEP")
def test_evaluate_runs_test_step_and_predict_runs_predict_step(backend):
    keras, tf = backend.keras, backend.tf
    calls = keras.metrics.Sum(name="test_batches")

    class Stepped(keras.Model):
        def train_step(self, data):
            raise AssertionError("evaluate and predict must not train")

        def test_step(self, data):
            inputs, _ = data
            calls.update_state(1.0)
            return {"rows": tf.cast(tf.shape(inputs)[0], "float32"), "calls": calls.result()}

        def predict_step(self, data):
            return self(data, training=False) * 2.0

        @property
        def metrics(self):
            return [calls]

    model = _functional(keras, Stepped)
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data()
    result = model.evaluate(x, y, batch_size=10, verbose=0, return_dict=True)
    assert result == {"rows": 2.0, "calls": 4.0}
    np.testing.assert_allclose(model.predict(x, batch_size=10, verbose=0),
                               2.0 * backend.to_numpy(model(x)), rtol=1e-6)


# --------------------------------------------------------------------------------------
# FUNCTION
# --------------------------------------------------------------------------------------

@clause("FUNCTION")
def test_a_tf_function_step_gives_the_eager_results(backend):
    keras, tf = backend.keras, backend.tf
    eager = _fixed_weights(_mlp(keras, tf))
    traced = _mlp(keras, tf)
    traced.set_weights(eager.get_weights())
    eager_losses, eager_accs = _loop(backend, eager, keras.optimizers.SGD(learning_rate=0.1))
    traced_losses, traced_accs = _loop(backend, traced, keras.optimizers.SGD(learning_rate=0.1),
                                       step=tf.function)
    np.testing.assert_allclose(traced_losses, eager_losses, rtol=1e-6)
    np.testing.assert_allclose(traced_accs, eager_accs, rtol=1e-6)
    for a, b in zip(eager.get_weights(), traced.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def _seed_004_run(backend, decorate):
    """004's train_one_step / train (mnist_dataset() replaced by our data), run twice."""
    keras, tf = backend.keras, backend.tf
    keras.backend.clear_session()
    model = _fixed_weights(keras.Sequential([keras.Input(shape=(FEATURES,)),
                                             keras.layers.Dense(CLASSES)]))
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    compute_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    compute_accuracy = keras.metrics.SparseCategoricalAccuracy()

    def train_one_step(model, optimizer, x, y):
        with tf.GradientTape() as tape:
            logits = model(x)
            loss = compute_loss(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        compute_accuracy(y, logits)
        return loss

    x, y = _data()

    def train(model, optimizer):
        train_ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH)
        loss = 0.0
        for bx, by in train_ds:
            loss = train_one_step(model, optimizer, bx, by)
        return loss

    train = tf.function(train) if decorate else train
    last = [float(backend.to_numpy(train(model, optimizer))) for _ in range(2)]
    return (last, float(backend.to_numpy(compute_accuracy.result())), model.get_weights(),
            int(backend.to_numpy(optimizer.iterations)))


@clause("FUNCTION")
def test_the_seed_004_train_loop_under_tf_function(backend):
    e_loss, e_acc, e_w, e_it = _seed_004_run(backend, decorate=False)
    t_loss, t_acc, t_w, t_it = _seed_004_run(backend, decorate=True)
    assert e_it == t_it == 8
    np.testing.assert_allclose(t_loss, e_loss, rtol=1e-6)
    assert t_acc == e_acc
    for a, b in zip(e_w, t_w):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


@clause("FUNCTION")
def test_two_calls_inside_a_tf_function_leave_the_last_calls_losses(backend):
    keras, tf = backend.keras, backend.tf
    model = _fixed_weights(_mlp(keras, tf))
    x, _ = _data()

    def two_calls(a, b):
        model(a)
        model(b)
        return tf.add_n(model.losses), len(model.losses)

    first, second = tf.constant(x[:BATCH]), tf.constant(x[BATCH:2 * BATCH])
    eager_sum, eager_count = two_calls(first, second)
    traced_sum, traced_count = tf.function(two_calls)(first, second)
    assert eager_count == traced_count == 1
    np.testing.assert_allclose(backend.to_numpy(traced_sum), backend.to_numpy(eager_sum),
                               rtol=1e-6)


@clause("FUNCTION")
def test_the_seed_003_test_step_under_tf_function_gives_the_eager_logs(backend):
    keras, tf = backend.keras, backend.tf
    model = _fixed_weights(_mlp(keras, tf, activity=False))
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    metrics = [keras.metrics.SparseCategoricalAccuracy()]
    loss_tracking_metric = keras.metrics.Mean()

    def test_step(inputs, targets):
        predictions = model(inputs, training=False)
        loss = loss_fn(targets, predictions)
        logs = {}
        for metric in metrics:
            metric.update_state(targets, predictions)
            logs["val_" + metric.name] = metric.result()
        loss_tracking_metric.update_state(loss)
        logs["val_loss"] = loss_tracking_metric.result()
        return logs

    def reset_metrics():
        for metric in metrics:
            metric.reset_state()
        loss_tracking_metric.reset_state()

    x, y = _data()
    val_dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH)
    runs = []
    for step in (test_step, tf.function(test_step)):
        reset_metrics()
        for inputs_batch, targets_batch in val_dataset:
            logs = step(inputs_batch, targets_batch)
        runs.append({k: float(backend.to_numpy(v)) for k, v in logs.items()})
    assert list(runs[0]) == ["val_sparse_categorical_accuracy", "val_loss"]
    assert runs[0] == pytest.approx(runs[1], rel=1e-6)
    result = dict(zip(["val_loss", "val_sparse_categorical_accuracy"], [0.0, 0.0]))
    model.compile(loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
    result.update(zip(["val_loss", "val_sparse_categorical_accuracy"],
                      model.evaluate(x, y, batch_size=BATCH, verbose=0)))
    assert runs[0] == pytest.approx(result, rel=1e-5)


# --------------------------------------------------------------------------------------
# PIT.RESET_STATES_ALIAS.FIT
# --------------------------------------------------------------------------------------

def _counting_metric(keras, tf, no_op):
    class SampleCount(keras.metrics.Metric):
        def __init__(self, name="samples", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_weight(name="count", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.count.assign_add(tf.cast(tf.shape(y_true)[0], "float32"))

        def result(self):
            return self.count

        def reset_states(self):                   # the old name, overridden alone
            if not no_op:
                self.count.assign(0.0)

    return SampleCount()


@clause("PIT.RESET_STATES_ALIAS.FIT", requires=("reset_states",))
@pytest.mark.parametrize("no_op", [False, True])
def test_fit_and_evaluate_reset_through_a_reset_states_override(backend, no_op):
    keras, tf = backend.keras, backend.tf
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    metric = _counting_metric(keras, tf, no_op)
    model.compile(optimizer="sgd", loss="mse", metrics=[metric])
    x, y = np.ones((6, 2), np.float32), np.ones((6, 1), np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, batch_size=4, epochs=3, verbose=0)
        evaluated = model.evaluate(x, y, batch_size=4, verbose=0)
    assert history.history["samples"] == ([6.0, 6.0, 6.0] if not no_op else [6.0, 12.0, 18.0])
    assert evaluated[1] == (6.0 if not no_op else 24.0)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert any("implements a `reset_states()` method; rename it to `reset_state()`" in m
               for m in messages)
