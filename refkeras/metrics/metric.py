"""Metric: a stateful summary of a stream of batches.

Clauses: METRIC.API, PIT.RESET_STATES_ALIAS (docs/spec.md).

A metric is a small layer with state and no trainable weights. ``update_state(y_true,
y_pred, sample_weight=None)`` folds one batch into its state variables; ``result()``
reads the summary from the state; ``reset_state()`` puts every state variable back
to zero; calling the metric does ``update_state`` and then returns ``result()``, the
value accumulated over *all* batches so far, not the batch's own value. Subclasses
create their state with ``add_weight`` in ``__init__`` (so a metric is built from
the start) and implement ``update_state`` and ``result``; both are abstract.

Who owns what: this base owns the state's life cycle (creation, reset, the
``reset_states`` alias, ``__call__``); each subclass owns its update rule and its
result. The training loop (issue 6) owns *when* metrics are reset: at the start of
every epoch and of every ``evaluate``.

    # Mean, written with this base: total and count grow, result divides them.
    total += sum(w * v); count += sum(w); result = total / count  (0 when count is 0)

>>> import refkeras as keras
>>> m = keras.metrics.Mean()
>>> float(m([1.0, 2.0, 3.0])), float(m(5.0))
(2.0, 2.75)
>>> m.reset_state(); float(m.result())
0.0
"""
import abc
import functools
import warnings

import numpy as np

from refkeras.framework import Tensor, Variable
from refkeras.framework.convert import convert_to_tensor
from refkeras.layers.layer import Layer
from refkeras.ops import identity


class Metric(Layer, metaclass=abc.ABCMeta):
    """Base class of every metric. Subclasses implement ``update_state`` and ``result``."""

    _is_metric = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # result() hands out a snapshot: a state Variable returned as the result must not
        # keep changing inside logs that were recorded earlier.
        if "result" in cls.__dict__:
            cls.result = _snapshot_result(cls.__dict__["result"])

    def __init__(self, name=None, dtype=None, **kwargs):
        # A name given (most built-ins default to one, e.g. Mean's "mean") is kept as is;
        # only name=None gets a layer's unique default: precision, precision_1, ...
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.stateful = True
        self.built = True

    @abc.abstractmethod
    def update_state(self, *args, **kwargs):
        """Fold one batch into the state variables."""

    @abc.abstractmethod
    def result(self):
        """The metric's value, computed from the state variables."""

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        # Remembered so that layer.add_metric(metric(...)) can log it under this name.
        self._last_result = self.result()
        return self._last_result

    def add_weight(self, name, shape=(), aggregation="sum", synchronization="on_read",
                   initializer=None, dtype=None):
        """A non-trainable state variable named ``<name>:0`` (no layer scope, as tf_keras).

        ``aggregation`` and ``synchronization`` matter only to distributed training and are
        accepted for compatibility. Without an initializer a float state starts from
        ``glorot_uniform``, as in tf_keras; the built-in metrics always pass ``"zeros"``."""
        return super().add_weight(name=name, shape=shape, dtype=dtype, initializer=initializer,
                                  trainable=False)

    def reset_state(self):
        """Zero every state variable. A subclass written for Keras 2.4 that overrides the
        old name ``reset_states`` instead is still reset, through its override."""
        if type(self).reset_states is not Metric.reset_states:
            warnings.warn(
                f"Metric {type(self).__name__} implements a `reset_states()` method; rename it "
                'to `reset_state()` (without the final "s"). The name `reset_states()` has been '
                "deprecated to improve API consistency.", stacklevel=2)
            return self.reset_states()
        for variable in self.variables:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
        return None

    def reset_states(self):
        """Keras 2 alias of ``reset_state``."""
        return self.reset_state()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __str__(self):
        args = ",".join(f"{key}={value}" for key, value in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _snapshot_result(result):
    @functools.wraps(result)
    def wrapped(self):
        value = result(self)
        if isinstance(value, Variable):
            return identity(value)
        if isinstance(value, (Tensor, dict)):
            return value
        return convert_to_tensor(value, dtype_hint=self.dtype)
    return wrapped


__all__ = ["Metric"]
