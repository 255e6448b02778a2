"""The call context: what a layer call passes, unseen, to the layers it calls.

Clauses: MODEL.TRAINING_ARG, LAYER.LOSSES (docs/spec.md).

When ``model(x, training=True)`` runs, every layer called inside it sees
``training=True`` without the model having to pass it on by hand, and every weight
created inside it is named under the model's scope (``my_model/dense/kernel:0``).
That hidden state is a ``CallState``, kept in a ``ContextVar`` and replaced, never
mutated, on entry to each ``Layer.__call__``:

    in_call   True inside any layer call (the outermost call clears old losses)
    training  the resolved training flag (None when nobody said)
    scope     the name scope: a tuple of layer names
    dry_run   True while a layer runs on placeholder data to learn its output shape;
              weights it assigns are restored afterwards

>>> current_call().in_call
False
>>> with entered(training=True, scope=("outer",)):
...     current_call().training, current_call().scope
(True, ('outer',))
"""
import contextlib
from contextvars import ContextVar
from typing import NamedTuple


class CallState(NamedTuple):
    in_call: bool = False
    training: object = None
    scope: tuple = ()
    dry_run: object = None      # a list collecting (variable, value) to restore, or None


_STATE = ContextVar("refkeras_call_state", default=CallState())  # noqa: B039 -- immutable


def current_call():
    return _STATE.get()


@contextlib.contextmanager
def entered(**changes):
    """Run the body with the call state's fields replaced by ``changes``."""
    token = _STATE.set(_STATE.get()._replace(**changes))
    try:
        yield
    finally:
        _STATE.reset(token)


__all__ = ["CallState", "current_call", "entered"]
