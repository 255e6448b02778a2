"""Which GradientTapes are recording right now.

The active tapes live in a ContextVar (one value per thread and per asyncio task),
the only process-wide state of the autodiff package. ``GradientTape.__enter__``
pushes a tape, ``__exit__`` removes it; ops ask ``active()`` whether anyone is
listening before they record anything, so code run with no tape pays one lookup.
"""
import contextvars

_ACTIVE = contextvars.ContextVar("refkeras_active_tapes", default=())
# The compiler's tracer (refkeras/compiler/tracer.py) while it traces, else None. It is
# also in _ACTIVE, so it receives every record; this one lookup tells ops to record
# integer and boolean results too, and variables to record their assignments.
_TRACER = contextvars.ContextVar("refkeras_tracer", default=None)


def active():
    """The tapes currently recording, outermost first (an empty tuple if none)."""
    return _ACTIVE.get()


def tracer():
    """The tracer recording right now, or None."""
    return _TRACER.get()


def set_tracer(tracer):
    """Make ``tracer`` the active tracer (None: no tracer); returns a token for reset_tracer."""
    return _TRACER.set(tracer)


def reset_tracer(token):
    _TRACER.reset(token)


def push(tape):
    _ACTIVE.set(_ACTIVE.get() + (tape,))


def remove(tape):
    _ACTIVE.set(tuple(t for t in _ACTIVE.get() if t is not tape))


__all__ = ["active", "push", "remove", "replaced", "reset_tracer", "set_tracer", "tracer",
           "untraced"]


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


class untraced:
    """Context manager: run a block with no tapes and no tracer.

    A host op (``ApplyGradients``) runs its own Python while the compiler traces: what
    it does inside is replayed by calling it again, so nothing in it may be recorded."""

    def __enter__(self):
        self._tapes = _ACTIVE.set(())
        self._tracer = _TRACER.set(None)
        return self

    def __exit__(self, *exc_info):
        _TRACER.reset(self._tracer)
        _ACTIVE.reset(self._tapes)
        return False
