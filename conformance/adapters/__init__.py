"""Finding a backend's adapter by name.

``refkeras`` and ``tf_keras`` are built in; anything else is ``package.module:attr``
(a student's engine, a Keras 3 adapter), where ``attr`` is an adapter object or a
callable returning one. See ``base.py`` for the interface.
"""
import importlib

from conformance.adapters.base import CAPABILITIES, check

BUILT_IN = {
    "refkeras": "conformance.adapters.refkeras_adapter:ADAPTER",
    "tf_keras": "conformance.adapters.tf_keras_adapter:ADAPTER",
    "keras3": "conformance.adapters.keras3_adapter:ADAPTER",
}


def load_adapter(spec):
    """The adapter named by ``spec`` (a built-in name or ``package.module:attr``)."""
    target = BUILT_IN.get(spec, spec)
    if ":" not in target:
        raise ValueError(f"Unknown backend {spec!r}: use one of {sorted(BUILT_IN)} or "
                         "'package.module:attr' naming an adapter (see docs/backends.md).")
    module_name, attr = target.split(":", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise ValueError(f"Backend {spec!r}: cannot import {module_name!r} ({e}). Is it installed? "
                         "tf_keras needs `pip install -e '.[tf]'`.") from e
    obj = getattr(module, attr)
    adapter = obj() if callable(obj) and not hasattr(obj, "keras") else obj
    return check(adapter)


__all__ = ["BUILT_IN", "CAPABILITIES", "load_adapter"]
