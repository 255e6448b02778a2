"""The session: all state refkeras keeps between calls, in one object.

Clauses: MODEL.NAMES (name counters; issue 4), RANDOM.SEED (docs/spec.md).

Keras keeps process-wide state (the random generator behind ``tf.random`` and the
initializers, the counters that make default names ``dense``, ``dense_1`` ...).
refkeras keeps it in exactly one place, this ``Session``; ``clear_session()``
replaces it with a fresh one and ``set_seed`` reseeds its generator. Nothing else
in refkeras holds mutable module state.

>>> s = current()
>>> s.unique_name("dense"), s.unique_name("dense")
('dense', 'dense_1')
"""
import numpy as np


class Session:
    def __init__(self, seed=None):
        self.global_seed = seed
        self.rng = np.random.default_rng(seed)
        self._name_counts = {}

    def unique_name(self, base, zero_based=True):
        """``base``, then ``base_1``, ``base_2`` ... (Keras's rule); one-based: ``base_1`` first."""
        count = self._name_counts.get(base, 0)
        self._name_counts[base] = count + 1
        if not zero_based:
            return f"{base}_{count + 1}"
        return base if count == 0 else f"{base}_{count}"

    def generator(self, seed=None):
        """The session's generator, or a fresh one for an op-level seed."""
        if seed is None:
            return self.rng
        return np.random.default_rng([0 if self.global_seed is None else self.global_seed, int(seed)])


class _Holder:
    """Owns the current Session and the objects registered for deserialization; the
    single mutable object at module level. Registrations outlive ``clear_session``,
    as in tf_keras (saving/object_registration.py reads and writes them here)."""

    __slots__ = ("custom_object_scopes", "registered", "registered_names", "safe_mode",
                 "session")

    def __init__(self):
        self.session = Session()
        self.registered = {}              # "package>Name" -> class or function
        self.registered_names = {}        # class or function -> "package>Name"
        self.custom_object_scopes = []    # dicts of the active CustomObjectScopes, innermost last
        self.safe_mode = [True]           # load_model's safe_mode, innermost last


_HOLDER = _Holder()


def current():
    return _HOLDER.session


def registry():
    """The holder of registered objects and custom-object scopes (object_registration.py)."""
    return _HOLDER


def clear_session(seed=None):
    """Start a fresh session: name counters restart; the generator is reseeded."""
    _HOLDER.session = Session(seed if seed is not None else current().global_seed)


def set_seed(seed):
    """Reseed the generator behind ``tf.random`` ops (``tf.random.set_seed``)."""
    session = current()
    session.global_seed = None if seed is None else int(seed)
    session.rng = np.random.default_rng(session.global_seed)


__all__ = ["Session", "clear_session", "current", "registry", "set_seed"]
