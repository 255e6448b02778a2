"""Registry: how ``initializers.get("he_normal")`` and its siblings resolve names.

Clauses: LAYER.STRINGS, LAYER.STRINGS.UNKNOWN, LAYER.CONFIG (docs/spec.md).

Initializers, regularizers and constraints follow one rule, so one class holds it;
each package makes a Registry of its names and exposes its methods as its
``get`` / ``serialize`` / ``deserialize``:

    get(None)                  -> None
    get("name")                -> table["name"]()            (a new object)
    get({"class_name", "config"}) -> table[class_name].from_config(config)
    get(SomeClass)             -> SomeClass() if the kind instantiates classes, else itself
    get(callable)              -> the callable itself
    get(anything else)         -> ValueError "Could not interpret <what> identifier: ..."

An unknown name raises ValueError listing the valid ones (tf_keras lists none).
``serialize`` gives tf_keras's dict: ``{"module": "keras.<kind>s", "class_name",
"config", "registered_name"}`` (``{"class_name", "config"}`` in the legacy format).

>>> table = Registry("thing", "keras.things", object, {"one": dict})
>>> table.deserialize("one")
{}
"""
import warnings

import numpy as np


class Registry:
    def __init__(self, kind, module, base, identifiers, interpret_as=None,
                 instantiate_classes=False):
        self.kind = kind                       # "initializer", "regularizer", ...
        self.module = module                   # "keras.initializers"
        self.base = base                       # the package's base class
        self.identifiers = identifiers         # name -> class (or factory function)
        self.interpret_as = interpret_as or kind
        self.instantiate_classes = instantiate_classes

    def lookup(self, name, custom_objects=None):
        table = {**self.identifiers, **(custom_objects or {})}
        if name not in table:
            raise ValueError(
                f"Unknown {self.kind}: '{name}'. Valid identifiers: {sorted(self.identifiers)}. "
                f"Pass a custom {self.kind} class through `custom_objects`.")
        return table[name]

    def get(self, identifier):
        if identifier is None:
            return None
        if isinstance(identifier, (dict, str)):
            return self.deserialize(identifier)
        if isinstance(identifier, type) and self.instantiate_classes:
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(
            f"Could not interpret {self.interpret_as} identifier: {identifier}. Expected a "
            f"string name, a config dict or a callable (such as a {self.base.__name__}); "
            f"received a {type(identifier).__name__}.")

    def deserialize(self, config, custom_objects=None, use_legacy_format=False):
        if isinstance(config, str):
            return self.lookup(config, custom_objects)()
        if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
            raise ValueError(f"Improper config format for {config}. Expecting python dict "
                             "contains `class_name` and `config` as keys")
        target = self.lookup(config["class_name"], custom_objects)
        if isinstance(target, type):
            return target.from_config(config["config"])
        return target(**config["config"])      # a factory function such as l1_l2

    def serialize(self, obj, use_legacy_format=False):
        if obj is None:
            return None
        if not isinstance(obj, self.base):
            warnings.warn(
                f"The `{self.module}.serialize()` API should only be used for objects of type "
                f"`{self.module}.{self.base.__name__}`. Found an instance of type {type(obj)}, "
                "which may lead to improper serialization.", stacklevel=3)
        if not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot serialize {obj!r}: it has no get_config().")
        class_name = type(obj).__name__
        config = {key: _plain(value) for key, value in obj.get_config().items()}
        if use_legacy_format:
            return {"class_name": class_name, "config": config}
        builtin = self.identifiers.get(class_name) is type(obj)
        return {"module": self.module if builtin else None, "class_name": class_name,
                "config": config, "registered_name": None if builtin else class_name}


def _plain(value):
    """A numpy array in a config as tf_keras writes it: a ``__numpy__`` dict."""
    if isinstance(value, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": value.tolist(), "dtype": value.dtype.name}}
    return value


__all__ = ["Registry"]
