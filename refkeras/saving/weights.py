"""``Model.save_weights`` / ``Model.load_weights``: which file, which layout, which errors.

Clauses: SAVING.WEIGHTS, SAVING.WEIGHTS.PATHS, SAVING.SAFETY (docs/spec.md).

Rule. The path picks the format, as in tf_keras 2.21:

    path ends with          tf_keras writes                 refkeras writes
    .weights.h5             Keras 3 weights layout          the same (keras_v3_weights.py)
    .h5 / .hdf5 / .keras    Keras 2 HDF5 layout             the same (legacy_h5_format.py)
    anything else           a TensorFlow checkpoint         Keras 2 HDF5, at exactly that path

``load_weights`` of a ``.keras`` file that is a zip (a whole saved model) reads its
model.weights.h5.
                            (path.index + path.data-*)

A TensorFlow checkpoint is TensorFlow's own tensor-bundle format; refkeras has no
TensorFlow to write it, so an extension-less path (the seed's
``save_weights('./checkpoints/my_checkpoint')``) gets the HDF5 layout under that
very name, its folder created as TensorFlow would. It loads back in refkeras, and
tf_keras loads it too (tf_keras reads any non-checkpoint path as HDF5). Loading a
real TensorFlow checkpoint in refkeras fails with an error that says so.

Who owns what: this module owns paths, formats, atomic writing and turning
unreadable files into clear errors; ``sealed_h5`` the checksum that catches a
damaged file before HDF5 reads it; ``legacy_h5_format`` the layout and the pairing
of saved arrays with variables. Nothing is assigned until every array has
been read, verified and paired.
"""
import os
import zipfile

import numpy as np

from refkeras.saving import keras_v3_weights, legacy_h5_format, sealed_h5
from refkeras.saving.atomic import atomic_write

H5_SUFFIXES = (".h5", ".hdf5", ".keras")
V3_SUFFIX = ".weights.h5"
_FORMATS = {"h5": "h5", "hdf5": "h5", "keras": "h5", "tf": "tf", "tensorflow": "tf"}


def save_weights(model, filepath, overwrite=True, save_format=None, options=None):
    path = os.fspath(filepath)
    _check_save_format(path, save_format)
    if os.path.exists(path) and not overwrite and not ask_to_proceed_with_overwrite(path):
        return
    if not path.endswith(H5_SUFFIXES):
        # Where TensorFlow would write a checkpoint, it would also create the folder.
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with atomic_write(path) as tmp:
        with sealed_h5.h5_file(tmp, "w", userblock_size=sealed_h5.USER_BLOCK) as f:
            if path.endswith(V3_SUFFIX):
                keras_v3_weights.save(model, f)
            else:
                legacy_h5_format.save_weights_to_hdf5_group(f, model)
        sealed_h5.seal(tmp)


def _check_save_format(path, save_format):
    if save_format is None:
        return
    fmt = _FORMATS.get(str(save_format).lower().strip())
    if fmt is None:
        raise ValueError(f"Unknown format. Received: `save_format`={save_format}. Was expecting "
                         'one of {"tf", "h5"}.')
    if fmt == "tf" and path.endswith(H5_SUFFIXES):
        raise ValueError('save_weights got save_format="tf"/"tensorflow", but the filepath '
                         f'({path}) looks like an HDF5 file. Omit the ".h5"/".keras" when saving '
                         "in TensorFlow format.")


def ask_to_proceed_with_overwrite(path):
    """tf_keras's prompt: True to overwrite ``path``."""
    answer = input(f"[WARNING] {path} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True


def load_weights(model, filepath, by_name=False, skip_mismatch=False, options=None):
    path = os.fspath(filepath)
    if skip_mismatch and not by_name:
        raise ValueError("When calling model.load_weights, skip_mismatch can only be set to "
                         "True when by_name is True.")
    if path.endswith(V3_SUFFIX) or (path.endswith(".keras") and zipfile.is_zipfile(path)):
        return _load_v3(model, path, skip_mismatch)
    if not getattr(model, "_is_graph_network", True) and not model.built:
        raise ValueError("Unable to load weights saved in HDF5 format into a subclassed Model "
                         "which has not created its variables yet. Call the Model first, then "
                         "load the weights.")
    pairs = [(variable, np.asarray(array, dtype=variable.dtype))
             for variable, array in _read_pairs(model, path, by_name, skip_mismatch)]
    for variable, array in pairs:     # only now, with every value read and checked
        variable.assign(array)


def _load_v3(model, path, skip_mismatch):
    from refkeras.saving import keras_file
    if path.endswith(V3_SUFFIX):
        _check_exists(path)
        sealed_h5.verify(path)
        keras_file.load_weights_into(model, path, path, skip_mismatch)
    else:
        keras_file.load_weights_into(model, keras_file.read_archive_weights(path), path,
                                     skip_mismatch)


def _read_pairs(model, path, by_name, skip_mismatch):
    _check_exists(path)
    sealed_h5.verify(path)      # a damaged file stops here, before HDF5 reads it
    try:
        f = sealed_h5.h5_file(path, "r")
    except OSError as error:
        raise OSError(f"Unable to load weights from {path!r}: it is not a readable HDF5 file "
                      f"({error}). The file may be truncated or corrupt; save it again.") from None
    try:
        with f:
            # A whole-model .h5 file keeps its weights in a group (tf_keras reads them too).
            group = f["model_weights"] if "layer_names" not in f.attrs and \
                "model_weights" in f else f
            if by_name:
                return legacy_h5_format.by_name_pairs(group, model, skip_mismatch)
            return legacy_h5_format.topological_pairs(group, model)
    except ValueError as error:
        raise ValueError(f"Cannot load the weights in {path!r} into model {model.name!r}: "
                         f"{error}") from None
    except (KeyError, OSError, RuntimeError, TypeError, UnicodeDecodeError) as error:
        raise OSError(f"Unable to load weights from {path!r}: the file is damaged ({error}). "
                      "No weight was changed.") from None


def _check_exists(path):
    if os.path.isfile(path):
        return
    if os.path.exists(path + ".index"):
        raise OSError(f"{path!r} is a TensorFlow checkpoint ({path}.index and its data files), "
                      "which refkeras cannot read: TensorFlow's tensor-bundle format needs "
                      "TensorFlow. Save the weights with a '.h5' path instead.")
    raise FileNotFoundError(2, f"Unable to load weights: no file at {path!r}", path)


__all__ = ["ask_to_proceed_with_overwrite", "load_weights", "save_weights"]
