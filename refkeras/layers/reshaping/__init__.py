"""Reshaping layers: move values between axes without changing them.

One file per class. Who owns what: each layer owns its shape arithmetic; the
gradients are those of the ops used (reshape, transpose, tile).
"""
from refkeras.layers.reshaping.flatten import Flatten
from refkeras.layers.reshaping.permute import Permute
from refkeras.layers.reshaping.repeat_vector import RepeatVector
from refkeras.layers.reshaping.reshape import Reshape

__all__ = ["Flatten", "Permute", "RepeatVector", "Reshape"]
