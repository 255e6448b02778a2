"""``tf.math``: element-wise math, comparisons and reductions."""
from refkeras.ops.comparison_ops import (equal, greater, greater_equal, is_finite, is_inf, is_nan,
                                         less, less_equal, logical_and, logical_not, logical_or,
                                         logical_xor, not_equal)
from refkeras.ops.math_ops import (abs, add, add_n, ceil, cos, divide, divide_no_nan, erf, erfc, exp,
                                   floor,
                                   floordiv, floormod, log, log1p, maximum, minimum, multiply,
                                   negative, pow, reciprocal, round, rsqrt, sigmoid, sign, sin,
                                   sqrt, square, squared_difference, subtract, tanh, truediv)
from refkeras.ops.nn_ops import softplus
from refkeras.ops.reduction_ops import (argmax, argmin, reduce_all, reduce_any, reduce_logsumexp,
                                        reduce_max, reduce_mean, reduce_min, reduce_std,
                                        reduce_sum, reduce_variance)

__all__ = ["equal", "greater", "greater_equal", "is_finite", "is_inf", "is_nan", "less",
           "less_equal", "logical_and", "logical_not", "logical_or", "logical_xor", "not_equal",
           "abs", "add", "add_n", "ceil", "cos", "divide", "divide_no_nan", "erf", "erfc", "exp", "floor",
           "floordiv",
           "floormod", "log", "log1p", "maximum", "minimum", "multiply", "negative", "pow",
           "reciprocal", "round", "rsqrt", "sigmoid", "sign", "sin", "sqrt", "square",
           "squared_difference", "subtract", "tanh", "truediv", "softplus", "argmax", "argmin",
           "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_mean",
           "reduce_min", "reduce_std", "reduce_sum", "reduce_variance"]
