"""``keras.utils``: seeding, nested structures, model summaries and model plots, and
``unpack_x_y_sample_weight`` / ``pack_x_y_sample_weight`` (owned by trainers/data_adapters)."""
import random

import numpy as np

from refkeras.backend import session
from refkeras.trainers.data_adapters.data_adapter_utils import (
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from refkeras.utils import data_utils, layer_utils, nest
from refkeras.utils.data_utils import get_file
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


__all__ = ["Progbar", "Sequence", "data_utils", "get_file", "layer_utils", "model_to_dot", "nest", "pack_x_y_sample_weight",
           "plot_model", "set_random_seed", "unpack_x_y_sample_weight"]
