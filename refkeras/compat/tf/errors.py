"""``tf.errors``: the error types ops raise."""
from refkeras.framework.errors import InvalidArgumentError, OpError

__all__ = ["InvalidArgumentError", "OpError"]
