"""Adagrad (tf_keras 2.21): steps scaled by the root of the summed squared gradients.

Clauses: OPT.RULES, OPT.ADAGRAD, OPT.BAD_INPUT.EARLY (docs/spec.md).

Rule (float32; the slot "accumulator" starts at ``initial_accumulator_value``;
epsilon INSIDE the sqrt)::

    accumulator = accumulator + g * g
    var = var - lr * g / sqrt(accumulator + epsilon)

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = Adagrad(0.1, initial_accumulator_value=0.0, epsilon=0.0).apply_gradients([([2.0], w)])
>>> round(float(w.numpy()[0]), 6)      # 1 - 0.1 * 2 / sqrt(4)
0.9

The arithmetic is ``kernels.adagrad_update``.
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


class Adagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 jit_compile=True, name="Adagrad", **kwargs):
        super().__init__(weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         jit_compile=jit_compile, name=name, **kwargs)
        check_number("initial_accumulator_value", initial_accumulator_value, 0)
        check_number("epsilon", epsilon, 0)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        super().build(var_list)
        if self._built:
            return
        self._built = True
        self._accumulators = [
            self.add_variable_from_reference(
                v, "accumulator",
                initial_value=np.full(tuple(v.shape), self.initial_accumulator_value, v.dtype))
            for v in var_list]

    def update_step(self, gradient, variable):
        dtype = variable.dtype
        accumulator = self._slot(self._accumulators, variable)
        new_var, new_accumulator = kernels.adagrad_update(
            array_of(variable), array_of(gradient), array_of(accumulator), self._lr(dtype),
            scalar(self.epsilon, dtype))
        store(variable, new_var)
        store(accumulator, new_accumulator)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "initial_accumulator_value": self.initial_accumulator_value,
                       "epsilon": self.epsilon})
        return config


__all__ = ["Adagrad"]
