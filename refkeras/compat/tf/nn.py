"""``tf.nn``: activations, softmax, cross-entropies, convolution, pooling, normalization."""
from refkeras.ops.conv_ops import conv1d, conv2d
from refkeras.ops.nn_ops import (bias_add, elu, gelu, l2_loss, leaky_relu, log_softmax, moments,
                                 relu, relu6, selu, sigmoid, sigmoid_cross_entropy_with_logits,
                                 silu, softmax,
                                 softmax_cross_entropy_with_logits, softplus, softsign,
                                 sparse_softmax_cross_entropy_with_logits, swish, tanh)
from refkeras.ops.normalization_ops import batch_normalization
from refkeras.ops.pooling_ops import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d

__all__ = ["bias_add", "elu", "gelu", "l2_loss", "leaky_relu", "log_softmax", "moments", "relu",
           "relu6", "selu",
           "sigmoid", "sigmoid_cross_entropy_with_logits", "silu", "softmax",
           "softmax_cross_entropy_with_logits", "softplus", "softsign",
           "sparse_softmax_cross_entropy_with_logits", "swish", "tanh",
           "conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
           "batch_normalization"]
