"""Sequential models: adding, building, popping, naming and calling.

Seed 003 "7.2.1 Sequential 模型" and 004 "顺序 API". Oracles are hand-applied
layers (the model's forward pass is its layers in order) and the exact names,
shapes and messages measured on tf_keras 2.21.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause

NOT_CREATED = ("Weights for model 'sequential' have not yet been created. Weights are created "
               "when the model is first called on inputs or `build()` is called with an "
               "`input_shape`.")
NOT_BUILT = ("This model has not yet been built. Build the model first by calling `build()` or "
             "by calling the model on a batch of data.")


def _lines(model, **kwargs):
    lines = []
    model.summary(print_fn=lambda line, **_: lines.append(line), **kwargs)
    return lines


@clause("MODEL.SEQ.ADD")
@given(widths=st.lists(st.integers(1, 6), min_size=1, max_size=4), features=st.integers(1, 4))
def test_list_and_add_build_the_same_stack(backend, widths, features):
    keras = backend.keras
    listed = keras.Sequential([keras.layers.Dense(w) for w in widths])
    added = keras.Sequential()
    for w in widths:
        added.add(keras.layers.Dense(w))
    x = np.linspace(-1, 1, 2 * features, dtype=np.float32).reshape(2, features)
    y_listed = backend.to_numpy(listed(x))
    added.build((None, features))
    added.set_weights(listed.get_weights())
    assert len(listed.layers) == len(added.layers) == len(widths)
    assert [layer.units for layer in added.layers] == widths
    np.testing.assert_array_equal(backend.to_numpy(added(x)), y_listed)
    by_hand = x
    for layer in listed.layers:
        by_hand = layer(by_hand)
    np.testing.assert_array_equal(backend.to_numpy(by_hand), y_listed)
    assert y_listed.shape == (2, widths[-1])


@clause("MODEL.SEQ.ADD")
def test_default_model_and_layer_names_keep_counting(backend):
    keras = backend.keras
    first = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])
    second = keras.Sequential()
    second.add(keras.layers.Dense(2))
    second.add(keras.layers.Dense(1))
    assert (first.name, second.name) == ("sequential", "sequential_1")
    assert [layer.name for layer in first.layers] == ["dense", "dense_1"]
    assert [layer.name for layer in second.layers] == ["dense_2", "dense_3"]


@clause("MODEL.SEQ.UNBUILT")
def test_unbuilt_sequential_has_no_weights_yet(backend):
    keras = backend.keras
    model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    assert model.built is False
    assert model.inputs is None and model.outputs is None
    for read in (lambda: model.weights, lambda: model.trainable_weights,
                 lambda: model.variables, model.get_weights):
        with pytest.raises(ValueError) as info:
            read()
        assert str(info.value) == NOT_CREATED
    with pytest.raises(ValueError) as info:
        model.summary()
    assert str(info.value) == NOT_BUILT
    with pytest.raises(ValueError) as info:
        model.count_params()
    assert str(info.value) == ("You tried to call `count_params` on layer sequential, but the "
                               "layer isn't built. You can build it manually via: "
                               "`sequential.build(batch_input_shape)`.")
    assert model.built is False


@clause("MODEL.SEQ.BUILD")
def test_build_creates_the_weights_in_layer_order(backend):
    keras, tf = backend.keras, backend.tf
    model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.build(input_shape=(None, 3))
    assert model.built is True
    assert [(w.name, tuple(w.shape)) for w in model.weights] == [
        ("dense/kernel:0", (3, 64)), ("dense/bias:0", (64,)),
        ("dense_1/kernel:0", (64, 10)), ("dense_1/bias:0", (10,))]
    assert all(w.dtype == tf.float32 for w in model.weights)
    assert model.count_params() == 906
    assert len(model.inputs) == 1
    assert tuple(model.inputs[0].shape) == (None, 3)
    assert repr(model.inputs[0]) == ("<KerasTensor: shape=(None, 3) dtype=float32 "
                                     "(created by layer 'dense_input')>")


@clause("MODEL.SEQ.BUILD")
def test_first_call_creates_the_same_weights_and_names_follow_the_layer(backend):
    keras = backend.keras
    model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model(np.ones((2, 3), np.float32))
    assert model.built is True
    assert [(w.name, tuple(w.shape)) for w in model.weights] == [
        ("dense/kernel:0", (3, 64)), ("dense/bias:0", (64,)),
        ("dense_1/kernel:0", (64, 10)), ("dense_1/bias:0", (10,))]
    named = keras.Sequential(name="my_example_model")
    named.add(keras.layers.Dense(64, activation="relu", name="my_first_layer"))
    named.add(keras.layers.Dense(10, name="my_last_layer"))
    named.build((None, 3))
    assert named.name == "my_example_model"
    assert [w.name for w in named.weights] == [
        "my_first_layer/kernel:0", "my_first_layer/bias:0",
        "my_last_layer/kernel:0", "my_last_layer/bias:0"]


@clause("MODEL.SEQ.INPUT")
def test_input_first_builds_each_added_layer_at_once(backend):
    keras = backend.keras
    model = keras.Sequential([keras.Input(shape=(3,))])
    assert model.built is True and model.layers == []
    model.add(keras.layers.Dense(64, activation="relu"))
    assert [tuple(w.shape) for w in model.weights] == [(3, 64), (64,)]
    assert model.output_shape == (None, 64)
    assert "Total params: 256 (1.00 KB)" in _lines(model)
    model.add(keras.layers.Dense(10, activation="softmax"))
    assert model.output_shape == (None, 10)
    assert "Total params: 906 (3.54 KB)" in _lines(model)
    added = keras.Sequential()
    added.add(keras.Input(shape=(3,)))
    assert added.built is True and added.layers == []


@clause("MODEL.SEQ.INPUT")
def test_input_shape_on_the_first_layer_builds_and_on_sequential_is_rejected(backend):
    keras = backend.keras
    model = keras.Sequential([keras.layers.Dense(64, input_shape=(3,))])
    assert model.built is True and len(model.layers) == 1
    assert model.output_shape == (None, 64)
    with pytest.raises(TypeError) as info:
        keras.Sequential(input_shape=(3,))
    assert str(info.value) == ("Sequential.__init__() got an unexpected keyword argument "
                               "'input_shape'")


@clause("MODEL.SEQ.POP")
def test_pop_removes_the_last_layer_and_rewires_the_output(backend):
    keras = backend.keras
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4, name="a"),
                              keras.layers.Dense(2, name="b")])
    assert model.output_shape == (None, 2)
    model.pop()
    assert [layer.name for layer in model.layers] == ["a"]
    assert model.built is True
    assert model.output_shape == (None, 4)
    assert tuple(model.outputs[0].shape) == (None, 4)
    assert [w.name for w in model.weights] == ["a/kernel:0", "a/bias:0"]
    assert tuple(backend.to_numpy(model(np.ones((2, 3), np.float32))).shape) == (2, 4)
    model.pop()
    assert model.layers == []
    assert model.built is False
    assert model.inputs is None and model.outputs is None


@clause("MODEL.SEQ.POP")
def test_pop_on_unbuilt_and_empty_models(backend):
    keras = backend.keras
    model = keras.Sequential([keras.layers.Dense(4, name="a"), keras.layers.Dense(2, name="b")])
    model.pop()
    assert [layer.name for layer in model.layers] == ["a"] and model.built is False
    model.pop()
    for _ in range(2):
        with pytest.raises(TypeError) as info:
            model.pop()
        assert str(info.value) == "There are no layers in the model."
    with pytest.raises(TypeError) as info:
        keras.Sequential().pop()
    assert str(info.value) == "There are no layers in the model."


@clause("MODEL.NAMES")
@given(counts=st.lists(st.sampled_from(["Dense", "Dropout", "custom"]), min_size=1, max_size=8))
def test_default_names_count_per_class_and_reset_with_clear_session(backend, counts):
    keras = backend.keras
    keras.backend.clear_session()
    made = {"Dense": 0, "Dropout": 0}
    for kind in counts:
        if kind == "custom":
            assert keras.layers.Dense(1, name="custom").name == "custom"
            continue
        layer = keras.layers.Dense(1) if kind == "Dense" else keras.layers.Dropout(0.5)
        base = kind.lower()
        assert layer.name == (base if made[kind] == 0 else f"{base}_{made[kind]}")
        made[kind] += 1
    assert keras.Sequential().name == "sequential"
    assert keras.Sequential().name == "sequential_1"
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dropout(0.5).name == "dropout"
    assert keras.Sequential().name == "sequential"


@clause("MODEL.NAMES")
def test_functional_models_and_inputs_get_their_own_counters(backend):
    keras = backend.keras
    inputs = keras.Input(shape=(3,))
    assert inputs.name == "input_1"
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    assert model.name == "model"
    assert keras.Model(inputs, keras.layers.Dense(1)(inputs)).name == "model_1"
    assert keras.Input(shape=(3,)).name == "input_2"
    assert keras.layers.BatchNormalization().name == "batch_normalization"
    assert keras.layers.Concatenate().name == "concatenate"


@clause("MODEL.NAMES")
def test_name_must_be_a_string_and_standalone_layers_may_share_one(backend):
    keras = backend.keras
    with pytest.raises(TypeError) as info:
        keras.layers.Dense(2, name=3)
    assert str(info.value) == "Expected `name` argument to be a string, but got: 3"
    a, b = keras.layers.Dense(2, name="same"), keras.layers.Dense(2, name="same")
    assert a.name == b.name == "same"


@clause("MODEL.NAMES")
def test_duplicate_names_in_one_model_are_errors(backend):
    keras = backend.keras
    sequential_message = ('All layers added to a Sequential model should have unique names. '
                          'Name "d" is already the name of a layer in this model. Update the '
                          '`name` argument to pass a unique name.')
    with pytest.raises(ValueError) as info:
        keras.Sequential([keras.layers.Dense(2, name="d"), keras.layers.Dense(2, name="d")])
    assert str(info.value) == sequential_message
    model = keras.Sequential([keras.layers.Dense(2, name="d")])
    with pytest.raises(ValueError) as info:
        model.add(keras.layers.Dense(2, name="d"))
    assert str(info.value) == sequential_message
    assert [layer.name for layer in model.layers] == ["d"]
    functional_message = 'The name "d" is used 2 times in the model. All layer names should be unique.'
    inputs = keras.Input(shape=(3,))
    x = keras.layers.Dense(2, name="d")(inputs)
    with pytest.raises(ValueError) as info:
        keras.Model(inputs, keras.layers.Dense(2, name="d")(x))
    assert str(info.value) == functional_message
    a, b = keras.Input(shape=(3,), name="d"), keras.Input(shape=(3,), name="d")
    with pytest.raises(ValueError) as info:
        keras.Model([a, b], keras.layers.Add()([a, b]))
    assert str(info.value) == functional_message


@clause("MODEL.CALL")
def test_calling_on_numpy_and_tensors_gives_float32_tensors(backend):
    keras, tf = backend.keras, backend.tf
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    kernel, bias = (backend.to_numpy(w) for w in model.weights)
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
    expected = x @ kernel + bias
    as_int = x.astype(np.int32)
    cases = [(x, expected), (tf.constant(x), expected), (x.astype(np.float64), expected),
             (tf.constant(x.astype(np.float64)), expected),
             (as_int, as_int.astype(np.float32) @ kernel + bias)]
    for value, oracle in cases:
        y = model(value)
        assert isinstance(y, tf.Tensor)
        assert tuple(y.shape) == (2, 2) and y.dtype == tf.float32
        np.testing.assert_allclose(backend.to_numpy(y), oracle, rtol=1e-6, atol=1e-6)


@clause("MODEL.CALL")
def test_a_layer_first_called_on_float64_numpy_builds_float32(backend):
    keras, tf = backend.keras, backend.tf
    layer = keras.layers.Dense(2)
    y = layer(np.ones((2, 3), np.float64))
    assert isinstance(y, tf.Tensor) and y.dtype == tf.float32 and tuple(y.shape) == (2, 2)
    assert layer.kernel.dtype == tf.float32


@clause("MODEL.CALL")
def test_wrong_input_width_fails_before_any_weight_changes(backend):
    keras = backend.keras
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError) as info:
        model(np.ones((2, 4), np.float32))
    assert str(info.value) == ('Input 0 of layer "sequential" is incompatible with the layer: '
                               'expected shape=(None, 3), found shape=(2, 4)')
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)
    built = keras.Sequential([keras.layers.Dense(2)])
    built.build((None, 3))
    before = [w.copy() for w in built.get_weights()]
    with pytest.raises(ValueError) as info:
        built(np.ones((2, 4), np.float32))
    assert ('Input 0 of layer "dense_1" is incompatible with the layer: expected axis -1 of '
            'input shape to have value 3, but received input with shape (2, 4)') in str(info.value)
    for old, new in zip(before, built.get_weights()):
        np.testing.assert_array_equal(old, new)
    layer = keras.layers.Dense(2, name="solo")
    layer(np.ones((1, 3), np.float32))
    with pytest.raises(ValueError) as info:
        layer(np.ones((2, 4), np.float32))
    assert str(info.value) == ('Input 0 of layer "solo" is incompatible with the layer: expected '
                               'axis -1 of input shape to have value 3, but received input with '
                               'shape (2, 4)')
