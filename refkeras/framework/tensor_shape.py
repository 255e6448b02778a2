"""TensorShape: a tuple of dimensions (``None`` where a dimension is unknown).

It compares equal to tuples and lists with the same dimensions, as TensorFlow's
does, and adds ``as_list()``, ``rank`` and ``num_elements()``.

>>> s = TensorShape((None, 3))
>>> s == [None, 3], s.rank, s.as_list(), str(s)
(True, 2, [None, 3], '(None, 3)')
"""


class TensorShape(tuple):
    __slots__ = ()

    def __new__(cls, dims=()):
        return super().__new__(cls, (None if d is None else int(d) for d in dims))

    @property
    def rank(self):
        return len(self)

    def as_list(self):
        return list(self)

    def num_elements(self):
        """The number of elements, or None when a dimension is unknown."""
        n = 1
        for d in self:
            if d is None:
                return None
            n *= d
        return n

    def __eq__(self, other):
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = tuple.__hash__

    def __getitem__(self, key):
        item = super().__getitem__(key)
        return TensorShape(item) if isinstance(key, slice) else item

    def __repr__(self):
        return f"TensorShape({list(self)})"

    def __str__(self):
        return str(tuple(self))


__all__ = ["TensorShape"]
