"""SequenceAdapter: a ``keras.utils.Sequence``, indexed batch by batch.

Clauses: FIT.SEQUENCE, FIT.VALIDATION.SPLIT_ONLY_ARRAYS (docs/spec.md).

Rule. An epoch is ``len(seq)`` batches, ``seq[i]`` being batch i (``x``, ``(x, y)`` or
``(x, y, sample_weight)``, standardized as a generator's). Batch 0 is read once when
the adapter is made (tf_keras inspects it). Every epoch starts a new pass over the
indices, in order, or, with ``shuffle=True``, in a fresh random order (the session's
generator); with ``steps_per_epoch`` shorter than ``len(seq)`` each epoch still
restarts at the top. ``on_epoch_end()`` calls ``seq.on_epoch_end()``. ``y=`` and
``sample_weight=`` are errors; ``batch_size`` is ignored.

Who owns what: the Sequence owns its batches and what ``on_epoch_end`` changes; this
adapter owns the index order; the EpochIterator calls ``on_epoch_end`` after epochs.

>>> import numpy as np
>>> from refkeras.utils import Sequence
>>> class Two(Sequence):
...     def __len__(self): return 2
...     def __getitem__(self, i): return np.full(3, i), np.zeros(3)
>>> [b[0].tolist() for b in SequenceAdapter(Two()).make_iterator()]
[[0, 0, 0], [1, 1, 1]]
"""
from refkeras.backend import session
from refkeras.trainers.data_adapters.generator_data_adapter import (
    _reject_separate_targets,
    standardize_batch,
)


class SequenceAdapter:
    kind = "`keras.utils.Sequence`"

    def __init__(self, x, y=None, sample_weight=None, shuffle=False):
        _reject_separate_targets(y, sample_weight, self.kind)
        self._sequence = x
        self.num_batches = len(x)
        if self.num_batches == 0:
            raise ValueError("Expected input data to be non-empty.")
        self.first_batch = standardize_batch(x[0])
        self._shuffle = bool(shuffle)

    def make_iterator(self):
        order = range(self.num_batches)
        if self._shuffle:
            order = session.current().rng.permutation(self.num_batches).tolist()
        return (standardize_batch(self._sequence[i]) for i in order)

    def should_recreate_iterator(self):
        return True

    def on_epoch_end(self):
        self._sequence.on_epoch_end()


__all__ = ["SequenceAdapter"]
