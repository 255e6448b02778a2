"""``keras.constraints``: projections applied to weights after each optimizer step.

Clauses: none yet (issue 4; the conformance helper owns docs/spec.md).

``get(identifier)`` resolves a layer's ``kernel_constraint=`` argument:

    None                                      -> None
    "max_norm", "MaxNorm", "maxnorm", ...     -> a new instance (names in IDENTIFIERS)
    {"class_name": ..., "config": {...}}      -> cls.from_config(config)
    a Constraint or any other callable        -> itself (a class is not instantiated)
    anything else                             -> ValueError

The names are tf_keras 2.21's: each class, its snake_case alias and the old
``maxnorm``, ``nonneg``, ``unitnorm``. An unknown name is a ValueError listing the
valid ones. ``serialize`` gives tf_keras's dict (``module`` "keras.constraints").
This module owns the name table and get/serialize/deserialize; one file per class.

>>> get("max_norm").get_config()
{'max_value': 2, 'axis': 0}
"""
import warnings

from refkeras.constraints.constraint import Constraint
from refkeras.constraints.max_norm import MaxNorm
from refkeras.constraints.min_max_norm import MinMaxNorm
from refkeras.constraints.non_neg import NonNeg
from refkeras.constraints.radial_constraint import RadialConstraint
from refkeras.constraints.unit_norm import UnitNorm

max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm
radial_constraint = RadialConstraint

# Every string get() accepts, and the class it names.
IDENTIFIERS = {
    "Constraint": Constraint, "MaxNorm": MaxNorm, "MinMaxNorm": MinMaxNorm, "NonNeg": NonNeg,
    "RadialConstraint": RadialConstraint, "UnitNorm": UnitNorm,
    "max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg,
    "radial_constraint": RadialConstraint, "unit_norm": UnitNorm,
    "maxnorm": MaxNorm, "nonneg": NonNeg, "unitnorm": UnitNorm,
}


def _lookup(name, custom_objects):
    table = {**IDENTIFIERS, **(custom_objects or {})}
    if name not in table:
        raise ValueError(f"Unknown constraint: '{name}'. Valid identifiers: {sorted(IDENTIFIERS)}. "
                         "Pass a custom constraint class through `custom_objects`.")
    return table[name]


def get(identifier):
    """A constraint from a name, a config dict, or a callable (returned as it is)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint function identifier: {identifier}. "
                     "Expected a string name, a config dict or a callable (such as a "
                     f"Constraint); received a {type(identifier).__name__}.")


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """A constraint from a name or from ``serialize``'s dict (either format)."""
    if isinstance(config, str):
        return _lookup(config, custom_objects)()
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(f"Improper config format for {config}. Expecting python dict contains "
                         "`class_name` and `config` as keys")
    return _lookup(config["class_name"], custom_objects).from_config(config["config"])


def serialize(constraint, use_legacy_format=False):
    """tf_keras's config dict of ``constraint`` (None for None)."""
    if constraint is None:
        return None
    if not isinstance(constraint, Constraint):
        warnings.warn(
            "The `keras.constraints.serialize()` API should only be used for objects of type "
            f"`keras.constraints.Constraint`. Found an instance of type {type(constraint)}, "
            "which may lead to improper serialization.", stacklevel=2)
    if not hasattr(constraint, "get_config"):
        raise ValueError(f"Cannot serialize {constraint!r}: it has no get_config().")
    class_name = type(constraint).__name__
    config = constraint.get_config()
    if use_legacy_format:
        return {"class_name": class_name, "config": config}
    builtin = IDENTIFIERS.get(class_name) is type(constraint)
    return {"module": "keras.constraints" if builtin else None, "class_name": class_name,
            "config": config, "registered_name": None if builtin else class_name}


__all__ = ["IDENTIFIERS", "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "RadialConstraint",
           "UnitNorm", "deserialize", "get", "max_norm", "min_max_norm", "non_neg",
           "radial_constraint", "serialize", "unit_norm"]
