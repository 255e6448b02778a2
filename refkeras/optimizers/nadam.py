"""Nadam (tf_keras 2.21): Adam with Nesterov momentum and a momentum schedule.

Clauses: OPT.RULES, OPT.NADAM, OPT.BAD_INPUT.EARLY (docs/spec.md).

Rule (float32 throughout: here beta_1 and beta_2 are cast to float32 FIRST, so
``1 - beta_1`` is 1 - float32(0.9) = 0.100000024, unlike Adam's; t = iterations + 1)::

    u_t   = beta_1 * (1 - 0.5 * 0.96 ** t)
    u_t_1 = beta_1 * (1 - 0.5 * 0.96 ** (t + 1))
    u_product = u_product * u_t          # once per step (a hidden Variable, starts at 1)
    m = m + (g - m) * (1 - beta_1)
    v = v + (g * g - v) * (1 - beta_2)
    m_hat = u_t_1 * m / (1 - u_product * u_t_1) + (1 - u_t) * g / (1 - u_product)
    v_hat = v / (1 - beta_2 ** t)
    var = var - m_hat * lr / (sqrt(v_hat) + epsilon)

``u_product`` is not among ``optimizer.variables`` (as in tf_keras). Slots "m" and
"v" per variable, interleaved.

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = Nadam(0.1).apply_gradients([([2.0], w)])
>>> round(float(w.numpy()[0]), 5)
0.89372

The arithmetic is ``kernels.nadam_update``.
"""
import math

from refkeras import kernels
from refkeras.framework.variable import Variable
from refkeras.optimizers.adam import check_adam_hyperparameters
from refkeras.optimizers.optimizer import Optimizer, array_of, scalar, store


class Nadam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 jit_compile=True, name="Nadam", **kwargs):
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
        self._momentums, self._velocities = [], []
        self._u_product = Variable(1.0, dtype=var_list[0].dtype, trainable=False)
        self._u_product_counter = 1
        for var in var_list:
            self._momentums.append(self.add_variable_from_reference(var, "m"))
            self._velocities.append(self.add_variable_from_reference(var, "v"))

    def _momentum_cache(self, dtype):
        """(u_t, u_t_1, u_product_t): u_product advances once per step, for the first variable."""
        iterations = int(array_of(self.iterations))
        beta_1, half, one = scalar(self.beta_1, dtype), scalar(0.5, dtype), scalar(1, dtype)

        def u(step):
            decay_power = scalar(math.pow(float(scalar(0.96, dtype)), float(scalar(step, dtype))),
                                 dtype)
            return beta_1 * (one - half * decay_power)

        u_t, u_t_1 = u(iterations + 1), u(iterations + 2)
        if self._u_product_counter != iterations + 2:
            self._u_product.assign(array_of(self._u_product) * u_t)
            self._u_product_counter += 1
        return u_t, u_t_1, scalar(array_of(self._u_product), dtype)

    def update_step(self, gradient, variable):
        dtype = variable.dtype
        one = scalar(1, dtype)
        u_t, u_t_1, u_product_t = self._momentum_cache(dtype)
        beta_1, beta_2 = scalar(self.beta_1, dtype), scalar(self.beta_2, dtype)
        step = float(scalar(int(array_of(self.iterations)) + 1, dtype))
        beta_2_power = scalar(math.pow(float(beta_2), step), dtype)
        m, v = self._slot(self._momentums, variable), self._slot(self._velocities, variable)
        new_var, new_m, new_v = kernels.nadam_update(
            array_of(variable), array_of(gradient), array_of(m), array_of(v), self._lr(dtype),
            one - beta_1, one - beta_2, u_t_1, one - u_product_t * u_t_1, one - u_t,
            one - u_product_t, one - beta_2_power, scalar(self.epsilon, dtype))
        store(variable, new_var)
        store(m, new_m)
        store(v, new_v)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config


__all__ = ["Nadam"]
