"""Dataset: a recipe for iterating over elements, as ``tf.data.Dataset`` in eager mode.

Clauses: FIT.DATASET, WEIGHTING.DATASET (docs/spec.md; the training loop consumes
datasets in issue 6).

A Dataset does not hold its elements; it holds a function that makes a fresh
iterator over them, and each transformation (``batch``, ``shuffle``, ``map`` ...)
wraps that function in another. Iterating twice therefore runs the recipe twice:
a shuffled dataset reshuffles each time (unless ``reshuffle_each_iteration=False``),
and a dataset that ``take``s from an iterator it does not own starts over. An
element is a nested structure (tuple, dict) of Tensors; inside the pipeline the
leaves are numpy arrays, and they become Tensors only where user code sees them
(iteration and ``map`` functions).

Who owns what: this module owns the element order and batching; the trainer
(issue 6) decides when a dataset is iterated (a new pass per epoch, or one
iterator kept across epochs when ``steps_per_epoch`` is given).

    # shuffle(buffer_size): a reservoir, not a full permutation
    buffer = first buffer_size elements
    for each next element e:  i = random index in buffer; yield buffer[i]; buffer[i] = e
    then yield what is left in the buffer in random order

>>> from refkeras.data import Dataset
>>> ds = Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [0, 1, 0])).batch(2)
>>> [(x.numpy().tolist(), y.numpy().tolist()) for x, y in ds]
[([1.0, 2.0], [0, 1]), ([3.0], [0])]
>>> len(ds), ds.repeat().cardinality().numpy().item()
(2, -1)
"""
import numpy as np

from refkeras.backend import session
from refkeras.framework.convert import convert_to_tensor, to_array
from refkeras.framework.tensor import Tensor
from refkeras.utils import nest

INFINITE = -1
UNKNOWN = -2
AUTOTUNE = -1


class Dataset:
    """Build one with ``from_tensor_slices``, ``from_tensors``, ``range`` or ``zip``."""

    def __init__(self, make_iterator, cardinality, kind):
        self._make_iterator = make_iterator    # () -> iterator of numpy-leaf structures
        self._cardinality = cardinality        # a count, INFINITE or UNKNOWN
        self._kind = kind                      # the tf.data class name, for repr

    # ----------------------------------------------------------------- sources
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per index of the leading axis, shared by every leaf."""
        tensors = _normalize(tensors)
        leaves = nest.flatten(tensors)
        if any(leaf.ndim == 0 for leaf in leaves):
            raise ValueError("Unbatching a tensor is only supported for rank >= 1; "
                             "`from_tensor_slices` needs an array with a leading axis to slice.")
        lengths = {leaf.shape[0] for leaf in leaves}
        if len(lengths) > 1:
            first, *rest = [leaf.shape[0] for leaf in leaves]
            other = next(n for n in rest if n != first)
            raise ValueError(f"Dimensions {first} and {other} are not compatible")
        count = lengths.pop()

        def iterate():
            for i in range(count):
                yield nest.pack_sequence_as(tensors, [leaf[i] for leaf in leaves])
        return Dataset(iterate, count, "_TensorSliceDataset")

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of exactly one element: ``tensors`` itself."""
        element = _normalize(tensors)
        return Dataset(lambda: iter([element]), 1, "_TensorDataset")

    @staticmethod
    def range(*args):
        """Like Python's ``range``; elements are int64 scalars."""
        values = range(*args)
        return Dataset(lambda: (np.int64(v) for v in values), len(values), "_RangeDataset")

    @staticmethod
    def zip(datasets):
        """Elements side by side, shaped like ``datasets``; stops at the shortest."""
        members = nest.flatten(datasets)
        counts = [d._cardinality for d in members]

        def iterate():
            for parts in zip(*[d._make_iterator() for d in members]):
                yield nest.pack_sequence_as(datasets, parts)
        return Dataset(iterate, _zip_cardinality(counts), "_ZipDataset")

    # ----------------------------------------------------------------- transformations
    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stack ``batch_size`` consecutive elements; the last batch may be smaller."""
        batch_size = _positive_int("batch_size", batch_size)
        source = self._make_iterator

        def iterate():
            pending = []
            for element in source():
                pending.append(element)
                if len(pending) == batch_size:
                    yield _stack(pending)
                    pending = []
            if pending and not drop_remainder:
                yield _stack(pending)
        return Dataset(iterate, _batch_cardinality(self._cardinality, batch_size, drop_remainder),
                       "_BatchDataset")

    def unbatch(self, name=None):
        source = self._make_iterator

        def iterate():
            for element in source():
                leaves = nest.flatten(element)
                for i in range(leaves[0].shape[0]):
                    yield nest.pack_sequence_as(element, [leaf[i] for leaf in leaves])
        return Dataset(iterate, UNKNOWN if self._cardinality != INFINITE else INFINITE,
                       "_UnbatchDataset")

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """Reservoir shuffling through a buffer of ``buffer_size`` elements (see above)."""
        buffer_size = _positive_int("buffer_size", buffer_size)
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        # One generator per dataset: reshuffling draws each pass's order from it, a fixed
        # order reuses the first pass's seed.
        seeds = session.current().generator(seed)
        fixed = int(seeds.integers(2**63))
        source = self._make_iterator

        def iterate():
            rng = np.random.default_rng(int(seeds.integers(2**63)) if reshuffle else fixed)
            return _reservoir(source(), buffer_size, rng)
        return Dataset(iterate, self._cardinality, "_ShuffleDataset")

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Apply ``map_func`` to every element; a tuple element is passed as arguments."""
        source = self._make_iterator

        def iterate():
            for element in source():
                tensors = nest.map_structure(Tensor, element)
                result = (map_func(*tensors) if isinstance(tensors, tuple)
                          else map_func(tensors))
                yield _normalize(result)
        return Dataset(iterate, self._cardinality, "_MapDataset")

    def filter(self, predicate, name=None):
        source = self._make_iterator

        def iterate():
            for element in source():
                tensors = nest.map_structure(Tensor, element)
                keep = predicate(*tensors) if isinstance(tensors, tuple) else predicate(tensors)
                if bool(_to_numpy(keep)):
                    yield element
        return Dataset(iterate, UNKNOWN if self._cardinality != INFINITE else INFINITE,
                       "_FilterDataset")

    def repeat(self, count=None, name=None):
        """``count`` passes over the data; ``None`` or -1 repeats forever."""
        source = self._make_iterator
        forever = count is None or count == -1

        def iterate():
            done = 0
            while forever or done < count:
                yield from source()
                done += 1
        if forever:
            cardinality = INFINITE if self._cardinality != 0 else 0
        else:
            cardinality = (self._cardinality * count if self._cardinality >= 0
                           else self._cardinality)
        return Dataset(iterate, cardinality, "_RepeatDataset")

    def take(self, count, name=None):
        source = self._make_iterator

        def iterate():
            if count == 0:
                return
            for i, element in enumerate(source()):
                yield element
                if i + 1 == count:
                    return
        return Dataset(iterate, _take_cardinality(self._cardinality, count), "_TakeDataset")

    def skip(self, count, name=None):
        source = self._make_iterator

        def iterate():
            for i, element in enumerate(source()):
                if i >= count:
                    yield element
        if self._cardinality >= 0:
            cardinality = max(self._cardinality - count, 0)
        else:
            cardinality = self._cardinality
        return Dataset(iterate, cardinality, "_SkipDataset")

    def prefetch(self, buffer_size, name=None):
        """Accepted for compatibility: eager iteration has nothing to overlap."""
        return Dataset(self._make_iterator, self._cardinality, "_PrefetchDataset")

    def cache(self, filename="", name=None):
        """Remember the elements of the first complete pass and replay them after."""
        source, stored = self._make_iterator, []

        def iterate():
            if stored and stored[-1] is _COMPLETE:
                return iter(stored[:-1])
            return _recording(source(), stored)
        return Dataset(iterate, self._cardinality, "_CacheDataset")

    # ----------------------------------------------------------------- reading
    def __iter__(self):
        for element in self._make_iterator():
            yield nest.map_structure(Tensor, element)

    def as_numpy_iterator(self):
        return iter(self._make_iterator())

    def cardinality(self):
        return convert_to_tensor(np.int64(self._cardinality))

    def __len__(self):
        if self._cardinality == INFINITE:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __bool__(self):
        return True     # a Dataset is never "empty-false", even when its length is 0

    def __repr__(self):
        return f"<{self._kind} cardinality={self._cardinality}>"


_COMPLETE = object()


def _recording(iterator, stored):
    stored.clear()
    for element in iterator:
        stored.append(element)
        yield element
    stored.append(_COMPLETE)


def _reservoir(iterator, buffer_size, rng):
    buffer = []
    for element in iterator:
        if len(buffer) < buffer_size:
            buffer.append(element)
            continue
        i = int(rng.integers(buffer_size))
        yield buffer[i]
        buffer[i] = element
    while buffer:
        yield buffer.pop(int(rng.integers(len(buffer))))


def _normalize(structure):
    """Tuples and dicts are structure; anything else (a list too, as in tf.data) is one
    array."""
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*[_normalize(v) for v in structure])
    if isinstance(structure, tuple):
        return tuple(_normalize(v) for v in structure)
    if isinstance(structure, dict):
        return {k: _normalize(v) for k, v in structure.items()}
    return _to_numpy(structure)


def _to_numpy(value):
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "_as_tensor"):
        return value._as_tensor()._value
    return to_array(value)


def _stack(elements):
    flat = [nest.flatten(e) for e in elements]
    columns = [np.stack([row[i] for row in flat]) for i in range(len(flat[0]))]
    return nest.pack_sequence_as(elements[0], columns)


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def _batch_cardinality(count, batch_size, drop_remainder):
    if count < 0:
        return count
    return count // batch_size if drop_remainder else -(-count // batch_size)


def _take_cardinality(count, take):
    if take == -1:
        return count
    if count == INFINITE:
        return take
    if count == UNKNOWN:
        return UNKNOWN
    return min(count, take)


def _zip_cardinality(counts):
    known = [c for c in counts if c >= 0]
    if known:
        return min(known) if UNKNOWN not in counts else UNKNOWN
    return UNKNOWN if UNKNOWN in counts else INFINITE


__all__ = ["AUTOTUNE", "INFINITE", "UNKNOWN", "Dataset"]
