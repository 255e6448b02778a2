"""RMSprop (tf_keras 2.21): a running mean of squared gradients scales each step.

Clauses: OPT.RULES, OPT.RMSPROP, OPT.BAD_INPUT.EARLY (docs/spec.md).

Rule (float32; ``rho`` and ``1 - rho`` each rounded once; epsilon INSIDE the sqrt)::

    velocity = rho * velocity + (1 - rho) * g * g
    if centered:
        average_grad = rho * average_grad + (1 - rho) * g
        denominator = velocity - average_grad * average_grad + epsilon
    else:
        denominator = velocity + epsilon
    increment = lr * g * (1 / sqrt(denominator))
    if momentum > 0:
        mom = momentum * mom + increment;  var = var - mom
    else:
        var = var - increment

Slots, in this order: every "velocity", then every "momentum" (momentum > 0), then
every "average_gradient" (centered). tf_keras's config default
``ema_overwrite_frequency`` is 100 here (None elsewhere).

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = RMSprop(0.1, epsilon=0.0).apply_gradients([([2.0], w)])
>>> round(float(w.numpy()[0]), 5)      # 1 - 0.1 * 2 / sqrt(0.1 * 4)
0.68377

The arithmetic is ``kernels.rmsprop_update``.
"""
from refkeras import kernels
from refkeras.optimizers.optimizer import (
    Optimizer,
    check_fraction,
    check_number,
    scalar,
)


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=100, jit_compile=True,
                 name="RMSprop", **kwargs):
        super().__init__(weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         jit_compile=jit_compile, name=name, **kwargs)
        check_fraction("rho", rho)
        check_fraction("momentum", momentum)
        check_number("epsilon", epsilon, 0)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        super().build(var_list)
        if self._built:
            return
        self._built = True
        self._velocities = [self.add_variable_from_reference(v, "velocity") for v in var_list]
        self._momentums = ([self.add_variable_from_reference(v, "momentum") for v in var_list]
                           if self.momentum > 0 else [])
        self._average_gradients = (
            [self.add_variable_from_reference(v, "average_gradient") for v in var_list]
            if self.centered else [])

    def _step_scalars(self, dtype):
        """(lr, rho, 1 - rho, momentum, epsilon) in ``dtype``, for this step."""
        return (self._lr(dtype), scalar(self.rho, dtype), scalar(1 - self.rho, dtype),
                scalar(self.momentum, dtype), scalar(self.epsilon, dtype))

    def _slots_for(self, variable):
        """The slot variables ``kernels.rmsprop_update`` takes, in its order (None: unused)."""
        return (self._slot(self._velocities, variable),
                self._slot(self._momentums, variable) if self.momentum > 0 else None,
                self._slot(self._average_gradients, variable) if self.centered else None)

    _update_kernel = staticmethod(kernels.rmsprop_update)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config


__all__ = ["RMSprop"]
