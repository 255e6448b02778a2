"""Activation layers with parameters: ReLU, LeakyReLU, Softmax, ELU.

One file per class. Who owns what: each layer owns its arguments and config; the
formulas themselves live in ``refkeras.activations`` and ``refkeras.ops.nn``.
"""
from refkeras.layers.activation.elu import ELU
from refkeras.layers.activation.leaky_relu import LeakyReLU
from refkeras.layers.activation.relu import ReLU
from refkeras.layers.activation.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "ReLU", "Softmax"]
