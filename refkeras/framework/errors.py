"""Error types raised by operations (the counterparts of ``tf.errors``).

Clauses: OPS.DTYPE_MISMATCH, OPS.SHAPE_MISMATCH (docs/spec.md).

TensorFlow reports a failed kernel (incompatible shapes, mismatched dtypes, a bad
axis) as ``tf.errors.InvalidArgumentError``, a subclass of ``tf.errors.OpError``;
argument *type* problems found in Python before any kernel runs are ``TypeError``
or ``ValueError``. refkeras keeps the same split so code that catches one catches
the other, and every message names the op (``[Op:MatMul]``) and the shapes or
dtypes involved.
"""


class OpError(Exception):
    """An operation could not run on the inputs it was given."""

    def __init__(self, message, op=None):
        super().__init__(message if op is None else f"{message} [Op:{op}]")
        self.message = message
        self.op = op


class InvalidArgumentError(OpError):
    """An op got arguments of the wrong shape, dtype or value.

    >>> from refkeras import ops
    >>> try:
    ...     ops.add(ops.ones((2,)), ops.ones((3,)))
    ... except InvalidArgumentError as e:
    ...     print(e)
    Incompatible shapes: [2] vs. [3] [Op:AddV2]
    """


__all__ = ["InvalidArgumentError", "OpError"]
