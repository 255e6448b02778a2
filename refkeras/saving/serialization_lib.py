"""Objects to configs and back: the format of ``config.json`` and ``model.to_json()``.

Clauses: SAVING.CONFIG, SAVING.CONFIG.CUSTOM, SAVING.SAFE_MODE (docs/spec.md).

Rule (tf_keras 2.21's format, so configs go both ways). ``serialize_keras_object``:

    None, str, int, float, bool       -> themselves
    list / tuple / dict               -> the same container, each item serialized
    numpy array (ndim > 0)            -> {"class_name": "__numpy__", "config": {"value", "dtype"}}
    numpy scalar                      -> the Python number
    a Tensor                          -> {"class_name": "__tensor__", "config": {"value", "dtype"}}
    a Keras object (get_config)       -> {"module", "class_name", "config", "registered_name"}
                                         + "build_config" (a built layer's input shape)
                                         + "compile_config" (a compiled model)
    a lambda                          -> {"class_name": "__lambda__", ...} (with a warning)

``module`` is the public namespace that exports the class ("keras.layers" for Dense,
"keras" for Sequential) and then ``registered_name`` is None; a class outside the
public API records its module and its registered name (``object_registration``).
``deserialize_keras_object`` inverts this: it finds the class (registered name,
custom objects, then the public namespace), calls ``from_config`` on its config,
then ``build_from_config`` and ``compile_from_config``.

Safety: a config is data. Loading never runs code from it, except a ``__lambda__``
(marshalled bytecode), which is refused unless the caller passes
``safe_mode=False``, as tf_keras does.

>>> import refkeras as keras
>>> config = serialize_keras_object(keras.initializers.Constant(2.0))
>>> config["module"], config["class_name"], config["config"]
('keras.initializers', 'Constant', {'value': 2.0})
>>> type(deserialize_keras_object(config)).__name__
'Constant'
"""
import base64
import contextlib
import importlib
import inspect
import marshal
import types
import warnings

import numpy as np

from refkeras.backend import session
from refkeras.saving import object_registration

PLAIN_TYPES = (str, int, float, bool)

# Where each public class lives in Keras's API, and the refkeras package that holds it.
# tf_keras writes the module of a class that is not public as its own path; Functional
# is the one a model config meets.
PUBLIC_MODULES = {
    "keras.layers": "refkeras.layers",
    "keras.initializers": "refkeras.initializers",
    "keras.regularizers": "refkeras.regularizers",
    "keras.constraints": "refkeras.constraints",
    "keras.optimizers.schedules": "refkeras.optimizers.schedules",
    "keras.optimizers": "refkeras.optimizers",
    "keras.losses": "refkeras.losses",
    "keras.metrics": "refkeras.metrics",
    "keras.activations": "refkeras.activations",
    "keras": "refkeras",
}
FUNCTIONAL_MODULE = "tf_keras.src.engine.functional"


# --------------------------------------------------------------------------- serializing

def serialize_keras_object(obj):
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, np.ndarray) and obj.ndim > 0:
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (np.generic, np.ndarray)):
        return obj.item()
    if isinstance(obj, np.dtype):
        return obj.name
    tensor = _as_tensor_config(obj)
    if tensor is not None:
        return tensor
    if isinstance(obj, types.FunctionType):
        return _serialize_function(obj)
    return _serialize_object(obj)


def serialize_dict(obj):
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _as_tensor_config(obj):
    from refkeras.framework.tensor import Tensor
    from refkeras.framework.tensor_shape import TensorShape
    if isinstance(obj, TensorShape):
        return None if obj.rank is None else list(obj.as_list())
    if isinstance(obj, Tensor):
        return {"class_name": "__tensor__",
                "config": {"value": obj.numpy().tolist(), "dtype": obj.dtype.name}}
    return None


def _serialize_function(fn):
    if fn.__name__ == "<lambda>":
        warnings.warn("The object being serialized includes a `lambda`. This is unsafe. In order "
                      "to reload the object, you will have to pass `safe_mode=False` to the "
                      "loading function. Please avoid using `lambda` in the future, and use "
                      "named Python functions instead.", stacklevel=3)
        return {"class_name": "__lambda__", "config": {"value": _dump_code(fn)}}
    name = object_registration.get_registered_name(fn)
    module = _public_module(fn) or fn.__module__
    return {"module": module, "class_name": "function", "config": name, "registered_name": name}


def _serialize_object(obj):
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, "
                        "a class must implement the `get_config()` method.")
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"The `get_config()` method of {obj} should return a dict. It returned: "
                        f"{config}")
    cls = type(obj)
    public = _public_module(cls)
    if public is not None:
        module, registered = public, None
    elif cls.__name__ == "Functional":
        module, registered = FUNCTIONAL_MODULE, "Functional"
    else:
        module, registered = cls.__module__, object_registration.get_registered_name(cls)
    serialized = {"module": module, "class_name": cls.__name__, "config": serialize_dict(config),
                  "registered_name": registered}
    if hasattr(obj, "get_build_config") and (build := obj.get_build_config()) is not None:
        serialized["build_config"] = serialize_dict(build)
    if hasattr(obj, "get_compile_config") and (compiled := obj.get_compile_config()) is not None:
        serialized["compile_config"] = serialize_dict(compiled)
    return serialized


def _public_module(target):
    """The Keras namespace that exports ``target`` under its own name, or None."""
    for keras_module, package in PUBLIC_MODULES.items():
        namespace = importlib.import_module(package)
        if getattr(namespace, target.__name__, None) is target:
            return keras_module
    return None


# --------------------------------------------------------------------------- deserializing

def deserialize_keras_object(config, custom_objects=None, safe_mode=None, **kwargs):
    """``safe_mode`` None keeps the enclosing call's choice (True at the top level)."""
    if safe_mode is None:
        safe_mode = in_safe_mode()
    if config is None or isinstance(config, PLAIN_TYPES):
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects, safe_mode) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects, safe_mode)
                for key, value in config.items()}
    class_name, inner = config["class_name"], config["config"]
    special = _SPECIAL.get(class_name)
    if special is not None:
        return special(inner, safe_mode)
    if class_name == "function":
        return _retrieve(inner, config.get("registered_name"), config.get("module"),
                         custom_objects, config, kind="function")
    cls = _retrieve(class_name, config.get("registered_name"), config.get("module"),
                    custom_objects, config, kind="class")
    with object_registration.maybe_scope(custom_objects), safe_mode_scope(safe_mode):
        obj = _from_config(cls, inner or {}, custom_objects)
        if config.get("build_config") and hasattr(obj, "build_from_config"):
            obj.build_from_config(config["build_config"])
        if config.get("compile_config") and hasattr(obj, "compile_from_config"):
            obj.compile_from_config(config["compile_config"])
    return obj


@contextlib.contextmanager
def safe_mode_scope(safe_mode):
    """While a config is rebuilt, whether code stored in it may be loaded (Lambda layers)."""
    stack = session.registry().safe_mode
    stack.append(bool(safe_mode))
    try:
        yield
    finally:
        stack.pop()


def in_safe_mode():
    return session.registry().safe_mode[-1]


def load_function_code(value):
    """A function from tf_keras's stored bytecode, only outside safe mode."""
    if in_safe_mode():
        raise ValueError("Requested the deserialization of a Lambda layer with a Python "
                         "`lambda` inside it. This carries a potential risk of arbitrary code "
                         "execution and thus it is disallowed by default. If you trust the "
                         "source of the saved model, you can pass `safe_mode=False` to the "
                         "loading function in order to allow Lambda layer loading.")
    return _load_code(value)


def _from_config(cls, inner, custom_objects):
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of '{cls.__name__}' because the "
                        "class is missing a `from_config()` method.")
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


def _retrieve(name, registered_name, module, custom_objects, full_config, kind):
    """The class (or function) a config names: registered and custom objects first."""
    for key in (registered_name, name):
        if key:
            found = object_registration.get_registered_object(key, custom_objects)
            if found is not None:
                return found
    found = _from_namespaces(name, module)
    if found is not None:
        return found
    raise TypeError(f"Could not locate {kind} '{name}'. Make sure custom classes are decorated "
                    "with `@keras.saving.register_keras_serializable()`, or pass them in "
                    f"`custom_objects`. Full object config: {full_config}")


def _from_namespaces(name, module):
    """A public refkeras object by Keras module and name (any namespace if the module is
    not a public one); Functional under tf_keras's engine path."""
    if name == "Functional" and (module is None or module.endswith("functional")):
        from refkeras.models.functional import Functional
        return Functional
    packages = [PUBLIC_MODULES[module]] if module in PUBLIC_MODULES else list(
        PUBLIC_MODULES.values())
    for package in packages:
        found = getattr(importlib.import_module(package), name, None)
        if found is not None and (inspect.isclass(found) or callable(found)):
            return found
    return None


# --------------------------------------------------------------------------- special values

def _numpy(inner, safe_mode):
    return np.array(inner["value"], dtype=inner["dtype"])


def _tensor(inner, safe_mode):
    from refkeras.framework.convert import convert_to_tensor
    return convert_to_tensor(np.array(inner["value"], dtype=inner["dtype"]))


def _bytes(inner, safe_mode):
    return inner["value"].encode("utf-8")


def _lambda(inner, safe_mode):
    if safe_mode:
        raise ValueError("Requested the deserialization of a `lambda` object. This carries a "
                         "potential risk of arbitrary code execution and thus it is disallowed "
                         "by default. If you trust the source of the saved model, you can pass "
                         "`safe_mode=False` to the loading function in order to allow `lambda` "
                         "loading.")
    return _load_code(inner["value"])


_SPECIAL = {"__numpy__": _numpy, "__tensor__": _tensor, "__bytes__": _bytes,
            "__lambda__": _lambda}


def _dump_code(fn):
    """[bytecode as base64 text, defaults, closure]: tf_keras's layout (Python-version
    specific, as marshal is); closures are not kept."""
    return [base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii"), fn.__defaults__, None]


def _load_code(value):
    text, defaults = (value, None) if isinstance(value, str) else (value[0], value[1])
    code = marshal.loads(base64.b64decode(text.encode("ascii")))
    return types.FunctionType(code, globals(), argdefs=tuple(defaults) if defaults else None)


__all__ = ["deserialize_keras_object", "serialize_keras_object"]
