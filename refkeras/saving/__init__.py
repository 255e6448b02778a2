"""Saving: weights files now; whole models (``model.save``, ``load_model``) come next.

* ``atomic.py``            every file is written beside its target, then renamed over it;
* ``legacy_h5_format.py``  Keras 2's HDF5 weights layout, and pairing saved arrays with variables;
* ``weights.py``           ``save_weights`` / ``load_weights``: paths, formats, errors.
"""
from refkeras.saving.atomic import atomic_write
from refkeras.saving.weights import load_weights, save_weights

__all__ = ["atomic_write", "load_weights", "save_weights"]
