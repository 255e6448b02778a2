"""``tf.nn``: activations, softmax and cross-entropies."""
from refkeras.ops.nn_ops import (bias_add, elu, l2_loss, leaky_relu, log_softmax, moments, relu,
                                 selu, sigmoid, sigmoid_cross_entropy_with_logits, silu, softmax,
                                 softmax_cross_entropy_with_logits, softplus, softsign,
                                 sparse_softmax_cross_entropy_with_logits, swish, tanh)

__all__ = ["bias_add", "elu", "l2_loss", "leaky_relu", "log_softmax", "moments", "relu", "selu",
           "sigmoid", "sigmoid_cross_entropy_with_logits", "silu", "softmax",
           "softmax_cross_entropy_with_logits", "softplus", "softsign",
           "sparse_softmax_cross_entropy_with_logits", "swish", "tanh"]
