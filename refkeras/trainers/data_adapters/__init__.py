"""Data adapters: every kind of input ``fit`` accepts, turned into a stream of batches.

Clauses: FIT.BATCHING, FIT.SHUFFLE, FIT.DATASET, FIT.SEQUENCE, FIT.OTHER_INPUTS,
FIT.VALIDATION.SPLIT, FIT.VALIDATION.SPLIT_ONLY_ARRAYS (docs/spec.md).

Rule. ``get_data_adapter`` picks one adapter by the kind of ``x`` (first match wins)::

    refkeras.data.Dataset                  -> DatasetAdapter     (elements are batches)
    keras.utils.Sequence                   -> SequenceAdapter    (seq[i] is batch i)
    a generator or other iterator          -> GeneratorDataAdapter
    arrays, Tensors, pandas, nested        -> ArrayDataAdapter   (sliced into batches)
      structures of them, lists of numbers
    anything else                          -> ValueError "Failed to find data adapter ..."

Every adapter offers ``num_batches`` (per epoch, or None when unknown),
``make_iterator()`` (batches packed as ``x``, ``(x, y)`` or ``(x, y, sample_weight)``
with numpy leaves), ``should_recreate_iterator()`` and ``on_epoch_end()``.

Who owns what: each adapter owns one kind of input; ``epoch_iterator.py`` owns epochs,
steps and running out; ``data_adapter_utils.py`` owns packing, splits, class weights.

>>> import numpy as np
>>> adapter = get_data_adapter(np.arange(5), batch_size=2)
>>> type(adapter).__name__, adapter.num_batches
('ArrayDataAdapter', 3)
"""
from refkeras.data.dataset import Dataset
from refkeras.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from refkeras.trainers.data_adapters.data_adapter_utils import (
    describe_type,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)
from refkeras.trainers.data_adapters.dataset_adapter import DatasetAdapter
from refkeras.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter
from refkeras.trainers.data_adapters.sequence_adapter import SequenceAdapter
from refkeras.utils.sequence import Sequence


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None,
                     shuffle=False, epochs=1, class_weight=None):
    """The adapter for ``x`` (see the table above); class weights are folded in by arrays only."""
    if isinstance(x, Dataset):
        return DatasetAdapter(x, y, sample_weight, steps=steps)
    elif isinstance(x, Sequence):
        return SequenceAdapter(x, y, sample_weight, shuffle=shuffle)
    elif is_iterator(x):
        return GeneratorDataAdapter(x, y, sample_weight)
    elif ArrayDataAdapter.can_handle(x, y):
        return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size, steps=steps,
                                shuffle=shuffle, epochs=epochs, class_weight=class_weight)
    raise ValueError("Failed to find data adapter that can handle input: "
                     f"{describe_type(x)}, {describe_type(y)}")


def is_iterator(x):
    return hasattr(x, "__next__") and hasattr(x, "__iter__")


__all__ = ["ArrayDataAdapter", "DatasetAdapter", "GeneratorDataAdapter", "SequenceAdapter",
           "get_data_adapter", "pack_x_y_sample_weight", "train_validation_split",
           "unpack_x_y_sample_weight"]
