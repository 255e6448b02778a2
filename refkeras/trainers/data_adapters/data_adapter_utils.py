"""Helpers shared by the data adapters: packing, cardinality, splits, class weights.

Clauses: FIT.VALIDATION.SPLIT, FIT.VALIDATION.SPLIT_ONLY_ARRAYS, PIT.VALIDATION_SPLIT_SORTED,
WEIGHTING.CLASS, PIT.CLASS_WEIGHT_ONE_HOT, PIT.CLASS_AND_SAMPLE_WEIGHT (docs/spec.md).

Rule. Data travels as tf_keras packs it: ``x`` alone, ``(x,)`` when x is itself a
tuple, ``(x, y)`` or ``(x, y, sample_weight)``. Lists inside the data become tuples
(as tf_keras's ``list_to_tuple``), so a list of input arrays is a structure, while a
flat list of Python numbers is one array. ``validation_split=f`` keeps the tail::

    split_at = int(math.floor(n * (1.0 - f)))     # float64, as tf_keras
    train, val = data[:split_at], data[split_at:]  # before any shuffling

``class_weight`` becomes a sample weight per sample, looked up by class::

    classes = round(y)              if y.ndim == 1 or y.shape[-1] == 1 (squeezed)
            = argmax(y, axis=-1)    otherwise (one-hot)
    sw      = table[classes] * (sample_weight, if any, broadcast over the extra axes)

Who owns what: this module owns the rules above; each adapter (one file per kind of
input) owns how batches are cut; ``epoch_iterator.py`` owns epochs and running out.

>>> import numpy as np
>>> (tx, ty), (vx, vy) = train_validation_split((np.arange(10), np.arange(10)), 0.25)
>>> vx.tolist()
[7, 8, 9]
>>> weigh = make_class_weighter({0: 1.0, 1: 2.0})
>>> weigh(np.array([[1, 0], [0, 1]]), None).tolist()
[1.0, 2.0]
"""
import math

import numpy as np

from refkeras.framework.array_backed import ArrayBacked
from refkeras.framework.errors import InvalidArgumentError
from refkeras.utils import nest


# --------------------------------------------------------------------- packing
def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.

    >>> unpack_x_y_sample_weight(([1], [2]))
    ([1], [2], None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return (data[0], data[1], data[2])
    raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The tuple ``fit`` hands to ``train_step``; a lone non-tuple ``x`` is not wrapped.

    >>> pack_x_y_sample_weight(1), pack_x_y_sample_weight((1, 2)), pack_x_y_sample_weight(1, 2)
    (1, ((1, 2),), (1, 2))
    """
    if y is None:
        # A tuple x would be read back as (x, y): wrap it so unpacking is unambiguous.
        return (x,) if isinstance(x, tuple) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def list_to_tuple(structure):
    """Every list in a nested structure becomes a tuple (dicts keep their keys)."""
    if isinstance(structure, dict):
        return type(structure)((k, list_to_tuple(v)) for k, v in structure.items())
    if isinstance(structure, (list, tuple)) and not hasattr(structure, "_fields"):
        return tuple(list_to_tuple(v) for v in structure)
    return structure


# --------------------------------------------------------------------- leaves
def is_pandas(value):
    kind = type(value)
    return kind.__module__.startswith("pandas") and kind.__name__ in ("Series", "DataFrame")


def is_array_leaf(value):
    """Leaves tf_keras slices itself: numpy arrays, tensors, pandas Series/DataFrames."""
    return isinstance(value, (np.ndarray, ArrayBacked)) or is_pandas(value)


def is_list_of_scalars(value):
    """``[1.0, 2.0]`` or ``[[1, 2], [3, 4]]``: one array written as nested Python lists."""
    if isinstance(value, (bool, int, float, str, bytes)):
        return True
    if isinstance(value, (list, tuple)) and value:
        return is_list_of_scalars(value[0])
    return False


def leaf_to_numpy(value):
    """One leaf as tf_keras feeds it: numpy floats become float32, Series gain an axis.

    Tensors keep their dtype and DataFrames are taken as ``to_numpy()`` (tf_keras casts
    neither), ints stay ints.
    """
    if value is None:
        return None
    if isinstance(value, ArrayBacked):
        return value._as_tensor()._value
    if is_pandas(value):
        if type(value).__name__ == "DataFrame":
            return value.to_numpy()
        value = np.expand_dims(value.to_numpy(), axis=-1)
    return floats_to_floatx(np.asarray(value))


def floats_to_floatx(value):
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating) \
            and value.dtype != np.float32:
        return value.astype(np.float32)
    return value


def describe_type(value):
    """tf_keras's description of an input nobody can handle, for the error message."""
    if isinstance(value, dict):
        keys = {describe_type(k) for k in value}
        values = {describe_type(v) for v in value.values()}
        return f"({type(value)} containing {keys} keys and {values} values)"
    if isinstance(value, (list, tuple)):
        return f"({type(value)} containing values of types { {describe_type(v) for v in value} })"
    return str(type(value))


# --------------------------------------------------------------------- sizes
def check_data_cardinality(data):
    """Raise tf_keras's ValueError when x, y and sample_weight disagree on the sample count.

    ``data`` is the triple (x, y, sample_weight) with numpy leaves (or None).
    """
    counts = {leaf.shape[0] for leaf in nest.flatten(data) if leaf is not None}
    if len(counts) <= 1:
        return
    message = "Data cardinality is ambiguous:\n"
    for label, part in zip(("x", "y", "sample_weight"), data):
        if part is None:
            continue
        sizes = ", ".join(str(leaf.shape[0]) for leaf in nest.flatten(part) if leaf is not None)
        message += f"  {label} sizes: {sizes}\n"
    raise ValueError(message + "Make sure all arrays contain the same number of samples.")


# --------------------------------------------------------------------- validation split
def train_validation_split(arrays, validation_split):
    """``(train, val)``: the samples before and from ``floor(n * (1 - split))`` on.

    ``arrays`` is any structure of arrays (None leaves stay None). Raises ValueError for
    data that is not arrays (datasets, generators, Sequences), for a split outside
    [0, 1], and when either part would be empty (0 and 1 included: tf_keras's message).
    """
    flat = nest.flatten(arrays)
    unsplittable = [type(leaf) for leaf in flat if leaf is not None and not is_array_leaf(leaf)]
    if unsplittable:
        raise ValueError("`validation_split` is only supported for Tensors or NumPy arrays, "
                         f"found following types in the input: {unsplittable}")
    _check_split_fraction(validation_split)
    present = [leaf for leaf in flat if leaf is not None]
    if not present:
        return arrays, arrays
    # EXERCISE 6.3: validation_split: the tail, before any shuffling | FIT.VALIDATION.SPLIT PIT.VALIDATION_SPLIT_SORTED
    # hint: split at floor(n * (1 - validation_split)): the samples before it train, the
    # hint: rest validate (the last ones, not a random sample); a split leaving either
    # hint: part empty is a ValueError. Apply it to every array of the structure
    # hint: (nest.map_structure; None stays None).
    n = int(present[0].shape[0])
    split_at = math.floor(n * (1.0 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`. "
            "Either provide more data, or a different value for the `validation_split` argument.")
    train = nest.map_structure(lambda a: None if a is None else a[:split_at], arrays)
    val = nest.map_structure(lambda a: None if a is None else a[split_at:n], arrays)
    return train, val
    # END EXERCISE 6.3


def _check_split_fraction(validation_split):
    # tf_keras slices with whatever floor() gives: 1.5 trains on the head and validates
    # on a negative-index tail; -0.2 fails later with "non-empty". We refuse up front.
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float)) \
            or not 0.0 <= validation_split <= 1.0:
        raise ValueError("`validation_split` must be a float between 0 and 1 (the fraction of "
                         f"the data held out). Received: validation_split={validation_split!r}")


# --------------------------------------------------------------------- class weights
def make_class_weighter(class_weight):
    """Check ``class_weight``'s keys now; return ``weigh(y, sample_weight) -> weights``."""
    table = class_weight_table(class_weight)

    def weigh(y, sample_weight):
        if y is None:
            raise ValueError("`class_weight` needs targets: the data has no `y`, so no class "
                             "can be looked up.")
        if nest.is_nested(y):
            raise ValueError("`class_weight` is only supported for Models with a single output.")
        classes = classes_of(np.asarray(y))
        weights = lookup(table, classes)
        if sample_weight is None:
            return weights
        return _multiply(np.asarray(sample_weight), weights)
    return weigh


def class_weight_table(class_weight):
    """The weights as a float32 array indexed by class; keys must be exactly 0..K-1."""
    try:
        keys = sorted(class_weight)
        valid = keys == list(range(len(keys)))
    except TypeError:       # keys of mixed types do not sort
        valid = False
    if not valid:
        raise ValueError("Expected `class_weight` to be a dict with keys from 0 to one less than "
                         f"the number of classes, found {class_weight}")
    return np.array([class_weight[int(k)] for k in keys], dtype=np.float32)


def classes_of(y):
    """The class of every sample: argmax for one-hot targets, the rounded value otherwise."""
    if y.ndim >= 2 and y.shape[-1] > 1:
        return np.argmax(y, axis=-1)
    if y.ndim >= 2:
        y = np.squeeze(y, axis=-1)
    return np.round(y).astype(np.int64)


def lookup(table, classes):
    bad = (classes < 0) | (classes >= len(table))
    if bad.any():
        first = int(np.flatnonzero(bad.ravel())[0])
        raise InvalidArgumentError(
            f"`class_weight` has no weight for class {int(classes.ravel()[first])} (sample "
            f"{first} of the batch); its keys are 0 to {len(table) - 1}: indices[{first}] = "
            f"{int(classes.ravel()[first])} is not in [0, {len(table)})")
    return table[classes]


def _multiply(sample_weight, weights):
    # Line the two up on their leading axes; the one with fewer axes broadcasts.
    if sample_weight.ndim > weights.ndim:
        weights = weights.reshape(weights.shape + (1,) * (sample_weight.ndim - weights.ndim))
    else:
        sample_weight = sample_weight.reshape(
            sample_weight.shape + (1,) * (weights.ndim - sample_weight.ndim))
    return sample_weight * weights.astype(sample_weight.dtype, copy=False) \
        if np.issubdtype(sample_weight.dtype, np.floating) else sample_weight * weights


__all__ = ["check_data_cardinality", "class_weight_table", "classes_of", "describe_type",
           "floats_to_floatx", "is_array_leaf", "is_list_of_scalars", "is_pandas",
           "leaf_to_numpy", "list_to_tuple", "lookup", "make_class_weighter",
           "pack_x_y_sample_weight", "train_validation_split", "unpack_x_y_sample_weight"]
