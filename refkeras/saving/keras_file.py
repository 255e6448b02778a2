"""The ``.keras`` file: ``model.save("m.keras")`` and ``keras.models.load_model``.

Clauses: SAVING.MODEL, RESUME (docs/spec.md).

Rule (tf_keras 2.21's Keras v3 format). A ``.keras`` file is a zip archive of:

    metadata.json      {"keras_version": "2.21.0", "date_saved": "2026-11-24@01:37:45"}
    config.json        serialize_keras_object(model): the architecture, plus
                       "compile_config" (compile's arguments) once compiled
    model.weights.h5   every variable, optimizer state included (keras_v3_weights.py)

Loading rebuilds the model from config.json (custom classes from ``custom_objects``
or registrations), compiles it from ``compile_config`` unless ``compile=False``,
which also builds the optimizer's slots, then reads every array of
model.weights.h5 and assigns them only once all are read and checked. So a
loaded model continues training exactly where the saved one stopped.

Safety: the archive is written to a temporary file and renamed (atomic.py); the
zip's CRC-32 checks every member on reading, so a damaged file raises OSError
naming it; ``safe_mode=True`` (the default) refuses configs that would run code.

    model.save("m.keras");  restored = keras.models.load_model("m.keras")
"""
import datetime
import io
import json
import os
import struct
import zipfile
import zlib

from refkeras.saving import keras_v3_weights, sealed_h5
from refkeras.saving.atomic import atomic_write
from refkeras.saving.legacy_h5_format import LAYOUT_KERAS_VERSION
from refkeras.saving.serialization_lib import (
    deserialize_keras_object,
    serialize_keras_object,
)

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"


def save_model(model, filepath):
    config = json.dumps(serialize_keras_object(model))
    metadata = json.dumps({"keras_version": LAYOUT_KERAS_VERSION,
                           "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")})
    weights = io.BytesIO()
    with sealed_h5.h5_file(weights, "w") as f:
        keras_v3_weights.save(model, f)
    with atomic_write(filepath) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(METADATA, metadata)
        archive.writestr(CONFIG, config)
        archive.writestr(WEIGHTS, weights.getvalue())


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    path = os.fspath(filepath)
    config, weights = _read_archive(path)
    if not compile:
        config["compile_config"] = None
    model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
    load_weights_into(model, weights, path)
    return model


def load_weights_into(model, h5_bytes_or_path, path, skip_mismatch=False):
    """Read every array (all checked), then assign them: all or nothing."""
    try:
        with sealed_h5.h5_file(h5_bytes_or_path, "r") as f:
            pairs = keras_v3_weights.read(model, f, skip_mismatch)
    except ValueError as error:
        raise ValueError(f"Cannot load the weights in {path!r} into model {model.name!r}: "
                         f"{error}") from None
    except (KeyError, OSError, RuntimeError) as error:
        raise OSError(f"Unable to load weights from {path!r}: the file is damaged ({error}). "
                      "No weight was changed.") from None
    arrays = [(variable, array.astype(variable.dtype, copy=False)) for variable, array in pairs]
    for variable, array in arrays:
        variable.assign(array)


def read_archive_weights(path):
    """model.weights.h5 of a .keras file, in memory."""
    return _read_archive(path)[1]


def _read_archive(path):
    if not os.path.isfile(path):
        raise FileNotFoundError(2, f"No file or directory found at {path}", path)
    try:
        with zipfile.ZipFile(path, "r") as archive:
            names = set(archive.namelist())
            missing = {CONFIG, WEIGHTS} - names
            if missing:
                raise OSError(f"{path!r} is not a complete .keras file: it lacks "
                              f"{sorted(missing)}.")
            config = json.loads(archive.read(CONFIG).decode("utf-8"))
            weights = io.BytesIO(archive.read(WEIGHTS))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, KeyError,
            struct.error, zlib.error, NotImplementedError, OSError) as error:
        # ValueError covers bad JSON and UTF-8, NotImplementedError a damaged compression
        # field, OSError a seek to a damaged offset
        raise OSError(f"Unable to load the model in {path!r}: the file is damaged or not a "
                      f".keras file ({type(error).__name__}: {error}).") from None
    return config, weights


__all__ = ["load_model", "load_weights_into", "read_archive_weights", "save_model"]
