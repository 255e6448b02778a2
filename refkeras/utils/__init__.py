"""``keras.utils``: seeding, and nested structures."""
import random

import numpy as np

from refkeras.backend import session
from refkeras.utils import nest


def set_random_seed(seed):
    """Seed Python's, numpy's and refkeras's random generators at once (as Keras does)."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    session.set_seed(seed)


__all__ = ["nest", "set_random_seed"]
