"""add_loss and add_metric inside the training loop: what fit, evaluate and model.losses see.

Seed 000 "不符合标准签名的 loss 和 metric" (ActivityRegularizationLayer,
MetricLoggingLayer, model.add_loss / model.add_metric, the LogisticEndpoint model
compiled with no loss) and 001 "低水平处理额外损失" (``model.losses`` holds the
latest forward pass only). Oracles are computed in numpy from the batches:
x = [1, 2, 3, 4, 5], y = 0, an identity Dense (kernel 1, bias 0), SGD with learning
rate 0 (so every batch sees the same weights), batch_size 2 and no shuffling give
the batches [1, 2], [3, 4], [5].
"""
import numpy as np
import pytest

from conformance import clause

X = np.arange(1, 6, dtype=np.float32).reshape(5, 1)
Y = np.zeros((5, 1), np.float32)
BATCHES = [X[:2], X[2:4], X[4:]]


def _weighted_mean(values):
    """Σ n_b · v_b / N over the batches: how fit and evaluate average a loss."""
    sizes = np.array([len(b) for b in BATCHES], np.float64)
    return float(np.dot(sizes, values) / sizes.sum())


def _add_loss_layer(keras, tf, fn):
    class ActivityRegularizationLayer(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(fn(tf, inputs))
            return inputs

    return ActivityRegularizationLayer()


def _identity_dense(keras):
    return keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")


def _tenth_of_sum(tf, inputs):
    return 0.1 * tf.reduce_sum(inputs)


def _layer_model(keras, tf, fn=_tenth_of_sum):
    inputs = keras.Input(shape=(1,))
    outputs = _identity_dense(keras)(_add_loss_layer(keras, tf, fn)(inputs))
    return keras.Model(inputs, outputs)


def _compile(keras, model, loss="mse"):
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss=loss)


def _oracle_total():
    mse = [float(np.mean(b ** 2)) for b in BATCHES]
    extra = [0.1 * float(b.sum()) for b in BATCHES]
    return _weighted_mean(np.add(mse, extra))


# --------------------------------------------------------------------------------------
# ADD_LOSS.LAYER
# --------------------------------------------------------------------------------------

@clause("ADD_LOSS.LAYER")
def test_a_layer_add_loss_joins_the_compiled_loss_in_fit_evaluate_and_validation(backend):
    keras, tf = backend.keras, backend.tf
    model = _layer_model(keras, tf)
    _compile(keras, model)
    history = model.fit(X, Y, batch_size=2, epochs=2, shuffle=False, verbose=0,
                        validation_data=(X, Y))
    expected = _oracle_total()
    assert expected == pytest.approx(11.5)
    np.testing.assert_allclose(history.history["loss"], [expected] * 2, rtol=1e-5)
    np.testing.assert_allclose(history.history["val_loss"], [expected] * 2, rtol=1e-5)
    np.testing.assert_allclose(model.evaluate(X, Y, batch_size=2, verbose=0), expected, rtol=1e-5)


@clause("ADD_LOSS.LAYER")
def test_without_the_layer_the_loss_is_the_compiled_loss_alone(backend):
    keras = backend.keras
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, _identity_dense(keras)(inputs))
    _compile(keras, model)
    history = model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [11.0], rtol=1e-6)


@clause("ADD_LOSS.LAYER")
def test_the_batch_totals_are_averaged_weighted_by_batch_size(backend):
    keras, tf = backend.keras, backend.tf
    model = _layer_model(keras, tf, lambda tf, x: 0.1 * tf.reduce_sum(tf.square(x)))
    _compile(keras, model)
    history = model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    totals = [float(np.mean(b ** 2) + 0.1 * np.sum(b ** 2)) for b in BATCHES]
    weighted, plain = _weighted_mean(totals), float(np.mean(totals))
    assert abs(weighted - plain) > 0.5
    np.testing.assert_allclose(history.history["loss"], [weighted], rtol=1e-5)


@clause("ADD_LOSS.LAYER")
def test_a_model_whose_only_loss_is_add_loss_compiles_without_loss_and_fits_on_x(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(1,))        # add_loss after the Dense, so it has gradients
    square = _add_loss_layer(keras, tf, lambda tf, x: 0.1 * tf.reduce_sum(tf.square(x)))
    model = keras.Model(inputs, square(_identity_dense(keras)(inputs)))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0))
    history = model.fit(X, batch_size=2, epochs=1, shuffle=False, verbose=0)
    assert list(history.history) == ["loss"]
    # With no compiled loss there is no target to weigh by: every batch counts once.
    extra = [0.1 * float(np.sum(b ** 2)) for b in BATCHES]      # 0.5, 2.5, 2.5
    assert _weighted_mean(extra) == pytest.approx(1.7)
    np.testing.assert_allclose(history.history["loss"], [np.mean(extra)], rtol=1e-5)
    np.testing.assert_allclose(model.evaluate(X, batch_size=2, verbose=0), 11 / 6, rtol=1e-5)
    np.testing.assert_allclose(model.evaluate(X, Y, batch_size=2, verbose=0), 11 / 6, rtol=1e-5)


@clause("ADD_LOSS.LAYER")
def test_add_loss_gradients_train_the_layers_below_it(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(1,))
    dense = _identity_dense(keras)
    outputs = _add_loss_layer(keras, tf, _tenth_of_sum)(dense(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1))
    model.fit(X[:2], batch_size=2, epochs=1, verbose=0)
    # loss = 0.1 * (k*1 + b + k*2 + b): d/dk = 0.3, d/db = 0.2
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(kernel, [[1.0 - 0.1 * 0.3]], rtol=1e-6)
    np.testing.assert_allclose(bias, [-0.1 * 0.2], rtol=1e-6)


# --------------------------------------------------------------------------------------
# ADD_LOSS.MODEL
# --------------------------------------------------------------------------------------

@clause("ADD_LOSS.MODEL", requires=("symbolic_add_loss",))
def test_model_add_loss_on_a_symbolic_tensor_matches_the_layer_version(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, _identity_dense(keras)(inputs))
    model.add_loss(0.1 * tf.reduce_sum(inputs))
    _compile(keras, model)
    history = model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0,
                        validation_data=(X, Y))
    np.testing.assert_allclose(history.history["loss"], [11.5], rtol=1e-5)
    np.testing.assert_allclose(history.history["val_loss"], [11.5], rtol=1e-5)
    np.testing.assert_allclose(model.evaluate(X, Y, batch_size=2, verbose=0), 11.5, rtol=1e-5)


@clause("ADD_LOSS.MODEL", requires=("symbolic_add_loss", "add_metric"))
def test_model_add_loss_and_add_metric_insert_layers_into_the_graph(backend):
    keras, tf = backend.keras, backend.tf
    layers = keras.layers
    inputs = keras.Input(shape=(784,), name="digits")
    x1 = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x2 = layers.Dense(64, activation="relu", name="dense_2")(x1)
    outputs = layers.Dense(10, name="predictions")(x2)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.add_loss(tf.reduce_sum(x1) * 0.1)
    model.add_metric(keras.backend.std(x1), name="std_of_activation", aggregation="mean")
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Dense", "Dense", "Dense", "TFOpLambda", "TFOpLambda", "AddLoss",
        "TFOpLambda", "AddMetric"]
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    rng = np.random.default_rng(0)
    history = model.fit(rng.random((8, 784), dtype=np.float32), rng.integers(0, 10, 8),
                        batch_size=4, epochs=1, verbose=0)
    assert list(history.history) == ["loss", "std_of_activation"]


@clause("ADD_LOSS.MODEL", requires=("symbolic_add_loss",))
def test_model_add_loss_of_an_eager_tensor_is_an_error(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, _identity_dense(keras)(inputs))
    with pytest.raises(ValueError) as info:
        model.add_loss(tf.constant(1.0))
    assert str(info.value) == (
        "Expected a symbolic Tensors or a callable for the loss value. Please wrap your loss "
        "computation in a zero argument `lambda`.")
    assert model.losses == []


# --------------------------------------------------------------------------------------
# ADD_LOSS.RESET
# --------------------------------------------------------------------------------------

@clause("ADD_LOSS.RESET")
def test_model_losses_hold_only_the_latest_call(backend):
    keras, tf = backend.keras, backend.tf
    model = _layer_model(keras, tf)
    assert len(model.losses) == 1           # the symbolic loss of graph construction
    model(X[:2])
    model(X[2:4])
    model(X[4:])
    assert len(model.losses) == 1
    np.testing.assert_allclose(backend.to_numpy(model.losses[0]), 0.5, rtol=1e-6)
    model(X[:2])
    np.testing.assert_allclose([backend.to_numpy(v) for v in model.losses], [0.3], rtol=1e-6)


@clause("ADD_LOSS.RESET")
def test_a_standalone_layer_clears_its_losses_on_every_call(backend):
    keras, tf = backend.keras, backend.tf
    layer = _add_loss_layer(keras, tf, _tenth_of_sum)
    layer(X[:2])
    layer(X[2:4])
    np.testing.assert_allclose([backend.to_numpy(v) for v in layer.losses], [0.7], rtol=1e-6)


@clause("ADD_LOSS.RESET")
def test_one_loss_per_add_loss_call_of_the_pass(backend):
    keras, tf = backend.keras, backend.tf

    class Twice(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs))
            self.add_loss(2.0 * tf.reduce_sum(inputs))
            return inputs

    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, Twice()(inputs))
    model(X[:2])
    model(X[2:4])
    np.testing.assert_allclose([backend.to_numpy(v) for v in model.losses], [7.0, 14.0],
                               rtol=1e-6)


@clause("ADD_LOSS.RESET")
def test_a_custom_loop_adds_sum_of_model_losses_itself(backend):
    keras, tf = backend.keras, backend.tf
    model = _layer_model(keras, tf)
    loss_fn = keras.losses.MeanSquaredError()
    with tf.GradientTape() as tape:
        pred = model(X[:2], training=True)
        without = loss_fn(Y[:2], pred)
        loss = without + sum(model.losses)
    np.testing.assert_allclose(backend.to_numpy(without), 2.5, rtol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(loss), 2.8, rtol=1e-6)
    grads = tape.gradient(loss, model.trainable_weights)
    # d/dk of mean((k x + b)^2) at k=1, b=0 over x=[1,2] is mean(2 x^2) = 5; d/db = mean(2x) = 3
    np.testing.assert_allclose([backend.to_numpy(g).ravel()[0] for g in grads], [5.0, 3.0],
                               rtol=1e-6)


# --------------------------------------------------------------------------------------
# ADD_METRIC
# --------------------------------------------------------------------------------------

def _metric_layer(keras, tf, **kwargs):
    class MetricLoggingLayer(keras.layers.Layer):
        def call(self, inputs):
            self.add_metric(tf.reduce_mean(inputs), **kwargs)
            return inputs

    return MetricLoggingLayer()


def _metric_model(keras, tf, **kwargs):
    inputs = keras.Input(shape=(1,))
    outputs = _identity_dense(keras)(_metric_layer(keras, tf, **kwargs)(inputs))
    model = keras.Model(inputs, outputs)
    _compile(keras, model)
    return model


@clause("ADD_METRIC", requires=("add_metric",))
def test_add_metric_logs_the_unweighted_mean_of_the_batch_values(backend):
    keras, tf = backend.keras, backend.tf
    model = _metric_model(keras, tf, name="mean_act", aggregation="mean")
    history = model.fit(X, Y, batch_size=2, epochs=2, shuffle=False, verbose=0,
                        validation_data=(X, Y))
    expected = (1.5 + 3.5 + 5.0) / 3              # batch means; size-weighted would be 3.0
    assert list(history.history) == ["loss", "mean_act", "val_loss", "val_mean_act"]
    np.testing.assert_allclose(history.history["mean_act"], [expected] * 2, rtol=1e-6)
    np.testing.assert_allclose(history.history["val_mean_act"], [expected] * 2, rtol=1e-6)
    result = model.evaluate(X, Y, batch_size=2, verbose=0, return_dict=True)
    assert list(result) == ["loss", "mean_act"]
    np.testing.assert_allclose(result["mean_act"], expected, rtol=1e-6)
    assert model.metrics_names == ["loss", "mean_act"]


@clause("ADD_METRIC", requires=("add_metric",))
@pytest.mark.parametrize("aggregation", [None, "sum"])
def test_the_aggregation_argument_does_not_change_the_mean(backend, aggregation):
    keras, tf = backend.keras, backend.tf
    model = _metric_model(keras, tf, name="mean_act", aggregation=aggregation)
    history = model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["mean_act"], [10.0 / 3], rtol=1e-6)


@clause("ADD_METRIC", requires=("add_metric",))
def test_add_metric_needs_a_name_and_known_keywords(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(1,))
    with pytest.raises(ValueError) as info:
        _metric_layer(keras, tf)(inputs)
    assert ("Please provide a name for your metric like "
            "`self.add_metric(tf.reduce_sum(inputs), name='mean_activation')`") in str(info.value)
    with pytest.raises(TypeError) as info:
        _metric_layer(keras, tf, name="m", foo=1)(inputs)
    assert "Unknown keyword arguments" in str(info.value) and "foo" in str(info.value)


@clause("ADD_METRIC", requires=("add_metric",))
def test_model_add_metric_needs_a_symbolic_tensor(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, _identity_dense(keras)(inputs))
    with pytest.raises(ValueError) as info:
        model.add_metric(tf.constant(1.0), name="x")
    assert str(info.value).startswith("Expected a symbolic Tensor for the metric value, received: ")


@clause("ADD_METRIC", requires=("add_metric",))
def test_the_result_of_a_metric_object_is_logged_under_the_metrics_own_name(backend):
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
    logits = keras.layers.Dense(10)(inputs)
    predictions = LogisticEndpoint(name="predictions")(logits, targets)
    model = keras.Model(inputs=[inputs, targets], outputs=predictions)
    model.compile(optimizer="adam")
    rng = np.random.default_rng(0)
    data = {"inputs": rng.random((3, 3), dtype=np.float32),
            "targets": rng.random((3, 10), dtype=np.float32)}
    history = model.fit(data, verbose=0)
    assert list(history.history) == ["loss", "binary_accuracy"]
