"""Dense: ``activation(inputs @ kernel + bias)``, the fully connected layer.

Clauses: LAYER.NUMERIC.DENSE, LAYER.CONFIG, MODEL.SEQ.BUILD (docs/spec.md).

The kernel has shape ``(last input dimension, units)`` and multiplies the last axis
of the input, whatever the rank: a (batch, steps, features) input gives (batch,
steps, units). After the first call the last dimension is fixed by ``input_spec``.

    outputs = activation(matmul(inputs, kernel) + bias)   # bias only if use_bias

>>> import numpy as np, refkeras as keras
>>> layer = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
>>> keras.ops.convert_to_tensor(layer(np.ones((1, 3)))).numpy()
array([[3., 3.]], dtype=float32)
"""
from refkeras import activations, constraints, initializers, ops, regularizers
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer
from refkeras.layers.weight_options import kernel_and_bias_config


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = _positive_int(units, "units", self)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        last_dim = input_shape[-1]
        if last_dim is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        # EXERCISE 2.1: Dense.build: the kernel and the bias | LAYER.NUMERIC.DENSE LAYER.WEIGHTS.ORDER
        # hint: create self.kernel of shape (last_dim, units) and, if use_bias,
        # hint: self.bias of shape (units,) (else None) with self.add_weight(name,
        # hint: shape=..., initializer=..., regularizer=..., constraint=...), using the
        # hint: layer's kernel_* and bias_* options; kernel first.
        self.kernel = self.add_weight("kernel", shape=(last_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=(self.units,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        # END EXERCISE 2.1
        self.built = True

    def call(self, inputs):
        if inputs.dtype != self.dtype:
            inputs = ops.cast(inputs, self.dtype)
        # EXERCISE 2.2: Dense.call: activation(inputs @ kernel + bias) | LAYER.NUMERIC.DENSE
        # hint: ops.matmul(inputs, self.kernel), then ops.nn.bias_add with self.bias
        # hint: when use_bias, then self.activation; inputs of rank > 2 contract only
        # hint: their last axis (reshape to 2-D and back). (The reference also has a
        # hint: fused fast path; the plain version gives the same numbers.)
        if inputs.shape.rank == 2 and self.use_bias:
            # The common case as one op (ops/fused_ops.py), bit-identical to the lines below.
            fuse_relu = self.activation is activations.relu
            outputs = ops.fused_matmul(inputs, self.kernel, self.bias,
                                       "relu" if fuse_relu else None)
            return outputs if fuse_relu else self.activation(outputs)
        if inputs.shape.rank == 2:
            outputs = ops.matmul(inputs, self.kernel)
        else:   # contract the last axis only: fold the leading axes into one
            leading = inputs.shape[:-1]
            flat = ops.reshape(inputs, (-1, inputs.shape[-1]))
            outputs = ops.reshape(ops.matmul(flat, self.kernel), tuple(leading) + (self.units,))
        if self.use_bias:
            outputs = ops.nn.bias_add(outputs, self.bias)
        return self.activation(outputs)
        # END EXERCISE 2.2

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            **kernel_and_bias_config(self),
        })
        return config


def _positive_int(value, argument, layer):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Received an invalid value for `{argument}`, expected a positive "
                         f"integer. Received: {argument}={value!r}")
    return value


__all__ = ["Dense"]
