"""``keras.utils``: seeding, nested structures, model summaries and model plots."""
import random

import numpy as np

from refkeras.backend import session
from refkeras.utils import layer_utils, nest
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


__all__ = ["Sequence", "layer_utils", "model_to_dot", "nest", "plot_model", "set_random_seed"]
