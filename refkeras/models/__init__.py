"""``keras.models``: Model, Sequential, and the Functional model behind ``keras.Model(inputs, outputs)``."""
from refkeras.models.functional import Functional
from refkeras.models.model import Model
from refkeras.models.sequential import Sequential


def model_from_json(json_string, custom_objects=None):
    """The model ``model.to_json()`` describes, with new weights."""
    import json

    from refkeras.saving.serialization_lib import deserialize_keras_object
    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)


def model_from_config(config, custom_objects=None):
    from refkeras.saving.serialization_lib import deserialize_keras_object
    return deserialize_keras_object(config, custom_objects=custom_objects)


__all__ = ["Functional", "Model", "Sequential", "model_from_config", "model_from_json"]
