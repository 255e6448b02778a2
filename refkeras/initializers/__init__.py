"""``keras.initializers``: the objects that give weights their first values.

Clauses: LAYER.INITIALIZERS, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

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
from refkeras.utils.registry import Registry

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


_REGISTRY = Registry("initializer", "keras.initializers", Initializer, IDENTIFIERS,
                     instantiate_classes=True)
get = _REGISTRY.get
deserialize = _REGISTRY.deserialize
serialize = _REGISTRY.serialize


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
