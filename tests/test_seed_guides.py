"""Issue 6: every seed code example that trains, evaluates or predicts, run by refkeras as by tf_keras.

Spec clauses: none of its own; this is the engine-side check of issue 6 ("every code
example in them that trains, evaluates or predicts runs in refkeras with only the
import lines changed").

Rule. Each ``guide_<seed>_<name>(keras, tf)`` below is one training / evaluation
snippet of a seed (``/work/shared/seeds``), with ``keras`` and ``tf`` passed in and
``layers = keras.layers``; the R listings of 003 are written as the Python edition of
the chapter writes them. What is changed, and only that: MNIST (and the other
downloads) is replaced by small synthetic arrays of the same shapes from a fixed numpy
seed, sized so that every training epoch is exactly one batch (then shuffling cannot
change a number); every model's weights are set to ``rng(1).standard_normal * 0.05``
(``_fix``) so both engines start equal; epochs are cut to 1-3; ``steps_per_epoch`` /
``validation_steps`` fit the small data; callbacks of issue 8 (EarlyStopping,
ModelCheckpoint, TensorBoard, LearningRateScheduler) and file output are left out.
A snippet returns a dict of what the seed prints or returns (History keys and values,
evaluate results, prediction shapes, losses of hand-written loops). ``run`` records
that after ``clear_session()`` and ``set_random_seed(0)``; an exception is recorded as
its class name. Snippets whose numbers depend on a random generator (Dropout in
training) are listed in ``RANDOM``: for them only the structure, the keys and the
shapes are compared.

Owners. The snippets and ``run`` live here; ``fixtures/make_seed_fixtures.py`` runs
them on tf_keras and writes ``fixtures/seed_guides.json`` (needs TensorFlow); this test
runs them on refkeras and compares: numbers within rtol 1e-4 / atol 1e-5, everything
else exactly.

>>> sorted(SNIPPETS)[0]
'guide_000_activity_regularization'
"""
import json
import math
import pathlib

import numpy as np
import pytest

from tests import test_seed_models as seed_models

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixtures" / "seed_guides.json"
RTOL = 1e-4
ATOL = 1e-5


# ---------------------------------------------------------------------------------------
# data and helpers shared by the snippets
# ---------------------------------------------------------------------------------------

def _mnist():
    """MNIST-shaped arrays, preprocessed as 000 does: 64 train, 16 val, 32 test samples."""
    rng = np.random.default_rng(0)
    x = rng.random((112, 784), dtype=np.float32)
    y = rng.integers(0, 10, 112).astype("float32")
    return (x[:64], y[:64]), (x[64:80], y[64:80]), (x[80:], y[80:])


def _seed_model(build, keras, tf):
    """The seed's model as tests/test_seed_models.py builds it, with _fix's weights: the
    guides train the very models that file checks are built right."""
    return _fix(build(keras, tf)[0])


def _fix(model):
    """The same starting weights on every engine."""
    rng = np.random.default_rng(1)
    model.set_weights([rng.standard_normal(w.shape).astype(np.float32) * 0.05
                       for w in model.get_weights()])
    return model


def _history(history):
    return {"keys": list(history.history), "values": {k: [float(v) for v in vs]
                                                      for k, vs in history.history.items()}}


def _floats(value):
    """Tensors, arrays and numbers as (nested lists of) Python floats."""
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_floats(v) for v in value]
    return np.asarray(value, dtype=np.float64).tolist()


def _get_uncompiled_model(keras):
    """The guide's get_uncompiled_model (the MNIST MLP of test_seed_models.py)."""
    return _seed_model(seed_models.build_mnist_mlp, keras, None)


def _get_compiled_model(keras):
    model = _get_uncompiled_model(keras)
    model.compile(
        optimizer="rmsprop",
        loss="sparse_categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
    )
    return model


# ---------------------------------------------------------------------------------------
# 000 "使用内置方法训练和评估" (002 is a subset of it)
# ---------------------------------------------------------------------------------------

def guide_000_api_overview(keras, tf):
    """000 "API 概述": compile, fit with validation_data, history, evaluate, predict."""
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = _mnist()
    model = _get_uncompiled_model(keras)
    model.compile(
        optimizer=keras.optimizers.RMSprop(),  # Optimizer
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy(), ],
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=2,
                        validation_data=(x_val, y_val), verbose=0)
    results = model.evaluate(x_test, y_test, batch_size=128, verbose=0)
    predictions = model.predict(x_test[:3], verbose=0)
    return {"history": _history(history), "results": _floats(results),
            "predictions_shape": list(predictions.shape), "predictions": _floats(predictions)}


def guide_000_compile_strings(keras, tf):
    """000 "compile()": the same model compiled with strings (get_compiled_model)."""
    (x_train, y_train), _, (x_test, y_test) = _mnist()
    model = _get_compiled_model(keras)
    history = model.fit(x_train, y_train, batch_size=64, epochs=2, verbose=0)
    return {"history": _history(history), "evaluate": _floats(model.evaluate(x_test, y_test,
                                                                             verbose=0))}


def guide_000_custom_loss_function(keras, tf):
    """000 "自定义 loss": custom_mean_squared_error on one-hot targets."""
    (x_train, y_train), _, _ = _mnist()

    def custom_mean_squared_error(y_true, y_pred):
        return tf.math.reduce_mean(tf.square(y_true - y_pred))

    model = _get_uncompiled_model(keras)
    model.compile(optimizer=keras.optimizers.Adam(), loss=custom_mean_squared_error)
    y_train_one_hot = tf.one_hot(y_train.astype("int64"), depth=10)
    history = model.fit(x_train, y_train_one_hot, batch_size=64, epochs=1, verbose=0)
    return {"history": _history(history)}


def guide_000_custom_loss_class(keras, tf):
    """000 "自定义 loss": CustomMSE, a Loss subclass with a regularization factor."""
    (x_train, y_train), _, _ = _mnist()

    class CustomMSE(keras.losses.Loss):
        def __init__(self, regularization_factor=0.1, name="custom_mse"):
            super().__init__(name=name)
            self.regularization_factor = regularization_factor

        def call(self, y_true, y_pred):
            mse = tf.math.reduce_mean(tf.square(y_true - y_pred))
            reg = tf.math.reduce_mean(tf.square(0.5 - y_pred))
            return mse + reg * self.regularization_factor

    model = _get_uncompiled_model(keras)
    model.compile(optimizer=keras.optimizers.Adam(), loss=CustomMSE())
    y_train_one_hot = tf.one_hot(y_train.astype("int64"), depth=10)
    history = model.fit(x_train, y_train_one_hot, batch_size=64, epochs=1, verbose=0)
    return {"history": _history(history)}


def guide_000_custom_metric(keras, tf):
    """000 "自定义 metric": CategoricalTruePositives, reset each epoch."""
    (x_train, y_train), _, _ = _mnist()

    class CategoricalTruePositives(keras.metrics.Metric):
        def __init__(self, name="categorical_true_positives", **kwargs):
            super(CategoricalTruePositives, self).__init__(name=name, **kwargs)  # noqa: UP008
            self.true_positives = self.add_weight(name="ctp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = tf.reshape(tf.argmax(y_pred, axis=1), shape=(-1, 1))
            values = tf.cast(y_true, "int32") == tf.cast(y_pred, "int32")
            values = tf.cast(values, "float32")
            if sample_weight is not None:
                sample_weight = tf.cast(sample_weight, "float32")
                values = tf.multiply(values, sample_weight)
            self.true_positives.assign_add(tf.reduce_sum(values))

        def result(self):
            return self.true_positives

        def reset_state(self):
            # 在每个 epoch 开始指标的状态被重置
            self.true_positives.assign(0.0)

    model = _get_uncompiled_model(keras)
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[CategoricalTruePositives()],
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=3, verbose=0)
    return {"history": _history(history)}


def _activity_regularization_model(keras, tf, scale=0.1, softmax=False):
    layers = keras.layers

    class ActivityRegularizationLayer(layers.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs) * scale)
            return inputs  # Pass-through layer.

    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = ActivityRegularizationLayer()(x)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax" if softmax else None, name="predictions")(x)
    return _fix(keras.Model(inputs=inputs, outputs=outputs))


def guide_000_activity_regularization(keras, tf):
    """000 "不符合标准签名的 loss 和 metric": the ActivityRegularizationLayer model."""
    (x_train, y_train), _, _ = _mnist()
    model = _seed_model(seed_models.build_activity_regularization, keras, tf)
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0)
    return {"history": _history(history)}


def guide_000_metric_logging(keras, tf):
    """000 "不符合标准签名的 loss 和 metric": MetricLoggingLayer with add_metric."""
    (x_train, y_train), _, _ = _mnist()
    model = _seed_model(seed_models.build_metric_logging, keras, tf)
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0)
    return {"history": _history(history)}


def guide_000_model_add_loss_metric(keras, tf):
    """000 "不符合标准签名的 loss 和 metric": model.add_loss / model.add_metric."""
    (x_train, y_train), _, _ = _mnist()
    model = _seed_model(seed_models.build_add_loss_metric, keras, tf)
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0)
    return {"history": _history(history)}


def guide_000_logistic_endpoint(keras, tf):
    """000 "不符合标准签名的 loss 和 metric": LogisticEndpoint, compiled with no loss."""
    model = _seed_model(seed_models.build_logistic_endpoint, keras, tf)
    model.compile(optimizer="adam")  # No loss argument!
    rng = np.random.default_rng(2)
    data = {
        "inputs": rng.random((3, 3)),
        "targets": rng.random((3, 10)),
    }
    history = model.fit(data, verbose=0)
    return {"history": _history(history)}


def guide_000_validation_split(keras, tf):
    """000 "自动设置验证 holdout": validation_split=0.2 (80 samples: 64 train, 16 val)."""
    (x_train, y_train), (x_val, y_val), _ = _mnist()
    x_train, y_train = np.concatenate([x_train, x_val]), np.concatenate([y_train, y_val])
    model = _get_compiled_model(keras)
    history = model.fit(x_train, y_train, batch_size=64, validation_split=0.2, epochs=1,
                        verbose=0)
    return {"history": _history(history)}


def guide_000_dataset(keras, tf):
    """000 "使用 tf.data 数据集进行训练和验证": fit and evaluate on Datasets."""
    (x_train, y_train), _, (x_test, y_test) = _mnist()
    model = _get_compiled_model(keras)
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64)
    test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test))
    test_dataset = test_dataset.batch(64)
    history = model.fit(train_dataset, epochs=3, verbose=0)
    result = model.evaluate(test_dataset, verbose=0)
    return {"history": _history(history),
            "evaluate": _floats(dict(zip(model.metrics_names, result)))}


def guide_000_steps_per_epoch(keras, tf):
    """000: steps_per_epoch on a Dataset (the seed's 100 steps cut to the 1 we have)."""
    (x_train, y_train), _, _ = _mnist()
    model = _get_compiled_model(keras)
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64).repeat()
    history = model.fit(train_dataset, epochs=3, steps_per_epoch=1, verbose=0)
    return {"history": _history(history)}


def guide_000_validation_dataset(keras, tf):
    """000 "使用验证集": validation_data as a Dataset, then validation_steps."""
    (x_train, y_train), (x_val, y_val), _ = _mnist()
    out = {}
    for steps in (None, 1):
        model = _get_compiled_model(keras)
        train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
        train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64)
        val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val))
        val_dataset = val_dataset.batch(8)
        history = model.fit(train_dataset, epochs=1, validation_data=val_dataset,
                            validation_steps=steps, verbose=0)
        out[f"steps_{steps}"] = _history(history)
    return out


def guide_000_class_and_sample_weight(keras, tf):
    """000 "类别加权" / "样本加权": class_weight, sample_weight and a weighted Dataset."""
    (x_train, y_train), _, _ = _mnist()
    class_weight = {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0,
                    5: 2.0,
                    6: 1.0, 7: 1.0, 8: 1.0, 9: 1.0}
    model = _get_compiled_model(keras)
    by_class = model.fit(x_train, y_train, class_weight=class_weight, batch_size=64, epochs=1,
                         verbose=0)
    sample_weight = np.ones(shape=(len(y_train),))
    sample_weight[y_train == 5] = 2.0
    model = _get_compiled_model(keras)
    by_sample = model.fit(x_train, y_train, sample_weight=sample_weight, batch_size=64,
                          epochs=1, verbose=0)
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train, sample_weight))
    train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64)
    model = _get_compiled_model(keras)
    by_dataset = model.fit(train_dataset, epochs=1, verbose=0)
    return {"class": _history(by_class), "sample": _history(by_sample),
            "dataset": _history(by_dataset)}


def _multi_io_model(keras, tf):
    """000's two-input, two-output model."""
    return _seed_model(seed_models.build_multi_input_output, keras, tf)


def _multi_io_data():
    rng = np.random.default_rng(3)
    return (rng.random((32, 32, 32, 3)), rng.random((32, 20, 10)), rng.random((32, 1)),
            rng.random((32, 5)))


def guide_000_multi_io_compile_variants(keras, tf):
    """000 "多输入/多输出模型的数据": each compile() of the section, then one fit."""
    img_data, ts_data, score_targets, class_targets = _multi_io_data()
    variants = {
        "list": {"loss": [keras.losses.MeanSquaredError(), keras.losses.CategoricalCrossentropy()]},
        "list_metrics": {
            "loss": [keras.losses.MeanSquaredError(), keras.losses.CategoricalCrossentropy()],
            "metrics": [[keras.metrics.MeanAbsolutePercentageError(),
                      keras.metrics.MeanAbsoluteError()],
                     [keras.metrics.CategoricalAccuracy()]]},
        "dict_weights": {
            "loss": {"score_output": keras.losses.MeanSquaredError(),
                  "class_output": keras.losses.CategoricalCrossentropy()},
            "metrics": {"score_output": [keras.metrics.MeanAbsolutePercentageError(),
                                      keras.metrics.MeanAbsoluteError()],
                     "class_output": [keras.metrics.CategoricalAccuracy()]},
            "loss_weights": {"score_output": 2.0, "class_output": 1.0}},
        "list_none": {"loss": [None, keras.losses.CategoricalCrossentropy()]},
        "dict_missing": {"loss": {"class_output": keras.losses.CategoricalCrossentropy()}},
    }
    out = {}
    for name, kwargs in variants.items():
        model = _multi_io_model(keras, tf)
        model.compile(optimizer=keras.optimizers.RMSprop(1e-3), **kwargs)
        history = model.fit([img_data, ts_data], [score_targets, class_targets], batch_size=32,
                            epochs=1, verbose=0)
        out[name] = _history(history)
    return out


def guide_000_multi_io_fit(keras, tf):
    """000 "多输入/多输出模型的数据": fit on lists, on dicts, on a Dataset of dicts."""
    img_data, ts_data, score_targets, class_targets = _multi_io_data()
    model = _multi_io_model(keras, tf)
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=[keras.losses.MeanSquaredError(), keras.losses.CategoricalCrossentropy()],
    )
    on_lists = model.fit([img_data, ts_data], [score_targets, class_targets], batch_size=32,
                         epochs=1, verbose=0)
    on_dicts = model.fit(
        {"img_input": img_data, "ts_input": ts_data},
        {"score_output": score_targets, "class_output": class_targets},
        batch_size=32,
        epochs=1,
        verbose=0,
    )
    train_dataset = tf.data.Dataset.from_tensor_slices(
        (
            {"img_input": img_data, "ts_input": ts_data},
            {"score_output": score_targets, "class_output": class_targets},
        )
    )
    train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64)
    on_dataset = model.fit(train_dataset, epochs=1, verbose=0)
    return {"lists": _history(on_lists), "dicts": _history(on_dicts),
            "dataset": _history(on_dataset)}


def guide_000_loss_history_callback(keras, tf):
    """000 "自定义 callback": LossHistory collects the loss at every batch end."""
    (x_train, y_train), _, _ = _mnist()

    class LossHistory(keras.callbacks.Callback):
        def on_train_begin(self, logs):
            self.per_batch_losses = []

        def on_batch_end(self, batch, logs):
            self.per_batch_losses.append(logs.get("loss"))

    model = _get_compiled_model(keras)
    callback = LossHistory()
    history = model.fit(x_train, y_train, epochs=2, batch_size=64, callbacks=[callback],
                        verbose=0)
    return {"per_batch_losses": _floats(callback.per_batch_losses),
            "history": _history(history)}


# ---------------------------------------------------------------------------------------
# 001 (TF 2.0 alpha): part 1 differences, part 2 loops from scratch
# ---------------------------------------------------------------------------------------

def guide_001_old_reset_states_metric(keras, tf):
    """001 "编写自定义损失和指标": CatgoricalTruePositives with reset_states, argmax on axis 0."""
    (x_train, y_train), _, _ = _mnist()

    class CatgoricalTruePositives(keras.metrics.Metric):

        def __init__(self, name='categorical_true_positives', **kwargs):
            super(CatgoricalTruePositives, self).__init__(name=name, **kwargs)  # noqa: UP008
            self.true_positives = self.add_weight(name='tp', initializer='zeros')

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = tf.argmax(y_pred)
            values = tf.equal(tf.cast(y_true, 'int32'), tf.cast(y_pred, 'int32'))
            values = tf.cast(values, 'float32')
            if sample_weight is not None:
                sample_weight = tf.cast(sample_weight, 'float32')
                values = tf.multiply(values, sample_weight)
            self.true_positives.assign_add(tf.reduce_sum(values))

        def result(self):
            return self.true_positives

        def reset_states(self):
            # The state of the metric will be reset at the start of each epoch.
            self.true_positives.assign(0.)

    model = _get_uncompiled_model(keras)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[CatgoricalTruePositives()])
    history = model.fit(x_train, y_train, batch_size=64, epochs=3, verbose=0)
    return {"history": _history(history)}


def guide_001_take_and_weights(keras, tf):
    """001: fit(train_dataset.take(n)), and class_weight / sample_weight over 4 epochs."""
    (x_train, y_train), _, _ = _mnist()
    model = _get_compiled_model(keras)
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64)
    took = model.fit(train_dataset.take(100), epochs=3, verbose=0)
    class_weight = {0: 1., 1: 1., 2: 1., 3: 1., 4: 1.,
                    5: 2.,
                    6: 1., 7: 1., 8: 1., 9: 1.}
    by_class = model.fit(x_train, y_train, class_weight=class_weight, batch_size=64, epochs=4,
                         verbose=0)
    sample_weight = np.ones(shape=(len(y_train),))
    sample_weight[y_train == 5] = 2.
    model = _get_compiled_model(keras)
    by_sample = model.fit(x_train, y_train, sample_weight=sample_weight, batch_size=64, epochs=4,
                          verbose=0)
    return {"take": _history(took), "class": _history(by_class), "sample": _history(by_sample)}


def _loop_data(tf):
    (x_train, y_train), (x_val, y_val), _ = _mnist()
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64)
    val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val))
    val_dataset = val_dataset.batch(64)
    return train_dataset, val_dataset


def guide_001_gradient_tape_loop(keras, tf):
    """001 "使用GradientTape：第一个端到端的例子": the loop, 3 epochs."""
    train_dataset, _ = _loop_data(tf)
    model = _get_uncompiled_model(keras)
    optimizer = keras.optimizers.SGD(learning_rate=1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    losses = []
    for epoch in range(3):
        for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
            with tf.GradientTape() as tape:
                logits = model(x_batch_train)  # Logits for this minibatch
                loss_value = loss_fn(y_batch_train, logits)
            grads = tape.gradient(loss_value, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            if step % 200 == 0:
                losses.append(float(loss_value))
    return {"losses": losses, "iterations": int(optimizer.iterations.numpy())}


def guide_001_metrics_loop(keras, tf):
    """001 "指标的低级处理": the loop with training and validation accuracy."""
    train_dataset, val_dataset = _loop_data(tf)
    model = _get_uncompiled_model(keras)
    optimizer = keras.optimizers.SGD(learning_rate=1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
    val_acc_metric = keras.metrics.SparseCategoricalAccuracy()
    log = []
    for epoch in range(3):
        for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
            with tf.GradientTape() as tape:
                logits = model(x_batch_train)
                loss_value = loss_fn(y_batch_train, logits)
            grads = tape.gradient(loss_value, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            train_acc_metric(y_batch_train, logits)
        train_acc = train_acc_metric.result()
        train_acc_metric.reset_states()
        for x_batch_val, y_batch_val in val_dataset:
            val_logits = model(x_batch_val)
            val_acc_metric(y_batch_val, val_logits)
        val_acc = val_acc_metric.result()
        val_acc_metric.reset_states()
        log.append([float(loss_value), float(train_acc), float(val_acc)])
    return {"log": log}


def guide_001_extra_losses_loop(keras, tf):
    """001 "低水平处理额外损失": model.losses after calls, and the loop adding them."""
    (x_train, _y_train), _, _ = _mnist()
    train_dataset, _ = _loop_data(tf)
    model = _activity_regularization_model(keras, tf, scale=1e-2, softmax=True)
    model(x_train)
    model(x_train[:64])
    after_one = _floats(model.losses)
    model(x_train[:16])
    model(x_train[16:32])
    model(x_train[32:48])
    after_three = _floats(model.losses)
    optimizer = keras.optimizers.SGD(learning_rate=1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    losses = []
    for epoch in range(3):
        for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
            with tf.GradientTape() as tape:
                logits = model(x_batch_train)
                loss_value = loss_fn(y_batch_train, logits)
                loss_value += sum(model.losses)
            grads = tape.gradient(loss_value, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            losses.append(float(loss_value))
    return {"after_one": after_one, "after_three": after_three, "losses": losses}


# ---------------------------------------------------------------------------------------
# 003 chapter 7 (R listings, written as the Python edition writes them)
# ---------------------------------------------------------------------------------------

def _get_mnist_model(keras):
    """003 listing 7.17."""
    layers = keras.layers
    inputs = keras.Input(shape=(28 * 28,))
    features = layers.Dense(512, activation="relu")(inputs)
    features = layers.Dropout(0.5)(features)
    outputs = layers.Dense(10, activation="softmax")(features)
    return _fix(keras.Model(inputs, outputs))


def _mnist_003():
    (train_images, train_labels), (val_images, val_labels), (test_images, test_labels) = _mnist()
    return (train_images[:32], train_labels[:32]), (val_images, val_labels), \
        (test_images, test_labels)


def guide_003_standard_workflow(keras, tf):
    """003 listing 7.17: compile / fit / evaluate / predict with metrics "accuracy"."""
    (train_images, train_labels), (val_images, val_labels), (test_images, test_labels) = \
        _mnist_003()
    model = _get_mnist_model(keras)
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(train_images, train_labels, epochs=3,
                        validation_data=(val_images, val_labels), verbose=0)
    test_metrics = model.evaluate(test_images, test_labels, verbose=0)
    predictions = model.predict(test_images, verbose=0)
    return {"history": _history(history), "test_metrics": _floats(test_metrics),
            "predictions_shape": list(predictions.shape)}


def guide_003_rmse_metric(keras, tf):
    """003 listing 7.18: the RootMeanSquaredError Metric subclass, used in compile."""
    (train_images, train_labels), (val_images, val_labels), (test_images, test_labels) = \
        _mnist_003()

    class RootMeanSquaredError(keras.metrics.Metric):
        def __init__(self, name="rmse", **kwargs):
            super().__init__(name=name, **kwargs)
            self.mse_sum = self.add_weight(name="mse_sum", initializer="zeros", dtype="float32")
            self.total_samples = self.add_weight(name="total_samples", initializer="zeros",
                                                 dtype="int32")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_true = tf.one_hot(tf.cast(y_true, "int32"), depth=tf.shape(y_pred)[1])
            mse = tf.reduce_sum(tf.square(y_true - y_pred))
            self.mse_sum.assign_add(mse)
            num_samples = tf.shape(y_pred)[0]
            self.total_samples.assign_add(num_samples)

        def result(self):
            return tf.sqrt(self.mse_sum / tf.cast(self.total_samples, tf.float32))

        def reset_state(self):
            self.mse_sum.assign(0.)
            self.total_samples.assign(0)

    model = _get_mnist_model(keras)
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", RootMeanSquaredError()])
    history = model.fit(train_images, train_labels, epochs=3,
                        validation_data=(val_images, val_labels), verbose=0)
    test_metrics = model.evaluate(test_images, test_labels, verbose=0)
    return {"history": _history(history), "test_metrics": _floats(test_metrics)}


def guide_003_per_batch_loss_callback(keras, tf):
    """003 listing 7.20: a callback collecting per-batch losses, reset every epoch."""
    (train_images, train_labels), (val_images, val_labels), _ = _mnist_003()

    class LossHistory(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.per_epoch = []

        def on_epoch_begin(self, epoch, logs=None):
            self.per_batch_losses = []

        def on_batch_end(self, batch, logs=None):
            self.per_batch_losses.append(logs.get("loss"))

        def on_epoch_end(self, epoch, logs=None):
            self.per_epoch.append(list(self.per_batch_losses))

    model = _get_mnist_model(keras)
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    callback = LossHistory()
    model.fit(train_images, train_labels, epochs=2, batch_size=16, callbacks=[callback],
              validation_data=(val_images, val_labels), verbose=0)
    return {"batches_per_epoch": [len(e) for e in callback.per_epoch]}


def _ticket_model_003(keras):
    """003 listing 7.9 with a vocabulary of 100 and 10 tags (the seed's 10000 and 100)."""
    model, _ = seed_models._ticket_model(keras, vocabulary_size=100, num_tags=10)
    return _fix(model)


def _ticket_data_003():
    rng = np.random.default_rng(4)
    num_samples = 32
    title_data = rng.integers(0, 2, (num_samples, 100)).astype("float32")
    text_body_data = rng.integers(0, 2, (num_samples, 100)).astype("float32")
    tags_data = rng.integers(0, 2, (num_samples, 10)).astype("float32")
    priority_data = rng.random((num_samples, 1)).astype("float32")
    department_data = rng.integers(0, 2, (num_samples, 4)).astype("float32")
    return title_data, text_body_data, tags_data, priority_data, department_data


def guide_003_ticket_lists(keras, tf):
    """003 listing 7.10: the ticket model fit / evaluate / predict on lists."""
    title_data, text_body_data, tags_data, priority_data, department_data = _ticket_data_003()
    model = _ticket_model_003(keras)
    model.compile(optimizer="rmsprop",
                  loss=["mean_squared_error", "categorical_crossentropy"],
                  metrics=[["mean_absolute_error"], ["accuracy"]])
    history = model.fit([title_data, text_body_data, tags_data],
                        [priority_data, department_data], epochs=1, verbose=0)
    evaluated = model.evaluate([title_data, text_body_data, tags_data],
                               [priority_data, department_data], verbose=0)
    priority_preds, department_preds = model.predict([title_data, text_body_data, tags_data],
                                                     verbose=0)
    return {"history": _history(history), "evaluate": _floats(evaluated),
            "shapes": [list(priority_preds.shape), list(department_preds.shape)]}


def guide_003_ticket_dicts(keras, tf):
    """003 listing 7.11: the ticket model compiled and fit with dicts by name."""
    title_data, text_body_data, tags_data, priority_data, department_data = _ticket_data_003()
    model = _ticket_model_003(keras)
    model.compile(optimizer="rmsprop",
                  loss={"priority": "mean_squared_error",
                        "department": "categorical_crossentropy"},
                  metrics={"priority": ["mean_absolute_error"], "department": ["accuracy"]})
    history = model.fit({"title": title_data, "text_body": text_body_data, "tags": tags_data},
                        {"priority": priority_data, "department": department_data},
                        epochs=1, verbose=0)
    evaluated = model.evaluate({"title": title_data, "text_body": text_body_data,
                                "tags": tags_data},
                               {"priority": priority_data, "department": department_data},
                               verbose=0)
    return {"history": _history(history), "evaluate": _floats(evaluated)}


def guide_003_ticket_subclass(keras, tf):
    """003 listing 7.14 + training: the CustomerTicketModel subclass compiled and fit."""
    title_data, text_body_data, tags_data, priority_data, department_data = _ticket_data_003()
    model = seed_models.build_customer_ticket_model(keras, tf)[0]
    x = {"title": title_data, "text_body": text_body_data, "tags": tags_data}
    model(x)
    _fix(model)
    model.compile(optimizer="rmsprop",
                  loss=["mean_squared_error", "categorical_crossentropy"],
                  metrics=[["mean_absolute_error"], ["accuracy"]])
    y = [priority_data, department_data]
    history = model.fit(x, y, epochs=1, verbose=0)
    evaluated = model.evaluate(x, y, verbose=0)
    priority_preds, department_preds = model.predict(x, verbose=0)
    return {"history": _history(history), "evaluate": _floats(evaluated),
            "shapes": [list(priority_preds.shape), list(department_preds.shape)]}


def _step_functions_003(keras, tf, model):
    """003 listings 7.21, 7.22, 7.24: train_step, reset_metrics, test_step."""
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    optimizer = keras.optimizers.RMSprop()
    metrics = [keras.metrics.SparseCategoricalAccuracy()]
    loss_tracking_metric = keras.metrics.Mean()

    def train_step(inputs, targets):
        with tf.GradientTape() as tape:
            predictions = model(inputs, training=True)
            loss = loss_fn(targets, predictions)
        gradients = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights))
        logs = {}
        for metric in metrics:
            metric.update_state(targets, predictions)
            logs[metric.name] = metric.result()
        loss_tracking_metric.update_state(loss)
        logs["loss"] = loss_tracking_metric.result()
        return logs

    def reset_metrics():
        for metric in metrics:
            metric.reset_state()
        loss_tracking_metric.reset_state()

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

    return train_step, reset_metrics, test_step


def guide_003_step_by_step_loop(keras, tf):
    """003 listings 7.21-7.25: the loop, the evaluation loop, and tf.function(test_step).

    Dropout(0.5) trains with random masks, so this snippet is in RANDOM; the model used
    here has the Dropout rate of listing 7.17 and its numbers are not compared.
    """
    (train_images, train_labels), (val_images, val_labels), _ = _mnist_003()
    model = _get_mnist_model(keras)
    train_step, reset_metrics, test_step = _step_functions_003(keras, tf, model)
    training_dataset = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).batch(32)
    epochs = 3
    epoch_logs = []
    for epoch in range(epochs):
        reset_metrics()
        for inputs_batch, targets_batch in training_dataset:
            logs = train_step(inputs_batch, targets_batch)
        epoch_logs.append({k: float(v) for k, v in logs.items()})
    val_dataset = tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(32)
    reset_metrics()
    for inputs_batch, targets_batch in val_dataset:
        logs = test_step(inputs_batch, targets_batch)
    eager = {k: float(v) for k, v in logs.items()}
    tf_test_step = tf.function(test_step)
    reset_metrics()
    for inputs_batch, targets_batch in val_dataset:
        logs = tf_test_step(inputs_batch, targets_batch)
    traced = {k: float(v) for k, v in logs.items()}
    return {"epoch_logs": epoch_logs, "eager": eager, "traced": traced,
            "traced_equals_eager": bool(all(math.isclose(eager[k], traced[k], rel_tol=1e-6)
                                            for k in eager))}


def guide_003_custom_train_step_tracker(keras, tf):
    """003 section 7.4.5, first CustomModel: train_step with its loss tracker."""
    (train_images, train_labels), _, _ = _mnist_003()
    # Dropout 0 instead of the seed's 0.5 keeps the numbers comparable.
    model = _fix(seed_models.build_custom_train_step_tracker(keras, tf, dropout=0.0)[0])
    loss_tracker = model.metrics[0]
    model.compile(optimizer=keras.optimizers.RMSprop())
    history = model.fit(train_images, train_labels, epochs=3, verbose=0)
    return {"history": _history(history), "tracker_count": float(loss_tracker.count.numpy())}


def guide_003_custom_train_step_compiled(keras, tf):
    """003 section 7.4.5, second CustomModel: compiled_loss, compiled_metrics, metrics."""
    (train_images, train_labels), _, _ = _mnist_003()
    model = _fix(seed_models.build_custom_train_step_compiled(keras, tf, dropout=0.0)[0])
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    history = model.fit(train_images, train_labels, epochs=3, verbose=0)
    return {"history": _history(history), "metrics_names": model.metrics_names}


# ---------------------------------------------------------------------------------------
# 004: compile / fit / evaluate, GradientTape training, tf.function training
# ---------------------------------------------------------------------------------------

def guide_004_compile_fit_evaluate(keras, tf):
    """004 "`compile()` API" / "`fit()` API" / "手动保存和恢复权重": compile, fit, evaluate."""
    (train_images, train_labels), (val_images, val_labels), (test_images, test_labels) = _mnist()
    train_labels = tf.one_hot(train_labels.astype("int64"), depth=10)
    test_labels = tf.one_hot(test_labels.astype("int64"), depth=10)
    val_labels = tf.one_hot(val_labels.astype("int64"), depth=10)
    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10,
                                                                           activation="softmax")])
    _fix(model)
    model.compile(optimizer='adam',
                  loss='categorical_crossentropy',
                  metrics=['accuracy'])
    val_dataset = tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(16)
    train_dataset = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).batch(64)
    history = model.fit(train_dataset, epochs=2, validation_data=val_dataset, verbose=0)
    loss, acc = model.evaluate(test_images, test_labels, verbose=0)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1),
                  loss=keras.losses.CategoricalCrossentropy(),
                  metrics=[keras.metrics.Accuracy()])
    again = model.fit(train_images, train_labels, epochs=2, batch_size=64, verbose=0)
    return {"history": _history(history), "evaluate": [float(loss), float(acc)],
            "again": _history(again)}


def guide_004_gradient_tape_regression(keras, tf):
    """004 "自定义训练逻辑": Dense(1) fit to y = 5x + 2 + noise with Adam and a tape.

    The seed's ``tf.random.normal([NUM_EXAMPLES])`` is 1-D, which Dense rejects in tf_keras
    2.21 (tests/test_seed_models.py pins that error); the data here has shape (N, 1).
    """
    NUM_EXAMPLES = 200
    rng = np.random.default_rng(5)
    input_x = tf.constant(rng.standard_normal((NUM_EXAMPLES, 1)).astype("float32"))
    noise = tf.constant(rng.standard_normal((NUM_EXAMPLES, 1)).astype("float32"))
    input_y = input_x * 5 + 2 + noise

    def loss_fn(model, inputs, targets):
        error = model(inputs) - targets
        return tf.reduce_mean(tf.square(error))

    def gradients(model, inputs, targets):
        with tf.GradientTape() as tape:
            loss_value = loss_fn(model, inputs, targets)
        return tape.gradient(loss_value, model.trainable_variables)

    model = tf.keras.Sequential(tf.keras.layers.Dense(1))
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    model(input_x)
    _fix(model)
    losses = [float(loss_fn(model, input_x, input_y))]
    for i in range(60):
        grads = gradients(model, input_x, input_y)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        if i % 20 == 0:
            losses.append(float(loss_fn(model, input_x, input_y)))
    losses.append(float(loss_fn(model, input_x, input_y)))
    return {"losses": losses, "W_B": _floats(model.trainable_variables)}


def guide_004_tf_function_training(keras, tf):
    """004 "自定义训练逻辑": train_one_step under the @tf.function train loop."""
    (x_train, y_train), _, _ = _mnist()
    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10)])
    _fix(model)
    optimizer = keras.optimizers.Adam()
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

    def mnist_dataset():
        return tf.data.Dataset.from_tensor_slices((x_train, y_train.astype("int64"))).batch(16)

    @tf.function
    def train(model, optimizer):
        train_ds = mnist_dataset()
        step = 0
        loss = 0.0
        accuracy = 0.0
        for x, y in train_ds:
            step += 1
            loss = train_one_step(model, optimizer, x, y)
        return step, loss, accuracy

    step, loss, _ = train(model, optimizer)
    return {"step": int(step), "loss": float(loss),
            "accuracy": float(compute_accuracy.result())}


def guide_004_lr_schedule_model(keras, tf):
    """004 "可视化标量": the Sequential regression model fit with mse and SGD (no callbacks)."""
    rng = np.random.default_rng(6)
    data = rng.uniform(-1, 1, 100).astype("float32")
    train_size = 80
    x_train, y_train = data[:train_size], 0.5 * data[:train_size] + 2
    x_test, y_test = data[train_size:], 0.5 * data[train_size:] + 2
    model = keras.models.Sequential([
        keras.layers.Dense(16, input_dim=1),
        keras.layers.Dense(1),
    ])
    _fix(model)
    model.compile(
        loss='mse',  # keras.losses.mean_squared_error
        optimizer=keras.optimizers.SGD(),
    )
    training_history = model.fit(
        x_train,  # input
        y_train,  # output
        batch_size=train_size,
        epochs=5,
        validation_data=(x_test, y_test),
        verbose=0,
    )
    return {"history": _history(training_history)}


def guide_004_hparams_model(keras, tf):
    """004 "超参数调优": train_test_model (hparams as a dict; Dropout trains at random)."""
    (x_train, y_train), _, (x_test, y_test) = _mnist()
    hparams = {"num_units": 16, "dropout": 0.1, "optimizer": "adam"}
    model = tf.keras.models.Sequential([
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(hparams["num_units"], activation=tf.nn.relu),
        tf.keras.layers.Dropout(hparams["dropout"]),
        tf.keras.layers.Dense(10, activation=tf.nn.softmax),
    ])
    model.compile(
        optimizer=hparams["optimizer"],
        loss='sparse_categorical_crossentropy',
        metrics=['accuracy'],
    )
    history = model.fit(x_train, y_train, epochs=1, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return {"history": _history(history), "accuracy_is_a_float": isinstance(accuracy, float)}


SNIPPETS = {name: fn for name, fn in sorted(globals().items())
            if name.startswith("guide_") and callable(fn)}

# Numbers drawn from a random generator (Dropout while training), or decided by float
# rounding (001's metric takes argmax across the samples of a near-uniform softmax, so
# ties between samples fall either way): compare structure only.
RANDOM = {"guide_001_old_reset_states_metric",
          "guide_003_standard_workflow", "guide_003_rmse_metric",
          "guide_003_step_by_step_loop", "guide_003_per_batch_loss_callback",
          "guide_004_hparams_model"}


def run(keras, tf, fn):
    """What one snippet returns, after clear_session() and seed 0; or the error it raised."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    try:
        return {"out": fn(keras, tf)}
    except Exception as exc:  # noqa: BLE001 - recorded: the other side must raise the same
        return {"error": type(exc).__name__, "message": str(exc).splitlines()[0][:300]}


# ---------------------------------------------------------------------------------------
# the test
# ---------------------------------------------------------------------------------------

def _differences(expected, got, numbers, path="out"):
    """Where ``got`` differs from ``expected``: structure exactly, floats within tolerance."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or list(expected) != list(got):
            return [f"{path}: keys {list(expected)} != {got if not isinstance(got, dict) else list(got)}"]
        return [d for k in expected for d in _differences(expected[k], got[k], numbers, f"{path}.{k}")]
    if isinstance(expected, list):
        if not isinstance(got, list) or len(expected) != len(got):
            return [f"{path}: {json.dumps(expected)[:200]} != {json.dumps(got)[:200]}"]
        return [d for i, (e, g) in enumerate(zip(expected, got))
                for d in _differences(e, g, numbers, f"{path}[{i}]")]
    if isinstance(expected, float) and isinstance(got, (float, int)) and not isinstance(got, bool):
        if not numbers:
            return [] if math.isfinite(got) == math.isfinite(expected) else [f"{path}: {got}"]
        if math.isclose(got, expected, rel_tol=RTOL, abs_tol=ATOL) or (
                math.isnan(got) and math.isnan(expected)):
            return []
        return [f"{path}: expected {expected!r}, got {got!r}"]
    return [] if expected == got else [f"{path}: expected {expected!r}, got {got!r}"]


def _expected():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_fixture_covers_every_snippet():
    assert sorted(_expected()) == sorted(SNIPPETS)


def test_the_recorded_tf_keras_runs_are_not_errors():
    """Every snippet runs on tf_keras: a recorded error means the snippet is wrong."""
    assert {name: rec for name, rec in _expected().items() if "error" in rec} == {}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_seed_guide_snippet_matches_tf_keras(name):
    import refkeras
    from refkeras.compat import tf as refkeras_tf

    expected = _expected()[name]
    got = run(refkeras, refkeras_tf, SNIPPETS[name])
    got = json.loads(json.dumps(got))          # the same JSON types as the fixture
    if "error" in expected or "error" in got:
        assert got == expected
        return
    problems = _differences(expected["out"], got["out"], numbers=name not in RANDOM)
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])
