"""``keras.backend``: the session (names, random state) and Keras's global settings."""
from refkeras.backend.session import clear_session, current, set_seed


def floatx():
    """The default float type of Keras layers: always 'float32' in refkeras."""
    return "float32"


def epsilon():
    """The fuzz factor Keras adds to avoid division by zero: 1e-07."""
    return 1e-07


def std(x, axis=None, keepdims=False):
    """Standard deviation (``tf.math.reduce_std``); a KerasTensor gives a KerasTensor."""
    return _math("reduce_std")(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean (``tf.math.reduce_mean``); a KerasTensor gives a KerasTensor."""
    return _math("reduce_mean")(x, axis=axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):
    """Sum (``tf.math.reduce_sum``); a KerasTensor gives a KerasTensor."""
    return _math("reduce_sum")(x, axis=axis, keepdims=keepdims)


def get_value(x):
    """The numpy value of a Variable or Tensor (a Python number stays as it is)."""
    return x.numpy() if hasattr(x, "numpy") else x


def set_value(x, value):
    """``x.assign(value)`` for a Variable: the seed's way to change a learning rate from a
    callback (clause OPT.LR_DYNAMIC)."""
    if not hasattr(x, "assign"):
        raise TypeError(f"set_value needs a Variable (something with assign); received "
                        f"{type(x).__name__} {x!r}.")
    x.assign(value)


def _math(name):
    # Imported at call time: refkeras.compat imports the ops, which import this module.
    from refkeras.compat.tf import math
    return getattr(math, name)


__all__ = ["clear_session", "current", "epsilon", "floatx", "get_value", "mean", "set_seed",
           "set_value", "std", "sum"]
