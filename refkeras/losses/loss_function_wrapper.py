"""LossFunctionWrapper: a loss function (``fn(y_true, y_pred, **kwargs)``) as a Loss object.

Clauses: LOSS.CONFIG, LOSS.REDUCTION (docs/spec.md).

Rule. Every built-in loss class is a LossFunctionWrapper around the function of the
same family (``MeanSquaredError`` wraps ``mean_squared_error``) with its options as
``fn`` keyword arguments. Before calling ``fn`` the wrapper lines up the ranks of
``y_true`` and ``y_pred`` as tf_keras does for tensors (``squeeze_or_expand``)::

    if rank(y_pred) - rank(y_true) != 1 or y_pred.shape[-1] == 1:
        rank(y_pred) == rank(y_true) + 1 and y_pred.shape[-1] == 1 -> squeeze y_pred's last axis
        rank(y_true) == rank(y_pred) + 1 and y_true.shape[-1] == 1 -> squeeze y_true's last axis

tf_keras skips this step when either input is not a tf.Tensor (numpy arrays, lists),
so ``MSE()(np.zeros(2), np.zeros((2, 1)))`` broadcasts to (2, 2) there; refkeras
converts first and always lines up (LOSS.SANE_INPUT).

``get_config()`` is ``{"reduction", "name", **fn_kwargs, "fn": fn.__name__}`` (the
key order of tf_keras); ``from_config`` of LossFunctionWrapper itself looks ``fn``
up by name, a subclass drops it (its ``__init__`` knows its function).

>>> from refkeras.losses.regression import mean_squared_error
>>> LossFunctionWrapper(mean_squared_error, name="w").get_config()
{'reduction': 'auto', 'name': 'w', 'fn': 'mean_squared_error'}
"""
from refkeras.framework.convert import convert_to_tensor
from refkeras.losses.loss import Loss, Reduction
from refkeras.ops import array_ops


class LossFunctionWrapper(Loss):
    def __init__(self, fn, reduction=Reduction.AUTO, name=None, **kwargs):
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_pred = convert_to_tensor(y_pred)
        y_true = convert_to_tensor(y_true)
        y_true, y_pred = squeeze_to_match(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        for key, value in self._fn_kwargs.items():
            config[key] = value.numpy().tolist() if hasattr(value, "numpy") else value
        config["fn"] = getattr(self.fn, "__name__", None)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn_name = config.pop("fn", None)
        if cls is LossFunctionWrapper and fn_name:
            from refkeras.losses import get  # the name table lives in the package
            config["fn"] = get(fn_name)
        return cls(**config)


def squeeze_to_match(y_true, y_pred):
    """Drop a trailing size-1 axis from whichever input has one more axis (see above)."""
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    diff = len(pred_shape) - len(true_shape)
    if diff == 1 and pred_shape[-1] != 1:
        return y_true, y_pred        # sparse labels: (N,) against (N, C)
    if diff == 1:
        return y_true, array_ops.squeeze(y_pred, [-1])
    if diff == -1 and true_shape[-1] == 1:
        return array_ops.squeeze(y_true, [-1]), y_pred
    return y_true, y_pred


__all__ = ["LossFunctionWrapper", "squeeze_to_match"]
