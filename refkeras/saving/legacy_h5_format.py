"""Keras 2's HDF5 weights layout: what ``save_weights("w.h5")`` writes and reads.

Clauses: SAVING.WEIGHTS, SAVING.WEIGHTS.BY_NAME, SAVING.SAFETY (docs/spec.md).

Layout (tf_keras 2.21 writes the same, so files go both ways)::

    /                           attrs layer_names (model.layers order), backend, keras_version
    /<layer name>/              attrs weight_names: the layer's weight names, trainable first
    /<layer name>/<weight name> one dataset per weight, e.g. /d1/d1/kernel:0
    /top_level_model_weights/   the model's own weights (usually none)

Topological loading pairs the model's layers that have weights, in order, with the
saved layers that have weights, in order; ``by_name=True`` pairs layers by name
instead and ignores the unmatched ones (``skip_mismatch`` then skips, with a
warning, a layer whose weight count differs and a weight whose shape differs).
Rule for both: every value is read and checked before any variable is assigned,
so a file that does not fit leaves the model unchanged (tf_keras assigns layer by
layer and can fail half-way).

Integrity (a damaged file must fail, not load wrong numbers or crash HDF5) is
``sealed_h5.py``'s job, around the whole file.

Name lists longer than an HDF5 attribute holds (64 KB) are split, as tf_keras does:

>>> [len(part) for part in _split_to_fit(np.array([b"x" * 40000] * 3))]
[1, 1, 1]
"""
import logging

import numpy as np

TOP_LEVEL = "top_level_model_weights"
# The Keras whose layout this is: tf_keras reads it to decide whether weights need
# converting from Keras 1, so it must be a Keras 2 version.
LAYOUT_KERAS_VERSION = "2.21.0"
# HDF5 refuses attributes over 64 KB: longer name lists are split over numbered
# attributes (layer_names0, layer_names1, ...), as tf_keras does.
_ATTRIBUTE_LIMIT = 64512

logger = logging.getLogger("refkeras")


# --------------------------------------------------------------------------- writing

def save_weights_to_hdf5_group(f, model):
    """Write ``model``'s weights into the open h5py file ``f``."""
    layers = model.layers
    _write_names(f, "layer_names", [layer.name for layer in layers])
    f.attrs["backend"] = b"refkeras"
    f.attrs["keras_version"] = LAYOUT_KERAS_VERSION.encode()
    # Sorted by name, as tf_keras: a group name never precedes a name it prefixes.
    for layer in sorted(layers, key=lambda layer: layer.name):
        _write_weights(f.create_group(layer.name), layer_weights(layer))
    _write_weights(f.create_group(TOP_LEVEL), own_weights(model))


def layer_weights(layer):
    """A layer's weights in the file's order: trainable, then non-trainable."""
    return layer.trainable_weights + layer.non_trainable_weights


def own_weights(model):
    return list(model._trainable_weights) + list(model._non_trainable_weights)


def _write_weights(group, weights):
    _write_names(group, "weight_names", [w.name for w in weights])
    for w in weights:
        group.create_dataset(w.name, data=np.asarray(w._value))


def _write_names(group, key, names):
    encoded = [name.encode("utf8") for name in names]
    if not encoded:
        group.attrs[key] = np.array([], np.float64)   # what tf_keras writes for none
        return
    chunks = _split_to_fit(np.asarray(encoded))
    if len(chunks) == 1:
        group.attrs[key] = encoded    # a list: h5py stores variable-length strings, as tf_keras
        return
    for i, part in enumerate(chunks):
        group.attrs[f"{key}{i}"] = part


def _split_to_fit(array):
    """The fewest equal-ish pieces of ``array`` that each fit in one HDF5 attribute."""
    n = 1
    while any(part.nbytes > _ATTRIBUTE_LIMIT for part in np.array_split(array, n)):
        n += 1
    return np.array_split(array, n)


# --------------------------------------------------------------------------- reading

def read_names(group, key):
    """A name list attribute (joined again if it was split), as str."""
    if key in group.attrs:
        values = list(group.attrs[key])
    else:
        values, i = [], 0
        while f"{key}{i}" in group.attrs:
            values.extend(group.attrs[f"{key}{i}"])
            i += 1
    return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in values]


def read_layer(group):
    """The saved arrays of one layer group, in weight_names order."""
    return [np.asarray(group[name][()]) for name in read_names(group, "weight_names")]


# --------------------------------------------------------------------------- pairing

def topological_pairs(f, model):
    """(variable, array) for every weight, layers paired in order; raise on any mismatch."""
    layers = [layer for layer in model.layers if layer_weights(layer)]
    saved = [name for name in read_names(f, "layer_names")
             if read_names(f[name], "weight_names")]
    if len(saved) != len(layers):
        raise ValueError(f"Layer count mismatch when loading weights from file. Model expected "
                         f"{len(layers)} layers, found {len(saved)} saved layers.")
    pairs = []
    for k, (layer, name) in enumerate(zip(layers, saved)):
        variables, arrays = layer_weights(layer), read_layer(f[name])
        if len(arrays) != len(variables):
            raise ValueError(
                f"Weight count mismatch for layer #{k} (named {layer.name} in the current "
                f"model, {name} in the save file). Layer expects {len(variables)} weight(s). "
                f"Received {len(arrays)} saved weight(s)")
        pairs += _checked_shapes(variables, arrays, f"layer #{k} (named {layer.name})")
    if TOP_LEVEL in f:
        pairs += _top_level_pairs(f, model, skip_mismatch=False)
    return pairs


def by_name_pairs(f, model, skip_mismatch):
    """(variable, array) for the layers whose names match a saved layer's."""
    index = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    pairs = []
    for k, name in enumerate(read_names(f, "layer_names")):
        arrays = read_layer(f[name])
        for layer in index.get(name, []):
            variables = layer_weights(layer)
            if len(arrays) != len(variables):
                message = (f"mismatch in number of weights. Layer expects {len(variables)} "
                           f"weight(s). Received {len(arrays)} saved weight(s)")
                if not skip_mismatch:
                    raise ValueError(f"Weight count mismatch for layer #{k} (named "
                                     f"{layer.name}): {message}")
                logger.warning("Skipping loading of weights for layer #%d (named %s) due to %s",
                               k, layer.name, message)
                continue
            pairs += _checked_shapes(variables, arrays, f"layer #{k} (named {layer.name})",
                                     skip_mismatch)
    if TOP_LEVEL in f:
        pairs += _top_level_pairs(f, model, skip_mismatch)
    return pairs


def _top_level_pairs(f, model, skip_mismatch):
    variables, arrays = own_weights(model), read_layer(f[TOP_LEVEL])
    if len(arrays) != len(variables):
        message = (f"Model expects {len(variables)} top-level weight(s). Received "
                   f"{len(arrays)} saved top-level weight(s)")
        if not skip_mismatch:
            raise ValueError(f"Weight count mismatch for top-level weights when loading "
                             f"weights from file. {message}")
        logger.warning("Skipping loading top-level weights for model due to mismatch in "
                       "number of weights. %s", message)
        return []
    return _checked_shapes(variables, arrays, "the model's top-level weights", skip_mismatch)


def _checked_shapes(variables, arrays, where, skip_mismatch=False):
    pairs = []
    for variable, array in zip(variables, arrays):
        expected = tuple(variable.shape)
        if array.shape == expected:
            pairs.append((variable, array))
            continue
        message = (f"Shape mismatch in {where} for weight {variable.name}. Weight expects "
                   f"shape {expected}. Received saved weight with shape {array.shape}")
        if not skip_mismatch:
            raise ValueError(message)
        logger.warning("Skipping loading weights: %s", message)
    return pairs


__all__ = ["by_name_pairs", "layer_weights", "own_weights",
           "read_names", "save_weights_to_hdf5_group", "topological_pairs"]
