"""Which GradientTapes are recording right now.

The active tapes live in a ContextVar (one value per thread and per asyncio task),
the only process-wide state of the autodiff package. ``GradientTape.__enter__``
pushes a tape, ``__exit__`` removes it; ops ask ``active()`` whether anyone is
listening before they record anything, so code run with no tape pays one lookup.
"""
import contextvars

_ACTIVE = contextvars.ContextVar("refkeras_active_tapes", default=())


def active():
    """The tapes currently recording, outermost first (an empty tuple if none)."""
    return _ACTIVE.get()


def push(tape):
    _ACTIVE.set(_ACTIVE.get() + (tape,))


def remove(tape):
    _ACTIVE.set(tuple(t for t in _ACTIVE.get() if t is not tape))


__all__ = ["active", "push", "remove", "replaced"]


class replaced:
    """Context manager: run a block with ``tapes`` as the only active ones.

    ``custom_gradient`` uses it to run the user's function unrecorded while a
    watcher notes which variables the function reads.
    """

    def __init__(self, tapes):
        self._tapes = tuple(tapes)
        self._token = None

    def __enter__(self):
        self._token = _ACTIVE.set(self._tapes)
        return self

    def __exit__(self, *exc_info):
        _ACTIVE.reset(self._token)
        return False
