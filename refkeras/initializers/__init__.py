"""``keras.initializers``: the objects that give weights their first values.

Clauses: none yet (issue 4; the conformance helper owns docs/spec.md).

``get(identifier)`` turns whatever a layer argument holds into an initializer:

    None                                   -> None
    "glorot_uniform", "GlorotUniform" ...  -> a new instance (names in IDENTIFIERS)
    {"class_name": ..., "config": {...}}   -> cls.from_config(config)
    an Initializer class                   -> a new instance
    an instance or any other callable      -> itself
    anything else                          -> ValueError

Names are resolved exactly as tf_keras 2.21 resolves them: each class name, its
snake_case form, the compatibility aliases ``normal``, ``uniform``, ``one``,
``zero`` and the ``...V2`` names of old saved configs. An unknown name is a
ValueError that lists the valid ones. ``serialize`` gives tf_keras's dict
(``{"module": "keras.initializers", "class_name": ..., "config": ...,
"registered_name": None}``; ``use_legacy_format=True`` drops module and
registered_name); ``deserialize`` reads both forms back. One file per class;
this module owns only the name table and get/serialize/deserialize.

>>> get("he_normal").get_config()
{'seed': None}
>>> serialize(GlorotUniform(seed=1))["config"]
{'seed': 1}
"""
import warnings

import numpy as np

from refkeras.initializers.constant import Constant
from refkeras.initializers.glorot_normal import GlorotNormal
from refkeras.initializers.glorot_uniform import GlorotUniform
from refkeras.initializers.he_normal import HeNormal
from refkeras.initializers.he_uniform import HeUniform
from refkeras.initializers.identity import Identity
from refkeras.initializers.initializer import Initializer
from refkeras.initializers.lecun_normal import LecunNormal
from refkeras.initializers.lecun_uniform import LecunUniform
from refkeras.initializers.ones import Ones
from refkeras.initializers.orthogonal import Orthogonal
from refkeras.initializers.random_normal import RandomNormal
from refkeras.initializers.random_uniform import RandomUniform
from refkeras.initializers.truncated_normal import TruncatedNormal
from refkeras.initializers.variance_scaling import VarianceScaling
from refkeras.initializers.zeros import Zeros

# tf_keras's function-style names for the classes (keras.initializers.glorot_uniform ...)
constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
identity = Identity
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros

_CLASSES = (Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, Initializer,
            LecunNormal, LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform,
            TruncatedNormal, VarianceScaling, Zeros)

# Every string get() accepts, and the class it names: the class name and its snake_case
# form, then tf_keras's compatibility aliases.
IDENTIFIERS = {
    **{cls.__name__: cls for cls in _CLASSES},
    "constant": Constant, "glorot_normal": GlorotNormal, "glorot_uniform": GlorotUniform,
    "he_normal": HeNormal, "he_uniform": HeUniform, "identity": Identity,
    "initializer": Initializer, "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "ones": Ones, "orthogonal": Orthogonal, "random_normal": RandomNormal,
    "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "zeros": Zeros,
    "normal": RandomNormal, "uniform": RandomUniform, "one": Ones, "zero": Zeros,
    **{f"{cls.__name__}V2": cls for cls in _CLASSES if cls is not Initializer},
    "glorot_normalV2": GlorotNormal, "glorot_uniformV2": GlorotUniform,
    "he_normalV2": HeNormal, "he_uniformV2": HeUniform,
    "lecun_normalV2": LecunNormal, "lecun_uniformV2": LecunUniform,
}
# tf_keras has no "IdentityV2"-style alias for the base class only; all others exist.


def _lookup(name, custom_objects):
    table = {**IDENTIFIERS, **(custom_objects or {})}
    if name not in table:
        raise ValueError(f"Unknown initializer: '{name}'. Valid identifiers: {sorted(IDENTIFIERS)}. "
                         "Pass a custom initializer class through `custom_objects`.")
    return table[name]


def get(identifier):
    """An initializer from a name, a config dict, a class, an instance or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier}. Expected a "
                     "string name, a config dict, an Initializer (class or instance) or a "
                     f"callable; received a {type(identifier).__name__}.")


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """An initializer from a name or from ``serialize``'s dict (either format)."""
    if isinstance(config, str):
        return _lookup(config, custom_objects)()
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(f"Improper config format for {config}. Expecting python dict contains "
                         "`class_name` and `config` as keys")
    return _lookup(config["class_name"], custom_objects).from_config(config["config"])


def serialize(initializer, use_legacy_format=False):
    """tf_keras's config dict of ``initializer`` (None for None)."""
    if initializer is None:
        return None
    if not isinstance(initializer, Initializer):
        warnings.warn(
            "The `keras.initializers.serialize()` API should only be used for objects of type "
            f"`keras.initializers.Initializer`. Found an instance of type {type(initializer)}, "
            "which may lead to improper serialization.", stacklevel=2)
    if not hasattr(initializer, "get_config"):
        raise ValueError(f"Cannot serialize {initializer!r}: it has no get_config().")
    config = {key: _plain(value) for key, value in initializer.get_config().items()}
    class_name = type(initializer).__name__
    if use_legacy_format:
        return {"class_name": class_name, "config": config}
    builtin = IDENTIFIERS.get(class_name) is type(initializer)
    return {"module": "keras.initializers" if builtin else None, "class_name": class_name,
            "config": config, "registered_name": None if builtin else class_name}


def _plain(value):
    """A numpy array in a config as tf_keras writes it: a ``__numpy__`` dict."""
    if isinstance(value, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": value.tolist(), "dtype": value.dtype.name}}
    return value


__all__ = [
    "IDENTIFIERS",
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]
