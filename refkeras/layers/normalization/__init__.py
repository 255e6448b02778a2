"""Normalization layers: ``BatchNormalization`` and ``LayerNormalization``."""
from refkeras.layers.normalization.batch_normalization import BatchNormalization
from refkeras.layers.normalization.layer_normalization import LayerNormalization

__all__ = ["BatchNormalization", "LayerNormalization"]
