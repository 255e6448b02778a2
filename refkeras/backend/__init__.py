"""``keras.backend``: the session (names, random state) and Keras's global settings."""
from refkeras.backend.session import clear_session, current, set_seed


def floatx():
    """The default float type of Keras layers: always 'float32' in refkeras."""
    return "float32"


def epsilon():
    """The fuzz factor Keras adds to avoid division by zero: 1e-07."""
    return 1e-07


__all__ = ["clear_session", "current", "set_seed", "floatx", "epsilon"]
