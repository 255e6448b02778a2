"""Merging layers: combine a list of tensors (sum, difference, product, mean, max,
min, concatenation), each with its lower-case functional form.

One file per class. Who owns what: ``base_merge.py`` owns the shape rules every merge
shares; each layer owns only its reduction.
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
