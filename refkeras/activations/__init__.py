"""``keras.activations``: activation functions by name, and their serialization.

Clauses: LAYER.NUMERIC.ACTIVATION, LAYER.STRINGS, LAYER.STRINGS.UNKNOWN (docs/spec.md).

``get(identifier)`` resolves a layer's ``activation=`` argument:

    None                                    -> linear
    "relu", "softmax", ... (IDENTIFIERS)    -> the function
    {"module": ..., "class_name": "function", "config": "relu", ...} -> the function
    any callable                            -> itself
    anything else                           -> TypeError

The names are tf_keras 2.21's: the functions of ``activations.py`` plus the
``tf.nn`` functions tf_keras also resolves by name (``leaky_relu``, ``log_softmax``,
``relu6``, ``silu``, the last being swish). tf_keras also resolves the names of
its activation *layers* (``"ReLU"``, ``"Softmax"`` ...); refkeras does not (yet). An
unknown name is a ValueError listing the valid ones. ``serialize(fn)`` is the
function's name when it is one of these (``serialize(swish) == "swish"``), and
tf_keras's ``{"class_name": "function", ...}`` dict for other named functions.
The functions live in ``activations.py``; this module owns the name table.

>>> get("relu") is relu, get(None) is linear, serialize(get("silu"))
(True, True, 'swish')
"""
import types

from refkeras.activations.activations import (
    elu,
    exponential,
    gelu,
    hard_sigmoid,
    linear,
    mish,
    relu,
    selu,
    sigmoid,
    softmax,
    softplus,
    softsign,
    swish,
    tanh,
)
from refkeras.ops import nn_ops

# Every string get() accepts, and the function it names.
IDENTIFIERS = {
    "elu": elu, "exponential": exponential, "gelu": gelu, "hard_sigmoid": hard_sigmoid,
    "linear": linear, "mish": mish, "relu": relu, "selu": selu, "sigmoid": sigmoid,
    "softmax": softmax, "softplus": softplus, "softsign": softsign, "swish": swish,
    "tanh": tanh,
    # tf.nn functions that tf_keras's activations module also resolves by name
    "leaky_relu": nn_ops.leaky_relu, "log_softmax": nn_ops.log_softmax,
    "relu6": nn_ops.relu6, "silu": swish,
}


def _lookup(name):
    if name not in IDENTIFIERS:
        raise ValueError(f"Unknown activation function '{name}' cannot be deserialized. "
                         f"Valid identifiers: {sorted(IDENTIFIERS)}.")
    return IDENTIFIERS[name]


def get(identifier):
    """An activation function from a name, a config dict, None (linear) or a callable."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier}. "
                    "Expected a string name, a config dict, None or a callable; received a "
                    f"{type(identifier).__name__}.")


def deserialize(name, custom_objects=None, use_legacy_format=False):
    """The activation function a name (or ``serialize``'s dict) stands for."""
    if isinstance(name, dict):
        return _from_dict(name, custom_objects)
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return _lookup(name)


def _from_dict(config, custom_objects):
    if "class_name" not in config or "config" not in config:
        raise ValueError(f"Improper config format for {config}. Expecting python dict contains "
                         "`class_name` and `config` as keys")
    if config["class_name"] == "function":   # tf_keras's form for a plain function
        return deserialize(config["config"], custom_objects)
    if config["config"]:
        raise ValueError(f"Cannot deserialize activation {config}: refkeras resolves only "
                         "activation functions, which take no config.")
    return deserialize(config["class_name"], custom_objects)


def serialize(activation, use_legacy_format=False):
    """The name of a known activation function, or tf_keras's dict for another function."""
    if isinstance(activation, str):   # tf_keras raises ValueError here
        raise ValueError(  # noqa: TRY004
            f"Unknown activation function '{activation}' cannot be serialized due to invalid "
            "function name. Make sure to use an activation name that matches the references "
            f"defined in activations.py. config={activation}")
    name = getattr(activation, "__name__", None)
    if name in IDENTIFIERS:
        return name
    if isinstance(activation, types.FunctionType) and name != "<lambda>":
        return {"module": "builtins", "class_name": "function", "config": name,
                "registered_name": "function"}
    if hasattr(activation, "get_config"):   # an object used as an activation (e.g. a layer)
        class_name = type(activation).__name__
        return {"module": None, "class_name": class_name, "config": activation.get_config(),
                "registered_name": class_name}
    raise TypeError(f"Cannot serialize activation {activation!r}: expected an activation "
                    "function (a named function, not a lambda) or an object with get_config().")


__all__ = ["IDENTIFIERS", "deserialize", "elu", "exponential", "gelu", "get", "hard_sigmoid",
           "linear", "mish", "relu", "selu", "serialize", "sigmoid", "softmax", "softplus",
           "softsign", "swish", "tanh"]
