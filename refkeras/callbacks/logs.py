"""What callbacks receive as ``logs``: plain Python numbers and numpy arrays.

Clauses: CALLBACKS.ORDER (docs/spec.md).

The rule (tf_keras's ``sync_to_numpy_or_python_type``): every leaf of the logs becomes
a numpy value (a Tensor or Variable through ``.numpy()``), then a 0-d value becomes
the Python scalar ``.item()`` gives (float32 ``0.25`` -> ``0.25``, a Python float)
and an n-d value stays an ndarray; anything else (str, None, a Python float) is kept.
The result is a NEW dict: callbacks may add keys to it without touching the
trainer's own dict (so on_train_end's logs never show keys callbacks added).

Who owns what: CallbackList converts before calling any callback; ProgbarLogger
converts again because it accepts unconverted logs.

>>> import numpy as np
>>> out = to_python_logs({"loss": np.float32(0.25), "outputs": [np.zeros(2)]})
>>> type(out["loss"]).__name__, type(out["outputs"][0]).__name__
('float', 'ndarray')
"""
import numpy as np

from refkeras.utils import nest


def to_python_value(value):
    """One leaf: Tensor -> numpy; 0-d numpy -> Python scalar; n-d numpy kept; others kept."""
    if not isinstance(value, (np.ndarray, np.generic)) and hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, (np.ndarray, np.generic)):
        return value.item() if value.ndim == 0 else value
    return value


def to_python_logs(logs):
    """A new dict (or structure) with every leaf converted; None gives ``{}``."""
    if logs is None:
        return {}
    if isinstance(logs, dict):
        return {key: nest.map_structure(to_python_value, value) for key, value in logs.items()}
    return nest.map_structure(to_python_value, logs)


__all__ = ["to_python_logs", "to_python_value"]
