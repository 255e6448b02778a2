"""``tf.random``: random tensors from the session's generator."""
from refkeras.ops.random_ops import normal, set_seed, shuffle, truncated_normal, uniform

__all__ = ["normal", "set_seed", "shuffle", "truncated_normal", "uniform"]
