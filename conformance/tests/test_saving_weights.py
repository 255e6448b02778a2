"""save_weights / load_weights in Keras 2's HDF5 layout (SAVING.WEIGHTS*, SAVING.SAFETY).

Seed 004 "# 手动保存和恢复权重": ``model.save_weights('./checkpoints/my_checkpoint')``,
then a new model of the same architecture ``load_weights`` it and predicts the same.
Every file goes to pytest's tmp_path; weights are randomised first so a round trip
that silently did nothing could not pass.
"""
import os

import h5py
import numpy as np
import pytest

from conformance import clause

X = np.random.default_rng(7).random((6, 3)).astype(np.float32)


def _model(keras, last=2, names=("d1", "bn", "d2")):
    inputs = keras.Input((3,), name="x")
    h = keras.layers.Dense(4, activation="relu", name=names[0])(inputs)
    h = keras.layers.BatchNormalization(name=names[1])(h)
    return keras.Model(inputs, keras.layers.Dense(last, name=names[2])(h))


def _randomised(model, seed=0):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])
    return model


def _same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b)) and len(a) == len(b)


@clause("SAVING.WEIGHTS")
@pytest.mark.parametrize("name", ["w.h5", "w.hdf5", "w.keras", "checkpoints/my_checkpoint"])
def test_round_trip_is_exact_for_every_h5_path(backend, tmp_path, name):
    keras = backend.keras
    source = _randomised(_model(keras))
    path = str(tmp_path / name)
    assert source.save_weights(path) is None
    target = _model(keras)
    status = target.load_weights(path)
    if name.endswith((".h5", ".hdf5", ".keras")):   # (tf_keras's own checkpoint format
        assert status is None                       # returns a load status)
    assert _same(target.get_weights(), source.get_weights())
    np.testing.assert_array_equal(backend.to_numpy(target(X)), backend.to_numpy(source(X)))


@clause("SAVING.WEIGHTS")
def test_the_h5_layout_is_keras_2s(backend, tmp_path):
    model = _randomised(_model(backend.keras))
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        assert [str(n) for n in f.attrs["layer_names"]] == ["x", "d1", "bn", "d2"]
        assert "keras_version" in f.attrs and "backend" in f.attrs
        assert [str(n) for n in f["bn"].attrs["weight_names"]] == [
            "bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0"]
        assert len(f["x"].attrs["weight_names"]) == 0
        np.testing.assert_array_equal(f["d1"]["d1/kernel:0"][()], model.get_weights()[0])
        assert len(f["top_level_model_weights"].attrs["weight_names"]) == 0


@clause("SAVING.WEIGHTS")
def test_weightless_layers_do_not_count_in_topological_loading(backend, tmp_path):
    keras = backend.keras
    source = _randomised(keras.Sequential([keras.layers.Dense(2, input_shape=(3,)),
                                           keras.layers.Dense(1)]))
    path = str(tmp_path / "w.h5")
    source.save_weights(path)
    target = keras.Sequential([keras.layers.Dense(2, input_shape=(3,)), keras.layers.Dropout(0.5),
                               keras.layers.Activation("relu"), keras.layers.Dense(1)])
    target.load_weights(path)
    assert _same(target.get_weights(), source.get_weights())


@clause("SAVING.WEIGHTS")
def test_a_different_layer_count_fails_and_changes_nothing(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "w.h5")
    _randomised(keras.Sequential([keras.layers.Dense(2, input_shape=(3,)),
                                  keras.layers.Dense(1)])).save_weights(path)
    target = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    before = target.get_weights()
    with pytest.raises(ValueError, match="Layer count mismatch when loading weights from file. "
                                         "Model expected 1 layers, found 2 saved layers"):
        target.load_weights(path)
    assert _same(target.get_weights(), before)


@clause("SAVING.WEIGHTS.MISMATCH")
def test_a_shape_mismatch_fails_before_any_weight_changes(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "w.h5")
    _randomised(_model(keras, last=2)).save_weights(path)
    target = _model(keras, last=3)        # the last layer differs; the first two fit
    before = target.get_weights()
    with pytest.raises(ValueError):
        target.load_weights(path)
    assert _same(target.get_weights(), before)


@clause("SAVING.WEIGHTS")
def test_skip_mismatch_needs_by_name(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "w.h5")
    model = _model(keras)
    model.save_weights(path)
    with pytest.raises(ValueError, match="skip_mismatch can only be set to True when by_name "
                                         "is True"):
        model.load_weights(path, skip_mismatch=True)


@clause("SAVING.WEIGHTS")
def test_an_unbuilt_subclassed_model_cannot_load_h5_weights(backend, tmp_path):
    keras = backend.keras

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    built = Sub()
    built(X)
    path = str(tmp_path / "sub.h5")
    _randomised(built).save_weights(path)
    with pytest.raises(ValueError, match="Unable to load weights saved in HDF5 format into a "
                                         "subclassed Model which has not created its variables "
                                         "yet. Call the Model first"):
        Sub().load_weights(path)
    fresh = Sub()
    fresh(X)
    fresh.load_weights(path)
    assert _same(fresh.get_weights(), built.get_weights())


@clause("SAVING.WEIGHTS.BY_NAME")
def test_by_name_loads_the_layers_whose_names_match(backend, tmp_path):
    keras = backend.keras
    path = str(tmp_path / "w.h5")
    source = _randomised(_model(keras))
    source.save_weights(path)
    # d1 matches, "other" does not, d2 matches with a different shape
    target = _model(keras, last=5, names=("d1", "other", "d2"))
    before = target.get_weights()
    with pytest.raises(ValueError, match="d2"):
        target.load_weights(path, by_name=True)
    assert _same(target.get_weights(), before)
    target.load_weights(path, by_name=True, skip_mismatch=True)
    after = target.get_weights()
    assert _same(after[:2], source.get_weights()[:2])        # d1 loaded
    assert _same(after[2:], before[2:])                         # the rest untouched


@clause("SAVING.WEIGHTS.INTEROP")
def test_files_go_both_ways_between_the_backend_and_tf_keras(backend, tmp_path):
    tf_keras = pytest.importorskip("tf_keras", reason="the interchange clause needs tf_keras")
    ours = _randomised(_model(backend.keras), seed=1)
    ours.save_weights(str(tmp_path / "ours.h5"))
    theirs = _model(tf_keras)
    theirs.load_weights(str(tmp_path / "ours.h5"))
    np.testing.assert_array_equal(theirs.predict(X, verbose=0), ours.predict(X, verbose=0))
    _randomised(theirs, seed=2).save_weights(str(tmp_path / "theirs.h5"))
    ours.load_weights(str(tmp_path / "theirs.h5"))
    np.testing.assert_array_equal(ours.predict(X, verbose=0), theirs.predict(X, verbose=0))


@clause("SAVING.SAFETY")
@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_an_unreadable_file_raises_oserror_and_changes_nothing(backend, tmp_path, damage):
    keras = backend.keras
    path = str(tmp_path / "w.h5")
    # A readable HDF5 file written by h5py, not by the backend: the clause is about
    # reading damaged files, and Keras 3 cannot write Keras 2's .h5 (SAVING.WEIGHTS).
    with h5py.File(path, "w") as f:
        f.create_dataset("d1/d1/kernel:0", data=np.ones((3, 4), np.float32))
    with open(path, "rb") as f:
        data = f.read()
    damaged = {"garbage": b"not an hdf5 file" * 64, "truncated": data[:len(data) // 2],
               "empty": b""}[damage]
    with open(path, "wb") as f:
        f.write(damaged)
    target = _model(keras)
    before = target.get_weights()
    with pytest.raises(OSError):
        target.load_weights(path)
    assert _same(target.get_weights(), before)


@clause("SAVING.SAFETY")
def test_a_missing_file_raises_file_not_found(backend, tmp_path):
    with pytest.raises(FileNotFoundError):
        _model(backend.keras).load_weights(str(tmp_path / "nothere.h5"))
    assert not os.path.exists(tmp_path / "nothere.h5")
