"""``keras.constraints``: projections applied to weights after each optimizer step.

Clauses: LAYER.CONSTRAINTS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

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
from refkeras.constraints.constraint import Constraint
from refkeras.constraints.max_norm import MaxNorm
from refkeras.constraints.min_max_norm import MinMaxNorm
from refkeras.constraints.non_neg import NonNeg
from refkeras.constraints.radial_constraint import RadialConstraint
from refkeras.constraints.unit_norm import UnitNorm
from refkeras.utils.registry import Registry

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


_REGISTRY = Registry("constraint", "keras.constraints", Constraint, IDENTIFIERS,
                     interpret_as="constraint function")
get = _REGISTRY.get
deserialize = _REGISTRY.deserialize
serialize = _REGISTRY.serialize


__all__ = ["IDENTIFIERS", "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "RadialConstraint",
           "UnitNorm", "deserialize", "get", "max_norm", "min_max_norm", "non_neg",
           "radial_constraint", "serialize", "unit_norm"]
