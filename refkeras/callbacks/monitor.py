"""Which way a monitored log value improves: the "min" / "max" / "auto" modes.

Clauses: PIT.MODE_AUTO (docs/spec.md); used by MODEL_CHECKPOINT,
CALLBACKS.EARLY_STOPPING and CALLBACKS.REDUCE_LR_ON_PLATEAU.

The rule (tf_keras 2.21, measured). "min" means smaller is better, "max" larger.
Any other mode logs ``"<Callback> mode <mode> is unknown, fallback to auto mode."``
and becomes "auto". "auto" reads the monitor's name, and each callback reads it its
own way (tf_keras wrote three rules, and refkeras keeps all three rather than one
"sane" rule, so that a model trains the same on both):

- ModelCheckpoint: "max" iff "acc" occurs in the name or it starts with "fmeasure";
- EarlyStopping: "max" iff the name ends with "acc", "accuracy" or "auc";
- ReduceLROnPlateau: "max" iff "acc" occurs in the name.

So ``val_auc`` is maximised by EarlyStopping and minimised by the other two, and
``val_auc_1`` (a second AUC metric's name) is minimised by all three. The decision::

    if mode not in ("auto", "min", "max"):
        warn(f"{prefix} mode {mode} is unknown, fallback to auto mode."); mode = "auto"
    if mode == "auto":
        mode = "max" if AUTO_RULES[callback](monitor) else "min"
    monitor_op, worst = (np.greater, -np.inf) if mode == "max" else (np.less, np.inf)

How ``min_delta`` enters the comparison stays with each callback (their arithmetic
differs in tf_keras too).

>>> resolve_mode("auto", "val_auc", "EarlyStopping"), resolve_mode("auto", "val_auc", "ModelCheckpoint")
('max', 'min')
>>> comparison("max")
(<ufunc 'greater'>, -inf)
"""
import logging
import math
import numbers

import numpy as np

logger = logging.getLogger("refkeras")

MODES = ("auto", "min", "max")


def _checkpoint_maximises(monitor):
    return "acc" in monitor or monitor.startswith("fmeasure")


def _early_stopping_maximises(monitor):
    return monitor.endswith(("acc", "accuracy", "auc"))


def _plateau_maximises(monitor):
    return "acc" in monitor


# callback name -> (its "auto" rule: True means "max", the prefix of its unknown-mode warning)
AUTO_RULES = {
    "ModelCheckpoint": (_checkpoint_maximises, "ModelCheckpoint"),
    "EarlyStopping": (_early_stopping_maximises, "EarlyStopping"),
    "ReduceLROnPlateau": (_plateau_maximises, "Learning rate reduction"),
}


def resolve_mode(mode, monitor, callback):
    """"min" or "max" for ``mode`` as ``callback`` (a key of AUTO_RULES) reads it."""
    maximises, prefix = AUTO_RULES[callback]
    if mode not in MODES:
        # tf_keras logs and falls back instead of raising; matched (a documented Keras rule).
        logger.warning("%s mode %s is unknown, fallback to auto mode.", prefix, mode)
        mode = "auto"
    if mode == "auto":
        if not isinstance(monitor, str):
            raise TypeError(f"{callback}: monitor must be the name of a log key (a str); "
                            f"received monitor={monitor!r}.")
        return "max" if maximises(monitor) else "min"
    return mode


def comparison(mode):
    """(monitor_op, the worst value) for a resolved mode: np.greater/-inf or np.less/+inf."""
    return (np.greater, -np.inf) if mode == "max" else (np.less, np.inf)


# -- the arguments EarlyStopping and ReduceLROnPlateau share. tf_keras checks none of
# them (a negative patience or min_delta is used as given), so refkeras's checks diverge.
def check_count(callback, name, value):
    """``value`` if it is an int >= 0 (epochs or a number of epochs), else a clear error."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{callback}: `{name}` must be an integer number of epochs; "
                        f"received {name}={value!r} (of type {type(value).__name__}).")
    if value < 0:
        raise ValueError(f"{callback}: `{name}` must be >= 0; received {name}={value!r}.")
    return int(value)


def check_non_negative(callback, name, value):
    """``value`` if it is a finite real number >= 0, else a clear error."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{callback}: `{name}` must be a real number; received {name}={value!r} "
                        f"(of type {type(value).__name__}).")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{callback}: `{name}` must be a finite number >= 0; "
                         f"received {name}={value!r}.")
    return value


__all__ = ["AUTO_RULES", "MODES", "check_count", "check_non_negative", "comparison",
           "resolve_mode"]
