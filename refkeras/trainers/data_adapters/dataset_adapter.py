"""DatasetAdapter: a ``refkeras.data.Dataset`` whose elements are whole batches.

Clauses: FIT.DATASET, FIT.STEPS_PER_EPOCH, FIT.VALIDATION.STEPS, WEIGHTING.DATASET,
PIT.STEPS_RUN_OUT (docs/spec.md).

Rule. Each element is one batch: ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.
An epoch is the dataset's cardinality in batches (unknown after ``filter``; then the
first epoch finds out by running to the end). ``y=``, ``sample_weight=`` and an
infinite dataset without ``steps`` are errors; ``batch_size`` is ignored (tf_keras
neither errs nor warns). The dataset is iterated afresh every epoch unless ``steps``
is given and differs from its cardinality: then one iterator is read on across
epochs, as tf_keras does::

    recreate each epoch  <=>  steps is None or steps == cardinality

Who owns what: the Dataset owns its element order (its own ``shuffle``); this adapter
owns the checks and when to start a new pass; the EpochIterator owns running out.

>>> import numpy as np
>>> from refkeras.data import Dataset
>>> ds = Dataset.from_tensor_slices((np.arange(5), np.arange(5))).batch(2)
>>> adapter = DatasetAdapter(ds)
>>> adapter.num_batches, [b[0].tolist() for b in adapter.make_iterator()]
(3, [[0, 1], [2, 3], [4]])
"""
from refkeras.data.dataset import INFINITE
from refkeras.utils import nest


class DatasetAdapter:
    def __init__(self, x, y=None, sample_weight=None, steps=None):
        if not _none_or_empty(y):
            raise ValueError("`y` argument is not supported when using dataset as input.")
        if not _none_or_empty(sample_weight):
            raise ValueError("`sample_weight` argument is not supported when using dataset "
                             "as input.")
        self._dataset = x
        self._cardinality = x._cardinality
        if steps is None and self._cardinality == INFINITE:
            raise ValueError("When providing an infinite dataset, you must specify the number "
                             "of steps to run (if you did not intend to create an infinite "
                             "dataset, make sure to not call `repeat()` on the dataset).")
        self._steps = steps
        self.num_batches = self._cardinality if self._cardinality >= 0 else None

    def make_iterator(self):
        # Elements keep their numpy leaves: no Tensor wrapping on the training path.
        return self._dataset._make_iterator()

    def should_recreate_iterator(self):
        return self._steps is None or self._steps == self._cardinality

    def on_epoch_end(self):
        pass


def _none_or_empty(value):
    return value is None or not nest.flatten(value)


__all__ = ["DatasetAdapter"]
