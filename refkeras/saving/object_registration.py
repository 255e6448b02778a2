"""Custom objects: how a config's class name finds the user's class again.

Clauses: SAVING.CONFIG.CUSTOM (docs/spec.md).

Rule (tf_keras 2.21). ``@register_keras_serializable(package="Custom", name=None)``
files a class (which must have ``get_config``) or a function under
``"<package>><name>"`` (name defaults to ``__name__``) for the whole process; a
serialized object records that name as its ``registered_name``. Looking a name up
tries, in order: the active ``custom_object_scope``s (innermost first), the
registered objects, then the ``custom_objects`` dict given to the loading call.

    @register_keras_serializable("my_package")
    class MyDense(keras.layers.Dense): ...
    get_registered_name(MyDense)            -> "my_package>MyDense"
    get_registered_object("my_package>MyDense") -> MyDense

Who owns what: the registrations and scopes live in the session holder
(``backend/session.py``), the one place refkeras keeps process state.

>>> @register_keras_serializable("demo")
... def halve(x):
...     return x / 2
>>> get_registered_name(halve), get_registered_object("demo>halve") is halve
('demo>halve', True)
"""
import contextlib
import inspect

from refkeras.backend import session


def register_keras_serializable(package="Custom", name=None):
    def decorator(target):
        key = f"{package}>{name or target.__name__}"
        if inspect.isclass(target) and not hasattr(target, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        holder = session.registry()
        if key in holder.registered and holder.registered[key] is not target:
            raise ValueError(f"{key} has already been registered to {holder.registered[key]}")
        holder.registered[key] = target
        holder.registered_names[target] = key
        return target
    return decorator


def get_registered_name(obj):
    """The name ``obj`` was registered under, else its ``__name__``."""
    return session.registry().registered_names.get(obj, obj.__name__)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The class or function ``name`` stands for, or None."""
    for scope in reversed(session.registry().custom_object_scopes):
        if name in scope:
            return scope[name]
    holder = session.registry()
    for table in (holder.registered, custom_objects or {}, module_objects or {}):
        if name in table:
            return table[name]
    return None


def get_custom_objects():
    """The registered objects, by registered name (a live dict, as tf_keras's)."""
    return session.registry().registered


class CustomObjectScope:
    """``with CustomObjectScope({"MyLayer": MyLayer}):`` makes the names resolvable inside."""

    def __init__(self, *custom_objects):
        self.custom_objects = {}
        for objects in custom_objects:
            self.custom_objects.update(objects or {})

    def __enter__(self):
        session.registry().custom_object_scopes.append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        session.registry().custom_object_scopes.pop()


custom_object_scope = CustomObjectScope


@contextlib.contextmanager
def maybe_scope(custom_objects):
    """A CustomObjectScope when there are custom objects, else nothing."""
    if not custom_objects:
        yield
        return
    with CustomObjectScope(custom_objects):
        yield


__all__ = ["CustomObjectScope", "custom_object_scope", "get_custom_objects",
           "get_registered_name", "get_registered_object", "register_keras_serializable"]
