"""Element-wise arithmetic and math, each op beside its gradient rule.

Clauses: OPS.BROADCAST, OPS.DTYPE_MISMATCH, OPS.VALUES, TAPE.GRADIENT_VALUES,
OPS.SUBGRADIENTS (docs/spec.md).

Binary ops broadcast as numpy does. Their gradients are computed at the broadcast
shape and summed back to each input's shape by ``array_ops.sum_to_shape``: the one
place where broadcasting is undone.

Where a derivative is undefined, the rule picks TensorFlow's value: ``abs`` and
``sign`` give 0 at 0; ``maximum(x, y)`` sends the gradient to ``x`` on ties
(``x >= y``), ``minimum`` too (``x <= y``); ``x ** y`` gives ``y`` no gradient where
``x <= 0``.

>>> import refkeras.ops as ops
>>> (ops.constant([1.0, 2.0]) * 3.0).numpy()
array([3., 6.], dtype=float32)
"""
import numpy as np

from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.framework import dtypes
from refkeras.ops import array_ops, creation_ops
from refkeras.ops._core import (
    InvalidArgumentError,
    Tensor,
    binary,
    binary_operands,
    convert_to_tensor,
    emit,
    record,
    tracing,
    unary,
)


def _unbroadcast(op, gx, gy):
    x, y = op.inputs
    return array_ops.sum_to_shape(gx, x._value.shape), array_ops.sum_to_shape(gy, y._value.shape)


# -- arithmetic -------------------------------------------------------------------

def add(x, y, name=None):
    """x + y."""
    return binary("AddV2", kernels.add, x, y)


@register_gradient("AddV2")
def _add_grad(op, dz):
    return _unbroadcast(op, dz, dz)


def subtract(x, y, name=None):
    """x - y."""
    return binary("Sub", kernels.subtract, x, y)


@register_gradient("Sub")
def _sub_grad(op, dz):
    return _unbroadcast(op, dz, -dz)


def multiply(x, y, name=None):
    """x * y."""
    return binary("Mul", kernels.multiply, x, y)


@register_gradient("Mul")
def _mul_grad(op, dz):
    # EXERCISE 1.1: the gradient of Mul | TAPE.GRADIENT_VALUES TAPE.BROADCAST
    # hint: for z = x * y, dz/dx = y and dz/dy = x; multiply each by the incoming dz,
    # hint: then sum each back to its input's shape with _unbroadcast (broadcasting).
    x, y = op.inputs
    return _unbroadcast(op, dz * y, dz * x)
    # END EXERCISE 1.1


def divide(x, y, name=None):
    """x / y; integer inputs give float64, as in TensorFlow."""
    return binary("RealDiv", kernels.true_divide, x, y)


truediv = divide


@register_gradient("RealDiv")
def _div_grad(op, dz):
    # EXERCISE 1.2: the gradient of RealDiv | TAPE.GRADIENT_VALUES
    # hint: for z = x / y, dz/dx = 1 / y and dz/dy = -x / y**2; write it with ops (/, *,
    # hint: -) so higher derivatives work, and _unbroadcast like Mul.
    x, y = op.inputs
    return _unbroadcast(op, dz / y, dz * ((-x / y) / y))
    # END EXERCISE 1.2


def floordiv(x, y, name=None):
    """floor(x / y); integer division by zero is an error."""
    x, y = binary_operands(x, y, "FloorDiv")
    if x._value.dtype.kind in "iu" and not np.all(y._value):
        raise InvalidArgumentError("Integer division by zero", "FloorDiv")
    return binary("FloorDiv", kernels.floor_divide, x, y)


@register_gradient("FloorDiv")
def _floordiv_grad(op, dz):
    return None, None


def floormod(x, y, name=None):
    """x - floor(x / y) * y (the sign follows y, as Python's %)."""
    return binary("FloorMod", kernels.floor_mod, x, y)


mod = floormod


@register_gradient("FloorMod")
def _floormod_grad(op, dz):
    x, y = op.inputs
    return _unbroadcast(op, dz, -dz * floor(x / y))


def pow(x, y, name=None):
    """x ** y."""
    return binary("Pow", kernels.power, x, y)


@register_gradient("Pow")
def _pow_grad(op, dz):
    x, y = op.inputs
    z = op.outputs[0]
    gx = dz * y * x ** (y - 1)
    safe_log = array_ops.where(x > 0, log(array_ops.where(x > 0, x, 1)), 0)
    return _unbroadcast(op, gx, dz * z * safe_log)


def maximum(x, y, name=None):
    """Element-wise max; on ties the gradient goes to x."""
    return binary("Maximum", kernels.maximum, x, y)


@register_gradient("Maximum")
def _maximum_grad(op, dz):
    x, y = op.inputs
    return _select_grad(op, x >= y, dz)


def minimum(x, y, name=None):
    """Element-wise min; on ties the gradient goes to x."""
    return binary("Minimum", kernels.minimum, x, y)


@register_gradient("Minimum")
def _minimum_grad(op, dz):
    x, y = op.inputs
    return _select_grad(op, x <= y, dz)


def _select_grad(op, x_wins, dz):
    zeros = creation_ops.zeros_like(dz)
    return _unbroadcast(op, array_ops.where(x_wins, dz, zeros), array_ops.where(x_wins, zeros, dz))


def add_n(inputs, name=None):
    """The element-wise sum of a list of tensors of one shape, composed of ``add``."""
    inputs = list(inputs)
    if not inputs:
        raise ValueError("add_n needs at least one tensor.")
    total = convert_to_tensor(inputs[0])
    for x in inputs[1:]:
        total = add(total, x)
    return total


def squared_difference(x, y, name=None):
    """(x - y) ** 2, composed."""
    d = subtract(x, y)
    return d * d


# -- one input ----------------------------------------------------------------------

def negative(x, name=None):
    """-x."""
    return unary("Neg", kernels.negative, x, floating=False)


@register_gradient("Neg")
def _neg_grad(op, dy):
    return -dy


def abs(x, name=None):
    """|x|; the gradient at 0 is 0."""
    return unary("Abs", kernels.absolute, x, floating=False)


@register_gradient("Abs")
def _abs_grad(op, dy):
    return dy * sign(op.inputs[0])


def sign(x, name=None):
    """-1, 0 or 1; its gradient is 0 everywhere."""
    return unary("Sign", kernels.sign, x, floating=False)


@register_gradient("Sign")
def _sign_grad(op, dy):
    return creation_ops.zeros_like(dy)


def square(x, name=None):
    """x ** 2."""
    return unary("Square", kernels.square, x, floating=False)


@register_gradient("Square")
def _square_grad(op, dy):
    return dy * (2.0 * op.inputs[0])


def sqrt(x, name=None):
    """√x (nan for x < 0); the gradient at 0 is inf."""
    return unary("Sqrt", kernels.sqrt, x)


@register_gradient("Sqrt")
def _sqrt_grad(op, dy):
    return dy * 0.5 / op.outputs[0]


def rsqrt(x, name=None):
    """1 / √x."""
    return unary("Rsqrt", kernels.rsqrt, x)


@register_gradient("Rsqrt")
def _rsqrt_grad(op, dy):
    y = op.outputs[0]
    return dy * (-0.5 * y * y * y)


def reciprocal(x, name=None):
    """1 / x."""
    return unary("Reciprocal", kernels.reciprocal, x)


@register_gradient("Reciprocal")
def _reciprocal_grad(op, dy):
    y = op.outputs[0]
    return -dy * y * y


def exp(x, name=None):
    """e ** x."""
    return unary("Exp", kernels.exp, x)


@register_gradient("Exp")
def _exp_grad(op, dy):
    # EXERCISE 1.3: the gradient of Exp | TAPE.GRADIENT_VALUES
    # hint: the derivative of exp is exp itself; the op's record keeps its inputs and its
    # hint: outputs, so nothing needs computing twice.
    return dy * op.outputs[0]
    # END EXERCISE 1.3


def log(x, name=None):
    """Natural logarithm (-inf at 0, nan below)."""
    return unary("Log", kernels.log, x)


@register_gradient("Log")
def _log_grad(op, dy):
    # EXERCISE 1.4: the gradient of Log | TAPE.GRADIENT_VALUES
    # hint: differentiate log by hand; the record keeps the op's input (op.inputs), and
    # hint: ops such as reciprocal keep the rule differentiable again.
    return dy * reciprocal(op.inputs[0])
    # END EXERCISE 1.4


def log1p(x, name=None):
    """log(1 + x), accurate for small x."""
    return unary("Log1p", kernels.log1p, x)


@register_gradient("Log1p")
def _log1p_grad(op, dy):
    return dy * reciprocal(1.0 + op.inputs[0])


def sin(x, name=None):
    return unary("Sin", kernels.sin, x)


@register_gradient("Sin")
def _sin_grad(op, dy):
    return dy * cos(op.inputs[0])


def cos(x, name=None):
    return unary("Cos", kernels.cos, x)


@register_gradient("Cos")
def _cos_grad(op, dy):
    return -dy * sin(op.inputs[0])


def tanh(x, name=None):
    """Hyperbolic tangent."""
    return unary("Tanh", kernels.tanh, x)


@register_gradient("Tanh")
def _tanh_grad(op, dy):
    return tanh_grad(op.outputs[0], dy)


def tanh_grad(y, dy):
    """dy * (1 - y**2): the gradient of tanh from its output, as one fused op."""
    return _fused_grad("TanhGrad", kernels.tanh_grad, y, dy)


@register_gradient("TanhGrad")
def _tanh_grad_grad(op, u):
    y, dy = op.inputs
    return -2.0 * u * dy * y, tanh_grad(y, u)


def sigmoid(x, name=None):
    """1 / (1 + e ** -x), without overflow."""
    return unary("Sigmoid", kernels.sigmoid, x)


@register_gradient("Sigmoid")
def _sigmoid_grad(op, dy):
    return sigmoid_grad(op.outputs[0], dy)


def sigmoid_grad(y, dy):
    """dy * y * (1 - y): the gradient of sigmoid from its output, as one fused op."""
    return _fused_grad("SigmoidGrad", kernels.sigmoid_grad, y, dy)


@register_gradient("SigmoidGrad")
def _sigmoid_grad_grad(op, u):
    y, dy = op.inputs
    return u * dy * (1.0 - 2.0 * y), sigmoid_grad(y, u)


def _fused_grad(op, kernel, a, dy):
    """A gradient computed by one fused kernel, recorded so it can be differentiated too."""
    return emit(op, kernel, (a, dy))


def floor(x, name=None):
    """Round down; no gradient."""
    return unary("Floor", kernels.floor, x)


def ceil(x, name=None):
    """Round up; no gradient."""
    return unary("Ceil", kernels.ceil, x)


def round(x, name=None):
    """Round half to even; no gradient."""
    return unary("Round", kernels.round_half_even, x)


@register_gradient("Floor")
@register_gradient("Ceil")
@register_gradient("Round")
def _no_grad(op, dy):
    return None


# -- dtype and identity ------------------------------------------------------------------

def cast(x, dtype, name=None):
    """x converted to ``dtype`` (floats to ints truncate toward zero)."""
    x = convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    y = Tensor(x._value.astype(dtype))
    if (x._value.dtype.kind == "f" and dtype.kind == "f") or tracing():
        record("Cast", (x,), (y,), kernel=_cast_kernel, kernel_args={"dtype": dtype})
    return y


def _cast_kernel(x, dtype):
    return x.astype(dtype)


@register_gradient("Cast")
def _cast_grad(op, dy):
    return cast(dy, op.inputs[0].dtype)


def identity(x, name=None):
    """A new Tensor with the same value (a Variable is read)."""
    x = convert_to_tensor(x)
    y = Tensor(x._value)
    record("Identity", (x,), (y,), kernel=_same)
    return y


def _same(x):
    return x


@register_gradient("Identity")
def _identity_grad(op, dy):
    return dy


def stop_gradient(x, name=None):
    """The same value, through which no gradient flows."""
    x = convert_to_tensor(x)
    y = Tensor(x._value)
    record("StopGradient", (x,), (y,), kernel=_same)
    return y


@register_gradient("StopGradient")
def _stop_gradient_grad(op, dy):
    return None


@register_gradient("ReadVariableOp")
def _read_variable_grad(op, dy):
    return dy


def divide_no_nan(x, y, name=None):
    """x / y, but 0 where y == 0 (gradients too): one op, as TensorFlow's DivNoNan.

    Metrics divide by their counts with it every batch, so it is one kernel call, not
    a chain of where/ones_like/zeros_like ops."""
    return binary("DivNoNan", kernels.div_no_nan, x, y, floating=True)


@register_gradient("DivNoNan", skips_inputs=True)
def _div_no_nan_grad(op, dz):
    x, y = op.inputs
    # A mean's count is usually a constant: its gradient is not computed at all.
    gy = None if 1 in op.skip_input_indices else dz * divide_no_nan(divide_no_nan(-x, y), y)
    gx = divide_no_nan(dz, y)
    gx = array_ops.sum_to_shape(gx, x._value.shape)
    return gx, None if gy is None else array_ops.sum_to_shape(gy, y._value.shape)


# -- the error function --------------------------------------------------------------

_TWO_OVER_ROOT_PI = 1.1283791670955126   # 2 / sqrt(pi)


def erf(x, name=None):
    """The Gauss error function; d erf(x) / dx = 2 / sqrt(pi) * exp(-x**2)."""
    return unary("Erf", kernels.erf, x)


@register_gradient("Erf")
def _erf_grad(op, dy):
    x = op.inputs[0]
    return dy * (_TWO_OVER_ROOT_PI * exp(-square(x)))


def erfc(x, name=None):
    """1 - erf(x), without the cancellation for large x."""
    return unary("Erfc", kernels.erfc, x)


@register_gradient("Erfc")
def _erfc_grad(op, dy):
    x = op.inputs[0]
    return dy * (-_TWO_OVER_ROOT_PI * exp(-square(x)))


__all__ = [
    "abs",
    "add",
    "add_n",
    "cast",
    "ceil",
    "cos",
    "divide",
    "divide_no_nan",
    "erf",
    "erfc",
    "exp",
    "floor",
    "floordiv",
    "floormod",
    "identity",
    "log",
    "log1p",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "negative",
    "pow",
    "reciprocal",
    "round",
    "rsqrt",
    "sigmoid",
    "sigmoid_grad",
    "sign",
    "sin",
    "sqrt",
    "square",
    "squared_difference",
    "stop_gradient",
    "subtract",
    "tanh",
    "tanh_grad",
    "truediv",
]
