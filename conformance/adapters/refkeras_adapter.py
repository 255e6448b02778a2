"""The refkeras backend: the only module of the suite that imports refkeras."""
import random

import numpy as np


class RefkerasAdapter:
    name = "refkeras"
    capabilities = frozenset({"gradient_tape", "custom_gradient", "variables", "tf_ops",
                              "add_metric", "symbolic_add_loss", "reset_states"})

    def __init__(self):
        import refkeras
        from refkeras.compat import tf
        self.keras = refkeras
        self.tf = tf
        self.version = refkeras.__version__

    def to_numpy(self, x):
        return np.asarray(x)

    def reset(self, seed=0):
        self.keras.backend.clear_session()
        self.keras.utils.set_random_seed(seed)
        random.seed(seed)


def ADAPTER():
    return RefkerasAdapter()
