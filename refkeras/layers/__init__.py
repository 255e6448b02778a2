"""``keras.layers``: every built-in layer, re-exported by its Keras name.

Folders by concept, one file per class: ``core/`` (Dense, Activation, Embedding,
Lambda, the input layer, the TF-op layer), ``convolutional/``, ``pooling/``,
``normalization/``, ``reshaping/``, ``merging/`` (with the lower-case functional
forms ``add``, ``concatenate`` ...), ``activation/`` and ``regularization/``.
``layer.py`` holds the Layer base, ``input_spec.py`` the input checks.

Who owns what: this file only re-exports; each folder's ``__init__`` names its
owner.

>>> import refkeras as keras
>>> keras.layers.Concatenate().get_config()["axis"]
-1
"""
from refkeras.layers.activation.elu import ELU
from refkeras.layers.activation.leaky_relu import LeakyReLU
from refkeras.layers.activation.relu import ReLU
from refkeras.layers.activation.softmax import Softmax
from refkeras.layers.convolutional.conv1d import Conv1D, Convolution1D
from refkeras.layers.convolutional.conv2d import Conv2D, Convolution2D
from refkeras.layers.core.activation import Activation
from refkeras.layers.core.dense import Dense
from refkeras.layers.core.embedding import Embedding
from refkeras.layers.core.input_layer import Input, InputLayer
from refkeras.layers.core.lambda_layer import Lambda
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer
from refkeras.layers.merging.add import Add, add
from refkeras.layers.merging.average import Average, average
from refkeras.layers.merging.concatenate import Concatenate, concatenate
from refkeras.layers.merging.maximum import Maximum, maximum
from refkeras.layers.merging.minimum import Minimum, minimum
from refkeras.layers.merging.multiply import Multiply, multiply
from refkeras.layers.merging.subtract import Subtract, subtract
from refkeras.layers.normalization.batch_normalization import BatchNormalization
from refkeras.layers.normalization.layer_normalization import LayerNormalization
from refkeras.layers.pooling.average_pooling1d import AveragePooling1D, AvgPool1D
from refkeras.layers.pooling.average_pooling2d import AveragePooling2D, AvgPool2D
from refkeras.layers.pooling.global_average_pooling1d import (
    GlobalAveragePooling1D,
    GlobalAvgPool1D,
)
from refkeras.layers.pooling.global_average_pooling2d import (
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
)
from refkeras.layers.pooling.global_max_pooling1d import (
    GlobalMaxPool1D,
    GlobalMaxPooling1D,
)
from refkeras.layers.pooling.global_max_pooling2d import (
    GlobalMaxPool2D,
    GlobalMaxPooling2D,
)
from refkeras.layers.pooling.max_pooling1d import MaxPool1D, MaxPooling1D
from refkeras.layers.pooling.max_pooling2d import MaxPool2D, MaxPooling2D
from refkeras.layers.regularization.activity_regularization import (
    ActivityRegularization,
)
from refkeras.layers.regularization.dropout import Dropout
from refkeras.layers.reshaping.flatten import Flatten
from refkeras.layers.reshaping.permute import Permute
from refkeras.layers.reshaping.repeat_vector import RepeatVector
from refkeras.layers.reshaping.reshape import Reshape


def serialize(layer, use_legacy_format=False):
    """tf_keras's dict for a layer: {"module", "class_name", "config", "registered_name",
    "build_config"} (saving/serialization_lib.py)."""
    from refkeras.saving.serialization_lib import serialize_keras_object
    if use_legacy_format:
        return {"class_name": type(layer).__name__, "config": layer.get_config()}
    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """A new layer (or model) from ``serialize``'s dict; custom classes by ``custom_objects``
    or ``register_keras_serializable``."""
    from refkeras.saving.serialization_lib import deserialize_keras_object
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Improper config format for {config}. Expecting python dict contains "
                         "`class_name` and `config` as keys")
    return deserialize_keras_object(config, custom_objects=custom_objects)


__all__ = [
    "ELU",
    "Activation",
    "ActivityRegularization",
    "Add",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNormalization",
    "Concatenate",
    "Conv1D",
    "Conv2D",
    "Convolution1D",
    "Convolution2D",
    "Dense",
    "Dropout",
    "Embedding",
    "Flatten",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Input",
    "InputLayer",
    "InputSpec",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "Maximum",
    "Minimum",
    "Multiply",
    "Permute",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "Softmax",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "deserialize",
    "maximum",
    "minimum",
    "multiply",
    "serialize",
    "subtract",
]
