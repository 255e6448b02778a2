"""``keras.losses``: the 16 built-in losses of Keras 2, as classes, functions and names.

Clauses: LOSS.BUILTIN, LOSS.REGRESSION, LOSS.PROBABILISTIC, LOSS.HINGE, LOSS.REDUCTION,
LOSS.CONFIG, LOSS.STRINGS, LOSS.CUSTOM, LOSS.GRADIENTS, LOSS.BAD_INPUT, LOSS.SANE_INPUT
(docs/spec.md).

Module map: ``loss.py`` (Loss base, Reduction, weighting and reduction),
``loss_function_wrapper.py`` (LossFunctionWrapper), ``regression.py``,
``probabilistic.py``, ``hinge.py`` (each function beside its class), ``_inputs.py``
(the input rules they share). This module owns the name table.

``get(identifier)`` resolves ``compile(loss=...)``'s argument as tf_keras 2.21::

    None                          -> None
    "mse", "mean_squared_error", ... (a function's name or alias) -> the function
    "MeanSquaredError", ...       -> a new instance of the class
    {"class_name", "config"}      -> Class.from_config(config)
    a callable (function or Loss) -> itself
    anything else                 -> ValueError "Could not interpret loss function identifier"

An unknown name raises ValueError "Unknown loss function: 'nope'. ..." followed by
the valid names (tf_keras lists none).

>>> get("mse") is mean_squared_error, type(get("Huber")).__name__
(True, 'Huber')
"""
from refkeras.losses.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from refkeras.losses.loss import Loss, Reduction, compute_weighted_loss
from refkeras.losses.loss_function_wrapper import LossFunctionWrapper
from refkeras.losses.probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from refkeras.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from refkeras.utils.registry import Registry

# tf_keras's short names for the functions
bce = BCE = binary_crossentropy
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
huber_loss = huber

CLASSES = (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, KLDivergence, Poisson, CosineSimilarity, Hinge, SquaredHinge,
    CategoricalHinge, Huber, LogCosh,
)
FUNCTIONS = (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, binary_crossentropy, binary_focal_crossentropy,
    categorical_crossentropy, sparse_categorical_crossentropy, kl_divergence, poisson,
    cosine_similarity, hinge, squared_hinge, categorical_hinge, huber, log_cosh,
)
ALIASES = {
    "bce": bce, "BCE": BCE, "mse": mse, "MSE": MSE, "mae": mae, "MAE": MAE, "mape": mape,
    "MAPE": MAPE, "msle": msle, "MSLE": MSLE, "kld": kld, "KLD": KLD,
    "kullback_leibler_divergence": kl_divergence, "logcosh": logcosh, "huber_loss": huber,
}
IDENTIFIERS = {
    **{cls.__name__: cls for cls in CLASSES},
    **{fn.__name__: fn for fn in FUNCTIONS},
    **ALIASES,
}
REGISTRY = Registry("loss function", "keras.losses", Loss, IDENTIFIERS)


def get(identifier):
    """A loss from a name, a config dict or a callable (see the module docstring)."""
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss function identifier: {identifier}")


def deserialize(name, custom_objects=None, use_legacy_format=False):
    """The loss a name or a ``serialize`` dict stands for: a class name gives a new
    instance, a function name the function."""
    if isinstance(name, str):
        target = REGISTRY.lookup(name, custom_objects)
        return target() if isinstance(target, type) else target
    return REGISTRY.deserialize(name, custom_objects)


def serialize(loss, use_legacy_format=False):
    """tf_keras's dict for a Loss object: {"module", "class_name", "config", "registered_name"}."""
    return REGISTRY.serialize(loss, use_legacy_format=use_legacy_format)


__all__ = [
    "BCE",
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "Reduction",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "bce",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_hinge",
    "compute_weighted_loss",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "huber_loss",
    "kl_divergence",
    "kld",
    "kullback_leibler_divergence",
    "log_cosh",
    "logcosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
]
