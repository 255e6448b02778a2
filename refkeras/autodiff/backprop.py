"""Reverse-mode differentiation over a list of tape records.

Clauses: TAPE.BASIC, TAPE.UNCONNECTED, TAPE.NESTED, TAPE.NONSCALAR_TARGET (docs/spec.md).

A tape's records are in execution order, which is already a topological order of
the computation, so no graph sort is needed. The algorithm:

    reached = ids of the sources
    path = [r for r in records if any input of r is reached]    # mark r's outputs reached
    grads = {target: seed}                                       # seed: ones, or output_gradients
    for r in reversed(path):
        upstream = [grads.get(o) for o in r.outputs]
        if every upstream is None: continue                      # r does not lead to a target
        for each input x of r, g in gradient_rule(r.op)(r, *upstream):
            if g is not None and x is reached: grads[x] += g
    return [grads.get(s) for s in sources]                       # None when unconnected

Records that cannot reach a source are skipped by the forward sweep, and records
that do not lead to a target are skipped by the reverse one, so only ops between
sources and targets are differentiated. Gradients are accumulated with the ``add``
op, which any still-recording tape records in turn (higher-order derivatives).

>>> from refkeras import ops, GradientTape
>>> x = ops.constant(3.0)
>>> with GradientTape() as tape:
...     tape.watch(x)
...     y = x * x + x
>>> float(tape.gradient(y, x))
7.0
"""
from refkeras.autodiff.gradient_registry import gradient_rule, skips_inputs


def backward(records, targets, seeds, sources):
    """Gradients of sum(targets · seeds) with respect to each source (None if unconnected)."""
    # Imported here: the ops package imports this one (to record), so a module-level
    # import of ops would be circular.
    from refkeras import ops

    source_ids = {id(s) for s in sources}
    path, reached = _forward_sweep(records, source_ids)
    grads = {}
    for target, seed in zip(targets, seeds):
        if id(target) in reached:
            _accumulate(grads, id(target), seed, ops.add)
    for entry in reversed(path):
        upstream = _upstream(entry.outputs, grads, ops.zeros_like)
        if upstream is None:
            continue        # the record does not lead to a target
        if skips_inputs(entry.op):
            skip = tuple(i for i, x in enumerate(entry.inputs) if id(x) not in reached)
            entry = entry._replace(skip_input_indices=skip)
        input_grads = gradient_rule(entry.op)(entry, *upstream)
        if type(input_grads) is not tuple:
            input_grads = _as_tuple(input_grads)
        if len(input_grads) != len(entry.inputs):
            raise ValueError(
                f"The gradient rule of {entry.op!r} returned {len(input_grads)} gradients for "
                f"{len(entry.inputs)} inputs.")
        for x, g in zip(entry.inputs, input_grads):
            key = id(x)
            if g is None or key not in reached:
                continue
            if g._value.shape != x._value.shape:
                _shape_error(entry.op, x, g)
            _accumulate(grads, key, g, ops.add)
        for o in entry.outputs:
            if id(o) not in source_ids:
                grads.pop(id(o), None)  # complete and no longer needed: free it early
    return [grads.get(id(s)) for s in sources]


def _upstream(outputs, grads, zeros_like):
    """The gradients flowing into a record's outputs, or None if none flows."""
    if len(outputs) == 1:   # nearly every op: no list to build
        g = grads.get(id(outputs[0]))
        return None if g is None else (g,)
    upstream = [grads.get(id(o)) for o in outputs]
    if all(g is None for g in upstream):
        return None
    return [zeros_like(o) if g is None else g for o, g in zip(outputs, upstream)]


def _forward_sweep(records, source_ids):
    """The records on a path from a source, and the ids of every tensor they reach."""
    reached = set(source_ids)
    path = []
    for entry in records:
        for x in entry.inputs:
            if id(x) in reached:
                path.append(entry)
                reached.update(id(o) for o in entry.outputs)
                break
    return path, reached


def _shape_error(op, x, g):
    # A wrong-shaped gradient (a custom_gradient bug, say) would otherwise surface
    # far away, in an optimizer update; TensorFlow passes it on silently.
    raise ValueError(
        f"The gradient computed for an input of {op!r} has shape {tuple(g._value.shape)}, "
        f"but the input has shape {tuple(x._value.shape)}; a gradient must have the shape "
        "of the value it is the gradient of.")


def _accumulate(grads, key, g, add):
    previous = grads.get(key)
    grads[key] = g if previous is None else add(previous, g)


def _as_tuple(grads):
    return tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)


__all__ = ["backward"]
