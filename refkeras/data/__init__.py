"""Input pipelines: ``Dataset`` (tf.data's eager counterpart). ``tf.data`` in
``refkeras.compat.tf`` is this package."""
from refkeras.data.dataset import AUTOTUNE, INFINITE, UNKNOWN, Dataset

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset"]
