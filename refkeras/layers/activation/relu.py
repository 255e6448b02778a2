"""ReLU: the rectifier with a cap, a leak and a threshold.

Clauses: LAYER.NUMERIC.RELU, LAYER.CONFIG, LAYER.BAD_INPUT (docs/spec.md).

    f(x) = max_value                          if x >= max_value
    f(x) = x                                  if threshold <= x < max_value
    f(x) = negative_slope * (x - threshold)   otherwise

computed as ``keras.activations.relu(x, alpha=negative_slope, max_value, threshold)``
(tf_keras's ``backend.relu``), so the gradients at the kinks are TensorFlow's: 0 at
``x == threshold`` and at 0, 1 at ``x == max_value`` (clipping), 0 at 6 when
``max_value == 6`` and there is no threshold (the fused relu6). None of the three
arguments may be negative. As in tf_keras the numbers are kept as float32 numpy
scalars (``backend.cast_to_floatx``), and ``get_config`` returns them so.

>>> import numpy as np
>>> ReLU(max_value=6.0, negative_slope=0.1, threshold=1.0)(np.array([-2.0, 0.5, 1.5, 7.0])).numpy()
array([-0.3 , -0.05,  1.5 ,  6.  ], dtype=float32)
"""
import numpy as np

from refkeras import activations
from refkeras.layers.layer import Layer


class ReLU(Layer):
    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. "
                             f"Received: {max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be a negative value. "
                             f"Received: {negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be a negative value. "
                             f"Received: {threshold}")
        self.supports_masking = True
        self.max_value = None if max_value is None else cast_to_floatx(max_value)
        self.negative_slope = cast_to_floatx(negative_slope)
        self.threshold = cast_to_floatx(threshold)

    def call(self, inputs):
        return activations.relu(inputs, alpha=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config


def cast_to_floatx(value):
    """tf_keras's ``backend.cast_to_floatx``: a float32 numpy array (0-d for a number)."""
    return np.asarray(value, dtype=np.float32)


__all__ = ["ReLU", "cast_to_floatx"]
