"""``keras.regularizers``: penalties on weights, added to a layer's losses.

Clauses: LAYER.LOSSES, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN_REGULARIZER (docs/spec.md).

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
from refkeras.regularizers.l1 import L1
from refkeras.regularizers.l1_l2 import L1L2, l1_l2
from refkeras.regularizers.l2 import L2
from refkeras.regularizers.orthogonal_regularizer import OrthogonalRegularizer
from refkeras.regularizers.regularizer import Regularizer
from refkeras.utils.registry import Registry

l1 = L1
l2 = L2
orthogonal_regularizer = OrthogonalRegularizer

# Every string get() accepts, and what it names (called with no arguments).
IDENTIFIERS = {
    "L1": L1, "L1L2": L1L2, "L2": L2, "OrthogonalRegularizer": OrthogonalRegularizer,
    "Regularizer": Regularizer, "l1": L1, "l1_l2": l1_l2, "l2": L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


_REGISTRY = Registry("regularizer", "keras.regularizers", Regularizer, IDENTIFIERS)
get = _REGISTRY.get
deserialize = _REGISTRY.deserialize
serialize = _REGISTRY.serialize


__all__ = ["IDENTIFIERS", "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer",
           "deserialize", "get", "l1", "l1_l2", "l2", "orthogonal_regularizer", "serialize"]
