"""``model.save(path)`` and ``keras.models.load_model(path)``: which format a path gets.

Clauses: SAVING.MODEL, SAVING.MODEL.PATHS (docs/spec.md).

Rule. As tf_keras 2.21, by the path (or ``save_format``):

    path ends with   tf_keras writes                refkeras writes
    .keras           the Keras v3 zip               the same (keras_file.py)
    .h5 / .hdf5      Keras 2's single HDF5 file     the same (legacy_h5_model.py)
    anything else    a SavedModel directory         the Keras v3 zip, at exactly that path

A SavedModel is TensorFlow's own graph format; refkeras has no TensorFlow graph to
write, so an extension-less path (the seeds' ``"mymodel_{epoch}"`` checkpoints) gets
the .keras zip under that very name, which ``load_model`` recognises by its
content. (Such a file loads in refkeras; tf_keras reads a zip only from a path
ending in ``.keras``.) Unlike a SavedModel, it keeps the optimizer's state.
"""
import os
import zipfile

from refkeras.saving import keras_file, legacy_h5_model, sealed_h5
from refkeras.saving.weights import ask_to_proceed_with_overwrite

_LEGACY_H5 = (".h5", ".hdf5")


def save_model(model, filepath, overwrite=True, save_format=None, **kwargs):
    path = os.fspath(filepath)
    fmt = _format(path, save_format)
    if os.path.exists(path) and not overwrite and not ask_to_proceed_with_overwrite(path):
        return
    if not path.endswith((".keras",) + _LEGACY_H5):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if fmt == "h5":
        legacy_h5_model.save_model(model, path)
    else:
        keras_file.save_model(model, path)


def _format(path, save_format):
    if save_format is not None:
        fmt = {"keras": "keras", "keras_v3": "keras", "h5": "h5", "hdf5": "h5", "tf": "keras",
               "tensorflow": "keras"}.get(str(save_format).lower())
        if fmt is None:
            raise ValueError(f"Unknown `save_format` argument. Expected one of 'tf', 'h5' or "
                             f"'keras'. Received: save_format={save_format}")
        return fmt
    return "h5" if path.endswith(_LEGACY_H5) else "keras"


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True, **kwargs):
    path = os.fspath(filepath)
    if os.path.isfile(path) and not zipfile.is_zipfile(path):
        return _load_h5(path, custom_objects, compile)
    if os.path.isdir(path):
        raise OSError(f"{path!r} is a directory (a TensorFlow SavedModel?): refkeras loads "
                      ".keras files, and the files refkeras itself writes at any path.")
    return keras_file.load_model(path, custom_objects=custom_objects, compile=compile,
                                 safe_mode=safe_mode)


def _load_h5(path, custom_objects, compile):
    sealed_h5.verify(path)     # a damaged refkeras file stops here, before HDF5 reads it
    try:
        return legacy_h5_model.load_model(path, custom_objects, compile)
    except ValueError as error:
        raise ValueError(f"Cannot load the model in {path!r}: {error}") from None
    except (KeyError, OSError, RuntimeError) as error:
        raise OSError(f"Unable to load the model in {path!r}: the file is damaged or not a "
                      f"Keras model file ({error}).") from None


__all__ = ["load_model", "save_model"]
