"""model.save / keras.models.load_model in the .keras format, and .weights.h5 files
(SAVING.MODEL*, SAVING.WEIGHTS.V3).

Seed 004 "# 保存和还原整个模型": "重新创建完全相同的模型，包括权重和优化器" — the
restored model has the same architecture, weights, compile configuration and
optimizer state, so training continues exactly where it stopped.
"""
import io
import zipfile

import h5py
import numpy as np
import pytest

from conformance import clause

X = np.random.default_rng(5).random((16, 3)).astype(np.float32)
Y = np.random.default_rng(6).random((16, 2)).astype(np.float32)


def _model(keras, compile=True):
    inputs = keras.Input((3,), name="x")
    h = keras.layers.Dense(4, activation="relu", name="d1")(inputs)
    h = keras.layers.BatchNormalization(name="bn")(h)
    model = keras.Model(inputs, keras.layers.Dense(2, name="d2")(h), name="m")
    if compile:
        model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    return model


def _trained(keras):
    model = _model(keras)
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return model


def _same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def _next_loss(model):
    return model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0).history["loss"][0]


@clause("SAVING.MODEL")
def test_a_keras_file_holds_config_metadata_and_weights(backend, tmp_path):
    path = str(tmp_path / "m.keras")
    _trained(backend.keras).save(path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        import json
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
    assert config["class_name"] == "Functional" and config["config"]["name"] == "m"
    compile_config = config["compile_config"]
    assert compile_config["loss"] == "mse" and compile_config["metrics"] == ["mae"]
    assert compile_config["optimizer"]["class_name"] == "Adam"
    assert set(metadata) == {"keras_version", "date_saved"}


@clause("SAVING.MODEL")
def test_load_model_restores_everything_and_training_continues_exactly(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "m.keras")
    model = _trained(keras)
    model.save(path)
    restored = keras.models.load_model(path)
    assert _same(restored.get_weights(), model.get_weights())
    assert int(backend.to_numpy(restored.optimizer.iterations)) == 4
    assert len(restored.optimizer.variables) == len(model.optimizer.variables) == 13
    assert type(restored.optimizer).__name__ == "Adam"
    assert np.isclose(float(backend.to_numpy(restored.optimizer.learning_rate)), 0.01)
    assert restored.metrics_names == []                 # until it runs
    assert _next_loss(restored) == _next_loss(model)    # the same next epoch, bit for bit
    assert restored.metrics_names == ["loss", "mae"]


@clause("SAVING.MODEL")
def test_compile_false_loads_an_uncompiled_model(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "m.keras")
    model = _trained(keras)
    model.save(path)
    restored = keras.models.load_model(path, compile=False)
    assert _same(restored.get_weights(), model.get_weights())
    with pytest.raises(RuntimeError, match="compile"):
        restored.fit(X, Y, verbose=0)


@clause("SAVING.MODEL.INTEROP")
def test_keras_files_go_both_ways_between_the_backend_and_tf_keras(backend, tmp_path):
    tf_keras = pytest.importorskip("tf_keras", reason="the interchange clause needs tf_keras")
    ours = _trained(backend.keras)
    ours.save(str(tmp_path / "ours.keras"))
    theirs = tf_keras.models.load_model(str(tmp_path / "ours.keras"))
    assert _same(theirs.get_weights(), ours.get_weights())
    assert int(theirs.optimizer.iterations.numpy()) == 4
    np.testing.assert_allclose(_next_loss(theirs), _next_loss(ours), rtol=1e-5)
    original = _trained(tf_keras)
    original.save(str(tmp_path / "theirs.keras"))
    rebuilt = backend.keras.models.load_model(str(tmp_path / "theirs.keras"))
    assert _same(rebuilt.get_weights(), original.get_weights())
    assert int(backend.to_numpy(rebuilt.optimizer.iterations)) == 4
    np.testing.assert_allclose(_next_loss(rebuilt), _next_loss(original), rtol=1e-5)


@clause("SAVING.MODEL.DAMAGED")
@pytest.mark.parametrize("damage", ["truncated", "garbage", "flipped"])
def test_a_damaged_keras_file_raises_and_nothing_loads(backend, tmp_path, damage):
    path = str(tmp_path / "m.keras")
    _trained(backend.keras).save(path)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if damage == "truncated":
        data = data[:len(data) // 2]
    elif damage == "garbage":
        data = bytearray(b"not a zip file" * 50)
    else:    # a byte in the middle of model.weights.h5's numbers
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            info = archive.getinfo("model.weights.h5")
        data[info.header_offset + 30 + len(info.filename) + info.file_size // 2] ^= 0xFF
    with open(path, "wb") as f:
        f.write(bytes(data))
    with pytest.raises(OSError, match="m.keras"):
        backend.keras.models.load_model(path)


@clause("SAVING.WEIGHTS.V3")
def test_weights_h5_uses_the_keras_3_layout_and_round_trips(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "w.weights.h5")
    model = _trained(keras)
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        names = set()
        f.visit(names.add)
    for expected in ["layers/dense/vars/0", "layers/dense/vars/1", "layers/dense_1/vars/1",
                     "layers/batch_normalization/vars/3", "layers/input_layer/vars",
                     "metrics/mean/vars/0", "optimizer/vars/0", "optimizer/vars/12", "vars"]:
        assert expected in names, expected
    target = _trained(keras)          # built optimizer: its state loads too
    target.load_weights(path)
    assert _same(target.get_weights(), model.get_weights())
    assert _same([backend.to_numpy(v) for v in target.optimizer.variables],
                 [backend.to_numpy(v) for v in model.optimizer.variables])


@clause("SAVING.WEIGHTS.V3")
def test_weights_h5_into_another_architecture_fails(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "w.weights.h5")
    _model(keras, compile=False).save_weights(path)
    inputs = keras.Input((3,), name="x")
    h = keras.layers.Dense(5, activation="relu", name="d1")(inputs)
    h = keras.layers.BatchNormalization(name="bn")(h)
    other = keras.Model(inputs, keras.layers.Dense(2, name="d2")(h))
    with pytest.raises(ValueError, match="Shape mismatch|shape"):
        other.load_weights(path)


@clause("SAVING.MODEL.H5")
def test_an_h5_model_file_round_trips_with_its_optimizer_state(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "m.h5")
    model = _trained(keras)
    with pytest.warns(UserWarning, match="legacy"):
        model.save(path)
    with h5py.File(path, "r") as f:
        assert {"model_config", "training_config", "keras_version", "backend"} <= set(f.attrs)
        assert "model_weights" in f and "optimizer_weights" in f
        import json
        training = json.loads(f.attrs["training_config"])
        assert training["optimizer_config"]["class_name"] == "Custom>Adam"
        assert json.loads(f.attrs["model_config"])["class_name"] == "Functional"
    restored = keras.models.load_model(path)
    assert _same(restored.get_weights(), model.get_weights())
    assert int(backend.to_numpy(restored.optimizer.iterations)) == 4
    assert _next_loss(restored) == _next_loss(model)


@clause("SAVING.MODEL.H5")
def test_h5_model_files_go_both_ways_with_tf_keras(backend, tmp_path):
    tf_keras = pytest.importorskip("tf_keras", reason="the interchange clause needs tf_keras")
    ours = _trained(backend.keras)
    with pytest.warns(UserWarning):
        ours.save(str(tmp_path / "ours.h5"))
    theirs = tf_keras.models.load_model(str(tmp_path / "ours.h5"))
    assert _same(theirs.get_weights(), ours.get_weights())
    np.testing.assert_allclose(_next_loss(theirs), _next_loss(ours), rtol=1e-5)
    original = _trained(tf_keras)
    with pytest.warns(UserWarning):
        original.save(str(tmp_path / "theirs.h5"))
    rebuilt = backend.keras.models.load_model(str(tmp_path / "theirs.h5"))
    assert _same(rebuilt.get_weights(), original.get_weights())
    np.testing.assert_allclose(_next_loss(rebuilt), _next_loss(original), rtol=1e-5)


@clause("SAVING.SAFE_MODE")
def test_a_lambda_in_a_saved_model_loads_only_when_the_caller_opts_in(backend, tmp_path):
    keras = backend.keras
    inputs = keras.Input((2,))
    ours = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2.0, name="double")(inputs))
    ours.save(str(tmp_path / "ours.keras"))
    with pytest.raises(ValueError):
        keras.models.load_model(str(tmp_path / "ours.keras"))
    tf_keras = pytest.importorskip("tf_keras", reason="the opt-in half reads tf_keras's file")
    inputs = tf_keras.Input((2,))
    theirs = tf_keras.Model(inputs, tf_keras.layers.Lambda(lambda x: x * 2.0)(inputs))
    theirs.save(str(tmp_path / "theirs.keras"))
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(str(tmp_path / "theirs.keras"))
    loaded = keras.models.load_model(str(tmp_path / "theirs.keras"), safe_mode=False)
    np.testing.assert_array_equal(backend.to_numpy(loaded(np.ones((1, 2), np.float32))),
                                  [[2.0, 2.0]])
