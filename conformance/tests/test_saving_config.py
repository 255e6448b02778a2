"""Model configs: get_config / from_config, to_json / model_from_json, custom objects
(SAVING.CONFIG*, SAVING.SAFE_MODE).

Seed 004 "# 保存和还原整个模型" rebuilds "完全相同的模型" from a saved model; its
architecture part is the config. A rebuilt model gets the source's weights with
set_weights and must then predict exactly the same.
"""
import json

import numpy as np
import pytest

from conformance import clause

X = np.random.default_rng(3).random((4, 3)).astype(np.float32)
XB = np.random.default_rng(4).random((4, 2)).astype(np.float32)


def _multi_io(keras):
    """Dict inputs, a shared layer called twice, a nested Sequential, three outputs."""
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    shared = keras.layers.Dense(3, activation="relu", name="shared")
    merged = keras.layers.Concatenate(name="cat")([shared(a), keras.layers.Dense(3, name="db")(b)])
    o1 = keras.layers.Dense(1, name="o1")(keras.layers.BatchNormalization(name="bn")(merged))
    inner = keras.Sequential([keras.layers.Dense(2, name="in1"), keras.layers.Dropout(0.3)],
                             name="inner")
    return keras.Model({"a": a, "b": b}, [o1, inner(o1), shared(a)], name="multi")


def _predict(model, backend):
    out = model.predict({"a": X, "b": XB}, verbose=0)
    return [backend.to_numpy(o) for o in out]


def _same_predictions(source, rebuilt, backend):
    rebuilt.set_weights(source.get_weights())
    for p, q in zip(_predict(source, backend), _predict(rebuilt, backend)):
        np.testing.assert_array_equal(p, q)


@clause("SAVING.CONFIG")
def test_a_functional_config_lists_layers_with_their_calls(backend):
    config = _multi_io(backend.keras).get_config()
    by_name = {layer["name"]: layer for layer in config["layers"]}
    assert config["name"] == "multi"
    assert config["input_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    assert config["output_layers"] == [["o1", 0, 0], ["inner", 1, 0], ["shared", 1, 0]]
    assert by_name["shared"]["inbound_nodes"] == [[["a", 0, 0, {}]], [["a", 0, 0, {}]]]
    assert by_name["cat"]["inbound_nodes"] == [[["shared", 0, 0, {}], ["db", 0, 0, {}]]]
    assert by_name["a"]["inbound_nodes"] == []
    assert by_name["shared"]["module"] == "keras.layers"
    assert by_name["shared"]["build_config"] == {"input_shape": (None, 3)} or \
        by_name["shared"]["build_config"] == {"input_shape": [None, 3]}
    assert by_name["inner"]["module"] == "keras" and by_name["inner"]["class_name"] == "Sequential"


@clause("SAVING.CONFIG")
def test_from_config_and_model_from_json_rebuild_the_same_model(backend):
    keras = backend.keras
    source = _multi_io(keras)
    from_config = keras.Model.from_config(source.get_config())
    assert [layer.name for layer in from_config.layers] == [layer.name for layer in source.layers]
    _same_predictions(source, from_config, backend)
    from_json = keras.models.model_from_json(source.to_json())
    _same_predictions(source, from_json, backend)
    assert json.loads(from_json.to_json())["config"] == json.loads(source.to_json())["config"]


@clause("SAVING.CONFIG")
def test_to_json_has_class_name_config_and_versions(backend):
    keras = backend.keras
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), name="d")], name="s")
    document = json.loads(model.to_json())
    assert set(document) == {"class_name", "config", "keras_version", "backend"}
    assert document["class_name"] == "Sequential"
    first = document["config"]["layers"][0]
    assert first["class_name"] == "InputLayer" and first["config"]["name"] == "d_input"
    assert first["config"]["batch_input_shape"] == [None, 3]
    rebuilt = keras.models.model_from_json(model.to_json())
    assert rebuilt.name == "s" and [layer.name for layer in rebuilt.layers] == ["d"]


@clause("SAVING.CONFIG.INTEROP")
def test_configs_go_both_ways_between_the_backend_and_tf_keras(backend):
    tf_keras = pytest.importorskip("tf_keras", reason="the interchange clause needs tf_keras")
    ours = _multi_io(backend.keras)
    theirs = tf_keras.models.model_from_json(ours.to_json())
    theirs.set_weights(ours.get_weights())
    for p, q in zip(_predict(ours, backend), theirs.predict({"a": X, "b": XB}, verbose=0)):
        np.testing.assert_allclose(p, q, rtol=1e-6, atol=1e-6)
    original = _multi_io(tf_keras)
    rebuilt = backend.keras.models.model_from_json(original.to_json())
    rebuilt.set_weights(original.get_weights())
    for p, q in zip(original.predict({"a": X, "b": XB}, verbose=0), _predict(rebuilt, backend)):
        np.testing.assert_allclose(p, q, rtol=1e-6, atol=1e-6)


def _custom_dense(keras, registered):
    class ScaledDense(keras.layers.Dense):
        def __init__(self, units, scale=2.0, **kwargs):
            super().__init__(units, **kwargs)
            self.scale = scale

        def call(self, inputs):
            return super().call(inputs) * self.scale

        def get_config(self):
            return {**super().get_config(), "scale": self.scale}

    if registered:
        return keras.saving.register_keras_serializable(package="conformance")(ScaledDense)
    return ScaledDense


@clause("SAVING.CONFIG.CUSTOM")
def test_custom_layers_need_custom_objects_or_registration(backend):
    keras = backend.keras
    plain = _custom_dense(keras, registered=False)
    inputs = keras.Input((3,), name="x")
    model = keras.Model(inputs, plain(2, scale=3.0, name="scaled")(inputs))
    text = model.to_json()
    rebuilt = keras.models.model_from_json(text, custom_objects={"ScaledDense": plain})
    assert rebuilt.get_layer("scaled").scale == 3.0
    with keras.utils.custom_object_scope({"ScaledDense": plain}):
        assert keras.models.model_from_json(text).get_layer("scaled").scale == 3.0


@clause("SAVING.CONFIG.UNKNOWN_CLASS")
def test_an_unknown_class_raises_type_error_naming_it(backend):
    keras = backend.keras
    plain = _custom_dense(keras, registered=False)
    inputs = keras.Input((3,), name="x")
    text = keras.Model(inputs, plain(2, name="scaled")(inputs)).to_json()
    with pytest.raises(TypeError, match="ScaledDense"):
        keras.models.model_from_json(text)


@clause("SAVING.CONFIG.CUSTOM")
def test_a_registered_class_records_and_finds_its_registered_name(backend):
    keras = backend.keras
    registered = _custom_dense(keras, registered=True)
    assert keras.saving.get_registered_name(registered) == "conformance>ScaledDense"
    assert keras.saving.get_registered_object("conformance>ScaledDense") is registered
    layer = registered(2, scale=4.0)
    config = keras.saving.serialize_keras_object(layer)
    assert config["registered_name"] == "conformance>ScaledDense"
    assert config["class_name"] == "ScaledDense"
    assert keras.saving.deserialize_keras_object(config).scale == 4.0


@clause("SAVING.CONFIG.CUSTOM")
def test_a_subclassed_model_config_is_its_constructor_arguments(backend):
    keras = backend.keras

    class Two(keras.Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.dense = keras.layers.Dense(units)

        def call(self, x):
            return self.dense(x)

    model = Two(units=5, name="two")
    assert model.get_config() == {"name": "two", "trainable": True, "dtype": "float32",
                                  "units": 5}
    assert Two.from_config(model.get_config()).units == 5
    assert Two(name="t").get_config() == {"name": "t", "trainable": True, "dtype": "float32"}
