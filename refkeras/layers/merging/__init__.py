"""Merging layers: combine a list of tensors (sum, difference, product, mean, max,
min, concatenation), each with its lower-case functional form.

One file per class; ``base_merge.py`` holds the shared shape rules. Who owns what:
the core-layers helper owns this folder.
"""
from refkeras.layers.merging.add import Add, add
from refkeras.layers.merging.average import Average, average
from refkeras.layers.merging.concatenate import Concatenate, concatenate
from refkeras.layers.merging.maximum import Maximum, maximum
from refkeras.layers.merging.minimum import Minimum, minimum
from refkeras.layers.merging.multiply import Multiply, multiply
from refkeras.layers.merging.subtract import Subtract, subtract

__all__ = ["Add", "Average", "Concatenate", "Maximum", "Minimum", "Multiply", "Subtract", "add",
           "average", "concatenate", "maximum", "minimum", "multiply", "subtract"]
