"""``keras.optimizers``: the tf_keras 2.21 optimizers, their names, get/serialize/deserialize.

Clauses: OPT.RULES, OPT.APPLY, OPT.STRINGS, OPT.CONFIG (docs/spec.md).

``get(identifier)`` resolves ``model.compile(optimizer=...)``:

    an Optimizer                           -> itself
    "adam", "Adam", "ADAM", "sgd", ...     -> a new instance with the defaults
    {"class_name": ..., "config": {...}}   -> cls.from_config(config)
    anything else                          -> ValueError

Names are matched case-insensitively, as tf_keras lowercases them: adadelta,
adagrad, adam, adamw, adamax, nadam, rmsprop, sgd, ftrl (and tf_keras's
"experimentaladam", "experimentalsgd", ...). An unknown name is a ValueError that
starts with tf_keras's ``Unknown optimizer: 'nope'.`` and lists the valid names.
``serialize`` gives ``{"module": "keras.optimizers", "class_name", "config",
"registered_name"}`` with the learning rate as a Python float, as tf_keras.

>>> type(get("Adam")).__name__, serialize(SGD(0.5))["config"]["learning_rate"]
('Adam', 0.5)

One file per optimizer; the base class in ``optimizer.py``; the schedules in
``schedules/``.
"""
import numpy as np

from refkeras.optimizers import schedules
from refkeras.optimizers.adadelta import Adadelta
from refkeras.optimizers.adagrad import Adagrad
from refkeras.optimizers.adam import Adam
from refkeras.optimizers.adamax import Adamax
from refkeras.optimizers.adamw import AdamW
from refkeras.optimizers.ftrl import Ftrl
from refkeras.optimizers.nadam import Nadam
from refkeras.optimizers.optimizer import Optimizer
from refkeras.optimizers.rmsprop import RMSprop
from refkeras.optimizers.sgd import SGD

# Every name get() accepts (lowercased first), and the class it names.
IDENTIFIERS = {
    "adadelta": Adadelta, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW, "adamax": Adamax,
    "experimentaladadelta": Adadelta, "experimentaladagrad": Adagrad, "experimentaladam": Adam,
    "experimentalsgd": SGD, "nadam": Nadam, "rmsprop": RMSprop, "sgd": SGD, "ftrl": Ftrl,
}


def _lookup(name, custom_objects=None):
    custom = dict(custom_objects or {})
    if name in custom:
        return custom[name]
    if isinstance(name, str) and name.lower() in IDENTIFIERS:
        return IDENTIFIERS[name.lower()]
    raise ValueError(
        f"Unknown optimizer: '{name}'. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in the scope. "
        f"Valid names (any case): {sorted(IDENTIFIERS)}.")


def _plain(value):
    """tf_keras's serialize writes numpy scalars (the learning rate) as Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def serialize(optimizer, use_legacy_format=False):
    if optimizer is None:
        return None
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"`keras.optimizers.serialize()` expects an Optimizer; received "
                         f"{optimizer!r} of type {type(optimizer).__name__}.")
    config = {key: _plain(value) for key, value in optimizer.get_config().items()}
    class_name = type(optimizer).__name__
    if use_legacy_format:
        return {"class_name": class_name, "config": config}
    builtin = IDENTIFIERS.get(class_name.lower()) is type(optimizer)
    return {"module": "keras.optimizers" if builtin else None, "class_name": class_name,
            "config": config, "registered_name": None if builtin else class_name}


def deserialize(config, custom_objects=None, use_legacy_format=False, **kwargs):
    if kwargs:
        raise TypeError(f"Invalid keyword arguments: {kwargs}")
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(f"Improper config format for {config}. Expecting python dict contains "
                         "`class_name` and `config` as keys")
    cls = _lookup(config["class_name"], custom_objects)
    return cls.from_config(config["config"], custom_objects=custom_objects)


def get(identifier, **kwargs):
    if kwargs:
        raise TypeError(f"Invalid keyword arguments: {kwargs}")
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return _lookup(identifier)()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


__all__ = ["IDENTIFIERS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Nadam",
           "Optimizer", "RMSprop", "deserialize", "get", "schedules", "serialize"]
