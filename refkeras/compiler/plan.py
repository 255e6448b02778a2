"""A plan: a traced step as a flat list of kernel calls over numbered slots.

Clauses: COMPILE.TRACED_STEP (docs/spec.md).

Rule. ``build_plan(records, inputs, outputs)`` turns a trace into steps
``(kernel, input_slots, output_slots, kernel_args)``. Every value gets a slot: the
function's array inputs first, then constants (arrays the trace read but did not
compute, and Variables, which variable kernels take as themselves), then each
record's outputs. Three passes shrink it, each a few lines below:

* dead-code elimination: a record is kept only when an output of the function or a
  later kept record uses one of its outputs, or when it has a side effect
  (``SIDE_EFFECTS``: assignments, the optimizer's update, random draws);
* no-op elimination: a Cast to the same dtype, a Reshape to the same shape, an
  Identity, give their input's slot to their output (``NO_OPS``);
* common subexpressions: the same kernel on the same slots with the same arguments
  runs once (the softmax a loss's gradient recomputes from the logits, say).

Replaying is::

    values = constants + empty slots;  values[input_slots] = input arrays
    for kernel, ins, outs, kwargs in steps:
        result = kernel(*[values[i] for i in ins], **kwargs)
        store result (or each of a tuple of results) in values[outs]
    return values[output_slots]

No Tensor is made and nothing is recorded while a plan runs. ``Plan.interpret`` is
that loop; ``Plan.run`` calls the same steps written out as one generated Python
function (``plan.source``: a line per step, a local variable per slot), so the
Python left per op is one call. A record with no kernel makes the trace unreplayable
(``NotReplayable`` names it); the caller then keeps the step eager.

Who owns what: ``tracer.py`` collects the records; this module owns slots, pruning
and replay; ``traced_function.py`` owns when plans are built and trusted.

>>> import numpy as np, refkeras.ops as ops
>>> from refkeras.compiler.tracer import trace
>>> x = ops.constant([1.0, 2.0])
>>> result, tracer = trace(lambda t: ops.exp(t) * 2.0, (x,))
>>> plan = build_plan(tracer.records, [x], [result])
>>> [step.op for step in plan.steps], plan.run([np.zeros(2, np.float32)])[0]
(['Exp', 'Mul'], array([2., 2.], dtype=float32))
>>> print(plan.source)
def replay(v0):
    v1 = exp_0(v0)
    v3 = mul_1(v1, v2)
    return [v3]
<BLANKLINE>
"""
import functools
import re
from typing import Any, NamedTuple

import numpy as np

from refkeras.framework.tensor import Tensor
from refkeras.framework.variable import Variable

# Ops kept even when no output of the function depends on them, and never merged: they
# move a Variable, or draw from a random generator (which moves it too).
SIDE_EFFECTS = frozenset({"AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
                          "ApplyGradients", "RandomUniform"})
# Ops that return their input unchanged when the trace shows it (same dtype, same shape).
NO_OPS = {
    "Identity": lambda x, y: True,
    "StopGradient": lambda x, y: True,
    "Cast": lambda x, y: x.dtype == y.dtype,
    "Reshape": lambda x, y: x.shape == y.shape,
    "BroadcastTo": lambda x, y: x.shape == y.shape,
}


class NotReplayable(Exception):
    """A trace that cannot become a plan; the message says which op and why."""


class Step(NamedTuple):
    op: str
    kernel: Any
    inputs: tuple       # slot numbers
    outputs: tuple      # slot numbers
    kernel_args: dict


class Plan:
    """Steps over slots (see the module docstring); ``run(input arrays)`` replays them."""

    def __init__(self, steps, slot_count, input_slots, output_slots, constants):
        self.steps = steps
        self.input_slots = input_slots
        self.output_slots = output_slots
        self.constants = constants            # {slot: array or Variable}
        self._initial = [None] * slot_count
        for slot, value in constants.items():
            self._initial[slot] = value
        self.source, self._replay = generate_replay(self)

    def run(self, arrays):
        """Replay the plan on the input arrays: the generated function (``source``)."""
        return self._replay(*arrays)

    def interpret(self, arrays):
        """Replay the plan step by step from the list (the loop in the module docstring):
        what ``run`` does, slower, for reading and debugging."""
        values = self._initial.copy()
        for slot, array in zip(self.input_slots, arrays):
            values[slot] = array
        for _, kernel, ins, outs, kwargs in self.steps:
            result = kernel(*[values[i] for i in ins], **kwargs)
            if len(outs) == 1:
                values[outs[0]] = result
            elif outs:
                for slot, value in zip(outs, result):
                    values[slot] = value
        return [values[s] for s in self.output_slots]

    def difference(self, other):
        """How two traces of one signature differ (None when they agree): the check that a
        trace did not depend on the data (traced_function.py)."""
        if len(self.steps) != len(other.steps):
            return f"{len(self.steps)} steps, then {len(other.steps)}"
        for i, (a, b) in enumerate(zip(self.steps, other.steps)):
            if not (a.op == b.op and a.kernel is b.kernel and a.inputs == b.inputs
                    and a.outputs == b.outputs and same_value(a.kernel_args, b.kernel_args)):
                return f"step {i}: {a.op}{a.inputs} {a.kernel_args}, then {b.op}{b.inputs} {b.kernel_args}"
        if (self.input_slots, self.output_slots) != (other.input_slots, other.output_slots):
            return "the inputs or outputs map to other slots"
        if self.constants.keys() != other.constants.keys():
            return "other constants"
        for slot, value in self.constants.items():
            if not same_value(value, other.constants[slot]):
                users = [s.op for s in self.steps if slot in s.inputs]
                return (f"the constant read by {users} changed from {_short(value)} to "
                        f"{_short(other.constants[slot])}")
        return None

    def __repr__(self):
        return f"<Plan: {len(self.steps)} steps, {len(self._initial)} slots>"


def generate_replay(plan):
    """The plan as the source of one Python function, and that function.

    Each step becomes one line, ``v7 = matmul_3(v5, v2)``: a local variable per slot,
    each kernel bound to its arguments (``functools.partial``) under a name made from
    its op. Running it costs a function call per step and nothing else: no list of
    values, no loop, no keyword dictionaries. The source is kept (``plan.source``) to
    be read; it is compiled from our own trace, never from a file.
    """
    names = {slot: f"v{slot}" for slot in range(len(plan._initial))}
    namespace = {names[slot]: value for slot, value in plan.constants.items()}
    lines = [f"def replay({', '.join(names[s] for s in plan.input_slots)}):"]
    for i, step in enumerate(plan.steps):
        kernel = f"{_snake(step.op)}_{i}"
        namespace[kernel] = (functools.partial(step.kernel, **step.kernel_args)
                             if step.kernel_args else step.kernel)
        call = f"{kernel}({', '.join(names[s] for s in step.inputs)})"
        targets = ", ".join(names[s] for s in step.outputs)
        if len(step.outputs) > 1:
            targets += ","
        lines.append(f"    {targets} = {call}" if step.outputs else f"    {call}")
    lines.append(f"    return [{', '.join(names[s] for s in plan.output_slots)}]")
    source = "\n".join(lines) + "\n"
    exec(compile(source, "<refkeras plan>", "exec"), namespace)  # noqa: S102 - our own trace
    return source, namespace["replay"]


def _snake(op):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", op).lower()


def build_plan(records, inputs, outputs):
    """A Plan from a trace: ``inputs`` are the Tensors the function was given, ``outputs``
    the Tensors whose values ``run`` returns, in order."""
    records = live_records(records, outputs)
    slots = _Slots(inputs)
    steps, merged = [], {}
    for entry in records:
        if entry.kernel is None:
            raise NotReplayable(f"the op {entry.op!r} names no kernel, so it cannot be replayed")
        ins = tuple(slots.of(x) for x in entry.inputs)
        if _is_no_op(entry):
            slots.alias(entry.outputs[0], ins[0])
            continue
        key = None if entry.op in SIDE_EFFECTS else _freeze((entry.kernel, ins, entry.kernel_args))
        if key is not None and key in merged:       # computed before: reuse those slots
            for o, slot in zip(entry.outputs, merged[key]):
                slots.alias(o, slot)
            continue
        outs = tuple(slots.new(o) for o in entry.outputs)
        if key is not None:
            merged[key] = outs
        steps.append(Step(entry.op, entry.kernel, ins, outs, dict(entry.kernel_args)))
    output_slots = tuple(slots.of(t) for t in outputs)
    return Plan(steps, slots.count, tuple(range(len(inputs))), output_slots, slots.constants)


def _is_no_op(entry):
    check = NO_OPS.get(entry.op)
    return check is not None and check(entry.inputs[0]._value, entry.outputs[0]._value)


def _freeze(value):
    """A hashable stand-in for kernel arguments (arrays by dtype, shape and bytes; other
    unhashable objects by identity), for finding the same op run twice on the same slots."""
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("dict",) + tuple((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return (type(value).__name__,) + tuple(_freeze(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return (type(value).__name__, value)


def live_records(records, outputs):
    """The records the outputs or a side effect need, in their original order."""
    needed = set()
    for t in outputs:
        needed.update(_keys(t))
    kept = []
    for entry in reversed(records):
        if entry.op in SIDE_EFFECTS or any(k in needed for o in entry.outputs for k in _keys(o)):
            kept.append(entry)
            for x in entry.inputs:
                needed.update(_keys(x))
    kept.reverse()
    return kept


def _keys(value):
    # A Tensor is known by its own id and by its array's: an op may wrap the array of
    # another op's output in a new Tensor (a Variable's assign does).
    return (id(value),) if isinstance(value, Variable) else (id(value), id(value._value))


class _Slots:
    """Slot numbers of the values a trace touched."""

    def __init__(self, inputs):
        self.count = 0
        self.by_id = {}
        self.constants = {}
        for t in inputs:
            self.new(t)

    def new(self, tensor):
        slot = self.count
        self.count += 1
        for key in _keys(tensor):
            self.by_id[key] = slot
        return slot

    def alias(self, tensor, slot):
        """``tensor`` is another name for the value in ``slot``."""
        for key in _keys(tensor):
            self.by_id[key] = slot

    def of(self, value):
        for key in _keys(value):
            if key in self.by_id:
                return self.by_id[key]
        # Read but not computed: a constant of the plan (a Variable stays itself).
        slot = self.new(value)
        self.constants[slot] = value if isinstance(value, Variable) else value._value
        return slot


def _short(value):
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def same_value(a, b):
    """Equality for kernel arguments and constants: arrays by value, dtype and shape;
    Variables, optimizers and functions by identity; containers element by element."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(same_value(a[k], b[k]) for k in a))
    if isinstance(a, (tuple, list)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same_value(x, y) for x, y in zip(a, b)))
    if isinstance(a, (Variable, Tensor)) or callable(a):
        return a is b
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return a is b


__all__ = [
    "SIDE_EFFECTS",
    "NotReplayable",
    "Plan",
    "Step",
    "build_plan",
    "live_records",
    "same_value",
]
