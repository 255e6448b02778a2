"""AdamW (tf_keras 2.21): Adam with decoupled weight decay.

Clauses: OPT.RULES, OPT.ADAMW, OPT.WEIGHT_DECAY (docs/spec.md).

Rule: the base class's weight decay (``var = var - var * weight_decay * lr``, float32,
before the update, with the step's lr), then exactly Adam's rule (``adam.py``)::

    var = var - var * weight_decay * lr
    m = m + (g - m) * (1 - beta_1);  v = v + (g * g - v) * (1 - beta_2)
    var = var - m * alpha / (sqrt(v) + epsilon)

``weight_decay`` defaults to 0.004 and None is a ValueError. Only the config's key
order differs from Adam's.

>>> from refkeras.framework import Variable
>>> w = Variable([1.0], name="w")
>>> _ = AdamW(0.1, weight_decay=0.5).apply_gradients([([0.0], w)])
>>> round(float(w.numpy()[0]), 6)      # 1 - 1 * 0.5 * 0.1, and m = 0
0.95

"""
from refkeras.optimizers.adam import Adam, check_adam_hyperparameters
from refkeras.optimizers.optimizer import Optimizer, check_number


class AdamW(Adam):
    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, jit_compile=True, name="AdamW", **kwargs):
        Optimizer.__init__(self, name=name, clipnorm=clipnorm, clipvalue=clipvalue,
                           global_clipnorm=global_clipnorm, use_ema=use_ema,
                           ema_momentum=ema_momentum,
                           ema_overwrite_frequency=ema_overwrite_frequency,
                           jit_compile=jit_compile, **kwargs)
        if weight_decay is None:
            raise ValueError("Missing value of `weight_decay` which is required and must be a "
                             "float value.")
        check_number("weight_decay", weight_decay, 0)
        check_adam_hyperparameters(beta_1, beta_2, epsilon)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.weight_decay = weight_decay
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.adaptive_epsilon = False
        self.amsgrad = amsgrad

    def get_config(self):
        config = Optimizer.get_config(self)
        config.update({"learning_rate": self._serialize_hyperparameter(self._learning_rate),
                       "weight_decay": self.weight_decay, "beta_1": self.beta_1,
                       "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad})
        return config


__all__ = ["AdamW"]
