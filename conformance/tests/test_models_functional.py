"""Functional models: symbolic tensors, graphs of layers, reuse, nesting, sharing.

Seed 003 "7.2.2 函数式 API" (the ticket model: three inputs, two outputs) and
"7.2.4 混合和匹配不同的组件"; seed 000 "多输入/多输出模型的数据" and its add_loss
section. Oracles are the same layers applied by hand, and the exact names, shapes
and messages measured on tf_keras 2.21.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause

# The 003 ticket model with the 10000-wide vocabularies shrunk to 20 (and 100 tags to 5):
# sizes do not matter to these clauses.
VOCAB, TAGS = 20, 5


def ticket_model(keras, outputs=("priority", "department")):
    """Seed 003's customer ticket model; returns (model, inputs, named tensors)."""
    title = keras.Input(shape=(VOCAB,), name="title")
    text_body = keras.Input(shape=(VOCAB,), name="text_body")
    tags = keras.Input(shape=(TAGS,), name="tags")
    features = keras.layers.Concatenate()([title, text_body, tags])
    features = keras.layers.Dense(64, activation="relu")(features)
    tensors = {"priority": keras.layers.Dense(1, activation="sigmoid", name="priority")(features),
               "department": keras.layers.Dense(4, activation="softmax",
                                                name="department")(features),
               "features": features}
    model = keras.Model(inputs=[title, text_body, tags], outputs=[tensors[o] for o in outputs])
    return model, [title, text_body, tags], tensors


def ticket_data(n=10):
    rng = np.random.default_rng(0)
    return [rng.integers(0, 2, (n, VOCAB)).astype(np.float32),
            rng.integers(0, 2, (n, VOCAB)).astype(np.float32),
            rng.integers(0, 2, (n, TAGS)).astype(np.float32)]


def _dense(backend, layer, x):
    """A Dense layer applied by hand in numpy (the oracle), before its activation."""
    kernel, bias = (backend.to_numpy(w) for w in layer.weights)
    return np.asarray(x, np.float32) @ kernel + bias


@clause("MODEL.FUNC.SYMBOLIC")
def test_input_is_a_symbolic_tensor_and_layers_return_new_ones(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(3,), name="my_input")
    assert type(inputs).__name__ == "KerasTensor"
    assert tuple(inputs.shape) == (None, 3)
    assert inputs.dtype == tf.float32 and inputs.name == "my_input"
    assert repr(inputs) == ("<KerasTensor: shape=(None, 3) dtype=float32 "
                            "(created by layer 'my_input')>")
    features = keras.layers.Dense(64, activation="relu")(inputs)
    assert type(features).__name__ == "KerasTensor" and features is not inputs
    assert tuple(features.shape) == (None, 64) and features.dtype == tf.float32
    assert repr(features) == ("<KerasTensor: shape=(None, 64) dtype=float32 "
                              "(created by layer 'dense')>")


@clause("MODEL.FUNC.SYMBOLIC")
def test_input_batch_size_dtype_and_unknown_axes(backend):
    keras, tf = backend.keras, backend.tf
    assert tuple(keras.Input(shape=(3,), batch_size=8).shape) == (8, 3)
    assert keras.Input(shape=(3,), dtype="int32").dtype == tf.int32
    assert tuple(keras.Input(shape=(None, 10)).shape) == (None, None, 10)


@clause("MODEL.FUNC.MULTI_IO")
def test_multi_io_names_and_list_outputs_in_outputs_order(backend):
    keras = backend.keras
    model, _, _ = ticket_model(keras)
    assert model.input_names == ["title", "text_body", "tags"]
    assert model.output_names == ["priority", "department"]
    data = ticket_data()
    result = model(data)
    assert isinstance(result, list) and [tuple(r.shape) for r in result] == [(10, 1), (10, 4)]
    by_name = model({"tags": data[2], "title": data[0], "text_body": data[1]})
    for a, b in zip(result, by_name):
        np.testing.assert_array_equal(backend.to_numpy(a), backend.to_numpy(b))
    reversed_model = keras.Model(model.inputs, model.outputs[::-1])
    flipped = reversed_model(data)
    assert [tuple(r.shape) for r in flipped] == [(10, 4), (10, 1)]
    np.testing.assert_array_equal(backend.to_numpy(flipped[0]), backend.to_numpy(result[1]))


@clause("MODEL.FUNC.MULTI_IO")
def test_dict_and_tuple_outputs_keep_their_structure(backend):
    keras = backend.keras
    _, inputs, t = ticket_model(keras)
    data = ticket_data()
    as_dict = keras.Model(inputs, {"b_dep": t["department"], "a_pri": t["priority"]})
    result = as_dict(data)
    assert isinstance(result, dict) and list(result) == ["b_dep", "a_pri"]
    assert tuple(result["b_dep"].shape) == (10, 4) and tuple(result["a_pri"].shape) == (10, 1)
    assert as_dict.output_names == ["priority", "department"]   # sorted by key
    as_tuple = keras.Model(inputs, (t["priority"], t["department"]))
    assert isinstance(as_tuple(data), tuple)
    assert isinstance(as_tuple.outputs, list)


@clause("MODEL.FUNC.GRAPH")
def test_layers_are_ordered_by_depth_with_inputs_listed(backend):
    keras = backend.keras
    model, inputs, _ = ticket_model(keras)
    assert [(layer.name, type(layer).__name__) for layer in model.layers] == [
        ("title", "InputLayer"), ("text_body", "InputLayer"), ("tags", "InputLayer"),
        ("concatenate", "Concatenate"), ("dense", "Dense"), ("priority", "Dense"),
        ("department", "Dense")]
    concat = model.layers[3]
    assert isinstance(concat.input, list) and len(concat.input) == 3
    assert all(type(t).__name__ == "KerasTensor" for t in concat.input)
    assert tuple(concat.output.shape) == (None, 2 * VOCAB + TAGS)
    assert model.layers[0].output is inputs[0]


@clause("MODEL.FUNC.GRAPH")
def test_ties_follow_the_inbound_order_not_the_inputs_list(backend):
    keras = backend.keras
    cc, dd = keras.Input(shape=(3,), name="cc"), keras.Input(shape=(2,), name="dd")
    q2 = keras.layers.Dense(2, name="q2")(keras.layers.Dense(4, name="q1")(cc))
    late = keras.Model([dd, cc], keras.layers.Concatenate(name="s3")([q2, dd]))
    assert [layer.name for layer in late.layers] == ["cc", "q1", "q2", "dd", "s3"]
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(3,), name="b")
    da, db = keras.layers.Dense(2, name="da")(a), keras.layers.Dense(2, name="db")(b)
    swapped = keras.Model([a, b], keras.layers.Add(name="add2")([db, da]))
    assert [layer.name for layer in swapped.layers] == ["b", "a", "db", "da", "add2"]


@clause("MODEL.FUNC.GRAPH")
def test_get_layer_by_name_or_index_and_its_errors(backend):
    keras = backend.keras
    model, _, _ = ticket_model(keras)
    assert model.get_layer(name="priority") is model.layers[5]
    assert model.get_layer("priority") is model.layers[5]
    assert model.get_layer(index=3) is model.layers[3]
    with pytest.raises(ValueError) as info:
        model.get_layer(name="nope")
    assert str(info.value) == ("No such layer: nope. Existing layers are: ['title', "
                               "'text_body', 'tags', 'concatenate', 'dense', 'priority', "
                               "'department'].")
    with pytest.raises(ValueError) as info:
        model.get_layer(index=99)
    assert str(info.value) == ("Was asked to retrieve layer at index 99 but model only has "
                               "7 layers.")
    with pytest.raises(ValueError) as info:
        model.get_layer()
    assert str(info.value) == "Provide either a layer name or layer index at `get_layer`."
    with pytest.raises(ValueError) as info:
        model.get_layer(name="priority", index=0)
    assert str(info.value) == ("Provide only a layer name or a layer index. Received: "
                               "index=0, name=priority.")


@clause("MODEL.FUNC.GRAPH")
def test_a_layer_never_called_has_no_output(backend):
    keras = backend.keras
    layer = keras.layers.Dense(2, name="dense_3")
    with pytest.raises(AttributeError) as info:
        _ = layer.output
    assert str(info.value) == "Layer dense_3 has no inbound nodes."
    with pytest.raises(AttributeError) as info:
        _ = layer.input
    assert str(info.value) == "Layer dense_3 is not connected, no input to return."


@clause("MODEL.FUNC.REUSE")
def test_a_new_model_on_old_intermediate_outputs_shares_layers_and_weights(backend):
    keras = backend.keras
    model, inputs, t = ticket_model(keras)
    features = model.layers[4].output
    difficulty = keras.layers.Dense(3, activation="softmax", name="difficulty")(features)
    new_model = keras.Model(inputs=inputs, outputs=[t["priority"], t["department"], difficulty])
    for layer in model.layers:
        assert new_model.get_layer(layer.name) is layer
    assert len(model.weights) == 6 and len(new_model.weights) == 8
    assert all(a is b for a, b in zip(new_model.weights[:6], model.weights))
    data = ticket_data()
    old, new = model(data), new_model(data)
    for a, b in zip(old, new[:2]):
        np.testing.assert_array_equal(backend.to_numpy(a), backend.to_numpy(b))
    kernel = model.get_layer("priority").kernel
    new_model.get_layer("priority").kernel.assign(np.full((64, 1), 0.5, np.float32))
    np.testing.assert_array_equal(backend.to_numpy(kernel), np.full((64, 1), 0.5, np.float32))


@clause("MODEL.FUNC.REUSE")
def test_a_feature_extractor_returns_the_intermediate_values(backend):
    keras = backend.keras
    model, _, _ = ticket_model(keras)
    extractor = keras.Model(model.inputs, model.layers[4].output)
    data = ticket_data()
    got = backend.to_numpy(extractor(data))
    assert got.shape == (10, 64)
    oracle = np.maximum(_dense(backend, model.layers[4], np.concatenate(data, axis=1)), 0)
    np.testing.assert_allclose(got, oracle, rtol=1e-5, atol=1e-5)


@clause("MODEL.FUNC.ERRORS")
def test_outputs_not_reachable_from_inputs_is_a_disconnected_graph(backend):
    keras = backend.keras
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(3,), name="b")
    out = keras.layers.Dense(2, name="d")(a)
    with pytest.raises(ValueError) as info:
        keras.Model(b, out)
    message = str(info.value)
    assert message.startswith("Graph disconnected: cannot obtain value for tensor ")
    assert 'at layer "d". The following previous layers were accessed without issue: []' \
        in message
    unused = keras.Model([a, b], out)   # an extra input is accepted and listed
    assert [layer.name for layer in unused.layers] == ["a", "b", "d"]


@clause("MODEL.FUNC.ERRORS")
def test_inputs_and_outputs_must_be_symbolic_tensors(backend):
    keras = backend.keras
    a = keras.Input(shape=(3,), name="a")
    out = keras.layers.Dense(2, name="d")(a)
    for bad, shown in ((np.ones(3), "[1. 1. 1.]"), (None, "None")):
        with pytest.raises(ValueError) as info:
            keras.Model(bad, out)
        assert str(info.value) == (
            "Found unexpected instance while processing input tensors for keras functional "
            "model. Expecting KerasTensor which is from tf.keras.Input() or output from keras "
            f"layer call(). Got: {shown}")
    with pytest.raises(ValueError) as info:
        keras.Model(a, "x")
    assert str(info.value) == ("Output tensors of a Functional model must be the output of a "
                               "TensorFlow `Layer` (thus holding past layer metadata). Found: x")


@clause("MODEL.FUNC.ERRORS")
def test_an_intermediate_tensor_as_input_starts_a_new_graph_there(backend):
    keras = backend.keras
    a = keras.Input(shape=(3,), name="a")
    hidden = keras.layers.Dense(4, name="h")(a)
    out_layer = keras.layers.Dense(2, name="o")
    model = keras.Model(hidden, out_layer(hidden))
    assert [(layer.name, type(layer).__name__) for layer in model.layers] == [
        ("input_1", "InputLayer"), ("o", "Dense")]
    assert tuple(model.inputs[0].shape) == (None, 4)
    x = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)
    np.testing.assert_allclose(backend.to_numpy(model(x)), _dense(backend, out_layer, x),
                               rtol=1e-5, atol=1e-6)


@clause("MODEL.FUNC.ERRORS")
@given(count=st.sampled_from([1, 3, 4]))
def test_calling_with_the_wrong_number_of_inputs(backend, count):
    keras = backend.keras
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(3,), name="b")
    summed = keras.layers.Add()([keras.layers.Dense(2)(a), keras.layers.Dense(2)(b)])
    model = keras.Model([a, b], summed, name="two")
    x = np.ones((2, 3), np.float32)
    with pytest.raises(ValueError) as info:
        model([x] * count)
    assert str(info.value).startswith(f'Layer "two" expects 2 input(s), but it received '
                                      f'{count} input tensors. Inputs received: [')
    with pytest.raises(ValueError) as info:
        model({"a": x, "c": x})
    assert str(info.value) == ('Missing data for input "b". You passed a data dictionary with '
                               "keys ['a', 'c']. Expected the following keys: ['a', 'b']")


@clause("MODEL.FUNC.NESTED")
def test_a_functional_model_is_a_layer_of_another(backend):
    keras = backend.keras
    i = keras.Input(shape=(3,), name="ii")
    hidden = keras.layers.Dense(4, name="dh")(i)
    inner = keras.Model(i, keras.layers.Dense(2, name="di")(hidden), name="inner")
    o = keras.Input(shape=(3,), name="oi")
    head = keras.layers.Dense(1, name="do")
    outer = keras.Model(o, head(inner(o)), name="outer")
    assert [(layer.name, type(layer).__name__) for layer in outer.layers] == [
        ("oi", "InputLayer"), ("inner", "Functional"), ("do", "Dense")]
    assert outer.layers[1] is inner
    assert [w.name for w in outer.weights] == ["dh/kernel:0", "dh/bias:0", "di/kernel:0",
                                               "di/bias:0", "do/kernel:0", "do/bias:0"]
    assert all(a is b for a, b in zip(outer.weights[:4], inner.weights))
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    by_hand = _dense(backend, head, _dense(backend, inner.layers[2],
                                           _dense(backend, inner.layers[1], x)))
    np.testing.assert_allclose(backend.to_numpy(outer(x)), by_hand, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(backend.to_numpy(outer(x)), backend.to_numpy(head(inner(x))))


@clause("MODEL.FUNC.SHARED")
def test_one_layer_on_two_inputs_has_one_set_of_weights_and_two_nodes(backend):
    keras = backend.keras
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(3,), name="b")
    shared = keras.layers.Dense(2, name="shared")
    ya, yb = shared(a), shared(b)
    model = keras.Model([a, b], [ya, yb])
    assert [layer.name for layer in model.layers] == ["a", "b", "shared"]
    assert len(shared.weights) == 2 and len(model.weights) == 2
    assert shared.get_output_at(0) is ya and shared.get_output_at(1) is yb
    assert shared.get_input_at(0) is a and shared.get_input_at(1) is b
    assert shared.output is ya and shared.input is a   # node 0, no error
    assert shared.output_shape == (None, 2)             # same shape at both nodes
    with pytest.raises(ValueError) as info:
        shared.get_output_at(2)
    assert str(info.value) == "Asked to get output at node 2, but the layer has only 2 inbound nodes."
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    ra, rb = model([x, 2 * x])
    np.testing.assert_allclose(backend.to_numpy(ra), _dense(backend, shared, x), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(rb), _dense(backend, shared, 2 * x), rtol=1e-5,
                               atol=1e-6)


@clause("MODEL.FUNC.SHARED")
def test_shapes_differing_between_nodes_make_output_shape_ill_defined(backend):
    keras = backend.keras
    shared = keras.layers.Dense(2, name="shared")
    shared(keras.Input(shape=(3,)))
    shared(keras.Input(shape=(5, 3)))
    with pytest.raises(AttributeError) as info:
        _ = shared.output_shape
    assert str(info.value) == (
        'The layer "shared" has multiple inbound nodes, with different output shapes. Hence the '
        'notion of "output shape" is ill-defined for the layer. Use `get_output_shape_at('
        'node_index)` instead.')
    with pytest.raises(AttributeError) as info:
        _ = shared.input_shape
    assert str(info.value) == (
        'The layer "shared" has multiple inbound nodes, with different input shapes. Hence the '
        'notion of "input shape" is ill-defined for the layer. Use `get_input_shape_at('
        'node_index)` instead.')
    assert shared.get_output_shape_at(1) == (None, 5, 2)


@clause("MODEL.MIX")
def test_a_subclassed_model_inside_a_functional_model(backend):
    keras = backend.keras

    class Classifier(keras.Model):
        def __init__(self, num_classes=2):
            super().__init__()
            units, activation = (1, "sigmoid") if num_classes == 2 else (num_classes, "softmax")
            self.dense = keras.layers.Dense(units, activation=activation)

        def call(self, inputs):
            return self.dense(inputs)

    inputs = keras.Input(shape=(3,))
    classifier = Classifier(num_classes=10)
    outputs = classifier(keras.layers.Dense(64, activation="relu")(inputs))
    model = keras.Model(inputs=inputs, outputs=outputs)
    assert [(layer.name, type(layer).__name__) for layer in model.layers] == [
        ("input_1", "InputLayer"), ("dense_1", "Dense"), ("classifier", "Classifier")]
    assert classifier.dense.name == "dense"       # created first, inside Classifier.__init__
    assert type(classifier.output).__name__ == "KerasTensor"
    assert tuple(classifier.output.shape) == (None, 10)
    assert classifier.count_params() == 650 and len(model.weights) == 4
    row = [line for line in _summary(model) if line.startswith(" classifier")]
    assert row == [" classifier (Classifier)     (None, 10)                650"]
    assert tuple(model(np.ones((8, 3), np.float32)).shape) == (8, 10)


@clause("MODEL.MIX")
def test_a_functional_model_inside_a_subclassed_model_and_a_sequential(backend):
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
    assert tuple(model(np.ones((8, 3), np.float32)).shape) == (8, 1)
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Functional"]
    assert len(model.weights) == 4
    seq = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(64), binary_classifier])
    assert [type(layer).__name__ for layer in seq.layers] == ["Dense", "Functional"]
    assert seq.output_shape == (None, 1)


@clause("MODEL.MIX")
def test_a_custom_layer_inside_a_functional_model(backend):
    keras, tf = backend.keras, backend.tf

    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.w * 2.0

    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, Scale(name="scale")(inputs))
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Scale"]
    assert [w.name for w in model.weights] == ["scale/w:0"]
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(backend.to_numpy(model(tf.constant(x))), 2 * x)


def _summary(model):
    lines = []
    model.summary(print_fn=lambda line, **_: lines.append(line.rstrip()))
    return lines


@clause("MODEL.LOSSES.SYMBOLIC", requires=("symbolic_add_loss",))
def test_symbolic_add_loss_is_recomputed_on_every_call(backend):
    keras, tf = backend.keras, backend.tf
    inputs = keras.Input(shape=(3,), name="in")
    x1_layer = keras.layers.Dense(4, name="x1")
    x1 = x1_layer(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, name="out")(x1))
    model.add_loss(tf.reduce_sum(x1) * 0.1)
    assert [(layer.name, type(layer).__name__) for layer in model.layers][:3] == [
        ("in", "InputLayer"), ("x1", "Dense"), ("out", "Dense")]
    assert type(model.layers[-1]).__name__ == "AddLoss"
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    for scale in (1.0, 2.0, -0.5):
        x = data * np.float32(scale)
        model(x)
        assert len(model.losses) == 1
        loss = backend.to_numpy(model.losses[0])
        assert loss.shape == ()
        oracle = np.float32(0.1) * np.sum(_dense(backend, x1_layer, x), dtype=np.float32)
        np.testing.assert_allclose(loss, oracle, rtol=1e-5, atol=1e-5)
