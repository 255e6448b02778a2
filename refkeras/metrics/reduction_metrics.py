"""Sum, Mean, MeanMetricWrapper and MeanTensor: the metrics that reduce a stream of values.

Clauses: METRIC.API, METRIC.WEIGHTS, METRIC.WEIGHTS.SANE, METRIC.WRAPPER (docs/spec.md).

Rule. ``Mean`` keeps two float32 scalars, ``total`` and ``count``; every batch adds the
weighted values to ``total`` and the weights to ``count``, and the result is
``total / count`` (0 while ``count`` is 0). ``Sum`` keeps ``total`` only. A
``sample_weight`` is matched to the values as tf_keras 2.21 does it::

    w = squeeze(w, -1)      if rank(w) == rank(v) + 1     # (N, 1) weights for (N,) values
    w = expand_dims(w, -1)  if rank(w) == rank(v) - 1     # (N,) weights for (N, T) values
    scalar w, or rank(w) == rank(v) with each axis 1 or equal:  w broadcast to v's shape
    rank(w) < rank(v):  v averaged (Mean) or summed (Sum) over its trailing axes to w's shape
    total += sum(v * w);  count += sum(w)

Anything else raises InvalidArgumentError before the state changes. Where tf_keras
broadcasts the *values* up to the weights (a (N, 1, 1) weight for (N,) values, a
(1,) weight for (N, T, U) values) and so returns a number that is no weighted mean,
refkeras raises too (METRIC.WEIGHTS.SANE). ``MeanMetricWrapper(fn, **kwargs)`` turns
any ``fn(y_true, y_pred, **kwargs)`` returning per-sample values into a Mean: y_true
and y_pred are cast to the metric's dtype, a trailing axis of size 1 on the one of
higher rank is squeezed, and a ``_keras_mask`` on fn's output multiplies the weights.

>>> m = Mean()
>>> _ = m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 3.0])
>>> float(m.result())
2.5

Who owns what: this module owns the reductions; the Metric base (metric.py) owns the
state's life cycle.
"""
import numpy as np

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.framework.variable import Variable
from refkeras.metrics.metric import Metric
from refkeras.ops import array_ops, creation_ops, math_ops, reduction_ops

# ---------------------------------------------------------------- shared helpers


def to_metric_tensor(values, dtype):
    """``values`` as a Tensor of ``dtype``; a dict or a ragged list is no metric value."""
    if isinstance(values, dict):      # tf_keras's error type, kept for code that catches it
        raise RuntimeError(  # noqa: TRY004
            "The output of a metric function can only be a single Tensor. Received: "
            f"{values}. To return a dict of values, implement a custom Metric subclass.")
    try:
        tensor = convert_to_tensor(values)
    except ValueError as error:
        raise RuntimeError("The output of a metric function can only be a single Tensor. "
                           f"Received: {values}. ({error})") from None
    return math_ops.cast(tensor, dtype)


def match_weight_rank(values, weights):
    """tf_keras's one-axis adjustment of ``weights`` to ``values`` (scalars pass)."""
    v_rank, w_rank = len(values.shape), len(weights.shape)
    if w_rank == 0:
        return weights
    if w_rank - v_rank == 1:
        return array_ops.squeeze(weights, [-1])      # InvalidArgumentError unless size 1
    if v_rank - w_rank == 1:
        return array_ops.expand_dims(weights, -1)
    return weights


def weigh(values, sample_weight, reduce_trailing):
    """(weighted values, their weights), both of one shape: the rule of the module docstring.

    ``reduce_trailing`` is reduce_mean for a Mean and reduce_sum for a Sum: it folds the
    trailing axes of values that carry no weight of their own."""
    if sample_weight is None:
        return values, creation_ops.ones_like(values)
    weights = match_weight_rank(values, math_ops.cast(sample_weight, values.dtype))
    v_shape, w_shape = tuple(values.shape), tuple(weights.shape)
    if len(w_shape) < len(v_shape) and len(w_shape) > 0:
        values = reduce_trailing(values, axis=list(range(len(w_shape), len(v_shape))))
        v_shape = tuple(values.shape)
        if w_shape != v_shape:
            raise _incompatible(w_shape, v_shape)
    elif len(w_shape) == len(v_shape):
        if any(w not in (1, v) for w, v in zip(w_shape, v_shape)):
            raise _incompatible(w_shape, v_shape)
    elif len(w_shape) > len(v_shape):
        raise _incompatible(w_shape, v_shape)
    weights = array_ops.broadcast_to(weights, v_shape)
    return math_ops.multiply(values, weights), weights


def _is_integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _incompatible(w_shape, v_shape):
    return InvalidArgumentError(
        f"Incompatible shapes: sample_weight of shape {w_shape} cannot weight metric values of "
        f"shape {v_shape}: expected a scalar, the values' shape (each axis 1 or equal), a "
        "prefix of it, or one of those with a trailing axis of size 1.", "Mul")


def squeeze_trailing_one(y_true, y_pred):
    """tf_keras's remove_squeezable_dimensions: drop a size-1 last axis from the operand
    whose rank is one higher than the other's."""
    t_rank, p_rank = len(y_true.shape), len(y_pred.shape)
    if p_rank - t_rank == 1 and y_pred.shape[-1] == 1:
        y_pred = array_ops.squeeze(y_pred, [-1])
    elif t_rank - p_rank == 1 and y_true.shape[-1] == 1:
        y_true = array_ops.squeeze(y_true, [-1])
    return y_true, y_pred


def config_value(value):
    """A fn kwarg as get_config reports it: a Tensor or Variable becomes its numpy value."""
    if isinstance(value, Variable) or hasattr(value, "numpy"):
        return value.numpy()
    return value


# ---------------------------------------------------------------- Sum and Mean


class Sum(Metric):
    """The (weighted) sum of all values seen: ``total += sum(v * w)``.

    >>> float(Sum()([1.0, 3.0, 5.0, 7.0]))
    16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_weight("total", initializer="zeros")

    def update_state(self, values, sample_weight=None):
        values = to_metric_tensor(values, self.dtype)
        weighted, _ = weigh(values, sample_weight, reduction_ops.reduce_sum)
        self.total.assign_add(reduction_ops.reduce_sum(weighted))

    def result(self):
        return self.total


class Mean(Metric):
    """The (weighted) mean of all values seen: ``sum(v * w) / sum(w)`` over every batch.

    >>> m = Mean()
    >>> float(m([1.0, 3.0, 5.0, 7.0], sample_weight=[1.0, 1.0, 0.0, 0.0]))
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_weight("total", initializer="zeros")
        self.count = self.add_weight("count", initializer="zeros")

    def update_state(self, values, sample_weight=None):
        values = to_metric_tensor(values, self.dtype)
        # EXERCISE 4.1: Mean.update_state: a weighted running total | METRIC.API METRIC.WEIGHTS
        # hint: add sum(values * w) to self.total and sum(w) to self.count (w is 1 for
        # hint: each value when sample_weight is None; weigh(values, sample_weight,
        # hint: reduction_ops.reduce_mean) broadcasts a weight to the values and returns
        # hint: (weighted, weights)). Compute both sums before assigning either
        # hint: (assign_add), so a bad weight changes nothing.
        if sample_weight is None or _is_integer(sample_weight):
            # The per-batch cases of fit (no weights; the loss tracker's batch size): the
            # count is exactly size * w, so no tensor of weights is built.
            w = 1 if sample_weight is None else int(sample_weight)
            total = reduction_ops.reduce_sum(values if w == 1 else values * float(w))
            self.total.assign_add(total)
            self.count.assign_add(float(values._value.size * w))
            return
        weighted, weights = weigh(values, sample_weight, reduction_ops.reduce_mean)
        # both sums are computed before either variable moves: a failure changes nothing
        total = reduction_ops.reduce_sum(weighted)
        count = reduction_ops.reduce_sum(weights)
        self.total.assign_add(total)
        self.count.assign_add(count)
        # END EXERCISE 4.1

    def result(self):
        # EXERCISE 4.2: Mean.result | METRIC.API
        # hint: total / count, and 0 (not nan) before any weight arrived:
        # hint: math_ops.divide_no_nan.
        return math_ops.divide_no_nan(self.total, self.count)
        # END EXERCISE 4.2


# ---------------------------------------------------------------- MeanMetricWrapper


class MeanMetricWrapper(Mean):
    """The Mean of ``fn(y_true, y_pred, **kwargs)`` over every sample seen.

    >>> import refkeras.ops as ops
    >>> m = MeanMetricWrapper(lambda t, p: ops.abs(t - p), name="abs_error")
    >>> float(m([1.0, 2.0], [1.5, 1.0]))
    0.75
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        # name=None: the base names the metric after its class ("mean_metric_wrapper")
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = math_ops.cast(y_true, self.dtype)
        y_pred = math_ops.cast(y_pred, self.dtype)
        y_true, y_pred = squeeze_trailing_one(y_true, y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = _apply_mask(values, sample_weight)
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {**super().get_config(),
                  **{key: config_value(value) for key, value in self._fn_kwargs.items()}}
        if type(self) is MeanMetricWrapper:      # subclasses fix their own fn
            config["fn"] = self._fn
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn = config.pop("fn", None)
        if cls is MeanMetricWrapper:
            from refkeras.metrics import get  # the package resolves names and dicts
            return cls(get(fn), **config)
        return cls(**config)


def _apply_mask(values, sample_weight):
    """A ``_keras_mask`` on fn's output (ignore_class) zeroes the weights it masks out."""
    mask = getattr(values, "_keras_mask", None)
    if mask is None:
        return sample_weight
    mask = math_ops.cast(mask, values.dtype)
    if sample_weight is None:
        return mask
    weights = match_weight_rank(mask, math_ops.cast(sample_weight, values.dtype))
    return math_ops.multiply(weights, mask)


# ---------------------------------------------------------------- MeanTensor


class MeanTensor(Metric):
    """The element-wise (weighted) mean of tensors of one fixed shape.

    The state (``total`` and ``count``, of the values' shape) is created by the first
    update, or at construction when ``shape`` is given.

    >>> m = MeanTensor()
    >>> _ = m.update_state([0.0, 1.0]); _ = m.update_state([4.0, 5.0])
    >>> m.result().numpy().tolist()
    [2.0, 3.0]
    """

    def __init__(self, name="mean_tensor", dtype=None, shape=None):
        super().__init__(name=name, dtype=dtype)
        self._shape = None
        self._total = None
        self._count = None
        if shape is not None:
            self._build(tuple(shape))

    def _build(self, shape):
        self._shape = tuple(shape)
        self._total = self.add_weight("total", shape=shape, initializer="zeros")
        self._count = self.add_weight("count", shape=shape, initializer="zeros")

    @property
    def total(self):
        return self._total

    @property
    def count(self):
        return self._count

    def update_state(self, values, sample_weight=None):
        values = to_metric_tensor(values, self.dtype)
        if self._shape is not None and tuple(values.shape) != self._shape:
            raise ValueError(
                "MeanTensor input values must always have the same shape. Expected shape (set "
                f"during the first call): {self._shape}. Got: {tuple(values.shape)}.")
        weighted, weights = _weigh_elementwise(values, sample_weight)
        if self._shape is None:
            self._build(tuple(values.shape))
        self._total.assign_add(weighted)
        self._count.assign_add(weights)

    def result(self):
        if self._shape is None:
            raise ValueError(
                "MeanTensor does not have any value yet. Please call the MeanTensor instance or "
                "use `.update_state(value)` before retrieving the result.")
        return math_ops.divide_no_nan(self._total, self._count)

    def reset_state(self):
        if self._shape is not None:
            super().reset_state()


def _weigh_elementwise(values, sample_weight):
    """(values * w, w) with w broadcast to the values' shape; no axis is folded here."""
    if sample_weight is None:
        return values, creation_ops.ones_like(values)
    weights = match_weight_rank(values, math_ops.cast(sample_weight, values.dtype))
    w_shape, v_shape = tuple(weights.shape), tuple(values.shape)
    if w_shape and (len(w_shape) != len(v_shape)
                    or any(w not in (1, v) for w, v in zip(w_shape, v_shape))):
        raise _incompatible(w_shape, v_shape)
    weights = array_ops.broadcast_to(weights, v_shape)
    return math_ops.multiply(values, weights), weights


__all__ = ["Mean", "MeanMetricWrapper", "MeanTensor", "Sum", "config_value", "match_weight_rank",
           "squeeze_trailing_one", "to_metric_tensor", "weigh"]
