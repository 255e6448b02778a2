"""Issue 4: every model the seed documents build, built by refkeras as tf_keras builds it.

Spec clauses: none of its own; this is the engine-side check of issue 4 ("every model in
the seed documents must build in refkeras with only the import line changed, and behave
as tf_keras does").

Rule. Each ``build_<name>(keras, tf)`` below is one model-building snippet of a seed
(``/work/shared/seeds``), copied with only its import lines changed: ``keras`` and
``tf`` come in as arguments and ``layers = keras.layers``. The R listings of 003 are
written as the Python edition of the same chapter writes them. A builder returns
``(model, x)`` or ``(model, x, extras)``: ``x`` is a sample batch made with numpy from a
fixed seed, ``extras`` what the seed prints about the graph. ``describe`` (shared with the
generator) builds a snippet after ``clear_session()`` and ``set_random_seed(0)``, calls
the model on ``x`` and records: class name, ``[layer.name, class name]`` per layer, weight
names and shapes, ``count_params()``, output structure, shapes and dtypes, the
``summary()`` lines, and, after every weight is set to
``rng(1).standard_normal(shape) * 0.1`` in weight order, the outputs and ``model.losses``.
A step that raises records ``[exception class name, message]`` instead, so an error
tf_keras raises must be raised by refkeras too, with the same message.

Owners. The snippets and ``describe`` live here; ``fixtures/make_seed_fixtures.py`` runs
them on tf_keras and writes ``fixtures/seed_models.json``; this test runs them on
refkeras and compares (numbers within rtol 1e-5 / atol 1e-5, everything else exactly).

>>> sorted(SNIPPETS)[:2]
['activity_regularization', 'add_loss_metric']
"""
import json
import pathlib

import numpy as np
import pytest

import refkeras
from refkeras.compat import tf as refkeras_tf

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixtures" / "seed_models.json"
RTOL = 1e-5
ATOL = 1e-5


def _rng():
    return np.random.default_rng(0)


# ---------------------------------------------------------------------------------------
# 000 / 002 "Training and evaluation with the built-in methods" (2022)
# ---------------------------------------------------------------------------------------

def build_mnist_mlp(keras, tf):
    """000 "API 概述" / get_uncompiled_model (same code in 001 and 002)."""
    layers = keras.layers
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)

    model = keras.Model(inputs=inputs, outputs=outputs)
    return model, _rng().random((3, 784), dtype=np.float32)


def build_activity_regularization(keras, tf):
    """000 / 002 "不符合标准签名的 loss 和 metric": ActivityRegularizationLayer."""
    layers = keras.layers

    class ActivityRegularizationLayer(layers.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs) * 0.1)
            return inputs  # Pass-through layer.

    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)

    # 插入激活正则化 layer
    x = ActivityRegularizationLayer()(x)

    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, name="predictions")(x)

    model = keras.Model(inputs=inputs, outputs=outputs)
    return model, _rng().random((3, 784), dtype=np.float32)


def build_metric_logging(keras, tf):
    """000 "不符合标准签名的 loss 和 metric": MetricLoggingLayer with add_metric."""
    layers = keras.layers

    class MetricLoggingLayer(layers.Layer):
        def call(self, inputs):
            # The `aggregation` argument defines
            # how to aggregate the per-batch values
            # over each epoch:
            # in this case we simply average them.
            self.add_metric(
                keras.backend.std(inputs), name="std_of_activation", aggregation="mean"
            )
            return inputs  # Pass-through layer.

    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)

    # Insert std logging as a layer.
    x = MetricLoggingLayer()(x)

    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, name="predictions")(x)

    model = keras.Model(inputs=inputs, outputs=outputs)
    return model, _rng().random((3, 784), dtype=np.float32)


def build_add_loss_metric(keras, tf):
    """000 "不符合标准签名的 loss 和 metric": model.add_loss / model.add_metric."""
    layers = keras.layers
    inputs = keras.Input(shape=(784,), name="digits")
    x1 = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x2 = layers.Dense(64, activation="relu", name="dense_2")(x1)
    outputs = layers.Dense(10, name="predictions")(x2)
    model = keras.Model(inputs=inputs, outputs=outputs)

    model.add_loss(tf.reduce_sum(x1) * 0.1)

    model.add_metric(keras.backend.std(x1), name="std_of_activation", aggregation="mean")
    return model, _rng().random((3, 784), dtype=np.float32)


def build_logistic_endpoint(keras, tf):
    """000 "不符合标准签名的 loss 和 metric": the LogisticEndpoint layer, two-input model."""

    class LogisticEndpoint(keras.layers.Layer):
        def __init__(self, name=None):
            super(LogisticEndpoint, self).__init__(name=name)  # noqa: UP008 - the guide's line
            self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
            self.accuracy_fn = keras.metrics.BinaryAccuracy()

        def call(self, targets, logits, sample_weights=None):
            # Compute the training-time loss value and add it
            # to the layer using `self.add_loss()`.
            loss = self.loss_fn(targets, logits, sample_weights)
            self.add_loss(loss)

            # Log accuracy as a metric and add it
            # to the layer using `self.add_metric()`.
            acc = self.accuracy_fn(targets, logits, sample_weights)
            self.add_metric(acc, name="accuracy")

            # Return the inference-time prediction tensor (for `.predict()`).
            return tf.nn.softmax(logits)

    inputs = keras.Input(shape=(3,), name="inputs")
    targets = keras.Input(shape=(10,), name="targets")
    logits = keras.layers.Dense(10)(inputs)
    predictions = LogisticEndpoint(name="predictions")(logits, targets)

    model = keras.Model(inputs=[inputs, targets], outputs=predictions)
    rng = _rng()
    data = {
        "inputs": rng.random((3, 3)),
        "targets": rng.random((3, 10)),
    }
    return model, data


def build_multi_input_output(keras, tf):
    """000 "多输入/多输出模型的数据": image + timeseries inputs, score and class outputs."""
    layers = keras.layers
    image_input = keras.Input(shape=(32, 32, 3), name="img_input")
    timeseries_input = keras.Input(shape=(None, 10), name="ts_input")

    x1 = layers.Conv2D(3, 3)(image_input)
    x1 = layers.GlobalMaxPooling2D()(x1)

    x2 = layers.Conv1D(3, 3)(timeseries_input)
    x2 = layers.GlobalMaxPooling1D()(x2)

    x = layers.concatenate([x1, x2])

    score_output = layers.Dense(1, name="score_output")(x)
    class_output = layers.Dense(5, name="class_output")(x)

    model = keras.Model(
        inputs=[image_input, timeseries_input], outputs=[score_output, class_output]
    )
    rng = _rng()
    img_data = rng.random(size=(4, 32, 32, 3))
    ts_data = rng.random(size=(4, 20, 10))
    return model, [img_data, ts_data]


def build_multi_input_output_dict(keras, tf):
    """000 "多输入/多输出模型的数据": the same model fed a dict keyed by input names."""
    model, (img_data, ts_data) = build_multi_input_output(keras, tf)
    return model, {"img_input": img_data, "ts_input": ts_data}


# ---------------------------------------------------------------------------------------
# 001 the TF 2.0-alpha version of the guide (softmax outputs; part 2: custom loops)
# ---------------------------------------------------------------------------------------

def build_alpha_activity_regularization(keras, tf):
    """001 "处理不符合标准签名的损失和指标": ActivityRegularizationLayer, softmax output."""
    layers = keras.layers

    class ActivityRegularizationLayer(layers.Layer):

        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs) * 0.1)
            return inputs  # Pass-through layer.

    inputs = keras.Input(shape=(784,), name='digits')
    x = layers.Dense(64, activation='relu', name='dense_1')(inputs)

    # Insert activity regularization as a layer
    x = ActivityRegularizationLayer()(x)

    x = layers.Dense(64, activation='relu', name='dense_2')(x)
    outputs = layers.Dense(10, activation='softmax', name='predictions')(x)

    model = keras.Model(inputs=inputs, outputs=outputs)
    return model, _rng().random((3, 784), dtype=np.float32)


def build_alpha_metric_logging(keras, tf):
    """001 "处理不符合标准签名的损失和指标": MetricLoggingLayer, softmax output."""
    layers = keras.layers

    class MetricLoggingLayer(layers.Layer):

        def call(self, inputs):
            # The `aggregation` argument defines
            # how to aggregate the per-batch values
            # over each epoch:
            # in this case we simply average them.
            self.add_metric(keras.backend.std(inputs),
                            name='std_of_activation',
                            aggregation='mean')
            return inputs  # Pass-through layer.

    inputs = keras.Input(shape=(784,), name='digits')
    x = layers.Dense(64, activation='relu', name='dense_1')(inputs)

    # Insert std logging as a layer.
    x = MetricLoggingLayer()(x)

    x = layers.Dense(64, activation='relu', name='dense_2')(x)
    outputs = layers.Dense(10, activation='softmax', name='predictions')(x)

    model = keras.Model(inputs=inputs, outputs=outputs)
    return model, _rng().random((3, 784), dtype=np.float32)


def build_alpha_add_loss_metric(keras, tf):
    """001 "处理不符合标准签名的损失和指标": model.add_loss / add_metric, softmax output."""
    layers = keras.layers
    inputs = keras.Input(shape=(784,), name='digits')
    x1 = layers.Dense(64, activation='relu', name='dense_1')(inputs)
    x2 = layers.Dense(64, activation='relu', name='dense_2')(x1)
    outputs = layers.Dense(10, activation='softmax', name='predictions')(x2)
    model = keras.Model(inputs=inputs, outputs=outputs)

    model.add_loss(tf.reduce_sum(x1) * 0.1)

    model.add_metric(keras.backend.std(x1),
                     name='std_of_activation',
                     aggregation='mean')
    return model, _rng().random((3, 784), dtype=np.float32)


def build_alpha_multi_input_output(keras, tf):
    """001 "将数据传递到多输入，多输出模型": image + timeseries, softmax class output."""
    layers = keras.layers
    image_input = keras.Input(shape=(32, 32, 3), name='img_input')
    timeseries_input = keras.Input(shape=(None, 10), name='ts_input')

    x1 = layers.Conv2D(3, 3)(image_input)
    x1 = layers.GlobalMaxPooling2D()(x1)

    x2 = layers.Conv1D(3, 3)(timeseries_input)
    x2 = layers.GlobalMaxPooling1D()(x2)

    x = layers.concatenate([x1, x2])

    score_output = layers.Dense(1, name='score_output')(x)
    class_output = layers.Dense(5, activation='softmax', name='class_output')(x)

    model = keras.Model(inputs=[image_input, timeseries_input],
                        outputs=[score_output, class_output])
    rng = _rng()
    return model, [rng.random(size=(2, 32, 32, 3)), rng.random(size=(2, 12, 10))]


def build_alpha_low_level_losses(keras, tf):
    """001 "低水平处理额外损失": 1e-2 activity loss; model called three times, then losses."""
    layers = keras.layers

    class ActivityRegularizationLayer(layers.Layer):

        def call(self, inputs):
            self.add_loss(1e-2 * tf.reduce_sum(inputs))
            return inputs

    inputs = keras.Input(shape=(784,), name='digits')
    x = layers.Dense(64, activation='relu', name='dense_1')(inputs)
    # Insert activity regularization as a layer
    x = ActivityRegularizationLayer()(x)
    x = layers.Dense(64, activation='relu', name='dense_2')(x)
    outputs = layers.Dense(10, activation='softmax', name='predictions')(x)

    model = keras.Model(inputs=inputs, outputs=outputs)

    x_train = _rng().random((192, 784), dtype=np.float32)
    logits = model(x_train[:64])
    logits = model(x_train[64: 128])
    logits = model(x_train[128: 192])
    extras = {"losses_after_three_calls": len(model.losses), "logits_shape": str(logits.shape)}
    return model, x_train[:4], extras


# ---------------------------------------------------------------------------------------
# 003 "Deep Learning with R" chapter 7, as the Python edition writes the same listings
# ---------------------------------------------------------------------------------------

def build_seq_unbuilt_weights(keras, tf):
    """003 listing 7.3: an unbuilt Sequential model has no weights yet (ValueError)."""
    layers = keras.layers
    model = keras.Sequential([
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax")
    ])
    model.weights  # noqa: B018 - listing 7.3 reads the property to show the error
    return model, np.zeros((1, 3), np.float32)


def build_seq_list(keras, tf):
    """003 listings 7.1, 7.4: Sequential from a list, then build(input_shape=(None, 3))."""
    layers = keras.layers
    model = keras.Sequential([
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax")
    ])
    model.build(input_shape=(None, 3))
    extras = {"weights": [w.name for w in model.weights]}
    return model, _rng().random((2, 3), dtype=np.float32), extras


def build_seq_incremental(keras, tf):
    """003 listing 7.2: the same Sequential model built with add(), called on data."""
    layers = keras.layers
    model = keras.Sequential()
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    return model, _rng().random((2, 3), dtype=np.float32)


def build_seq_named(keras, tf):
    """003 listing 7.6: naming the model and its layers."""
    layers = keras.layers
    model = keras.Sequential(name="my_example_model")
    model.add(layers.Dense(64, activation="relu", name="my_first_layer"))
    model.add(layers.Dense(10, activation="softmax", name="my_last_layer"))
    model.build((None, 3))
    return model, _rng().random((2, 3), dtype=np.float32)


def build_seq_input_first_layer(keras, tf):
    """003 listing 7.7: input shape declared up front; summary after the first Dense."""
    layers = keras.layers
    model = keras.Sequential()
    model.add(keras.Input(shape=(3,)))
    model.add(layers.Dense(64, activation="relu"))
    return model, _rng().random((2, 3), dtype=np.float32)


def build_seq_input_second_layer(keras, tf):
    """003 listing 7.7 continued: summary after adding the softmax Dense."""
    layers = keras.layers
    model = keras.Sequential()
    model.add(keras.Input(shape=(3,)))
    model.add(layers.Dense(64, activation="relu"))
    first_summary = _summary(model)
    model.add(layers.Dense(10, activation="softmax"))
    return model, _rng().random((2, 3), dtype=np.float32), {"first_summary": first_summary}


def build_functional_simple(keras, tf):
    """003 listing 7.8: a simple Functional model with two Dense layers."""
    layers = keras.layers
    inputs = keras.Input(shape=(3,), name="my_input")
    features = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Dense(10, activation="softmax")(features)
    model = keras.Model(inputs=inputs, outputs=outputs)
    extras = {"inputs.shape": str(inputs.shape), "inputs.dtype": inputs.dtype.name,
              "features.shape": str(features.shape)}
    return model, _rng().random((2, 3), dtype=np.float32), extras


def _ticket_model(keras, vocabulary_size=10000, num_tags=100):
    """003 listing 7.9, shared by the builders below (and, smaller, by the guide tests)."""
    layers = keras.layers
    num_departments = 4

    title = keras.Input(shape=(vocabulary_size,), name="title")
    text_body = keras.Input(shape=(vocabulary_size,), name="text_body")
    tags = keras.Input(shape=(num_tags,), name="tags")

    features = layers.Concatenate()([title, text_body, tags])
    features = layers.Dense(64, activation="relu")(features)

    priority = layers.Dense(1, activation="sigmoid", name="priority")(features)
    department = layers.Dense(
        num_departments, activation="softmax", name="department")(features)

    model = keras.Model(inputs=[title, text_body, tags],
                        outputs=[priority, department])
    return model, (title, text_body, tags, priority, department)


def _ticket_data():
    """003 listing 7.10's dummy inputs (integer 0/1 arrays), two samples."""
    rng = _rng()
    num_samples = 2
    title_data = rng.integers(0, 2, size=(num_samples, 10000))
    text_body_data = rng.integers(0, 2, size=(num_samples, 10000))
    tags_data = rng.integers(0, 2, size=(num_samples, 100))
    return title_data, text_body_data, tags_data


def build_ticket_functional(keras, tf):
    """003 listings 7.9, 7.12: the multi-input, multi-output ticket model; layer I/O."""
    model, _ = _ticket_model(keras)
    extras = {"layers[3].input": [repr(t) for t in model.layers[3].input],
              "layers[3].output": repr(model.layers[3].output)}
    return model, list(_ticket_data()), extras


def build_ticket_functional_dict(keras, tf):
    """003 listing 7.11: the ticket model fed a dict keyed by input names."""
    model, _ = _ticket_model(keras)
    title_data, text_body_data, tags_data = _ticket_data()
    return model, {"title": title_data, "text_body": text_body_data, "tags": tags_data}


def build_ticket_new_model(keras, tf):
    """003 listing 7.13: a new model reusing an intermediate layer's output."""
    layers = keras.layers
    model, (title, text_body, tags, priority, department) = _ticket_model(keras)
    features = model.layers[4].output
    difficulty = layers.Dense(3, activation="softmax", name="difficulty")(features)

    new_model = keras.Model(
        inputs=[title, text_body, tags],
        outputs=[priority, department, difficulty])
    return new_model, list(_ticket_data())


def build_customer_ticket_model(keras, tf):
    """003 listing 7.14: the ticket model as a Model subclass, called on a dict."""
    layers = keras.layers

    class CustomerTicketModel(keras.Model):

        def __init__(self, num_departments):
            super().__init__()
            self.concat_layer = layers.Concatenate()
            self.mixing_layer = layers.Dense(64, activation="relu")
            self.priority_scorer = layers.Dense(1, activation="sigmoid")
            self.department_classifier = layers.Dense(
                num_departments, activation="softmax")

        def call(self, inputs):
            title = inputs["title"]
            text_body = inputs["text_body"]
            tags = inputs["tags"]

            features = self.concat_layer([title, text_body, tags])
            features = self.mixing_layer(features)
            priority = self.priority_scorer(features)
            department = self.department_classifier(features)
            return priority, department

    model = CustomerTicketModel(num_departments=4)
    title_data, text_body_data, tags_data = _ticket_data()
    return model, {"title": title_data, "text_body": text_body_data, "tags": tags_data}


def build_classifier_in_functional(keras, tf):
    """003 listing 7.15: a Functional model that includes a subclassed model."""
    layers = keras.layers

    class Classifier(keras.Model):

        def __init__(self, num_classes=2):
            super().__init__()
            if num_classes == 2:
                num_units = 1
                activation = "sigmoid"
            else:
                num_units = num_classes
                activation = "softmax"
            self.dense = layers.Dense(num_units, activation=activation)

        def call(self, inputs):
            return self.dense(inputs)

    inputs = keras.Input(shape=(3,))
    features = layers.Dense(64, activation="relu")(inputs)
    outputs = Classifier(num_classes=10)(features)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model, _rng().random((2, 3), dtype=np.float32)


def build_functional_in_subclass(keras, tf):
    """003 listing 7.16: a subclassed model that includes a Functional model."""
    layers = keras.layers
    inputs = keras.Input(shape=(64,))
    outputs = layers.Dense(1, activation="sigmoid")(inputs)
    binary_classifier = keras.Model(inputs=inputs, outputs=outputs)

    class MyModel(keras.Model):

        def __init__(self, num_classes=2):
            super().__init__()
            self.dense = layers.Dense(64, activation="relu")
            self.classifier = binary_classifier

        def call(self, inputs):
            features = self.dense(inputs)
            return self.classifier(features)

    model = MyModel()
    return model, _rng().random((2, 3), dtype=np.float32)


def build_mnist_model(keras, tf):
    """003 listing 7.17: get_mnist_model (Dense, Dropout, Dense)."""
    layers = keras.layers

    def get_mnist_model():
        inputs = keras.Input(shape=(28 * 28,))
        features = layers.Dense(512, activation="relu")(inputs)
        features = layers.Dropout(0.5)(features)
        outputs = layers.Dense(10, activation="softmax")(features)
        model = keras.Model(inputs, outputs)
        return model

    return get_mnist_model(), _rng().random((2, 28 * 28), dtype=np.float32)


def build_custom_train_step_tracker(keras, tf, dropout=0.5):
    """003 section 7.4.5, first CustomModel: train_step with a loss tracker metric."""
    layers = keras.layers
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    loss_tracker = keras.metrics.Mean(name="loss")

    class CustomModel(keras.Model):
        def train_step(self, data):
            inputs, targets = data
            with tf.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = loss_fn(targets, predictions)
            gradients = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))

            loss_tracker.update_state(loss)
            return {"loss": loss_tracker.result()}

        @property
        def metrics(self):
            return [loss_tracker]

    inputs = keras.Input(shape=(28 * 28,))
    features = layers.Dense(512, activation="relu")(inputs)
    features = layers.Dropout(dropout)(features)   # the seed's 0.5
    outputs = layers.Dense(10, activation="softmax")(features)
    model = CustomModel(inputs=inputs, outputs=outputs)
    return model, _rng().random((2, 28 * 28), dtype=np.float32)


def build_custom_train_step_compiled(keras, tf, dropout=0.5):
    """003 section 7.4.5, second CustomModel: train_step with compiled_loss/metrics."""
    layers = keras.layers

    class CustomModel(keras.Model):
        def train_step(self, data):
            inputs, targets = data
            with tf.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = self.compiled_loss(targets, predictions)
            gradients = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
            self.compiled_metrics.update_state(targets, predictions)
            return {m.name: m.result() for m in self.metrics}

    inputs = keras.Input(shape=(28 * 28,))
    features = layers.Dense(512, activation="relu")(inputs)
    features = layers.Dropout(dropout)(features)   # the seed's 0.5
    outputs = layers.Dense(10, activation="softmax")(features)
    model = CustomModel(inputs=inputs, outputs=outputs)
    return model, _rng().random((2, 28 * 28), dtype=np.float32)


# ---------------------------------------------------------------------------------------
# 004 a tf.keras 2.0 book chapter ("使用 tf.keras 2.0 创建模型" and later sections)
# ---------------------------------------------------------------------------------------

def build_cnn_sequential(keras, tf):
    """004 "顺序 API": the Conv2D / MaxPooling2D / Dropout / Flatten / Dense stack.

    ``input_shape`` is not defined in the chapter; (28, 28, 1) is its MyModel's.
    """
    input_shape = (28, 28, 1)
    model = tf.keras.models.Sequential()
    num_filters = 32
    kernel_size = (5, 5)
    pool_size = (2, 2)
    num_classes = 10
    model.add(tf.keras.layers.Conv2D(filters=num_filters,
              kernel_size=kernel_size,
              padding='valid', activation='relu',
              input_shape=input_shape))
    model.add(tf.keras.layers.Conv2D(filters=num_filters,
              kernel_size=kernel_size,
              padding='same', activation='relu'))
    model.add(tf.keras.layers.MaxPooling2D(pool_size=pool_size))
    model.add(tf.keras.layers.Dropout(0.5))
    model.add(tf.keras.layers.Flatten())
    model.add(tf.keras.layers.Dense(units=num_classes,
              activation='softmax'))
    return model, _rng().random((2, 28, 28, 1), dtype=np.float32)


def build_cnn_subclassed(keras, tf):
    """004 "模型子类化 API": MyModel (the chapter's broken indentation repaired)."""

    class MyModel(tf.keras.Model):

        def __init__(self):
            super(MyModel, self).__init__()  # noqa: UP008 - the chapter's line
            self.num_filters = 32
            self.kernel_size = (5, 5)
            self.pool_size = (2, 2)
            self.num_classes = 10
            self.my_input_shape = (28, 28, 1)
            # first conv layer
            self.conv1_layer = tf.keras.layers.Conv2D(filters=self.num_filters,
              kernel_size=self.kernel_size, padding='valid', activation='relu',  # noqa: E128
              input_shape=self.my_input_shape)
            # Another conv2d layer
            self.conv2_layer = tf.keras.layers.Conv2D(filters=self.num_filters,
              kernel_size=self.kernel_size, padding='same', activation='relu')  # noqa: E128
            self.mp_layer = tf.keras.layers.MaxPooling2D(pool_size=self.pool_size)
            self.do_layer = tf.keras.layers.Dropout(0.5)
            self.ft_layer = tf.keras.layers.Flatten()
            self.outputs_layer = tf.keras.layers.Dense(self.num_classes, activation='softmax')

        def call(self, inputs, training=False):
            conv1 = self.conv1_layer(inputs)
            conv2 = self.conv2_layer(conv1)
            mp = self.mp_layer(conv2)
            do = tf.keras.layers.Dropout(0.5)(mp)
            ft = tf.keras.layers.Flatten()(do)
            outputs = self.outputs_layer(ft)
            return outputs

    model = MyModel()
    return model, _rng().random((2, 28, 28, 1), dtype=np.float32)


def _tf_function_model(keras, tf):
    """004 "`compile()` API": a Model whose call is a tf.function with a data-dependent if."""

    class CustomModel(tf.keras.models.Model):

        @tf.function
        def call(self, input_data):
            if tf.reduce_mean(input_data) > 0:
                return input_data
            else:
                return input_data // 2

    return CustomModel()


def build_tf_function_call_positive(keras, tf):
    """004 "`compile()` API": the tf.function CustomModel on data with a positive mean."""
    return _tf_function_model(keras, tf), _rng().standard_normal((2, 3)).astype(np.float32) + 1


def build_tf_function_call_negative(keras, tf):
    """004 "`compile()` API": the tf.function CustomModel on data with a negative mean."""
    return _tf_function_model(keras, tf), _rng().standard_normal((2, 3)).astype(np.float32) - 3


def build_single_dense_sequential(keras, tf):
    """004 "自定义训练逻辑": Sequential(Dense(1)) (one layer, not a list) on a 1-D batch."""
    NUM_EXAMPLES = 8
    input_x = tf.constant(_rng().standard_normal(NUM_EXAMPLES).astype(np.float32))
    model = tf.keras.Sequential(tf.keras.layers.Dense(1))
    return model, input_x


def build_lr_schedule_model(keras, tf):
    """004 "可视化标量，度量，张量和图像数据": Sequential([Dense(16, input_dim=1), Dense(1)])."""
    model = keras.models.Sequential([
        keras.layers.Dense(16, input_dim=1),
        keras.layers.Dense(1),
    ])
    return model, _rng().random((4, 1), dtype=np.float32)


def build_hparams_model(keras, tf):
    """004 "超参数调优": train_test_model's Sequential (hparams as a plain dict)."""
    HP_NUM_UNITS, HP_DROPOUT = "num_units", "dropout"
    hparams = {HP_NUM_UNITS: 16, HP_DROPOUT: 0.1}
    model = tf.keras.models.Sequential([
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(hparams[HP_NUM_UNITS], activation=tf.nn.relu),
        tf.keras.layers.Dropout(hparams[HP_DROPOUT]),
        tf.keras.layers.Dense(10, activation=tf.nn.softmax),
    ])
    return model, _rng().random((2, 28, 28), dtype=np.float32)


SNIPPETS = {name[len("build_"):]: fn for name, fn in dict(globals()).items()
            if name.startswith("build_")}



# ---------------------------------------------------------------------------------------
# recording (shared with fixtures/make_seed_fixtures.py)
# ---------------------------------------------------------------------------------------

def _error(exc):
    return {"error": [type(exc).__name__, str(exc)]}


def _flatten(value):
    """Output structure as a string, and the leaves in order (dicts by sorted key)."""
    if isinstance(value, (list, tuple)):
        parts = [_flatten(v) for v in value]
        kind = type(value).__name__
        return f"{kind}[{','.join(p[0] for p in parts)}]", [leaf for p in parts for leaf in p[1]]
    if isinstance(value, dict):
        parts = {k: _flatten(value[k]) for k in sorted(value)}
        text = ",".join(f"{k}:{p[0]}" for k, p in parts.items())
        return f"dict[{text}]", [leaf for p in parts.values() for leaf in p[1]]
    return "T", [value]


def _numpy(tensor):
    return np.asarray(tensor.numpy() if hasattr(tensor, "numpy") else tensor)


def _step(record, key, fn):
    """record[key] = fn(), or the exception fn raised."""
    try:
        record[key] = fn()
    except Exception as exc:  # noqa: BLE001 - recorded: the other side must raise the same
        record[key] = _error(exc)
        return False
    return True


def _summary(model):
    lines = []
    model.summary(print_fn=lines.append)
    return [part.rstrip() for line in lines for part in str(line).split("\n")]


def _deterministic_weights(model):
    rng = np.random.default_rng(1)
    return [(rng.standard_normal(tuple(w.shape)) * 0.1).astype(np.float32) for w in model.weights]


def _outputs(model, x):
    structure, leaves = _flatten(model(x))
    arrays = [_numpy(t) for t in leaves]
    return {"structure": structure, "shapes": [list(a.shape) for a in arrays],
            "dtypes": [a.dtype.name for a in arrays]}, arrays


def describe(keras, tf, build):
    """Everything recorded about one snippet, built after clear_session() and seed 0."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    record = {}
    try:
        model, x, *rest = build(keras, tf)
    except Exception as exc:  # noqa: BLE001 - recorded: the other side must raise the same
        record["build"] = _error(exc)
        return record
    record["class"] = type(model).__name__
    record["extras"] = rest[0] if rest else {}
    arrays = {}

    def first_call():
        info, arrays["first"] = _outputs(model, x)
        return info

    if not _step(record, "call", first_call):
        return record
    _step(record, "layers", lambda: [[layer.name, type(layer).__name__] for layer in model.layers])
    _step(record, "weights", lambda: [[w.name, list(w.shape)] for w in model.weights])
    _step(record, "count_params", model.count_params)
    _step(record, "summary", lambda: _summary(model))

    def numbers():
        model.set_weights(_deterministic_weights(model))
        _, out = _outputs(model, x)
        return [a.astype(np.float32).tolist() for a in out]

    if _step(record, "outputs", numbers):
        _step(record, "losses", lambda: [float(_numpy(v)) for v in model.losses])
    return record


# ---------------------------------------------------------------------------------------
# the test
# ---------------------------------------------------------------------------------------

def _expected():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _numbers_differ(expected, got):
    if isinstance(expected, dict) or isinstance(got, dict):
        return expected != got
    if len(expected) != len(got):
        return True
    for e, g in zip(expected, got):
        e, g = np.asarray(e, np.float32), np.asarray(g, np.float32)
        if e.shape != g.shape or not np.allclose(g, e, rtol=RTOL, atol=ATOL):
            return True
    return False


def _mismatches(expected, got):
    """Keys whose recorded values differ: exactly, or beyond tolerance for the numbers."""
    for stage in ("build", "call"):  # a snippet that stopped early: that step says it all
        if expected.get(stage) != got.get(stage) and "error" in str(expected.get(stage, got.get(stage))):
            return [(f"{stage}:\n  expected {json.dumps(expected.get(stage, '<no error>'))}"
                     f"\n  got      {json.dumps(got.get(stage, '<no error>'))}")]
    found = []
    for key in sorted(set(expected) | set(got)):
        e, g = expected.get(key, "<absent>"), got.get(key, "<absent>")
        differ = _numbers_differ(e, g) if key in ("outputs", "losses") and "<absent>" not in (e, g) \
            else e != g
        if differ:
            found.append(f"{key}:\n  expected {json.dumps(e)[:2000]}\n  got      {json.dumps(g)[:2000]}")
    return found


def test_fixture_covers_every_snippet():
    assert sorted(_expected()) == sorted(SNIPPETS)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_seed_model_matches_tf_keras(name):
    expected = _expected()[name]
    got = describe(refkeras, refkeras_tf, SNIPPETS[name])
    problems = _mismatches(expected, got)
    assert not problems, f"{name}: " + "\n".join(problems)
