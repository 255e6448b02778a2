"""Sequence: a dataset you index by batch, for ``fit(sequence)``.

Clauses: FIT.SEQUENCE (docs/spec.md; the training loop uses it in issue 6).

A subclass says how many batches there are (``__len__``) and builds batch ``i``
on demand (``__getitem__``), returning ``(x, y)`` or ``(x, y, sample_weight)``.
Because batches are addressed by index, ``fit(..., shuffle=True)`` can visit
them in a new order every epoch, and ``on_epoch_end`` (called by fit after each
epoch) may reshuffle what is inside them.

Who owns what: the subclass owns the batches; the trainer owns their order and
calls ``on_epoch_end``.

>>> class Squares(Sequence):
...     def __len__(self):
...         return 3
...     def __getitem__(self, index):
...         return index, index * index
>>> list(Squares())
[(0, 0), (1, 1), (2, 4)]
"""


class Sequence:
    """Subclass and implement ``__getitem__`` and ``__len__``."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index), "
                                  "returning batch number `index`.")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__(), "
                                  "returning the number of batches.")

    def on_epoch_end(self):
        """Called by fit after every epoch: override to reshuffle between epochs."""

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]


__all__ = ["Sequence"]
