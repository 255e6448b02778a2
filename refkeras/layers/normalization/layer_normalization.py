"""LayerNormalization: normalize each sample over ``axis`` (the features).

Clauses: LAYER.CONFIG (docs/spec.md).

Weights: ``gamma`` (if scale) then ``beta`` (if center), of the shape of the
normalized axes. No moving statistics: training and inference compute the same::

    mean, var = moments(x, axis, keepdims=True)       # per sample, biased variance
    y = (x - mean) / sqrt(var + epsilon) * gamma + beta

>>> import numpy as np, refkeras as keras
>>> from refkeras.layers.normalization import LayerNormalization
>>> LayerNormalization()(np.array([[1.0, 3.0]])).numpy().round(4)     # (+-1) / sqrt(1 + 1e-3)
array([[-0.9995,  0.9995]], dtype=float32)

Who owns what: the layer owns the weights; ``ops.layer_norm`` (one fused op with a
fused gradient) computes.
"""
from refkeras import constraints, initializers, ops, regularizers
from refkeras.layers.layer import Layer
from refkeras.layers.normalization.axes import check_axis_argument, validate_axis


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_argument(axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        # sorted, so that gamma's axes are in the input's order (what ops.layer_norm expects)
        self.axis = sorted(validate_axis(self.axis, input_shape))
        param_shape = [input_shape[a] for a in self.axis]
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
        self.built = True

    def call(self, inputs):
        if inputs.dtype != self.dtype:
            inputs = ops.cast(inputs, self.dtype)
        return ops.layer_norm(inputs, self.gamma, self.beta, self.axis, self.epsilon)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        })
        return config


__all__ = ["LayerNormalization"]
