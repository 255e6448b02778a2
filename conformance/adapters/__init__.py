"""Finding a backend's adapter by name.

``refkeras``, ``tf_keras``, ``keras3`` and ``keras3_jax`` are built in; anything else is
``package.module:attr`` (a student's engine), where ``attr`` is an adapter object or a
callable returning one, or a directory whose ``adapter.py`` defines ``ADAPTER`` (a
coursework starter, written by ``python -m refkeras.coursework new``). See ``base.py``
for the interface.
"""
import importlib
import importlib.util
import pathlib

from conformance.adapters.base import CAPABILITIES, check

BUILT_IN = {
    "refkeras": "conformance.adapters.refkeras_adapter:ADAPTER",
    "tf_keras": "conformance.adapters.tf_keras_adapter:ADAPTER",
    "keras3": "conformance.adapters.keras3_adapter:ADAPTER",
    "keras3_jax": "conformance.adapters.keras3_adapter:ADAPTER_JAX",
}


def load_adapter(spec):
    """The adapter named by ``spec`` (a built-in name or ``package.module:attr``)."""
    if pathlib.Path(spec, "adapter.py").is_file():
        return _from_directory(pathlib.Path(spec))
    target = BUILT_IN.get(spec, spec)
    if ":" not in target:
        raise ValueError(f"Unknown backend {spec!r}: use one of {sorted(BUILT_IN)}, "
                         "'package.module:attr' naming an adapter, or a directory holding an "
                         "adapter.py (see docs/backends.md).")
    module_name, attr = target.split(":", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise ValueError(f"Backend {spec!r}: cannot import {module_name!r} ({e}). Is it installed? "
                         "tf_keras needs `pip install -e '.[tf]'`.") from e
    return _instance(getattr(module, attr))


def _from_directory(folder):
    """The ``ADAPTER`` of ``folder/adapter.py``, imported under a name of its own."""
    path = (folder / "adapter.py").resolve()
    spec = importlib.util.spec_from_file_location(f"_adapter_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return _instance(module.ADAPTER)


def _instance(obj):
    """An adapter object, or a callable returning one (so heavy imports wait for the run)."""
    return check(obj() if callable(obj) and not hasattr(obj, "keras") else obj)


__all__ = ["BUILT_IN", "CAPABILITIES", "load_adapter"]
