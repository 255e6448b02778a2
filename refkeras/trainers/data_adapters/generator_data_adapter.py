"""GeneratorDataAdapter: a Python generator (or any iterator) yielding batches.

Clauses: FIT.OTHER_INPUTS, WEIGHTING.DATASET, PIT.STEPS_RUN_OUT (docs/spec.md).

Rule. Each item is one batch: ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``;
lists become tuples and numpy float arrays float32 (as tf_keras's generator adapter).
The first item is read at once (tf_keras peeks to learn the structure) and put back
in front. A generator cannot restart: the number of batches per epoch is unknown
until it ends, and a finite generator is exhausted after the first epoch, so the
next epoch finds no data (the EpochIterator reports "ran out"). ``y=`` and
``sample_weight=`` are errors; ``batch_size`` and ``shuffle`` are ignored.

Who owns what: the generator owns the batches; this adapter owns the checks and the
standardization; the EpochIterator owns epochs and running out.

>>> import numpy as np
>>> adapter = GeneratorDataAdapter(iter([(np.zeros(2), np.ones(2))]))
>>> [b[1].dtype.name for b in adapter.make_iterator()]
['float32']
"""
import itertools

from refkeras.trainers.data_adapters.data_adapter_utils import (
    floats_to_floatx,
    list_to_tuple,
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from refkeras.utils import nest


class GeneratorDataAdapter:
    kind = "python generator"

    def __init__(self, x, y=None, sample_weight=None):
        _reject_separate_targets(y, sample_weight, self.kind)
        try:
            first = next(x)
        except StopIteration:
            raise ValueError("Expected input data to be non-empty.") from None
        self.first_batch = standardize_batch(first)
        self._stream = itertools.chain([first], x)
        self.num_batches = None

    def make_iterator(self):
        # The same stream every time: a generator cannot be restarted.
        return (standardize_batch(data) for data in self._stream)

    def should_recreate_iterator(self):
        return False

    def on_epoch_end(self):
        pass


def standardize_batch(data):
    """A batch as tf_keras feeds it: Nones dropped, lists as tuples, floats as float32."""
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    data = list_to_tuple(pack_x_y_sample_weight(x, y, sample_weight))
    return nest.map_structure(floats_to_floatx, data)


def _reject_separate_targets(y, sample_weight, kind):
    if y is not None and nest.flatten(y):
        raise ValueError(f"`y` argument is not supported when using {kind} as input.")
    if sample_weight is not None and nest.flatten(sample_weight):
        raise ValueError(f"`sample_weight` argument is not supported when using {kind} as input.")


__all__ = ["GeneratorDataAdapter", "standardize_batch"]
