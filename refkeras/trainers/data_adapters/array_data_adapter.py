"""ArrayDataAdapter: batches cut from arrays held in memory.

Clauses: FIT.BATCHING, FIT.SHUFFLE, FIT.SHUFFLE.BATCH, FIT.STEPS_PER_EPOCH, FIT.OTHER_INPUTS,
WEIGHTING.CLASS (docs/spec.md).

Rule. numpy arrays, refkeras Tensors, pandas Series/DataFrames, nested lists/tuples/
dicts of those, and flat Python lists of numbers are sliced along their first axis.
With n samples and batch size b (default 32, or ceil(n / steps) when only ``steps``
is given) an epoch is ceil(n / b) batches, the last one holding n mod b samples.
The adapter makes one stream of ``epochs`` passes, each pass cut from an order of the
sample indices::

    shuffle=False    order = 0..n-1
    shuffle=True     order = a fresh permutation per pass (the session's generator)
    shuffle="batch"  chunks [0..b), [b..2b), ... kept together; per pass the chunks come
                     in a fresh order and each chunk is permuted within itself

With ``steps_per_epoch`` the epochs read on along this stream, so an epoch may start
mid-pass, and the stream runs out after ``epochs`` passes (tf_keras's rule). Slicing
uses the precomputed order (a view when unshuffled), never a loop over samples.
``shuffle="batch"`` applies one permutation to x, y and sample_weight alike: tf_keras
permutes each of them independently, breaking the x-y pairs (a bug; see FIT.SHUFFLE.BATCH).

Who owns what: this adapter owns the index order and the slicing; the EpochIterator
owns epochs; the session owns the random generator.

>>> import numpy as np
>>> adapter = ArrayDataAdapter(np.arange(10), np.arange(10), batch_size=4)
>>> [b[0].tolist() for b in adapter.make_iterator()]
[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
"""
import math

import numpy as np

from refkeras.backend import session
from refkeras.trainers.data_adapters.data_adapter_utils import (
    check_data_cardinality,
    is_array_leaf,
    is_list_of_scalars,
    leaf_to_numpy,
    list_to_tuple,
    make_class_weighter,
    pack_x_y_sample_weight,
)
from refkeras.utils import nest


class ArrayDataAdapter:
    @staticmethod
    def can_handle(x, y=None):
        if is_list_of_scalars(x) and (y is None or is_list_of_scalars(y)):
            return True
        leaves = nest.flatten(x) + ([] if y is None else nest.flatten(y))
        return all(leaf is None or is_array_leaf(leaf) for leaf in leaves)

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, epochs=1, class_weight=None):
        x, y, sample_weight = (_to_arrays(part) for part in (x, y, sample_weight))
        check_data_cardinality((x, y, sample_weight))
        if class_weight:
            # Folded in once for the whole array: missing classes fail before training.
            sample_weight = make_class_weighter(class_weight)(y, sample_weight)
        self._data = pack_x_y_sample_weight(x, y, sample_weight)
        self._leaves = nest.flatten(self._data)
        self.num_samples = _num_samples(self._leaves)
        # EXERCISE 6.1: the batch size and the number of batches | FIT.BATCHING
        # hint: batch_size defaults to 32 (or ceil(num_samples / steps) when only steps
        # hint: is given); an epoch is ceil(num_samples / batch_size) batches. Set
        # hint: self.batch_size and self.num_batches.
        if not batch_size:
            batch_size = math.ceil(self.num_samples / steps) if steps and steps > 0 else 32
        self.batch_size = int(batch_size)
        self.num_batches = math.ceil(self.num_samples / self.batch_size)
        # END EXERCISE 6.1
        self._shuffle = shuffle
        self._epochs = epochs

    def make_iterator(self):
        """All ``epochs`` passes as one stream of packed batches."""
        for _ in range(self._epochs):
            for indices in self._pass_indices():
                yield self._take(indices)

    def should_recreate_iterator(self):
        return False        # one stream for the whole fit: steps_per_epoch reads on along it

    def on_epoch_end(self):
        pass

    # ----------------------------------------------------------------- one pass
    def _pass_indices(self):
        """The index slices (or arrays of indices) of one pass, in batch order."""
        # EXERCISE 6.2: one pass over the data: batches in order or shuffled | FIT.BATCHING FIT.SHUFFLE
        # hint: without shuffling, consecutive slices of batch_size (the last one
        # hint: shorter); shuffle=True permutes all samples each pass (rng =
        # hint: session.current().rng) and cuts the permutation into batches;
        # hint: shuffle='batch' shuffles the batches and the samples within each batch.
        n, b = self.num_samples, self.batch_size
        starts = range(0, n, b)
        if not self._shuffle:
            return [slice(s, min(s + b, n)) for s in starts]
        rng = session.current().rng
        if self._shuffle == "batch":
            chunks = [np.arange(s, min(s + b, n)) for s in starts]
            return [rng.permutation(chunks[i]) for i in rng.permutation(len(chunks))]
        order = rng.permutation(n)
        return [order[s:s + b] for s in starts]
        # END EXERCISE 6.2

    def _take(self, indices):
        return nest.pack_sequence_as(self._data, [None if leaf is None else leaf[indices]
                                                  for leaf in self._leaves])


def _to_arrays(part):
    if part is None:
        return None
    if is_list_of_scalars(part):
        return leaf_to_numpy(np.asarray(part))
    return nest.map_structure(leaf_to_numpy, list_to_tuple(part))


def _num_samples(leaves):
    present = [leaf for leaf in leaves if leaf is not None]
    if not present:
        raise ValueError("Expected input data to be non-empty.")
    return int(present[0].shape[0])


__all__ = ["ArrayDataAdapter"]
