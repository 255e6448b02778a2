"""Utilities (``keras.utils``): nested structures for now."""
from refkeras.utils import nest

__all__ = ["nest"]
