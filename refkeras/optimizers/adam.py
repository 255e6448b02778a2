"""Adam (tf_keras 2.21), with AMSGrad.

Clauses: OPT.RULES, OPT.ADAM, OPT.BAD_INPUT.EARLY (docs/spec.md).

Rule (float32; ``1 - beta_1`` and ``1 - beta_2`` rounded once; t = iterations + 1)::

    alpha = lr * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)      # scalar, float32
    m = m + (g - m) * (1 - beta_1)
    v = v + (g * g - v) * (1 - beta_2)
    if amsgrad: v_hat = maximum(v_hat, v); v = v_hat
    var = var - m * alpha / (sqrt(v) + epsilon)

epsilon is OUTSIDE the sqrt and added to the *uncorrected* sqrt(v) (not the textbook
m_hat / (sqrt(v_hat) + epsilon)). ``adaptive_epsilon=True`` (not in the config, as
tf_keras) uses ``epsilon * sqrt(1 - beta_2 ** t)`` instead. Slots: "m" and "v" per
variable, interleaved, then every "vhat" (amsgrad).

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = Adam(0.1).apply_gradients([([3.0], w)])
>>> round(float(w.numpy()[0]), 5)      # the first step is lr * sign(g)
0.9

The arithmetic is ``kernels.adam_update`` (shared with AdamW).
"""
import math

import numpy as np

from refkeras import kernels
from refkeras.optimizers.optimizer import (
    Optimizer,
    array_of,
    check_fraction,
    check_number,
    scalar,
)


def bias_power(beta, iterations, dtype):
    """beta ** (iterations + 1) in ``dtype`` (tf.pow of two float32 scalars)."""
    base, step = scalar(beta, dtype), scalar(int(iterations) + 1, dtype)
    return scalar(math.pow(float(base), float(step)), dtype)


class Adam(Optimizer):
    _slot_names = ("m", "v")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 adaptive_epsilon=False, amsgrad=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, jit_compile=True, name="Adam", **kwargs):
        super().__init__(name=name, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         jit_compile=jit_compile, **kwargs)
        check_adam_hyperparameters(beta_1, beta_2, epsilon)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.adaptive_epsilon = adaptive_epsilon
        self.amsgrad = amsgrad

    def build(self, var_list):
        super().build(var_list)
        if self._built:
            return
        self._built = True
        self._momentums, self._velocities = [], []
        for var in var_list:
            self._momentums.append(self.add_variable_from_reference(var, "m"))
            self._velocities.append(self.add_variable_from_reference(var, "v"))
        if self.amsgrad:
            self._velocity_hats = [self.add_variable_from_reference(v, "vhat") for v in var_list]

    def _step_scalars(self, dtype):
        """(alpha, 1 - beta_1, 1 - beta_2, epsilon) in ``dtype``, for this step."""
        one = scalar(1, dtype)
        beta_1_power = bias_power(self.beta_1, array_of(self.iterations), dtype)
        beta_2_power = bias_power(self.beta_2, array_of(self.iterations), dtype)
        alpha = self._lr(dtype) * np.sqrt(one - beta_2_power) / (one - beta_1_power)
        epsilon = scalar(self.epsilon, dtype)
        if getattr(self, "adaptive_epsilon", False):
            epsilon = epsilon * np.sqrt(one - beta_2_power)
        return alpha, scalar(1 - self.beta_1, dtype), scalar(1 - self.beta_2, dtype), epsilon

    def _slots_for(self, variable):
        """The slot variables ``kernels.adam_update`` takes, in its order (None: unused)."""
        return (self._slot(self._momentums, variable), self._slot(self._velocities, variable),
                self._slot(self._velocity_hats, variable) if self.amsgrad else None)

    _update_kernel = staticmethod(kernels.adam_update)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config


def check_adam_hyperparameters(beta_1, beta_2, epsilon):
    """The Adam family's betas in [0, 1] and epsilon >= 0 (tf_keras checks none of them)."""
    check_fraction("beta_1", beta_1)
    check_fraction("beta_2", beta_2)
    check_number("epsilon", epsilon, 0)


__all__ = ["Adam"]
