"""``keras.models``: Model, Sequential, and the Functional model behind ``keras.Model(inputs, outputs)``."""
from refkeras.models.functional import Functional
from refkeras.models.model import Model
from refkeras.models.sequential import Sequential


def model_from_json(json_string, custom_objects=None):
    """The model ``model.to_json()`` describes, with new weights."""
    import json

    from refkeras.saving.serialization_lib import deserialize_keras_object
    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True, **kwargs):
    """The model ``model.save(filepath)`` wrote (refkeras/saving/model_files.py)."""
    from refkeras.saving import model_files
    return model_files.load_model(filepath, custom_objects, compile, safe_mode, **kwargs)


def model_from_config(config, custom_objects=None):
    from refkeras.saving.serialization_lib import deserialize_keras_object
    return deserialize_keras_object(config, custom_objects=custom_objects)


__all__ = ["Functional", "Model", "Sequential", "load_model", "model_from_config",
           "model_from_json"]
