"""Subclassed models, the `training` argument and trainable / non-trainable weights.

Seed 003 "7.2.3 子类化 Model 类" (the customer ticket model as a subclass), "警告：
子类化模型不支持的内容" and "7.4.1 训练与推断". Oracles are the layers applied by
hand, BatchNormalization's moving-average formula in numpy, and the exact names and
messages measured on tf_keras 2.21.
"""
import numpy as np
import pytest

from conformance import clause

VOCAB, TAGS = 20, 5


def ticket_class(keras):
    class CustomerTicketModel(keras.Model):
        def __init__(self, num_departments):
            super().__init__(name="customer_ticket_model")
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


def ticket_data(n=10):
    rng = np.random.default_rng(0)
    return {"title": rng.integers(0, 2, (n, VOCAB)).astype(np.float32),
            "text_body": rng.integers(0, 2, (n, VOCAB)).astype(np.float32),
            "tags": rng.integers(0, 2, (n, TAGS)).astype(np.float32)}


def small_subclass(keras, name="sub"):
    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name=name)
            self.d = keras.layers.Dense(2)

        def call(self, inputs):
            return self.d(inputs)

    return Sub()


def _summary(model):
    lines = []
    model.summary(print_fn=lambda line, **_: lines.append(line.rstrip()))
    return lines


@clause("MODEL.SUBCLASS")
def test_subclassed_model_creates_its_weights_on_the_first_call(backend):
    keras = backend.keras
    model = ticket_class(keras)(num_departments=4)
    assert model.built is False and model.weights == []
    assert [layer.name for layer in model.layers] == ["concatenate", "dense", "dense_1", "dense_2"]
    priority, department = model(ticket_data())
    assert tuple(priority.shape) == (10, 1) and tuple(department.shape) == (10, 4)
    assert model.built is True
    assert [(w.name, tuple(w.shape)) for w in model.weights] == [
        ("customer_ticket_model/dense/kernel:0", (2 * VOCAB + TAGS, 64)),
        ("customer_ticket_model/dense/bias:0", (64,)),
        ("customer_ticket_model/dense_1/kernel:0", (64, 1)),
        ("customer_ticket_model/dense_1/bias:0", (1,)),
        ("customer_ticket_model/dense_2/kernel:0", (64, 4)),
        ("customer_ticket_model/dense_2/bias:0", (4,))]


@clause("MODEL.SUBCLASS")
def test_call_returns_what_call_returns_and_dict_order_is_ignored(backend):
    keras = backend.keras
    model = ticket_class(keras)(num_departments=4)
    data = ticket_data()
    result = model(data)
    assert isinstance(result, tuple) and len(result) == 2
    shuffled = model({"tags": data["tags"], "title": data["title"],
                      "text_body": data["text_body"]})
    for a, b in zip(result, shuffled):
        np.testing.assert_array_equal(backend.to_numpy(a), backend.to_numpy(b))
    features = np.concatenate([data["title"], data["text_body"], data["tags"]], axis=1)
    kernel, bias = (backend.to_numpy(w) for w in model.layers[1].weights)
    hidden = np.maximum(features @ kernel + bias, 0)
    kernel, bias = (backend.to_numpy(w) for w in model.layers[2].weights)
    oracle = 1 / (1 + np.exp(-(hidden @ kernel + bias)))
    np.testing.assert_allclose(backend.to_numpy(result[0]), oracle, rtol=1e-5, atol=1e-5)


@clause("MODEL.SUBCLASS")
def test_wrong_input_structures_fail_inside_call(backend):
    keras = backend.keras
    model = ticket_class(keras)(num_departments=4)
    data = ticket_data()
    with pytest.raises(KeyError) as info:
        model({"title": data["title"], "tags": data["tags"]})
    assert "text_body" in str(info.value)
    assert ("Exception encountered when calling layer 'customer_ticket_model' "
            "(type CustomerTicketModel)") in str(info.value)
    with pytest.raises(TypeError) as info:
        model([data["title"], data["text_body"], data["tags"]])
    assert "list indices must be integers or slices, not str" in str(info.value)


@clause("MODEL.SUBCLASS.LIMITS")
def test_subclassed_summary_needs_a_call_and_shows_multiple(backend):
    keras = backend.keras
    model = ticket_class(keras)(num_departments=4)
    with pytest.raises(ValueError) as info:
        model.summary()
    assert str(info.value) == ("This model has not yet been built. Build the model first by "
                               "calling `build()` or by calling the model on a batch of data.")
    model(ticket_data())
    lines = _summary(model)
    assert lines[2] == " Layer (type)                Output Shape              Param #"
    assert " concatenate (Concatenate)   multiple                  0" in lines
    assert " dense (Dense)               multiple                  2944" in lines
    assert not any("Connected to" in line for line in lines)


@clause("MODEL.SUBCLASS.LIMITS")
def test_subclassed_model_has_no_graph_to_inspect(backend):
    keras = backend.keras
    model = small_subclass(keras)
    model(np.ones((2, 3), np.float32))
    assert model.inputs is None and model.outputs is None
    with pytest.raises(AttributeError) as info:
        _ = model.input
    assert str(info.value) == "Layer sub is not connected, no input to return."
    with pytest.raises(AttributeError) as info:
        _ = model.output
    assert str(info.value) == "Layer sub has no inbound nodes."
    with pytest.raises(AttributeError) as info:
        _ = model.d.output
    assert str(info.value) == "Layer dense has no inbound nodes."
    with pytest.raises(AttributeError) as info:
        keras.Model(model.inputs, model.d.output)
    assert str(info.value) == "Layer dense has no inbound nodes."
    with pytest.raises(AttributeError) as info:
        _ = model.input_shape
    assert str(info.value) == (
        'The layer "sub" has never been called and thus has no defined input shape. Note that '
        "the `input_shape` property is only available for Functional and Sequential models.")


@clause("MODEL.SUBCLASS.TRACKING")
def test_layers_in_list_and_dict_attributes_are_tracked(backend):
    keras = backend.keras

    class Tracked(keras.Model):
        def __init__(self):
            super().__init__(name="t")
            self.blocks = [keras.layers.Dense(3, name="l0"), keras.layers.Dense(2, name="l1")]
            self.heads = {"z": keras.layers.Dense(1, name="hz"),
                          "a": keras.layers.Dense(1, name="ha")}
            self.first = keras.layers.Dense(3, name="first")

        def call(self, x):
            x = self.first(x)
            for layer in self.blocks:
                x = layer(x)
            return self.heads["z"](x) + self.heads["a"](x)

    model = Tracked()
    assert [layer.name for layer in model.layers] == ["l0", "l1", "ha", "hz", "first"]
    model(np.ones((2, 3), np.float32))
    expected = [f"t/{n}/{w}:0" for n in ("l0", "l1", "ha", "hz", "first")
                for w in ("kernel", "bias")]
    assert [w.name for w in model.weights] == expected
    assert [w.name for w in model.trainable_weights] == expected
    model.blocks.append(keras.layers.Dense(5, name="late"))
    assert [layer.name for layer in model.layers] == ["l0", "l1", "late", "ha", "hz", "first"]


def _recorder(keras, name, log):
    class Recorder(keras.layers.Layer):
        def call(self, inputs, training=None):
            log.append((self.name, training))
            return inputs

    return Recorder(name=name)


@clause("MODEL.TRAINING_ARG")
def test_training_reaches_every_layer_of_nested_models(backend):
    keras = backend.keras
    log = []

    class Wrapper(keras.layers.Layer):            # its call takes no `training`
        def __init__(self):
            super().__init__(name="wrapper")
            self.inner = _recorder(keras, "wrapped", log)

        def call(self, inputs):
            return self.inner(inputs)

    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.inner = _recorder(keras, "sub_inner", log)

        def call(self, inputs, training=None):
            log.append(("sub_call", training))
            return self.inner(inputs)

    i = keras.Input(shape=(3,))
    nested = keras.Model(i, _recorder(keras, "nested", log)(i))
    x = keras.Input(shape=(3,))
    y = Sub()(Wrapper()(nested(_recorder(keras, "outer", log)(x))))
    model = keras.Model(x, y)
    data = np.ones((2, 3), np.float32)
    for training in (True, False, None):
        log.clear()
        if training is None:
            model(data)
        else:
            model(data, training=training)
        assert log == [("outer", training), ("nested", training), ("wrapped", training),
                       ("sub_call", training), ("sub_inner", training)]


@clause("MODEL.TRAINING_ARG")
def test_dropout_acts_only_with_training_true(backend):
    keras = backend.keras
    model = keras.Sequential([keras.Input(shape=(10000,)), keras.layers.Dropout(0.5)])
    x = np.ones((1, 10000), np.float32)
    np.testing.assert_array_equal(backend.to_numpy(model(x)), x)
    np.testing.assert_array_equal(backend.to_numpy(model(x, training=False)), x)
    dropped = backend.to_numpy(model(x, training=True))
    assert set(np.unique(dropped)) <= {0.0, 2.0}
    assert 0.45 < np.mean(dropped == 0) < 0.55


def _bn_model(keras):
    inputs = keras.Input(shape=(2,))
    outputs = keras.layers.BatchNormalization(name="bn")(keras.layers.Dense(2, name="d")(inputs))
    return keras.Model(inputs, outputs)


@clause("MODEL.WEIGHTS.TRAINABLE")
def test_batch_normalization_splits_its_weights(backend):
    keras = backend.keras
    bn = keras.layers.BatchNormalization()
    assert bn.momentum == 0.99 and bn.epsilon == 0.001
    bn.build((None, 2))
    assert [w.name for w in bn.weights] == ["gamma:0", "beta:0", "moving_mean:0",
                                            "moving_variance:0"]
    assert [w.name for w in bn.trainable_weights] == ["gamma:0", "beta:0"]
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean:0", "moving_variance:0"]
    model = _bn_model(keras)
    assert [w.name for w in model.trainable_weights] == ["d/kernel:0", "d/bias:0",
                                                         "bn/gamma:0", "bn/beta:0"]
    assert [w.name for w in model.non_trainable_weights] == ["bn/moving_mean:0",
                                                             "bn/moving_variance:0"]


@clause("MODEL.WEIGHTS.TRAINABLE")
def test_moving_statistics_change_only_in_a_training_forward_pass(backend):
    keras = backend.keras
    bn = keras.layers.BatchNormalization()
    x = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    bn(x)
    bn(x, training=False)
    np.testing.assert_array_equal(backend.to_numpy(bn.moving_mean), [0.0, 0.0])
    np.testing.assert_array_equal(backend.to_numpy(bn.moving_variance), [1.0, 1.0])
    bn(x, training=True)
    mean, var = x.mean(axis=0), x.var(axis=0)      # biased batch variance
    np.testing.assert_allclose(backend.to_numpy(bn.moving_mean), 0.01 * mean, rtol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(bn.moving_variance), 0.99 + 0.01 * var,
                               rtol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(bn.moving_mean), [0.02, 0.04], rtol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(bn.moving_variance), [1.0, 1.03], rtol=1e-6)


@clause("MODEL.WEIGHTS.TRAINABLE")
def test_freezing_a_layer_moves_all_its_weights_and_stops_the_statistics(backend):
    keras = backend.keras
    model = _bn_model(keras)
    bn = model.get_layer("bn")
    bn.trainable = False
    assert [w.name for w in model.trainable_weights] == ["d/kernel:0", "d/bias:0"]
    assert [w.name for w in model.non_trainable_weights] == [
        "bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0"]
    model(np.array([[1.0, 2.0], [3.0, 6.0]], np.float32), training=True)
    np.testing.assert_array_equal(backend.to_numpy(bn.moving_mean), [0.0, 0.0])
    np.testing.assert_array_equal(backend.to_numpy(bn.moving_variance), [1.0, 1.0])


@clause("MODEL.WEIGHTS.TRAINABLE")
def test_a_non_trainable_counter_weight_counts_calls(backend):
    keras = backend.keras

    class Counter(keras.layers.Layer):
        def build(self, input_shape):
            self.count = self.add_weight(name="count", shape=(), initializer="zeros",
                                         trainable=False)

        def call(self, inputs):
            self.count.assign_add(1.0)
            return inputs

    counter = Counter(name="counter")
    model = keras.Sequential([keras.Input(shape=(2,)), counter])
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 1
    for _ in range(3):
        model(np.ones((4, 2), np.float32))
    assert float(backend.to_numpy(counter.count)) == 3.0
