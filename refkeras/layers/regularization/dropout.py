"""Dropout: during training, zero each value with probability ``rate`` and scale the
rest by ``1 / (1 - rate)``; otherwise the identity.

Clauses: MODEL.TRAINING_ARG, RANDOM.SEED, LAYER.CONFIG, LAYER.BAD_INPUT
(docs/spec.md).

TensorFlow's ``tf.nn.dropout``, step by step (float32 throughout):

    if rate == 0 or not training: return identity(inputs)
    scaled = inputs * float32(1 / (1 - rate))
    u = uniform[0, 1) of shape noise_shape (None entries: the input's dimension)
    outputs = where(u >= float32(rate), scaled, 0)   # gradient: 1/(1-rate) where kept, else 0

``training`` is resolved by ``Layer.__call__`` (explicit argument, else the
enclosing model call's, else None, which means inference). The uniform numbers
come from the session generator, so ``keras.utils.set_random_seed`` (or
``tf.random.set_seed``) makes a run repeatable; a layer with its own ``seed``
draws from a generator of its own, made from the global seed and ``seed`` on its
first training call. The masks differ from TensorFlow's (another generator); the
rule does not. ``rate`` outside [0, 1] is a ValueError at construction; rate 1 is
accepted but fails in a training call, as in TensorFlow.

>>> import numpy as np
>>> Dropout(0.5)(np.ones((1, 4))).numpy()            # not training: unchanged
array([[1., 1., 1., 1.]], dtype=float32)
"""
import numbers

import numpy as np

from refkeras import ops
from refkeras.backend import session
from refkeras.framework.errors import InvalidArgumentError
from refkeras.layers.layer import Layer
from refkeras.ops._core import emit


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError(f"Invalid value {rate} received for `rate`, expected a value "
                             "between 0 and 1.")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True
        self._generator = None

    def call(self, inputs, training=None):
        if isinstance(self.rate, numbers.Real) and self.rate == 0:
            return ops.identity(inputs)
        if not training:
            return ops.identity(inputs)
        return self._dropped(inputs)

    def _dropped(self, inputs):
        _check_rate_and_dtype(self.rate, inputs)
        scaled = inputs * np.asarray(1.0 / (1.0 - self.rate), dtype=inputs.dtype)
        noise_shape = self._noise_shape(inputs)
        # An op of its own ("RandomUniform"), so a traced training step draws a new mask
        # at every replay, from the generator this layer would use then.
        uniform = emit("RandomUniform", _draw_uniform, (),
                       {"layer": self, "shape": noise_shape, "dtype": inputs.dtype})
        keep = uniform >= np.asarray(self.rate, dtype=inputs.dtype)
        return ops.where(keep, scaled, ops.zeros_like(scaled))

    def _noise_shape(self, inputs):
        shape = tuple(inputs.shape)
        if self.noise_shape is None:
            return shape
        noise_shape = tuple(d if n is None else int(n) for n, d in zip(self.noise_shape, shape))
        try:
            np.broadcast_shapes(noise_shape, shape)
        except ValueError:
            raise InvalidArgumentError(
                f"condition {_dims(noise_shape)}, then {_dims(shape)}, and else [] must be "
                "broadcastable", "SelectV2") from None
        return noise_shape

    def _random(self):
        if self.seed is None:
            return session.current().rng
        if self._generator is None:
            self._generator = session.current().generator(self.seed)
        return self._generator

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config


def _dims(shape):
    """A shape as TensorFlow's kernels print it: ``[4,2]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def _check_rate_and_dtype(rate, inputs):
    """tf.nn.dropout's checks, made when a training call needs them."""
    if not isinstance(rate, numbers.Real):   # TensorFlow raises ValueError here
        raise ValueError(  # noqa: TRY004
            f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    if rate < 0 or rate >= 1:
        raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    if inputs.dtype.kind != "f":
        raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype=<dtype: '{inputs.dtype.name}'>")


def _draw_uniform(layer, shape, dtype):
    """The kernel of a Dropout's RandomUniform: float32 uniforms in [0, 1), as ``dtype``."""
    return layer._random().random(shape, dtype=np.float32).astype(dtype)


__all__ = ["Dropout"]
