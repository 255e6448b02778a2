"""Nested structures (lists, tuples, namedtuples, dicts) flattened and rebuilt.

``flatten`` lists the leaves depth-first, dict values in sorted key order (as
``tf.nest``); ``pack_sequence_as`` rebuilds a structure from such a list. Anything
that is not a list, tuple or dict is a leaf (Tensors and Variables included); a
TensorShape is a leaf too, though it is a tuple, as in ``tf.nest``.

>>> flatten({"b": [1, 2], "a": 3})
[3, 1, 2]
>>> pack_sequence_as({"b": [0, 0], "a": 0}, [30, 10, 20])
{'b': [10, 20], 'a': 30}
"""
from refkeras.framework.tensor_shape import TensorShape

_CONTAINERS = (list, tuple, dict)


def is_nested(value):
    kind = type(value)
    if kind is list or kind is tuple or kind is dict:   # the common case, without isinstance
        return True
    return isinstance(value, _CONTAINERS) and not isinstance(value, TensorShape)


def flatten(structure):
    if not is_nested(structure):
        return [structure]
    leaves = []
    for child in _children(structure):
        if is_nested(child):
            leaves.extend(flatten(child))
        else:
            leaves.append(child)
    return leaves


def map_structure(fn, structure):
    """The same structure with ``fn`` applied to every leaf."""
    return pack_sequence_as(structure, [fn(leaf) for leaf in flatten(structure)])


def pack_sequence_as(structure, flat):
    flat = list(flat)
    packed, used = _pack(structure, flat, 0)
    if used != len(flat):
        raise ValueError(f"The structure has {used} leaves but {len(flat)} values were given.")
    return packed


def _children(structure):
    if isinstance(structure, dict):
        return [structure[k] for k in sorted(structure)]
    return structure


def _pack(structure, flat, start):
    if not is_nested(structure):
        return flat[start], start + 1
    items = []
    for child in _children(structure):
        item, start = _pack(child, flat, start)
        items.append(item)
    if isinstance(structure, dict):
        by_key = dict(zip(sorted(structure), items))
        return type(structure)((k, by_key[k]) for k in structure), start
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*items), start
    return type(structure)(items), start


__all__ = ["flatten", "is_nested", "map_structure", "pack_sequence_as"]
