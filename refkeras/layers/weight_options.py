"""The options of layers with a kernel and a bias (Dense, Conv1D, Conv2D), serialized once.

Clauses: LAYER.CONFIG (docs/spec.md).

``get_config`` of such a layer ends with the same ten keys, in tf_keras's order:

    activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
    bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint
    (each object serialized by its package: "relu", {"class_name": "GlorotUniform", ...})
"""
from refkeras import activations, constraints, initializers, regularizers


def kernel_and_bias_config(layer):
    return {
        "activation": activations.serialize(layer.activation),
        "use_bias": layer.use_bias,
        "kernel_initializer": initializers.serialize(layer.kernel_initializer),
        "bias_initializer": initializers.serialize(layer.bias_initializer),
        "kernel_regularizer": regularizers.serialize(layer.kernel_regularizer),
        "bias_regularizer": regularizers.serialize(layer.bias_regularizer),
        "activity_regularizer": regularizers.serialize(layer.activity_regularizer),
        "kernel_constraint": constraints.serialize(layer.kernel_constraint),
        "bias_constraint": constraints.serialize(layer.bias_constraint),
    }


__all__ = ["kernel_and_bias_config"]
