"""Every op's gradient, and the gradient of that gradient, against finite differences.

In float64, so that central differences are an accurate oracle: first order checks
each gradient rule, second order (nested tapes) checks that each rule is itself
built from differentiable ops, with correct gradients of its own.
"""
import numpy as np
import pytest
from hypothesis import find, given
from hypothesis import strategies as st

from conformance.numerics import finite_difference
from refkeras import GradientTape, ops
from refkeras.autodiff import registered_ops
from tests.op_cases import CASES

NOT_DIFFERENTIABLE = {"FloorDiv", "Floor", "Ceil", "Round", "StopGradient"}


def _split(case, raw):
    """Tensor inputs (the float arrays) and fixed arguments (axes, keys, flags)."""
    raw = [np.asarray(a) if isinstance(a, np.floating) else a for a in raw]
    tensors = [ops.constant(a) for a in raw if isinstance(a, np.ndarray) and a.dtype == np.float64]
    fixed = [a for a in raw if not (isinstance(a, np.ndarray) and a.dtype == np.float64)]
    return tensors, fixed


def _call(case, tensors, fixed):
    return case.fn(*tensors, *fixed)


def _objective(case, tensors, fixed, weights):
    return ops.reduce_sum(_call(case, tensors, fixed) * weights)


def _first_order(case, tensors, fixed, weights):
    with GradientTape() as tape:
        tape.watch(tensors)
        y = _objective(case, tensors, fixed, weights)
    return tape, tape.gradient(y, tensors)


def _draw(name, data):
    """The case, its tensors and fixed arguments, upstream weights, and a generator."""
    case = CASES[name]
    tensors, fixed = _split(case, data.draw(case.inputs, label="inputs"))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16), label="seed"))
    weights = ops.constant(rng.uniform(-1, 1, tuple(_call(case, tensors, fixed).shape)))
    return case, tensors, fixed, weights, rng


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
def test_gradient_matches_finite_differences(name, data):
    case, tensors, fixed, weights, _ = _draw(name, data)
    _, grads = _first_order(case, tensors, fixed, weights)
    arrays = [np.array(t, dtype=np.float64) for t in tensors]

    def f(values):
        return float(_objective(case, [ops.constant(v) for v in values], fixed, weights))

    for i, (t, g) in enumerate(zip(tensors, grads)):
        assert g is not None, f"{name}: no gradient for input {i}"
        assert g.dtype == np.float64 and tuple(g.shape) == tuple(t.shape)
        np.testing.assert_allclose(g.numpy(), finite_difference(f, arrays, i), rtol=1e-6,
                                   atol=1e-8, err_msg=f"{name} input {i}")


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
def test_gradient_of_the_gradient_matches_finite_differences(name, data):
    case, tensors, fixed, weights, rng = _draw(name, data)
    probes = [ops.constant(rng.uniform(-1, 1, tuple(t.shape))) for t in tensors]

    def first_order_dot(values):
        """sum_i <d objective / d x_i, probe_i>, a scalar function of the inputs."""
        ts = [ops.constant(v) for v in values]
        _, grads = _first_order(case, ts, fixed, weights)
        return sum(float(ops.reduce_sum(g * p)) for g, p in zip(grads, probes) if g is not None)

    with GradientTape() as outer:
        outer.watch(tensors)
        _, grads = _first_order(case, tensors, fixed, weights)
        dot = ops.add_n([ops.reduce_sum(g * p) for g, p in zip(grads, probes)])
    second = outer.gradient(dot, tensors, unconnected_gradients="zero")
    arrays = [np.array(t, dtype=np.float64) for t in tensors]
    for i, g in enumerate(second):
        np.testing.assert_allclose(g.numpy(), finite_difference(first_order_dot, arrays, i, 1e-5),
                                   rtol=1e-5, atol=1e-6, err_msg=f"{name} input {i}")


def test_every_differentiable_op_is_covered_to_second_order():
    """The cases reach every op of the gradient table, in a forward pass or inside a
    gradient rule (so the second-order test differentiates every rule's ops)."""
    seen = set()
    for case in CASES.values():
        tensors, fixed = _split(case, find(case.inputs, lambda _: True))
        weights = ops.ones_like(_call(case, tensors, fixed))
        with GradientTape(persistent=True) as outer:
            outer.watch(tensors)
            _inner, grads = _first_order(case, tensors, fixed, weights)
            ops.add_n([ops.reduce_sum(g) for g in grads])
        seen |= {r.op for r in outer._records}
    # CustomGradient and ReadVariableOp (Variables) have tests of their own
    # (test_tape.py here, and the TAPE/CUSTOM_GRADIENT conformance clauses).
    expected = set(registered_ops()) - NOT_DIFFERENTIABLE - {"CustomGradient", "ReadVariableOp"}
    assert expected <= seen, f"ops no case reaches: {sorted(expected - seen)}"
