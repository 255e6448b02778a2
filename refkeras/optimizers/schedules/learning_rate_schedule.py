"""LearningRateSchedule: a learning rate that is a function of the optimizer step.

Clauses: SCHEDULE.VALUES, SCHEDULE.FLOAT32, SCHEDULE.CONFIG, SCHEDULE.BAD_INPUT,
SCHEDULE.BAD_INPUT.EARLY (docs/spec.md).

Rule: a schedule is a callable object. ``schedule(step)`` takes the step (a Python or
numpy number, or a scalar Tensor or Variable such as ``optimizer.iterations``) and
returns the learning rate as a scalar Tensor. The built-in schedules compute in the
dtype of ``initial_learning_rate`` (float32 for a Python number, float64 for a
float64 array), the way tf_keras does: every hyper-parameter is *cast* to that
dtype (a Python float goes through float32 first, as ``tf.cast`` does), the step
too, and the arithmetic is scalar float32 (``scalar_math.py``). A user subclass
overrides ``__call__(self, step)`` and ``get_config()``; ``from_config(config)`` is
``cls(**config)``. ``serialize``/``deserialize`` use tf_keras's dict form
``{"module": "keras.optimizers.schedules", "class_name", "config", "registered_name"}``.
Hyper-parameters are checked when the schedule is made, the step when it is called
(tf_keras checks neither and returns nan or extrapolates: SCHEDULE.BAD_INPUT.EARLY).

>>> class Halving(LearningRateSchedule):
...     def __call__(self, step):
...         return 1.0 / (2.0 ** float(step))
...     def get_config(self):
...         return {}
>>> Halving()(3), serialize(Halving())["registered_name"]
(0.125, 'Halving')

The optimizers call schedules (``optimizers/optimizer.py``).
"""
import math
import numbers

import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.tensor import Tensor
from refkeras.utils.registry import Registry


class LearningRateSchedule:
    """The base class: subclasses implement ``__call__(step)`` and ``get_config()``."""

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# ------------------------------------------------------------ serialization


def _registry():
    # Imported here, not at the top: the schedule modules import this one.
    from refkeras.optimizers.schedules import (
        cosine_decay,
        cosine_decay_restarts,
        exponential_decay,
        inverse_time_decay,
        piecewise_constant_decay,
        polynomial_decay,
    )
    classes = (exponential_decay.ExponentialDecay, piecewise_constant_decay.PiecewiseConstantDecay,
               polynomial_decay.PolynomialDecay, inverse_time_decay.InverseTimeDecay,
               cosine_decay.CosineDecay, cosine_decay_restarts.CosineDecayRestarts)
    return Registry("learning rate schedule", "keras.optimizers.schedules", LearningRateSchedule,
                    {cls.__name__: cls for cls in classes})


def serialize(learning_rate_schedule, use_legacy_format=False):
    """``{"module", "class_name", "config", "registered_name"}`` (legacy: the middle two keys).

    A user class's "module" is the module that defines it (None for ``__main__``).
    """
    config = _registry().serialize(learning_rate_schedule, use_legacy_format=use_legacy_format)
    if config.get("registered_name") is not None:
        module = type(learning_rate_schedule).__module__
        config["module"] = None if module == "__main__" else module
    return config


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """The schedule a ``serialize`` dict describes; ``custom_objects`` names user classes."""
    return _registry().deserialize(config, custom_objects=custom_objects)


# ------------------------------------------- hyper-parameter and step checks


def _real(name, value, integer=False):
    """``value`` as a numpy scalar if it is a real number (int/float, not bool); TypeError else."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return np.asarray(value)[()]
    if hasattr(value, "__array__") or isinstance(value, (list, tuple)):
        array = np.asarray(value)
        if array.ndim == 0 and array.dtype.kind in ("iu" if integer else "iuf"):
            return array[()]
        if array.ndim != 0 and array.dtype.kind in "iuf":
            raise ValueError(f"Argument `{name}` must be a scalar; received {name} of shape "
                             f"{array.shape}.")
    kind = "an integer" if integer else "a real number"
    raise TypeError(f"Argument `{name}` must be {kind}; received {name}={value!r} "
                    f"(of type {type(value).__name__}).")


def check_number(name, value, minimum=None, strict=False):
    """Check that ``value`` is a finite real number (``> minimum`` if strict, else ``>=``)."""
    number = _real(name, value)
    if not math.isfinite(float(number)):
        raise ValueError(f"Argument `{name}` must be a finite number; received {name}={value!r}.")
    if minimum is not None and (number <= minimum if strict else number < minimum):
        relation = ">" if strict else ">="
        raise ValueError(f"Argument `{name}` must be {relation} {minimum}; received "
                         f"{name}={value!r}.")
    return value


def check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"Argument `{name}` must be a bool; received {name}={value!r} "
                        f"(of type {type(value).__name__}).")
    return value


def step_array(step):
    """The step as a 0-d numpy array of its own dtype: a finite, non-negative real number."""
    number = _real("step", step)
    if not math.isfinite(float(number)) or number < 0:
        raise ValueError(f"Argument `step` must be a finite number >= 0 (the optimizer's "
                         f"iterations); received step={step!r}.")
    return convert_to_tensor(step).numpy()    # reads a Variable; a Python int becomes int32


# ------------------------------------------------------ tf_keras's float rules


def compute_dtype(initial_learning_rate):
    """float64 when the learning rate is a float64 value, float32 otherwise."""
    dtype = getattr(initial_learning_rate, "dtype", None)
    return np.dtype("float64") if dtype == np.float64 else np.dtype("float32")


def cast(value, dtype):
    """``tf.cast(value, dtype)``: a Python float becomes float32 first, then ``dtype``."""
    return convert_to_tensor(value).numpy().astype(dtype)[()]


def operand(value, dtype):
    """A Python number used in ``tensor * value``: converted to the tensor's dtype directly."""
    return np.asarray(value, dtype=dtype)[()]


def result(value, dtype):
    """The learning rate as a scalar Tensor of ``dtype``."""
    return Tensor(np.asarray(value, dtype=dtype))


__all__ = [
    "LearningRateSchedule",
    "cast",
    "check_bool",
    "check_number",
    "compute_dtype",
    "deserialize",
    "operand",
    "result",
    "serialize",
    "step_array",
]
