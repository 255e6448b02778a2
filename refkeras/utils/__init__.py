"""``keras.utils``: seeding, nested structures, model summaries and model plots,
``unpack_x_y_sample_weight`` / ``pack_x_y_sample_weight`` (owned by trainers/data_adapters)
and the serialization helpers tf_keras also lists here (owned by saving/)."""
import random

import numpy as np

from refkeras.backend import session
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
from refkeras.trainers.data_adapters.data_adapter_utils import (
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from refkeras.utils import data_utils, layer_utils, nest
from refkeras.utils.data_utils import get_file
from refkeras.utils.plotting import plot_history
from refkeras.utils.progbar import Progbar
from refkeras.utils.sequence import Sequence
from refkeras.utils.vis_utils import model_to_dot, plot_model


def set_random_seed(seed):
    """Seed Python's, numpy's and refkeras's random generators at once (as Keras does)."""
    if not isinstance(seed, int):
        raise ValueError(  # noqa: TRY004 -- tf_keras raises ValueError here
            f"Expected `seed` argument to be an integer. Received: seed={seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    session.set_seed(seed)


__all__ = ["CustomObjectScope", "Progbar", "Sequence", "custom_object_scope", "data_utils",
           "deserialize_keras_object", "get_custom_objects", "get_file", "get_registered_name",
           "get_registered_object", "layer_utils", "model_to_dot", "nest",
           "pack_x_y_sample_weight", "plot_history", "plot_model", "register_keras_serializable",
           "serialize_keras_object", "set_random_seed", "unpack_x_y_sample_weight"]
