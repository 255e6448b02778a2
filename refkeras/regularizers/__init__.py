"""``keras.regularizers``: penalties on weights, added to a layer's losses.

Clauses: none yet (issue 4; the conformance helper owns docs/spec.md).

``get(identifier)`` resolves a layer's ``kernel_regularizer=`` argument:

    None                                  -> None
    "l1", "L1", "l2", "L2", "L1L2", ...   -> a new instance (names in IDENTIFIERS)
    "l1_l2"                               -> L1L2(l1=0.01, l2=0.01)
    {"class_name": ..., "config": {...}}  -> cls.from_config(config)
    a Regularizer or any other callable   -> itself (a class is not instantiated)
    anything else                         -> ValueError

Defaults as tf_keras 2.21: ``L1()`` and ``L2()`` use 0.01, ``L1L2()`` uses 0.0 for
both, ``l1_l2()`` 0.01 for both. tf_keras returns an unknown *string* unchanged
(and fails later, when it is called); refkeras raises the ValueError tf_keras
raises for an unknown class name in a dict, listing the valid names.
``serialize`` gives tf_keras's dict (``module`` "keras.regularizers"). This module
owns the name table and get/serialize/deserialize; one file per class.

>>> get("l1_l2").get_config()
{'l1': 0.009999999776482582, 'l2': 0.009999999776482582}
"""
import warnings

from refkeras.regularizers.l1 import L1
from refkeras.regularizers.l1_l2 import L1L2, l1_l2
from refkeras.regularizers.l2 import L2
from refkeras.regularizers.orthogonal_regularizer import OrthogonalRegularizer
from refkeras.regularizers.regularizer import Regularizer

l1 = L1
l2 = L2
orthogonal_regularizer = OrthogonalRegularizer

# Every string get() accepts, and what it names (called with no arguments).
IDENTIFIERS = {
    "L1": L1, "L1L2": L1L2, "L2": L2, "OrthogonalRegularizer": OrthogonalRegularizer,
    "Regularizer": Regularizer, "l1": L1, "l1_l2": l1_l2, "l2": L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


def _lookup(name, custom_objects):
    table = {**IDENTIFIERS, **(custom_objects or {})}
    if name not in table:
        raise ValueError(f"Unknown regularizer: '{name}'. Valid identifiers: {sorted(IDENTIFIERS)}. "
                         "Pass a custom regularizer class through `custom_objects`.")
    return table[name]


def get(identifier):
    """A regularizer from a name, a config dict, or a callable (returned as it is)."""
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}. Expected a "
                     "string name, a config dict or a callable (such as a Regularizer); "
                     f"received a {type(identifier).__name__}.")


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """A regularizer from a name or from ``serialize``'s dict (either format)."""
    if isinstance(config, str):
        return _lookup(config, custom_objects)()
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(f"Improper config format for {config}. Expecting python dict contains "
                         "`class_name` and `config` as keys")
    target = _lookup(config["class_name"], custom_objects)
    if isinstance(target, type):
        return target.from_config(config["config"])
    return target(**config["config"])   # the l1_l2 function


def serialize(regularizer, use_legacy_format=False):
    """tf_keras's config dict of ``regularizer`` (None for None)."""
    if regularizer is None:
        return None
    if not isinstance(regularizer, Regularizer):
        warnings.warn(
            "The `keras.regularizers.serialize()` API should only be used for objects of type "
            f"`keras.regularizers.Regularizer`. Found an instance of type {type(regularizer)}, "
            "which may lead to improper serialization.", stacklevel=2)
    if not hasattr(regularizer, "get_config"):
        raise ValueError(f"Cannot serialize {regularizer!r}: it has no get_config().")
    class_name = type(regularizer).__name__
    config = regularizer.get_config()
    if use_legacy_format:
        return {"class_name": class_name, "config": config}
    builtin = IDENTIFIERS.get(class_name) is type(regularizer)
    return {"module": "keras.regularizers" if builtin else None, "class_name": class_name,
            "config": config, "registered_name": None if builtin else class_name}


__all__ = ["IDENTIFIERS", "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer",
           "deserialize", "get", "l1", "l1_l2", "l2", "orthogonal_regularizer", "serialize"]
