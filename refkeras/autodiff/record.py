"""A tape record: one executed op, as plain data.

Clauses: TAPE.BASIC (docs/spec.md).

A record is ``(op, inputs, outputs, attrs)``: the op's registered name (TensorFlow's
names: ``"Mul"``, ``"MatMul"``, ``"ReadVariableOp"``), the input and output Tensors
(or Variables), and the attributes the op was run with (``{"axis": 1}``). It holds
no closure: the gradient of a record is found by name in the gradient table
(``gradient_registry.py``), so a list of records is a program that can be inspected,
replayed or compiled.

A record may also name its *kernel*: the module-level function on numpy arrays that
computed it, ``outputs = kernel(*input_arrays, **kernel_args)``. That is what makes
it replayable: the compiler (``refkeras/compiler/``) turns a traced list of records
into a plan that calls the kernels directly. A record without one cannot be
replayed, and a step that contains it keeps running eagerly.

Ops call ``record(...)`` after computing their output; each active tape decides
whether the record concerns it (whether an input is one it watches).

>>> TapeRecord("Mul", ("x", "y"), ("z",), {}).op
'Mul'
"""
from typing import Any, NamedTuple

from refkeras.autodiff import tape_stack

NO_ATTRS = {}


class TapeRecord(NamedTuple):
    op: str
    inputs: tuple
    outputs: tuple
    attrs: Any
    # Set by the reverse sweep, for rules registered with skips_inputs=True only:
    # the positions of inputs no source depends on, whose gradients would be thrown
    # away (TensorFlow's skip_input_indices). Such a rule may return None for them.
    skip_input_indices: tuple = ()
    # How to recompute the outputs from the inputs' arrays (see the module docstring).
    kernel: Any = None
    kernel_args: Any = NO_ATTRS


def record(op, inputs, outputs, attrs=NO_ATTRS, kernel=None, kernel_args=NO_ATTRS):
    """Offer the executed op to every recording tape (and to a tracer, if one runs)."""
    tapes = tape_stack.active()
    if tapes:
        entry = TapeRecord(op, inputs, outputs, attrs, (), kernel, kernel_args)
        for tape in tapes:
            tape._record(entry)


def tracing():
    """Whether a tracer is recording: then ops record even integer and boolean results."""
    return tape_stack.tracer() is not None


__all__ = ["NO_ATTRS", "TapeRecord", "record", "tracing"]
