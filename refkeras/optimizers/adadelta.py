"""Adadelta (tf_keras 2.21): steps scaled by a running RMS of past steps over one of gradients.

Clauses: OPT.RULES, OPT.ADADELTA, OPT.BAD_INPUT.EARLY (docs/spec.md).

Rule (float32; ``rho`` and ``1 - rho`` rounded once; epsilon inside both roots;
the learning rate multiplies the step, default 0.001)::

    accumulated_grad = rho * accumulated_grad + (1 - rho) * g * g
    delta = -sqrt(accumulated_delta_var + epsilon) * g / sqrt(accumulated_grad + epsilon)
    accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta * delta
    var = var + lr * delta

Slots "accumulated_grad" and "accumulated_delta_var" per variable, interleaved.

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = Adadelta(1.0, rho=0.0, epsilon=1.0).apply_gradients([([3.0], w)])
>>> round(float(w.numpy()[0]), 6)      # 1 - sqrt(1) * 3 / sqrt(9 + 1)
0.051317

The arithmetic is ``kernels.adadelta_update``.
"""
from refkeras import kernels
from refkeras.optimizers.optimizer import (
    Optimizer,
    array_of,
    check_fraction,
    check_number,
    scalar,
    store,
)


class Adadelta(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, jit_compile=True,
                 name="Adadelta", **kwargs):
        super().__init__(weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         jit_compile=jit_compile, name=name, **kwargs)
        check_fraction("rho", rho)
        check_number("epsilon", epsilon, 0)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        super().build(var_list)
        if self._built:
            return
        self._built = True
        self._accumulated_grads, self._accumulated_delta_vars = [], []
        for var in var_list:
            self._accumulated_grads.append(self.add_variable_from_reference(var, "accumulated_grad"))
            self._accumulated_delta_vars.append(
                self.add_variable_from_reference(var, "accumulated_delta_var"))

    def update_step(self, gradient, variable):
        dtype = variable.dtype
        grads = self._slot(self._accumulated_grads, variable)
        deltas = self._slot(self._accumulated_delta_vars, variable)
        new_var, new_grads, new_deltas = kernels.adadelta_update(
            array_of(variable), array_of(gradient), array_of(grads), array_of(deltas),
            self._lr(dtype), scalar(self.rho, dtype), scalar(1 - self.rho, dtype),
            scalar(self.epsilon, dtype))
        store(variable, new_var)
        store(grads, new_grads)
        store(deltas, new_deltas)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "rho": self.rho, "epsilon": self.epsilon})
        return config


__all__ = ["Adadelta"]
