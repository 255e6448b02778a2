"""Convolution layers: ``Conv1D`` and ``Conv2D`` (channels_last), on ``base_conv.Conv``."""
from refkeras.layers.convolutional.base_conv import Conv
from refkeras.layers.convolutional.conv1d import Conv1D, Convolution1D
from refkeras.layers.convolutional.conv2d import Conv2D, Convolution2D

__all__ = ["Conv", "Conv1D", "Conv2D", "Convolution1D", "Convolution2D"]
