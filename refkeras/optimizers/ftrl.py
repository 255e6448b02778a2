"""Ftrl (tf_keras 2.21): Follow The Regularized Leader, with L1, L2 and L2-shrinkage.

Clauses: OPT.RULES, OPT.FTRL, OPT.BAD_INPUT (docs/spec.md).

Rule (float32; p = -learning_rate_power, 0.5 by default)::

    l2 = l2_regularization_strength + beta / (2 * lr)
    grad_to_use = g + (2 * l2_shrinkage_regularization_strength) * var
    new_accumulator = accumulator + g * g
    linear = linear + (grad_to_use - (new_accumulator ** p - accumulator ** p) / lr * var)
    quadratic = new_accumulator ** p / lr + 2 * l2
    var = (clip(linear, -l1, l1) - linear) / quadratic
    accumulator = new_accumulator

Slots "accumulator" (starts at ``initial_accumulator_value``) and "linear" per
variable, interleaved. Negative ``initial_accumulator_value`` and L1 / L2 / shrinkage
strengths and a positive ``learning_rate_power`` are ValueErrors (as tf_keras).

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = Ftrl(1.0, initial_accumulator_value=0.0).apply_gradients([([2.0], w)])
>>> float(w.numpy()[0])                # linear = 2 - 2 * 1 = 0
0.0

The arithmetic is ``kernels.ftrl_update``.
"""
import numpy as np

from refkeras import kernels
from refkeras.optimizers.optimizer import (
    Optimizer,
    array_of,
    check_number,
    scalar,
    store,
)


def _check_ftrl(name, value, sign):
    """tf_keras's own Ftrl checks (message and all), before refkeras's finiteness check."""
    if (value < 0.0) if sign == "positive" else (value > 0.0):
        raise ValueError(f"`{name}` needs to be {sign} or zero. Received: {name}={value}.")
    check_number(name, value)


class Ftrl(Optimizer):
    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, jit_compile=True, name="Ftrl", **kwargs):
        super().__init__(weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         jit_compile=jit_compile, name=name, **kwargs)
        _check_ftrl("initial_accumulator_value", initial_accumulator_value, "positive")
        _check_ftrl("learning_rate_power", learning_rate_power, "negative")
        _check_ftrl("l1_regularization_strength", l1_regularization_strength, "positive")
        _check_ftrl("l2_regularization_strength", l2_regularization_strength, "positive")
        _check_ftrl("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                    "positive")
        check_number("beta", beta, 0)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        super().build(var_list)
        if self._built:
            return
        self._accumulators, self._linears = [], []
        for var in var_list:
            self._accumulators.append(self.add_variable_from_reference(
                var, "accumulator",
                initial_value=np.full(tuple(var.shape), self.initial_accumulator_value, var.dtype)))
            self._linears.append(self.add_variable_from_reference(var, "linear"))
        self._built = True

    def update_step(self, gradient, variable):
        dtype = variable.dtype
        lr = self._lr(dtype)
        l2 = scalar(self.l2_regularization_strength, dtype) + scalar(self.beta, dtype) / (
            scalar(2.0, dtype) * lr)
        accumulator = self._slot(self._accumulators, variable)
        linear = self._slot(self._linears, variable)
        new_var, new_accumulator, new_linear = kernels.ftrl_update(
            array_of(variable), array_of(gradient), array_of(accumulator), array_of(linear), lr,
            scalar(-self.learning_rate_power, dtype),
            scalar(2 * self.l2_shrinkage_regularization_strength, dtype),
            scalar(self.l1_regularization_strength, dtype), scalar(2, dtype) * l2)
        store(variable, new_var)
        store(accumulator, new_accumulator)
        store(linear, new_linear)

    def get_config(self):
        config = super().get_config()
        config.update({
            "learning_rate": self._serialize_hyperparameter(self._learning_rate),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config


__all__ = ["Ftrl"]
