"""Weights files: atomic writes, the SHA-256 seal, damaged files and killed writers.

Clause SAVING.SAFETY (the conformance suite pins what tf_keras shares; these pin
what refkeras adds): a damaged file never loads wrong numbers or crashes HDF5, and
a writer killed mid-save never leaves a broken file under the target name.
"""
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time

import h5py
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import refkeras as keras
from refkeras.saving import legacy_h5_format, sealed_h5


def _model(seed=0, width=4):
    inputs = keras.Input((3,), name="x")
    h = keras.layers.Dense(width, name="d1")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2, name="d2")(h))
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype(np.float32) for w in model.get_weights()])
    return model


def _same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("w") / "w.h5")
    _model(seed=1).save_weights(path)
    with open(path, "rb") as f:
        return path, f.read()


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_damaged_byte_fails_cleanly_and_changes_nothing(saved, tmp_path_factory, data):
    _, original = saved
    damaged = bytearray(original)
    positions = data.draw(st.sets(st.integers(0, len(damaged) - 1), min_size=1, max_size=3))
    for position in positions:      # distinct: two flips of one byte could cancel out
        damaged[position] ^= data.draw(st.integers(1, 255))
    path = str(tmp_path_factory.mktemp("d") / "damaged.h5")
    with open(path, "wb") as f:
        f.write(bytes(damaged))
    model = _model(seed=2)
    before = model.get_weights()
    with pytest.raises(OSError, match="damaged.h5"):
        model.load_weights(path)
    assert _same(model.get_weights(), before)


@settings(max_examples=30, deadline=None)
@given(fraction=st.floats(0.0, 0.999))
def test_a_cut_short_file_fails_cleanly(saved, tmp_path_factory, fraction):
    _, original = saved
    path = str(tmp_path_factory.mktemp("t") / "cut.h5")
    with open(path, "wb") as f:
        f.write(original[:int(len(original) * fraction)])
    with pytest.raises(OSError, match="cut.h5"):
        _model().load_weights(path)


def test_the_seal_is_in_hdf5s_user_block_and_h5py_reads_past_it(saved):
    path, original = saved
    assert original.startswith(sealed_h5.MAGIC)
    assert original[sealed_h5.USER_BLOCK:].startswith(sealed_h5.HDF5_SIGNATURE)
    with h5py.File(path, "r") as f:
        assert f.userblock_size == sealed_h5.USER_BLOCK
        assert list(f["d1"]) == ["d1"]


def test_an_unsealed_hdf5_file_loads_unchecked(tmp_path):
    """tf_keras's files carry no seal: they load as plain HDF5."""
    source = _model(seed=3)
    path = str(tmp_path / "plain.h5")
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, source)
    assert sealed_h5.verify(path) == "unsealed"
    target = _model()
    target.load_weights(path)
    assert _same(target.get_weights(), source.get_weights())


def test_a_failed_save_leaves_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    path = str(tmp_path / "w.h5")
    _model(seed=4).save_weights(path)
    with open(path, "rb") as f:
        before = f.read()

    def half_written(f, model):
        f.create_group("half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(legacy_h5_format, "save_weights_to_hdf5_group", half_written)
    with pytest.raises(RuntimeError, match="disk full"):
        _model(seed=5).save_weights(path)
    with open(path, "rb") as f:
        assert f.read() == before
    assert os.listdir(tmp_path) == ["w.h5"]


_WRITER = textwrap.dedent("""
    import sys
    import numpy as np
    import refkeras as keras
    inputs = keras.Input((512,))
    model = keras.Model(inputs, keras.layers.Dense(1024)(inputs))
    print("ready", flush=True)
    for i in range(10_000):
        model.set_weights([np.full(w.shape, i, np.float32) for w in model.get_weights()])
        model.save_weights(sys.argv[1])
""")


@settings(max_examples=4, deadline=None)
@given(delay=st.floats(0.05, 0.6))
def test_a_writer_killed_mid_save_leaves_a_loadable_file(tmp_path_factory, delay):
    folder = tmp_path_factory.mktemp("kill")
    path = str(folder / "w.h5")
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, path], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 30
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(delay)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    inputs = keras.Input((512,))
    model = keras.Model(inputs, keras.layers.Dense(1024)(inputs))
    model.load_weights(path)                 # the last complete save, whole
    kernel, bias = model.get_weights()
    assert np.all(kernel == kernel.flat[0]) and np.all(bias == kernel.flat[0])


def test_neither_sealed_nor_hdf5_is_rejected(tmp_path):
    path = str(tmp_path / "w.h5")
    with open(path, "wb") as f:
        f.write(b"PK\x03\x04 a zip, not weights" * 40)
    with pytest.raises(OSError, match="neither a refkeras weights file nor an HDF5 file"):
        _model().load_weights(path)


def test_a_tensorflow_checkpoint_is_named_as_such(tmp_path):
    prefix = str(tmp_path / "ckpt")
    open(prefix + ".index", "wb").close()
    with pytest.raises(OSError, match="is a TensorFlow checkpoint"):
        _model().load_weights(prefix)


def test_an_extensionless_path_gets_its_folder_and_hdf5(tmp_path):
    path = str(tmp_path / "checkpoints" / "my_checkpoint")
    source = _model(seed=6)
    source.save_weights(path)
    assert h5py.is_hdf5(path)
    target = _model()
    target.load_weights(path)
    assert _same(target.get_weights(), source.get_weights())


@pytest.mark.parametrize("answer, kept", [("n", True), ("y", False)])
def test_overwrite_false_asks_first(tmp_path, monkeypatch, answer, kept):
    path = str(tmp_path / "w.h5")
    _model(seed=7).save_weights(path)
    with open(path, "rb") as f:
        before = f.read()
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    _model(seed=8).save_weights(path, overwrite=False)
    with open(path, "rb") as f:
        assert (f.read() == before) is kept


def test_save_format_is_checked_against_the_path(tmp_path):
    with pytest.raises(ValueError, match="Unknown format"):
        _model().save_weights(str(tmp_path / "w.h5"), save_format="zip")
    with pytest.raises(ValueError, match="looks like an HDF5 file"):
        _model().save_weights(str(tmp_path / "w.h5"), save_format="tf")


def test_weights_h5_files_are_sealed_too(tmp_path):
    path = str(tmp_path / "w.weights.h5")
    source = _model(seed=10)
    source.save_weights(path)
    assert sealed_h5.verify(path) == "sealed"
    with h5py.File(path, "r") as f:
        assert "layers/dense/vars/0" in f and "layer_names" not in f.attrs
    target = _model()
    target.load_weights(path)
    assert _same(target.get_weights(), source.get_weights())
    with open(path, "r+b") as f:
        f.seek(sealed_h5.USER_BLOCK + 700)
        byte = f.read(1)
        f.seek(sealed_h5.USER_BLOCK + 700)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(OSError, match="w.weights.h5"):
        _model().load_weights(path)


def test_skip_mismatch_logs_what_it_skipped(tmp_path, caplog):
    path = str(tmp_path / "w.h5")
    source = _model(seed=9)
    source.save_weights(path)
    target = _model(width=5)          # d1 and d2 both change shape
    with caplog.at_level(logging.WARNING, logger="refkeras"):
        target.load_weights(path, by_name=True, skip_mismatch=True)
    assert "d1/kernel:0" in caplog.text and "Received saved weight with shape (3, 4)" in caplog.text
    assert np.array_equal(target.get_weights()[3], source.get_weights()[3])   # d2's bias fits


def test_names_beyond_one_attribute_are_split_and_joined(tmp_path):
    path = str(tmp_path / "names.h5")
    names = [f"layer_{i:05d}_" + "x" * 50 for i in range(2000)]    # ~130 KB of names
    with h5py.File(path, "w") as f:
        legacy_h5_format._write_names(f, "layer_names", names)
        assert "layer_names" not in f.attrs and "layer_names1" in f.attrs
        assert legacy_h5_format.read_names(f, "layer_names") == names


@pytest.fixture(scope="module")
def saved_keras(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("k") / "m.keras")
    model = _model(seed=11)
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3), np.float32), np.ones((4, 2), np.float32), verbose=0)
    model.save(path)
    with open(path, "rb") as f:
        return model.get_weights(), f.read()


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_damaged_keras_file_fails_cleanly_or_loads_the_same_weights(saved_keras,
                                                                      tmp_path_factory, data):
    weights, original = saved_keras
    damaged = bytearray(original)
    for position in data.draw(st.sets(st.integers(0, len(damaged) - 1), min_size=1,
                                      max_size=3)):
        damaged[position] ^= data.draw(st.integers(1, 255))
    path = str(tmp_path_factory.mktemp("kd") / "damaged.keras")
    with open(path, "wb") as f:
        f.write(bytes(damaged))
    try:
        model = keras.models.load_model(path)
    except (OSError, ValueError) as error:
        assert "damaged.keras" in str(error)
        return
    assert _same(model.get_weights(), weights)    # the flip hit bytes nothing reads


def test_an_h5_model_file_is_sealed_and_its_weights_load_into_a_model(tmp_path):
    path = str(tmp_path / "m.h5")
    source = _model(seed=12)
    source.compile("sgd", "mse")
    with pytest.warns(UserWarning, match="legacy"):
        source.save(path)
    assert sealed_h5.verify(path) == "sealed"
    target = _model()
    target.load_weights(path)               # the model_weights group of a whole-model file
    assert _same(target.get_weights(), source.get_weights())
    with open(path, "r+b") as f:
        f.seek(sealed_h5.USER_BLOCK + 300)
        byte = f.read(1)
        f.seek(sealed_h5.USER_BLOCK + 300)
        f.write(bytes([byte[0] ^ 0x5A]))
    with pytest.raises(OSError, match="m.h5"):
        keras.models.load_model(path)
