"""Keras 2's single-file HDF5 model: ``model.save("m.h5")`` and ``load_model("m.h5")``.

Clauses: SAVING.MODEL, SAVING.MODEL.H5 (docs/spec.md).

Rule (tf_keras 2.21 writes the same layout, and warns that it is legacy)::

    /                     attrs: backend, keras_version,
                                 model_config    = JSON {"class_name", "config"}, layers in
                                                   the legacy form (no module/build_config)
                                 training_config = JSON {"loss", "metrics", "weighted_metrics",
                                                   "loss_weights", "optimizer_config"}
    /model_weights/       the Keras 2 weights layout (legacy_h5_format.py)
    /optimizer_weights/   attrs weight_names: the optimizer's variables, iterations first;
                          one dataset per variable under its name

Loading rebuilds the model from model_config, compiles it from training_config
(unless ``compile=False``), builds the optimizer and gives it the saved state, so
training continues where it stopped. Every array is read and checked before any
variable is assigned; the file is sealed and checked like every refkeras HDF5 file.
"""
import json
import warnings

import numpy as np

from refkeras.saving import legacy_h5_format, sealed_h5
from refkeras.saving.atomic import atomic_write
from refkeras.saving.serialization_lib import (
    deserialize_keras_object,
    serialize_keras_object,
)

_LAYER_ONLY_KEYS = ("module", "registered_name", "build_config")


# --------------------------------------------------------------------------- saving

def save_model(model, path):
    warnings.warn("You are saving your model as an HDF5 file via `model.save()`. This file "
                  "format is considered legacy. We recommend using instead the native TF-Keras "
                  "format, e.g. `model.save('my_model.keras')`.", UserWarning, stacklevel=3)
    with atomic_write(path) as tmp:
        with sealed_h5.h5_file(tmp, "w", userblock_size=sealed_h5.USER_BLOCK) as f:
            f.attrs["backend"] = "refkeras"
            f.attrs["keras_version"] = legacy_h5_format.LAYOUT_KERAS_VERSION
            f.attrs["model_config"] = json.dumps(legacy_model_config(model)).encode("utf8")
            if getattr(model, "_is_compiled", False):
                f.attrs["training_config"] = json.dumps(training_config(model)).encode("utf8")
            legacy_h5_format.save_weights_to_hdf5_group(f.create_group("model_weights"), model)
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and getattr(model, "_is_compiled", False):
                _save_optimizer(f, optimizer)
        sealed_h5.seal(tmp)


def legacy_model_config(model):
    """``{"class_name", "config"}``, each layer entry without the Keras v3 additions."""
    serialized = serialize_keras_object(model)
    return {"class_name": _legacy_class_name(serialized),
            "config": _strip_layers(serialized["config"])}


def _legacy_class_name(entry):
    registered = entry.get("registered_name")
    return registered if registered and entry.get("module") not in (None, "keras") and \
        registered != entry["class_name"] else entry["class_name"]


def _strip_layers(config):
    if not isinstance(config, dict) or "layers" not in config:
        return config
    layers = []
    for entry in config["layers"]:
        stripped = {k: v for k, v in entry.items() if k not in _LAYER_ONLY_KEYS}
        stripped["class_name"] = _legacy_class_name(entry)
        stripped["config"] = _strip_layers(entry["config"])
        layers.append(stripped)
    return {**config, "layers": layers}


def training_config(model):
    arguments = model.__dict__["_compile_arguments"]
    optimizer = serialize_keras_object(arguments["optimizer"])
    return {"loss": serialize_keras_object(arguments["loss"]),
            "metrics": serialize_keras_object(arguments["metrics"]),
            "weighted_metrics": serialize_keras_object(arguments["weighted_metrics"]),
            "loss_weights": arguments["loss_weights"],
            # tf_keras files name built-in optimizers by their registered name, "Custom>Adam"
            "optimizer_config": {"class_name": f"Custom>{optimizer['class_name']}",
                                 "config": optimizer["config"]}}


def _save_optimizer(f, optimizer):
    variables = list(optimizer.variables)
    group = f.create_group("optimizer_weights")
    legacy_h5_format._write_names(group, "weight_names", [v.name for v in variables])
    for variable in variables:
        group.create_dataset(variable.name, data=np.asarray(variable._value))


# --------------------------------------------------------------------------- loading

def load_model(path, custom_objects=None, compile=True):
    """The model in ``path``: rebuilt, every array read and checked, then assigned at once."""
    with sealed_h5.h5_file(path, "r") as f:
        model = deserialize_keras_object(_json_attribute(f, "model_config"),
                                         custom_objects=custom_objects)
        pairs = legacy_h5_format.topological_pairs(f["model_weights"], model)
        if compile and "training_config" in f.attrs:
            model.compile(**_compile_arguments(_json_attribute(f, "training_config"),
                                               custom_objects))
            if "optimizer_weights" in f:
                pairs += _optimizer_pairs(f["optimizer_weights"], model)
    for variable, array in pairs:
        variable.assign(np.asarray(array, dtype=variable.dtype))
    return model


def _optimizer_pairs(group, model):
    """The saved optimizer state paired with a freshly built optimizer's variables."""
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    names = legacy_h5_format.read_names(group, "weight_names")
    variables = list(optimizer.variables)
    if len(names) != len(variables):
        raise ValueError(f"The saved optimizer has {len(names)} variables, but the model's "
                         f"{type(optimizer).__name__} has {len(variables)}.")
    pairs = []
    for name, variable in zip(names, variables):
        array = np.asarray(group[name][()])
        if array.shape != tuple(variable.shape):
            raise ValueError(f"Optimizer variable {variable.name} has shape "
                             f"{tuple(variable.shape)}; the file has {array.shape} for {name}.")
        pairs.append((variable, array))
    return pairs


def _json_attribute(f, key):
    value = f.attrs[key]
    return json.loads(value.decode("utf8") if isinstance(value, bytes) else value)


def _compile_arguments(config, custom_objects):
    optimizer = dict(config["optimizer_config"])
    name = optimizer["class_name"]
    optimizer["class_name"] = name.split(">", 1)[1] if name.startswith("Custom>") else name
    return {"optimizer": deserialize_keras_object(optimizer, custom_objects),
            "loss": deserialize_keras_object(config.get("loss"), custom_objects),
            "metrics": deserialize_keras_object(config.get("metrics"), custom_objects),
            "weighted_metrics": deserialize_keras_object(config.get("weighted_metrics"),
                                                         custom_objects),
            "loss_weights": config.get("loss_weights")}


__all__ = ["legacy_model_config", "load_model", "save_model", "training_config"]
