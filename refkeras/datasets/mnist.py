"""MNIST, the guide's data set: 60,000 + 10,000 grayscale 28x28 digits (``keras.datasets.mnist``).

Clauses: none (the issue 6 "data a newcomer can run on" requirement).

The rule: ``load_data()`` finds ``mnist.npz`` in Keras's cache folder
(``~/.keras/datasets/`` by default, see ``refkeras.utils.data_utils.get_file`` for
the exact folder rule), checks its sha256, downloads it from Keras's own URL only when
it is missing or its hash is wrong, and returns its four uint8 arrays as
``(x_train, y_train), (x_test, y_test)``, exactly as tf_keras 2.21 does (same file,
same URL, same hash). With no network, place the file by hand: download ``ORIGIN`` on
any machine and copy it to ``~/.keras/datasets/mnist.npz``; the error says so too.

Who owns what: this module owns MNIST's URL and hash; ``get_file`` owns the cache.

>>> ORIGIN
'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz'
>>> len(FILE_HASH)     # 64 hex digits: a sha256
64
"""
import os

import numpy as np

from refkeras.utils.data_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz", cache_dir=None):
    """Return ``(x_train, y_train), (x_test, y_test)``: uint8 arrays (60000, 28, 28), (60000,),
    (10000, 28, 28), (10000,). ``path`` is the file's name inside the cache folder;
    ``cache_dir`` replaces ``~/.keras`` as the cache's base (and is created)."""
    if cache_dir:
        cache_dir = os.path.expanduser(cache_dir)
        os.makedirs(cache_dir, exist_ok=True)
    path = get_file(path, origin=ORIGIN, file_hash=FILE_HASH, cache_dir=cache_dir)
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


__all__ = ["load_data"]
