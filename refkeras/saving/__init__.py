"""``keras.saving``: weights files now, whole models (``model.save``, ``load_model``) next.

* ``atomic.py``               every file is written beside its target, then renamed over it;
* ``sealed_h5.py``            a SHA-256 in HDF5's user block, checked before HDF5 reads;
* ``legacy_h5_format.py``     Keras 2's HDF5 weights layout, and pairing arrays with variables;
* ``weights.py``              ``save_weights`` / ``load_weights``: paths, formats, errors;
* ``object_registration.py``  ``register_keras_serializable`` and custom-object scopes;
* ``serialization_lib.py``    objects to tf_keras's config dicts and back.
"""
from refkeras.saving.atomic import atomic_write
from refkeras.saving.model_files import load_model, save_model
from refkeras.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from refkeras.saving.serialization_lib import (
    deserialize_keras_object,
    serialize_keras_object,
)
from refkeras.saving.weights import load_weights, save_weights

__all__ = ["CustomObjectScope", "atomic_write", "custom_object_scope",
           "deserialize_keras_object", "get_custom_objects", "get_registered_name",
           "get_registered_object", "load_model", "load_weights",
           "register_keras_serializable", "save_model", "save_weights", "serialize_keras_object"]
