"""``keras.metrics``: the built-in metrics of Keras 2, as classes, functions and names.

Clauses: METRIC.API, METRIC.STRINGS, METRIC.STRINGS.UNKNOWN (docs/spec.md).

Module map: ``metric.py`` (the Metric base), ``reduction_metrics.py``
(Sum, Mean, MeanMetricWrapper, MeanTensor), ``accuracy_metrics.py``,
``regression_metrics.py``, ``probabilistic_metrics.py``, ``hinge_metrics.py``,
``confusion_metrics.py`` (with ``metrics_utils.py``), ``auc.py``, ``iou_metrics.py``.
This module owns the name table.

``get(identifier)`` resolves ``compile(metrics=[...])``'s entries as tf_keras 2.21::

    "accuracy", "mse", "binary_crossentropy", ... (a function name or alias) -> the function
    "Mean", "BinaryAccuracy", ... (a class name)  -> a new instance of the class
    {"class_name", "config"}                       -> Class.from_config(config)
    a callable (function, Metric class or object)  -> itself
    anything else (None, 3, ...)                   -> ValueError "Could not interpret metric identifier"

An unknown name raises ValueError naming it and listing the valid names (tf_keras
returns the string itself, METRIC.STRINGS.UNKNOWN). ``serialize`` gives tf_keras's
dict; a function serializes as ``{"module": "builtins", "class_name": "function",
"config": <its name>, "registered_name": "function"}``.

>>> get("mse") is mean_squared_error, type(get("BinaryAccuracy")).__name__
(True, 'BinaryAccuracy')
"""
import warnings

from refkeras.losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    hinge,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from refkeras.losses import categorical_hinge as _categorical_hinge
from refkeras.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from refkeras.metrics.accuracy_metrics import accuracy as _accuracy
from refkeras.metrics.auc import AUC
from refkeras.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from refkeras.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from refkeras.metrics.iou_metrics import (
    BinaryIoU,
    IoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
from refkeras.metrics.metric import Metric
from refkeras.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from refkeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, MeanTensor, Sum
from refkeras.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
)
from refkeras.metrics.regression_metrics import cosine_similarity as _cosine_similarity
from refkeras.utils.registry import Registry

# tf_keras's short names, public as keras.metrics.<name>
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

# Every string get() resolves to a function. accuracy, cosine_similarity and
# categorical_hinge resolve although tf_keras does not export them as attributes.
FUNCTIONS = {
    "accuracy": _accuracy, "acc": _accuracy, "ACC": _accuracy,
    "binary_accuracy": binary_accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    "mean_squared_error": mean_squared_error, "mse": mse, "MSE": MSE,
    "mean_absolute_error": mean_absolute_error, "mae": mae, "MAE": MAE,
    "mean_absolute_percentage_error": mean_absolute_percentage_error, "mape": mape, "MAPE": MAPE,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error, "msle": msle,
    "MSLE": MSLE,
    "cosine_similarity": _cosine_similarity, "cosine_proximity": _cosine_similarity,
    "log_cosh": log_cosh, "logcosh": logcosh,
    "kl_divergence": kl_divergence, "kld": kld, "KLD": KLD,
    "kullback_leibler_divergence": kullback_leibler_divergence,
    "poisson": poisson,
    "hinge": hinge, "squared_hinge": squared_hinge, "categorical_hinge": _categorical_hinge,
    "binary_crossentropy": binary_crossentropy,
    "binary_focal_crossentropy": binary_focal_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}


def metric_classes():
    """{class name: class} for every Metric subclass this package exports."""
    exported = {name: globals()[name] for name in __all__}
    return {name: obj for name, obj in exported.items()
            if isinstance(obj, type) and issubclass(obj, Metric) and obj is not Metric}


def _registry():
    return Registry("metric", "keras.metrics", Metric, {**metric_classes(), **FUNCTIONS},
                    interpret_as="metric")


def get(identifier):
    """A metric function or a new Metric object for ``identifier`` (module docstring)."""
    if isinstance(identifier, (dict, str)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier}")


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """The function or a new Metric for a name or a ``{"class_name", "config"}`` dict."""
    registry = _registry()
    if isinstance(config, str):
        target = registry.lookup(config, custom_objects)
        return target() if isinstance(target, type) else target
    if isinstance(config, dict) and config.get("class_name") == "function":
        return registry.lookup(config.get("config"), custom_objects)
    return registry.deserialize(config, custom_objects)


def serialize(metric, use_legacy_format=False):
    """tf_keras's dict form of a Metric (a function gives its name, with a warning)."""
    if metric is None:
        return None
    if not isinstance(metric, Metric):
        warnings.warn(
            "The `keras.metrics.serialize()` API should only be used for objects of type "
            f"`keras.metrics.Metric`. Found an instance of type {type(metric)}, which may lead "
            "to improper serialization.", stacklevel=2)
        if use_legacy_format:
            return metric.__name__
        return {"module": "builtins", "class_name": "function", "config": metric.__name__,
                "registered_name": "function"}
    serialized = _registry().serialize(metric, use_legacy_format=use_legacy_format)
    fn = serialized["config"].get("fn")
    if callable(fn):          # MeanMetricWrapper: its function nests as a function dict
        serialized["config"]["fn"] = {"module": "builtins", "class_name": "function",
                                      "config": fn.__name__, "registered_name": "function"}
    return serialized


__all__ = [
    "AUC",
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "FalseNegatives",
    "FalsePositives",
    "Hinge",
    "IoU",
    "KLDivergence",
    "LogCoshError",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "MeanTensor",
    "Metric",
    "OneHotIoU",
    "OneHotMeanIoU",
    "Poisson",
    "Precision",
    "PrecisionAtRecall",
    "Recall",
    "RecallAtPrecision",
    "RootMeanSquaredError",
    "SensitivityAtSpecificity",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SpecificityAtSensitivity",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "binary_accuracy",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "deserialize",
    "get",
    "hinge",
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
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
    "top_k_categorical_accuracy",
]
