"""The three steps every op takes, shared: convert the inputs, run the kernel, record.

An op module reads like this::

    def exp(x, name=None):
        return unary("Exp", kernels.exp, x)          # convert, compute, record

    @register_gradient("Exp")
    def _exp_grad(op, dy):
        return dy * op.outputs[0]

Only ops with floating outputs are recorded: nothing can flow back through an
integer or boolean result (``argmax``, ``equal`` ...), so those ops skip ``record``,
unless the compiler is tracing (``tracing()``): a plan must replay them too. Each
record names its kernel, so the compiler can replay it without this Python.
"""
import numpy as np

from refkeras.autodiff.record import record, tracing
from refkeras.framework.convert import binary_operands, convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.framework.tensor import Tensor

FLOAT_KINDS = "f"


def float_tensor(x, op):
    """``x`` as a Tensor of a floating dtype; InvalidArgumentError for ints and bools."""
    x = convert_to_tensor(x)
    if x._value.dtype.kind != "f":
        raise InvalidArgumentError(
            f"{op} needs a floating-point input (float16, float32 or float64), got "
            f"{x._value.dtype.name}; cast it first with tf.cast(x, 'float32').", op)
    return x


def unary(op, kernel, x, *, floating=True, attrs=None, **kernel_args):
    """Run a one-input op: ``kernel(x, **kernel_args)``, recorded as ``op``."""
    x = float_tensor(x, op) if floating else convert_to_tensor(x)
    return emit(op, kernel, (x,), kernel_args, attrs)


def binary(op, kernel, x, y, *, floating=False):
    """Run an element-wise two-input op with numpy broadcasting, recorded as ``op``."""
    x, y = binary_operands(x, y, op)
    if floating and x._value.dtype.kind != "f":
        float_tensor(x, op)
    try:
        return emit(op, kernel, (x, y))
    except ValueError:
        raise incompatible_shapes(x, y, op) from None


def emit(op, kernel, inputs, kernel_args=None, attrs=None):
    """Run ``kernel(*input arrays, **kernel_args)`` and record it as ``op``.

    The common tail of an op whose inputs are already checked Tensors: the outputs
    (one Tensor, or a tuple when the kernel returns a tuple) are recorded when they
    are floating, or always while the compiler traces. ``attrs`` default to
    ``kernel_args``: what the gradient rule reads."""
    kernel_args = kernel_args or {}
    value = kernel(*[t._value for t in inputs], **kernel_args)
    outputs = tuple(Tensor(v) for v in value) if isinstance(value, tuple) else (Tensor(value),)
    if outputs[0]._value.dtype.kind in FLOAT_KINDS or tracing():
        record(op, tuple(inputs), outputs, kernel_args if attrs is None else attrs, kernel,
               kernel_args)
    return outputs if isinstance(value, tuple) else outputs[0]


def incompatible_shapes(x, y, op):
    return InvalidArgumentError(
        f"Incompatible shapes: {list(x._value.shape)} vs. {list(y._value.shape)}", op)


def normalize_axes(axis, ndim, op):
    """``axis`` (None, an int, or a list/tuple/Tensor of ints) as a sorted tuple of axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, Tensor):
        axis = axis._value.tolist()
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    normalized = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            raise InvalidArgumentError(
                f"Invalid reduction dimension ({a} for input with {ndim} dimension(s)); "
                f"an axis must be in [{-ndim}, {ndim})", op)
        normalized.append(a % ndim if ndim else 0)
    if len(set(normalized)) != len(normalized):
        raise InvalidArgumentError(
            f"Invalid reduction arguments: Axes contains duplicate dimension: {axes}", op)
    return tuple(sorted(normalized))


def normalize_axis(axis, ndim, op):
    """One axis in [-ndim, ndim), returned in [0, ndim)."""
    return normalize_axes(int(axis), ndim, op)[0] if ndim else 0


__all__ = [
    "InvalidArgumentError",
    "Tensor",
    "binary",
    "binary_operands",
    "convert_to_tensor",
    "emit",
    "float_tensor",
    "incompatible_shapes",
    "normalize_axes",
    "normalize_axis",
    "record",
    "tracing",
    "unary",
]
