"""Tracing: run a step once eagerly and keep every op it executed, as plain records.

Clauses: COMPILE.TRACED_STEP (docs/spec.md).

Rule. A ``Tracer`` is a tape that watches everything: while it is active, every op
offers it a ``TapeRecord`` (``op, inputs, outputs, attrs, kernel, kernel_args``), in
execution order; ops also record integer and boolean results, variables record their
assignments, and the optimizer records one host op, ``ApplyGradients``. The eager step
runs exactly as it would without the tracer (its results are real: the weights move),
and what remains is a list of records that, replayed in order, recomputes the step.

A value the step computed and then hands to Python (``if loss > 0``, ``float(x)``,
``x.numpy()``) is noted in ``python_reads``: what Python decides from it cannot be
replayed, so such a trace is never trusted (as ``tf.function`` would need autograph
to turn the ``if`` into a graph op).

Who owns what: the tracer only collects. ``plan.py`` turns the records into a plan;
``traced_function.py`` decides when to trace, checks a trace against a second one and
falls back to eager execution when a step cannot be replayed.

>>> import refkeras.ops as ops
>>> x = ops.constant([1.0, 2.0])
>>> result, tracer = trace(lambda t: ops.exp(t) * 2.0, (x,))
>>> [r.op for r in tracer.records]
['Exp', 'Mul']
"""
from refkeras.autodiff import tape_stack
from refkeras.framework.variable import Variable


class Tracer:
    """A tape-like collector of every record (see the module docstring)."""

    def __init__(self):
        self.records = []
        self.computed = set()     # ids of the values the traced ops computed
        self.python_reads = []    # ops whose results Python read (bool, float, numpy)

    def _record(self, entry):
        self.records.append(entry)
        self.computed.update(id(o) for o in entry.outputs)

    def _value_read(self, value):
        """Python reads a value: fatal for the plan if the step computed it (a branch or a
        number made from it would be frozen), or if it is a Variable (its value moves)."""
        if id(value) in self.computed or isinstance(value, Variable):
            producer = next((r.op for r in reversed(self.records)
                             if any(o is value for o in r.outputs)), "a Variable")
            self.python_reads.append(producer)

    def _variable_accessed(self, variable):
        """Tapes watch trainable variables when read; the tracer keeps every read anyway."""


def trace(fn, args):
    """Run ``fn(*args)`` under a Tracer; return (its result, the tracer)."""
    tracer = Tracer()
    token = tape_stack.set_tracer(tracer)
    tape_stack.push(tracer)
    try:
        result = fn(*args)
    finally:
        tape_stack.remove(tracer)
        tape_stack.reset_tracer(token)
    return result, tracer


__all__ = ["Tracer", "trace"]
