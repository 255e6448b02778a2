"""The op library: every computation on Tensors, each op beside its gradient rule.

Module map: ``math_ops`` (element-wise arithmetic and math), ``comparison_ops``,
``reduction_ops``, ``array_ops`` (shapes, slicing, gather, where), ``linalg_ops``
(matmul), ``nn_ops`` (activations, softmax, cross-entropies), ``clip_ops``,
``creation_ops`` (constant, zeros, one_hot ...), ``random_ops``, ``conv_ops``,
``pooling_ops``, ``normalization_ops`` (conv2d, max_pool2d, batch and layer norm),
``operators``
(``+``, ``*``, ``[]`` on Tensors). ``_core`` holds the convert-compute-record
steps they share.

``refkeras.compat.tf`` maps TensorFlow's names onto these functions.
"""
from refkeras.framework import Tensor, Variable
from refkeras.ops import (
                          array_ops,
                          clip_ops,
                          comparison_ops,
                          conv_ops,
                          creation_ops,
                          linalg_ops,
                          math_ops,
                          nn_ops,
                          normalization_ops,
                          pooling_ops,
                          random_ops,
                          reduction_ops,
)
from refkeras.ops import operators as _operators
from refkeras.ops.array_ops import (
                          boolean_mask,
                          broadcast_to,
                          concat,
                          expand_dims,
                          gather,
                          matrix_transpose,
                          rank,
                          reshape,
                          shape,
                          size,
                          squeeze,
                          stack,
                          strided_slice,
                          sum_to_shape,
                          tile,
                          transpose,
                          unstack,
                          where,
)
from refkeras.ops.clip_ops import (
                          clip_by_global_norm,
                          clip_by_norm,
                          clip_by_value,
                          global_norm,
)
from refkeras.ops.comparison_ops import (
                          equal,
                          greater,
                          greater_equal,
                          is_finite,
                          is_inf,
                          is_nan,
                          less,
                          less_equal,
                          logical_and,
                          logical_not,
                          logical_or,
                          logical_xor,
                          not_equal,
)
from refkeras.ops.conv_ops import (
                          conv1d,
                          conv2d,
                          conv2d_backprop_filter,
                          conv2d_backprop_input,
)
from refkeras.ops.creation_ops import (
                          constant,
                          convert_to_tensor,
                          eye,
                          fill,
                          linspace,
                          one_hot,
                          ones,
                          ones_like,
                          range,
                          zeros,
                          zeros_like,
)
from refkeras.ops.linalg_ops import matmul, norm
from refkeras.ops.math_ops import (
                          abs,
                          add,
                          add_n,
                          cast,
                          ceil,
                          cos,
                          divide,
                          divide_no_nan,
                          erf,
                          erfc,
                          exp,
                          floor,
                          floordiv,
                          floormod,
                          identity,
                          log,
                          log1p,
                          maximum,
                          minimum,
                          mod,
                          multiply,
                          negative,
                          pow,
                          reciprocal,
                          round,
                          rsqrt,
                          sigmoid,
                          sign,
                          sin,
                          sqrt,
                          square,
                          squared_difference,
                          stop_gradient,
                          subtract,
                          tanh,
                          truediv,
)
from refkeras.ops.normalization_ops import (
                          batch_norm_training,
                          batch_normalization,
                          layer_norm,
)
from refkeras.ops.pooling_ops import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from refkeras.ops.reduction_ops import (
                          argmax,
                          argmin,
                          reduce_all,
                          reduce_any,
                          reduce_logsumexp,
                          reduce_max,
                          reduce_mean,
                          reduce_min,
                          reduce_std,
                          reduce_sum,
                          reduce_variance,
)

nn = nn_ops
random = random_ops

_operators.install(Tensor)
_operators.install(Variable)

__all__ = [
    "Tensor", "Variable", "nn", "random",
    # the modules, for readers who want the op beside its gradient rule
    "array_ops", "clip_ops", "comparison_ops", "creation_ops", "linalg_ops", "math_ops", "nn_ops",
    "random_ops", "reduction_ops",
    # array
    "boolean_mask", "broadcast_to", "concat", "expand_dims", "gather", "matrix_transpose", "rank",
    "reshape", "shape", "size", "squeeze", "stack", "strided_slice", "sum_to_shape", "tile",
    "transpose", "unstack", "where",
    # clip
    "clip_by_global_norm", "clip_by_norm", "clip_by_value", "global_norm",
    # comparison
    "equal", "greater", "greater_equal", "is_finite", "is_inf", "is_nan", "less", "less_equal",
    "logical_and", "logical_not", "logical_or", "logical_xor", "not_equal",
    # creation
    "constant", "convert_to_tensor", "eye", "fill", "linspace", "one_hot", "ones", "ones_like",
    "range", "zeros", "zeros_like",
    # linalg
    "matmul", "norm",
    # convolution, pooling, normalization
    "conv_ops", "pooling_ops", "normalization_ops", "conv1d", "conv2d", "conv2d_backprop_filter",
    "conv2d_backprop_input", "avg_pool1d", "avg_pool2d", "max_pool1d", "max_pool2d",
    "batch_norm_training", "batch_normalization", "layer_norm",
    # math
    "abs", "add", "add_n", "cast", "ceil", "cos", "divide", "divide_no_nan", "erf", "erfc", "exp", "floor", "floordiv",
    "floormod", "identity", "log", "log1p", "maximum", "minimum", "mod", "multiply", "negative",
    "pow", "reciprocal", "round", "rsqrt", "sigmoid", "sign", "sin", "sqrt", "square",
    "squared_difference", "stop_gradient", "subtract", "tanh", "truediv",
    # reduction
    "argmax", "argmin", "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max",
    "reduce_mean", "reduce_min", "reduce_std", "reduce_sum", "reduce_variance",
]
