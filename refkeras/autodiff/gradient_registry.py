"""The gradient table: op name -> the rule that differentiates it.

Clauses: TAPE.GRADIENT_VALUES (docs/spec.md).

Each op module registers a rule right below the op it differentiates::

    @register_gradient("Exp")
    def _exp_grad(op, dy):               # op is the TapeRecord
        return dy * op.outputs[0]        # one gradient per input

A rule receives the record and one upstream gradient per output, and returns one
gradient per input (a single value when the op has one input; ``None`` for an
input that gets no gradient). Rules are written with refkeras ops, so a tape that
is recording while another computes gradients records them too: that is how
nested tapes give second derivatives (TAPE.NESTED).

A rule whose gradients are costly per input (``MatMul``) may be registered with
``skips_inputs=True``: it then receives the record with ``skip_input_indices``,
the inputs no source depends on, and returns ``None`` for them instead of
computing a gradient nobody will use (for a first Dense layer, ``dx``).

The table is filled while the ops modules are imported and only read after that.
Ops composed of other ops (``clip_by_norm``, ``softplus`` built from ``exp``
and ``log``) need no entry: their pieces are recorded instead.
"""
_RULES = {}
_SKIPS_INPUTS = set()


def register_gradient(op_name, skips_inputs=False):
    """Decorator: make ``fn(op, *upstream)`` the gradient rule of ``op_name``."""
    def decorate(fn):
        if op_name in _RULES:
            raise KeyError(f"A gradient for op {op_name!r} is already registered.")
        _RULES[op_name] = fn
        if skips_inputs:
            _SKIPS_INPUTS.add(op_name)
        return fn
    return decorate


def skips_inputs(op_name):
    """Whether the rule of ``op_name`` wants to be told which inputs to skip."""
    return op_name in _SKIPS_INPUTS


def gradient_rule(op_name):
    try:
        return _RULES[op_name]
    except KeyError:
        raise LookupError(f"No gradient defined for operation {op_name!r}.") from None


def registered_ops():
    """The names of all ops with a gradient rule, sorted."""
    return sorted(_RULES)


__all__ = ["gradient_rule", "register_gradient", "registered_ops", "skips_inputs"]
