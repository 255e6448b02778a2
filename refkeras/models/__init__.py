"""``keras.models``: Model, Sequential, and the Functional model behind ``keras.Model(inputs, outputs)``."""
from refkeras.models.functional import Functional
from refkeras.models.model import Model
from refkeras.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential"]
