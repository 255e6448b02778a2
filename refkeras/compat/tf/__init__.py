"""TensorFlow's names for refkeras's ops: ``from refkeras.compat import tf``.

The seed guides call TensorFlow directly (``tf.GradientTape``, ``tf.reduce_mean``,
``tf.one_hot`` ...). This namespace maps each name they use onto refkeras, so the
guides run with only the import line changed. It is a table, not an
implementation: every name here is defined in ``refkeras/ops`` or
``refkeras/autodiff``. ``tf.keras`` is refkeras itself.

>>> from refkeras.compat import tf
>>> x = tf.constant(2.0)
>>> with tf.GradientTape() as tape:
...     tape.watch(x)
...     y = x ** 3
>>> float(tape.gradient(y, x))
12.0
"""
from refkeras import data, summary
from refkeras.autodiff import GradientTape, UnconnectedGradients, custom_gradient
from refkeras.compat.tf import dtypes, errors, linalg, math, nn, random
from refkeras.compat.tf._symbolic import wrap_namespace
from refkeras.compat.tf.dtypes import (
    DType,
    as_dtype,
    bool,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from refkeras.engine.function import function
from refkeras.framework import Tensor, TensorShape, Variable
from refkeras.ops import (
    abs,
    add,
    add_n,
    argmax,
    argmin,
    boolean_mask,
    broadcast_to,
    cast,
    clip_by_global_norm,
    clip_by_norm,
    clip_by_value,
    concat,
    constant,
    convert_to_tensor,
    cos,
    divide,
    equal,
    exp,
    expand_dims,
    eye,
    fill,
    gather,
    greater,
    greater_equal,
    identity,
    less,
    less_equal,
    linspace,
    logical_and,
    logical_not,
    logical_or,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    norm,
    not_equal,
    one_hot,
    ones,
    ones_like,
    pow,
    range,
    rank,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_std,
    reduce_sum,
    reduce_variance,
    reshape,
    round,
    shape,
    sigmoid,
    sign,
    sin,
    size,
    sqrt,
    square,
    squeeze,
    stack,
    stop_gradient,
    subtract,
    tanh,
    tile,
    transpose,
    truediv,
    unstack,
    where,
    zeros,
    zeros_like,
)
from refkeras.ops.math_ops import log

newaxis = None


def print(*inputs, sep=" ", end="\n"):
    """Print Tensors by value (``tf.print``), other values as Python does."""
    import builtins
    builtins.print(*(i.numpy() if hasattr(i, "numpy") else i for i in inputs), sep=sep, end=end)


def _canonical(name):
    return f"tf.math.{name}" if name in math.__all__ else f"tf.{name}"


# Every function here also accepts KerasTensors (it then becomes a layer of the graph).
wrap_namespace(vars(math), math.__all__, lambda name: f"tf.math.{name}")
wrap_namespace(vars(nn), nn.__all__, lambda name: f"tf.nn.{name}")
wrap_namespace(vars(linalg), linalg.__all__, lambda name: f"tf.linalg.{name}")
wrap_namespace(globals(), [n for n in dir() if not n.startswith("_")
                           and n not in ("print", "function") and callable(globals()[n])],
               _canonical)


def __getattr__(name):
    # tf.keras is refkeras; imported lazily because refkeras imports this package.
    if name == "keras":
        import refkeras
        return refkeras
    raise AttributeError(f"refkeras.compat.tf has no attribute {name!r}: it maps only the "
                         "TensorFlow names the Keras guides use (see docs/backends.md).")


__all__ = [
    "DType",
    "GradientTape",
    "Tensor",
    "TensorShape",
    "UnconnectedGradients",
    "Variable",
    "abs",
    "add",
    "add_n",
    "argmax",
    "argmin",
    "as_dtype",
    "bool",
    "boolean_mask",
    "broadcast_to",
    "cast",
    "clip_by_global_norm",
    "clip_by_norm",
    "clip_by_value",
    "concat",
    "constant",
    "convert_to_tensor",
    "cos",
    "custom_gradient",
    "data",
    "divide",
    "double",
    "dtypes",
    "equal",
    "errors",
    "exp",
    "expand_dims",
    "eye",
    "fill",
    "float16",
    "float32",
    "float64",
    "function",
    "gather",
    "greater",
    "greater_equal",
    "half",
    "identity",
    "int8",
    "int16",
    "int32",
    "int64",
    "less",
    "less_equal",
    "linalg",
    "linspace",
    "log",
    "logical_and",
    "logical_not",
    "logical_or",
    "math",
    "matmul",
    "maximum",
    "minimum",
    "multiply",
    "negative",
    "newaxis",
    "nn",
    "norm",
    "not_equal",
    "one_hot",
    "ones",
    "ones_like",
    "pow",
    "print",
    "random",
    "range",
    "rank",
    "reduce_all",
    "reduce_any",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_std",
    "reduce_sum",
    "reduce_variance",
    "reshape",
    "round",
    "shape",
    "sigmoid",
    "sign",
    "sin",
    "size",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "stop_gradient",
    "subtract",
    "summary",
    "tanh",
    "tile",
    "transpose",
    "truediv",
    "uint8",
    "unstack",
    "where",
    "zeros",
    "zeros_like",
]
