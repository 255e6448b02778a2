"""keras.datasets.mnist.load_data and get_file: the cache folder, the hash check, the
download only when needed, atomic writes, and the no-network error. Never the network:
every test runs in a temporary home, with ``urlopen`` replaced (the autouse fixture
fails any test that would reach it unexpectedly). The rules were measured on tf_keras
2.21 (see refkeras/utils/data_utils.py)."""
import hashlib
import io
import os
import re
import urllib.error

import numpy as np
import pytest

from refkeras.datasets import mnist
from refkeras.utils import data_utils


def _fake_mnist_bytes():
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, 6, dtype=np.uint8),
              "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, 2, dtype=np.uint8)}
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue(), arrays


FAKE_BYTES, FAKE_ARRAYS = _fake_mnist_bytes()
FAKE_HASH = hashlib.sha256(FAKE_BYTES).hexdigest()


class FakeNetwork:
    """Stands in for urlopen: serves ``payload`` (or raises ``error``) and counts the calls."""

    def __init__(self, payload=None, error=None):
        self.payload, self.error, self.urls = payload, error, []

    def __call__(self, url):
        self.urls.append(url)
        if self.error is not None:
            raise self.error
        return FakeResponse(self.payload)


class FakeResponse(io.BytesIO):
    """What urlopen returns: a readable body and its headers."""

    def __init__(self, payload):
        super().__init__(payload)
        self.headers = {"Content-Length": str(len(payload))}


def _no_network(url):
    raise AssertionError(f"a test tried to reach the network: {url}")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A fresh home folder, KERAS_HOME unset, and no network."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    os.makedirs(tmp_path / "home")
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setattr(data_utils, "urlopen", _no_network)
    return tmp_path / "home"


def _place(folder, data=FAKE_BYTES, name="mnist.npz"):
    os.makedirs(folder, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def _assert_fake_arrays(result):
    (x_train, y_train), (x_test, y_test) = result
    for key, got in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)]:
        np.testing.assert_array_equal(got, FAKE_ARRAYS[key])
        assert got.dtype == np.uint8


def test_mnist_uses_keras_url_and_sha256():
    assert mnist.ORIGIN == "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
    assert mnist.FILE_HASH == "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def test_load_data_reads_the_cached_file_without_downloading(home, monkeypatch):
    monkeypatch.setattr(mnist, "FILE_HASH", FAKE_HASH)
    _place(home / ".keras" / "datasets")
    _assert_fake_arrays(mnist.load_data())


def test_default_cache_is_home_keras_datasets_and_is_created(home, monkeypatch):
    monkeypatch.setattr(mnist, "FILE_HASH", FAKE_HASH)
    network = FakeNetwork(payload=FAKE_BYTES)
    monkeypatch.setattr(data_utils, "urlopen", network)
    assert not (home / ".keras").exists()
    _assert_fake_arrays(mnist.load_data())
    assert (home / ".keras" / "datasets" / "mnist.npz").read_bytes() == FAKE_BYTES
    assert network.urls == [mnist.ORIGIN]


def test_keras_home_is_not_the_datasets_cache(home, tmp_path, monkeypatch):
    # Measured: tf_keras's get_file ignores KERAS_HOME (only keras.json lives there).
    monkeypatch.setattr(mnist, "FILE_HASH", FAKE_HASH)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    _place(tmp_path / "keras_home" / "datasets")
    os.makedirs(home / ".keras")
    network = FakeNetwork(payload=FAKE_BYTES)
    monkeypatch.setattr(data_utils, "urlopen", network)
    _assert_fake_arrays(mnist.load_data())
    assert network.urls == [mnist.ORIGIN]
    assert (home / ".keras" / "datasets" / "mnist.npz").exists()


def test_download_happens_once_then_the_cache_serves(home, monkeypatch, capsys):
    monkeypatch.setattr(mnist, "FILE_HASH", FAKE_HASH)
    network = FakeNetwork(payload=FAKE_BYTES)
    monkeypatch.setattr(data_utils, "urlopen", network)
    mnist.load_data()
    mnist.load_data()
    assert network.urls == [mnist.ORIGIN]
    first, bar = capsys.readouterr().out.split("\n", 1)
    assert first == f"Downloading data from {mnist.ORIGIN}"
    # the download's progress bar counts bytes, as tf_keras's does
    assert re.search(rf"{len(FAKE_BYTES)}/{len(FAKE_BYTES)} \[=+\] - \d+s \d+(s|ms|us)/step\n$", bar)


def test_cache_dir_and_path_arguments(tmp_path, monkeypatch):
    monkeypatch.setattr(mnist, "FILE_HASH", FAKE_HASH)
    _place(tmp_path / "elsewhere" / "datasets", name="digits.npz")
    _assert_fake_arrays(mnist.load_data(path="digits.npz", cache_dir=str(tmp_path / "elsewhere")))


def test_cache_dir_is_created(tmp_path, monkeypatch):
    monkeypatch.setattr(mnist, "FILE_HASH", FAKE_HASH)
    monkeypatch.setattr(data_utils, "urlopen", FakeNetwork(payload=FAKE_BYTES))
    mnist.load_data(cache_dir=str(tmp_path / "new" / "cache"))
    assert (tmp_path / "new" / "cache" / "datasets" / "mnist.npz").read_bytes() == FAKE_BYTES


def test_hash_mismatch_on_a_cached_file_downloads_again(home, monkeypatch, capsys):
    monkeypatch.setattr(mnist, "FILE_HASH", FAKE_HASH)
    target = _place(home / ".keras" / "datasets", data=b"an old, truncated copy")
    network = FakeNetwork(payload=FAKE_BYTES)
    monkeypatch.setattr(data_utils, "urlopen", network)
    _assert_fake_arrays(mnist.load_data())
    assert target.read_bytes() == FAKE_BYTES
    assert capsys.readouterr().out.startswith(
        "A local file was found, but it seems to be incomplete or outdated because the auto file "
        f"hash does not match the original value of {FAKE_HASH} so we will re-download the data.\n"
        f"Downloading data from {mnist.ORIGIN}\n")


def test_no_network_says_how_to_place_the_file_by_hand(home, monkeypatch):
    monkeypatch.setattr(data_utils, "urlopen",
                        FakeNetwork(error=urllib.error.URLError("Name or service not known")))
    with pytest.raises(Exception) as info:  # tf_keras raises a bare Exception
        mnist.load_data()
    assert type(info.value) is Exception
    message = str(info.value)
    target = home / ".keras" / "datasets" / "mnist.npz"
    assert message.splitlines()[0] == (f"URL fetch failure on {mnist.ORIGIN}: None -- "
                                       "Name or service not known")
    assert f"download {mnist.ORIGIN}" in message
    assert f"copy it to {target}" in message
    assert f"sha256 hash must be {mnist.FILE_HASH}" in message
    assert os.listdir(target.parent) == []      # nothing half-written left behind


def test_http_error_message_has_the_status(home, monkeypatch):
    error = urllib.error.HTTPError(mnist.ORIGIN, 404, "Not Found", None, None)
    monkeypatch.setattr(data_utils, "urlopen", FakeNetwork(error=error))
    with pytest.raises(Exception, match=r"^URL fetch failure on \S+: 404 -- Not Found\n"):
        mnist.load_data()


def test_a_failed_download_keeps_the_file_that_was_there(home, monkeypatch):
    target = _place(home / ".keras" / "datasets", data=b"placed by hand, wrong version")
    monkeypatch.setattr(data_utils, "urlopen", FakeNetwork(error=urllib.error.URLError("offline")))
    with pytest.raises(Exception, match="URL fetch failure"):
        mnist.load_data()
    assert target.read_bytes() == b"placed by hand, wrong version"
    assert os.listdir(target.parent) == ["mnist.npz"]


def test_a_corrupted_download_raises_and_is_not_kept(home, monkeypatch):
    monkeypatch.setattr(data_utils, "urlopen", FakeNetwork(payload=FAKE_BYTES))  # not the real MNIST
    with pytest.raises(ValueError, match=(
            "^Incomplete or corrupted file detected. The auto file hash does not match the "
            f"provided value of {mnist.FILE_HASH}.$")):
        mnist.load_data()
    assert os.listdir(home / ".keras" / "datasets") == []


def test_get_file_without_a_hash_keeps_any_existing_file(tmp_path):
    _place(tmp_path / "datasets", data=b"anything", name="notes.txt")
    path = data_utils.get_file("notes.txt", origin="https://example.invalid/notes.txt",
                               cache_dir=str(tmp_path))
    assert path == str(tmp_path / "datasets" / "notes.txt")


def test_get_file_takes_the_name_from_the_origin(tmp_path):
    _place(tmp_path / "sub", data=b"x", name="file.bin")
    path = data_utils.get_file(origin="https://example.invalid/a/file.bin", cache_dir=str(tmp_path),
                               cache_subdir="sub")
    assert path == str(tmp_path / "sub" / "file.bin")


def test_get_file_md5_hashes_are_recognised_by_length(tmp_path):
    target = _place(tmp_path / "datasets", data=b"hello", name="h.txt")
    md5 = hashlib.md5(b"hello").hexdigest()
    assert data_utils.validate_file(str(target), md5)
    assert data_utils.validate_file(str(target), md5, algorithm="md5")
    assert not data_utils.validate_file(str(target), md5, algorithm="sha256")
    assert data_utils.validate_file(str(target), hashlib.sha256(b"hello").hexdigest())


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"fname": "a.npz"}, 'Please specify the "origin" argument'),
    ({"fname": "a.npz", "origin": "https://example.invalid/a.npz", "hash_algorithm": "sha1"},
     (r"Expected `hash_algorithm` to be one of \('auto', 'sha256', 'md5'\). Received: "
      r"hash_algorithm='sha1'")),
    ({"origin": "https://example.invalid/"}, "Can't parse the file name from the origin"),
])
def test_get_file_bad_arguments_raise_before_touching_the_disk(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        data_utils.get_file(cache_dir=str(tmp_path / "cache"), **kwargs)
    assert not (tmp_path / "cache" / "datasets").exists()


def test_get_file_archive_arguments_are_not_accepted(tmp_path):
    with pytest.raises(TypeError):
        data_utils.get_file("a.tar.gz", "https://example.invalid/a.tar.gz", True)  # untar, positional
