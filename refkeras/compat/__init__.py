"""Compatibility namespaces: ``from refkeras.compat import tf`` for TensorFlow's names."""
from refkeras.compat import tf

__all__ = ["tf"]
