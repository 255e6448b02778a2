"""TracedFunction: a Python step traced into plans, one per input signature.

Clauses: COMPILE.TRACED_STEP, FUNCTION (docs/spec.md).

Rule. Calling a TracedFunction with arguments of a new *signature* (the nesting of
the arguments, each array's shape and dtype, and every other argument's value)
runs the function eagerly under a tracer. The second call with that signature
runs eagerly and traces again; if both traces give the same plan (the same ops,
kernels and arguments, and equal constants), the plan is trusted and every later
call replays it. Otherwise the signature stays eager for good::

    calls 1 and 2 of a signature:  result = fn(*args) under a tracer -> plan_1, plan_2
    plan_1.difference(plan_2)?     none: later calls run plan_1   some: later calls run fn
    a trace that cannot be replayed (an op without a kernel): the signature stays eager

Why two traces: a value computed from the data outside an op (a Python float of a
batch's mean, say) would be frozen into the plan as a constant; the second batch
shows it. The eager function stays the reference: replayed plans give the same
numbers, bit for bit (tests/test_compiler.py pins it over generated models).

Like ``tf.function``, Python side effects in the function (printing, appending to a
list) happen only while it traces. ``eager_reasons`` says why a signature stays
eager.

Who owns what: ``tracer.py`` traces, ``plan.py`` builds and replays; this module
owns signatures and the trust rule. ``Trainer`` wraps ``train_step``, ``test_step``
and ``predict_step`` in TracedFunctions (unless ``run_eagerly``);
``refkeras.function`` wraps a user's function.

>>> import numpy as np, refkeras.ops as ops
>>> double = TracedFunction(lambda x: ops.exp(x) * 2.0)
>>> [float(double(np.zeros(1, np.float32))[0]) for _ in range(3)]
[2.0, 2.0, 2.0]
>>> double.replays
1
"""
import numpy as np

from refkeras.compiler.plan import NotReplayable, build_plan, same_value
from refkeras.compiler.tracer import trace
from refkeras.framework.tensor import Tensor

TRACES_BEFORE_TRUST = 2


class TracedFunction:
    """``fn`` traced per signature and replayed once two traces agree (module docstring)."""

    def __init__(self, fn):
        self._fn = fn
        self._plans = {}          # signature -> [plan or None, result template, traces]
        self.eager_reasons = {}   # signature -> why it runs eagerly
        self.replays = 0

    def __call__(self, *args):
        leaves, key = [], []
        _flatten(args, leaves, key)
        key = tuple(key)
        if key in self.eager_reasons:
            return self._fn(*args)
        entry = self._plans.get(key)
        if entry is not None and entry[2] >= TRACES_BEFORE_TRUST:
            self.replays += 1
            outputs = entry[0].run([_array(leaf) for leaf in leaves])
            return _fill(entry[1], iter(outputs))
        return self._trace(key, args, leaves)

    def _trace(self, key, args, leaves):
        tensors = [Tensor(_array(leaf)) for leaf in leaves]
        result, tracer = trace(self._fn, _rebuild(args, iter(tensors)))
        if tracer.python_reads:
            self._give_up(key, "the step hands values it computed to Python (bool, float, int "
                               "or numpy of the results of " + ", ".join(
                                   sorted(set(tracer.python_reads))) + "): what Python does "
                               "with them cannot be replayed")
            return result
        records = tracer.records
        outputs = []
        template = _template(result, outputs)
        try:
            plan = build_plan(records, tensors, outputs)
        except NotReplayable as e:
            self._give_up(key, str(e))
            return result
        entry = self._plans.get(key)
        if entry is None:
            self._plans[key] = [plan, template, 1]
        else:
            difference = entry[0].difference(plan)
            if difference is None and not _same_template(entry[1], template):
                difference = "the results' non-Tensor values"
            if difference is None:
                entry[2] += 1
            else:
                self._give_up(key, "two traces of this signature differ (the step computes "
                                   "something from the data outside an op, or branches on it): "
                                   + difference)
        return result

    def _give_up(self, key, reason):
        self._plans.pop(key, None)
        self.eager_reasons[key] = reason


# -- signatures: arrays by shape and dtype, everything else by value ---------------------

def _flatten(value, leaves, key):
    if isinstance(value, (np.ndarray, Tensor)):
        leaves.append(value)
        key.append((np.shape(value), _array(value).dtype.str))
    elif isinstance(value, (tuple, list)):
        key.append((type(value), len(value)))
        for item in value:
            _flatten(item, leaves, key)
    elif isinstance(value, dict):
        key.append((dict, tuple(value)))
        for item in value.values():
            _flatten(item, leaves, key)
    elif value is None or isinstance(value, (bool, int, float, str)):
        key.append((type(value), value))
    else:
        key.append((type(value), id(value)))   # an object (a Variable, a model): itself


def _map(value, is_leaf, fn):
    """``value`` with every part for which ``is_leaf`` holds replaced by ``fn(part)``, in
    _flatten's order: tuples, lists (named tuples too) and dicts rebuilt, the rest kept."""
    if is_leaf(value):
        return fn(value)
    if isinstance(value, (tuple, list)):
        items = [_map(item, is_leaf, fn) for item in value]
        return type(value)(items) if type(value) in (tuple, list) else type(value)(*items)
    if isinstance(value, dict):
        return {k: _map(v, is_leaf, fn) for k, v in value.items()}
    return value


def _rebuild(value, tensors):
    """``value`` with its array leaves replaced by the next Tensors."""
    return _map(value, lambda v: isinstance(v, (np.ndarray, Tensor)), lambda _: next(tensors))


def _array(leaf):
    return leaf._value if isinstance(leaf, Tensor) else leaf


# -- results: Tensors come from the plan, everything else is kept as it was --------------

class _Output:
    """A place in the result that a plan output fills."""


def _template(result, outputs):
    """``result`` with each Tensor replaced by ``_Output`` (the Tensors go to ``outputs``)."""
    def take(tensor):
        outputs.append(tensor)
        return _Output
    return _map(result, lambda v: isinstance(v, Tensor), take)


def _fill(template, arrays):
    return _map(template, lambda v: v is _Output, lambda _: Tensor(next(arrays)))


def _same_template(a, b):
    if a is _Output or b is _Output:
        return a is b
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(
            _same_template(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(
            _same_template(x, y) for x, y in zip(a, b))
    return same_value(a, b)


__all__ = ["TRACES_BEFORE_TRUST", "TracedFunction"]
