"""Input rules shared by the loss functions: dtypes, ranks, hyper-parameters, logits.

Clauses: LOSS.BAD_INPUT, LOSS.SANE_INPUT, LOSS.BUILTIN (docs/spec.md).

Rule. Every loss function converts ``y_pred`` to a Tensor and casts ``y_true`` to its
dtype, as tf_keras. Where tf_keras accepts nonsense, refkeras raises first:

* an integer or bool ``y_pred`` -> TypeError (tf_keras computes an integer loss,
  truncated: MSE of [[1, 1]] against [[1, 2]] is 0 there);
* element-wise losses need ``rank(y_true) == rank(y_pred)`` -> InvalidArgumentError
  "Incompatible shapes" (tf_keras broadcasts (3,) against (3, 3), pairing each
  sample with the wrong labels, whenever the sizes happen to line up);
* a hyper-parameter out of its range (label_smoothing outside [0, 1], a negative or
  non-finite delta or gamma, alpha outside [0, 1]) -> ValueError naming it.

``logits_of(y_pred)`` returns the ``_keras_logits`` that keras.activations.softmax
and sigmoid leave on their outputs (refkeras/activations/activations.py), or None.
Owned by the losses package (issue 5).

>>> check_range("label_smoothing", 0.1, 0.0, 1.0)
0.1
"""
import math
import warnings

from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.ops import math_ops


def prediction(y_pred, fn_name):
    """``y_pred`` as a floating Tensor (TypeError for integer or bool predictions)."""
    y_pred = convert_to_tensor(y_pred)
    if y_pred.dtype.kind != "f":
        raise TypeError(
            f"`{fn_name}` expects a floating-point `y_pred` (float16, float32 or float64); "
            f"received y_pred of dtype {y_pred.dtype.name}. Cast the predictions to float first.")
    return y_pred


def inputs(y_true, y_pred, fn_name):
    """(y_true cast to y_pred's dtype, y_pred) for a loss function."""
    y_pred = prediction(y_pred, fn_name)
    return math_ops.cast(y_true, y_pred.dtype), y_pred


def elementwise_inputs(y_true, y_pred, fn_name):
    """``inputs`` plus the equal-rank rule of element-wise losses."""
    y_true, y_pred = inputs(y_true, y_pred, fn_name)
    if len(y_true.shape) != len(y_pred.shape):
        raise InvalidArgumentError(
            f"Incompatible shapes: {list(y_pred.shape)} vs. {list(y_true.shape)}: `{fn_name}` "
            f"needs y_true and y_pred of the same rank (a trailing axis of size 1 is squeezed by "
            f"the loss classes); received y_true.shape={tuple(y_true.shape)} and "
            f"y_pred.shape={tuple(y_pred.shape)}.", fn_name)
    return y_true, y_pred


def check_range(name, value, low, high):
    """``value`` if it is a finite number in [low, high], else ValueError naming ``name``."""
    number = float(value.numpy()) if hasattr(value, "numpy") else value
    if isinstance(number, bool) or not isinstance(number, (int, float)) \
            or not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"`{name}` must be a finite number in [{low}, {high}]. "
                         f"Received: {name}={value!r}")
    return value


def check_axis(axis):
    if isinstance(axis, bool):   # tf_keras raises ValueError here, not TypeError
        raise ValueError(  # noqa: TRY004
            f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")
    return axis


def logits_of(y_pred, from_logits, activation, fn_name):
    """(tensor, from_logits) to compute with: the logits a Keras activation left on
    ``y_pred``, if any (whatever ``from_logits`` says), else ``y_pred`` itself."""
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None:
        return y_pred, from_logits
    if from_logits:
        warnings.warn(f'"`{fn_name}` received `from_logits=True`, but the `output` argument was '
                      f"produced by a {activation} activation and thus does not represent logits. "
                      "Was this intended?", stacklevel=3)
    return logits, True


__all__ = ["check_axis", "check_range", "elementwise_inputs", "inputs", "logits_of", "prediction"]
