"""SGD: gradient descent, with momentum and Nesterov momentum (tf_keras 2.21).

Clauses: OPT.RULES, OPT.SGD, OPT.BAD_INPUT (docs/spec.md).

Rule (float32, in this order; a slot ``m`` per variable, zeros, even when momentum is 0)::

    m = -g * lr + m * momentum
    var = var + (-g * lr + m * momentum)   if nesterov   (with the new m)
    var = var + m                          otherwise

``momentum`` must be in [0, 1] (ValueError, as tf_keras; refkeras also rejects nan).

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> opt = SGD(0.1, momentum=0.9)
>>> _ = opt.apply_gradients([([1.0], w)]); _ = opt.apply_gradients([([1.0], w)])
>>> [round(float(x), 6) for x in w.numpy()], opt.variables[1].name
([0.71], 'SGD/m/w:0')

The arithmetic is ``kernels.sgd_update``.
"""
from refkeras import kernels
from refkeras.optimizers.optimizer import (
    Optimizer,
    check_number,
    scalar,
)


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, jit_compile=True, name="SGD",
                 **kwargs):
        super().__init__(name=name, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         jit_compile=jit_compile, **kwargs)
        try:
            check_number("momentum", momentum, 0, 1)
        except ValueError:
            raise ValueError("`momentum` must be between [0, 1].") from None
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, var_list):
        super().build(var_list)
        if self._built:
            return
        self.momentums = [self.add_variable_from_reference(v, "m") for v in var_list]
        self._built = True

    def _step_scalars(self, dtype):
        """(lr, momentum, nesterov), for this step."""
        return self._lr(dtype), scalar(self.momentum, dtype), bool(self.nesterov)

    def _slots_for(self, variable):
        """The slot variable ``kernels.sgd_update`` takes."""
        return (self._slot(self.momentums, variable),)

    _update_kernel = staticmethod(kernels.sgd_update)

    def get_config(self):
        config = super().get_config()
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "momentum": self.momentum, "nesterov": self.nesterov})
        return config


__all__ = ["SGD"]
