"""BatchNormalization: normalize each channel with batch statistics (training) or with
their moving averages (inference).

Clauses: LAYER.CONFIG (docs/spec.md).

Weights, in this order: ``gamma`` (if scale), ``beta`` (if center), then the
non-trainable ``moving_mean`` and ``moving_variance``. ``axis`` is the channel axis
(or axes); statistics are taken over all the others::

    training:   y = (x - mean_batch) / sqrt(var_batch + epsilon) * gamma + beta
                moving <- moving updated toward the batch statistic (below)
    inference:  y = (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta

``training`` is the call's argument; None means inference (Keras's learning phase is
0 outside fit). When ``layer.trainable`` is False the layer runs in inference mode
even with ``training=True`` (measured on tf_keras: the moving statistics stay and the
output uses them).

The moving-average update, measured on tf_keras 2.21 (eager). tf_keras runs a fused
kernel for 4-D inputs with the channel axis 1 or 3 and 5-D inputs with axis 1 or 4
(unless ``fused=False``); that kernel updates the moving variance with the
*unbiased* batch variance (n / (n - 1) times the biased one, n = values per channel)::

    f = 1 - momentum
    fused:      moving_mean = moving_mean * (1 - f) + mean * f
                moving_var  = moving_var * (1 - f) + var * n / (n - 1) * f
    otherwise:  moving = moving - (moving - batch_stat) * f      # biased variance

The output always uses the biased batch variance.

>>> import numpy as np, refkeras as keras
>>> bn = keras.layers.BatchNormalization(momentum=0.5)
>>> y = bn(np.array([[1.0], [3.0]]), training=True)
>>> bn.moving_mean.numpy(), bn.moving_variance.numpy()
(array([1.], dtype=float32), array([1.], dtype=float32))

Who owns what: the layer owns the weights and the update rule; the batch statistics
and their gradient come from ``ops.batch_norm_training`` (one fused op), inference
from ``ops.batch_normalization``.
"""
import numpy as np

from refkeras import constraints, initializers, ops, regularizers
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer
from refkeras.layers.normalization.axes import check_axis_argument, validate_axis
from refkeras.ops._core import emit

# tf_keras's fused kernel accepts these axis values as given (before resolving negatives)
_FUSABLE_AXES = (-4, -3, -1, 1, 3, 4)


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, fused=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_argument(axis)
        if synchronized and fused:
            raise ValueError("`fused=True` is not supported when `synchronized=True`.")
        self.synchronized = synchronized   # one device: nothing to synchronize
        self.fused = False if synchronized else fused
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        given = self.axis
        self.axis = validate_axis(self.axis, input_shape)
        rank = len(input_shape)
        self._unbiased_update = self._fused_statistics(given, rank)
        dims = {a: input_shape[a] for a in self.axis}
        self.input_spec = InputSpec(ndim=rank, axes=dims)
        if len(self.axis) == 1:
            param_shape = (dims[self.axis[0]],)
        else:   # several channel axes: parameters broadcast against the input
            param_shape = tuple(dims.get(i, 1) for i in range(rank))
        self._param_shape = param_shape
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight("gamma", shape=param_shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center:
            self.beta = self.add_weight("beta", shape=param_shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)
        self.moving_mean = self.add_weight("moving_mean", shape=param_shape,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape=param_shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def _fused_statistics(self, given, rank):
        """Whether tf_keras would run its fused kernel (and so update with the unbiased
        variance): 4-D with channel axis 1 or 3, 5-D with axis 1 or 4."""
        if self.fused is False or isinstance(given, list) and len(given) != 1:
            return False
        given = given[0] if isinstance(given, list) else given
        if given not in _FUSABLE_AXES:
            return False
        return (rank == 4 and self.axis[0] in (1, 3)) or (rank == 5 and self.axis[0] in (1, 4))

    def call(self, inputs, training=None):
        if inputs.dtype != self.dtype:
            inputs = ops.cast(inputs, self.dtype)
        if not training or not self.trainable:
            return self._normalize(inputs, self.moving_mean, self.moving_variance)
        if len(self.axis) == 1:
            outputs, mean, variance = ops.batch_norm_training(
                inputs, self.gamma, self.beta, self.epsilon, self.axis[0])
        else:
            reduction = [i for i in range(len(inputs.shape)) if i not in self.axis]
            mean, variance = ops.nn.moments(inputs, reduction, keepdims=True)
            outputs = self._normalize(inputs, mean, variance)
        self._update_moving_statistics(mean, variance, inputs)
        return outputs

    def _normalize(self, inputs, mean, variance):
        return ops.batch_normalization(inputs, self._broadcast(mean, inputs),
                                       self._broadcast(variance, inputs),
                                       self._broadcast(self.beta, inputs),
                                       self._broadcast(self.gamma, inputs), self.epsilon)

    def _broadcast(self, v, inputs):
        """A (channels,) parameter reshaped to broadcast along a channel axis not last."""
        if v is None or len(self.axis) != 1 or self.axis[0] == len(inputs.shape) - 1:
            return v
        shape = [1] * len(inputs.shape)
        shape[self.axis[0]] = self._param_shape[0]
        return ops.reshape(v, shape)

    def _update_moving_statistics(self, mean, variance, inputs):
        # Not differentiated: one op on the values, so a traced step replays it.
        new_mean, new_variance = emit(
            "MovingStatistics", _moving_statistics, (mean, variance, self.moving_mean.read_value(),
                                                     self.moving_variance.read_value()),
            {"momentum": self.momentum, "unbiased": self._unbiased_update,
             "count": int(np.prod(inputs.shape)), "shape": self._param_shape,
             "dtype": np.dtype(self.dtype)})
        self.moving_mean.assign(new_mean)
        self.moving_variance.assign(new_variance)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        })
        if self.synchronized:
            config["synchronized"] = True
        return config



def _moving_statistics(mean, variance, moving_mean, moving_variance, momentum, unbiased, count,
                       shape, dtype):
    """The moving averages moved toward one batch's statistics (module docstring), in float32."""
    mean = np.asarray(mean, dtype).reshape(shape)
    variance = np.asarray(variance, dtype).reshape(shape)
    f = np.asarray(1.0 - momentum, dtype)
    if unbiased:
        n = np.asarray(count // variance.size, dtype)
        keep = np.asarray(1, dtype) - f
        return moving_mean * keep + mean * f, moving_variance * keep + variance * (n / (n - 1)) * f
    return moving_mean - (moving_mean - mean) * f, moving_variance - (moving_variance - variance) * f


__all__ = ["BatchNormalization"]
