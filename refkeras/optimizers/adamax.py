"""Adamax (tf_keras 2.21): Adam with the infinity norm in place of the second moment.

Clauses: OPT.RULES, OPT.ADAMAX, OPT.BAD_INPUT.EARLY (docs/spec.md).

Rule (float32; ``1 - beta_1`` rounded once; t = iterations + 1)::

    m = m + (g - m) * (1 - beta_1)
    u = maximum(beta_2 * u, abs(g))
    var = var - lr * m / ((1 - beta_1 ** t) * (u + epsilon))

Slots "m" and "u" per variable, interleaved.

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = Adamax(0.1, epsilon=0.0).apply_gradients([([2.0], w)])
>>> round(float(w.numpy()[0]), 6)      # 1 - 0.1 * 0.2 / (0.1 * 2)
0.9

The arithmetic is ``kernels.adamax_update``.
"""
from refkeras import kernels
from refkeras.optimizers.adam import bias_power, check_adam_hyperparameters
from refkeras.optimizers.optimizer import Optimizer, array_of, scalar, store


class Adamax(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 jit_compile=True, name="Adamax", **kwargs):
        super().__init__(weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         jit_compile=jit_compile, name=name, **kwargs)
        check_adam_hyperparameters(beta_1, beta_2, epsilon)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        super().build(var_list)
        if self._built:
            return
        self._built = True
        self._m, self._u = [], []
        for var in var_list:
            self._m.append(self.add_variable_from_reference(var, "m"))
            self._u.append(self.add_variable_from_reference(var, "u"))

    def update_step(self, gradient, variable):
        dtype = variable.dtype
        beta_1_power = bias_power(self.beta_1, array_of(self.iterations), dtype)
        m, u = self._slot(self._m, variable), self._slot(self._u, variable)
        new_var, new_m, new_u = kernels.adamax_update(
            array_of(variable), array_of(gradient), array_of(m), array_of(u), self._lr(dtype),
            scalar(1 - self.beta_1, dtype), scalar(self.beta_2, dtype),
            scalar(1, dtype) - beta_1_power, scalar(self.epsilon, dtype))
        store(variable, new_var)
        store(m, new_m)
        store(u, new_u)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config


__all__ = ["Adamax"]
