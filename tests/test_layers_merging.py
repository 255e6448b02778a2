"""Merging layers and their functional forms: Add, Subtract, Multiply, Average,
Maximum, Minimum, Concatenate.

Values against numpy, gradients against central finite differences (float64
layers), broadcasting across ranks, symbolic shapes, configs, and tf_keras 2.21's
error messages.
"""
import numpy as np
import pytest

from conformance.numerics import finite_difference
from refkeras import GradientTape, ops
from refkeras.layers import (
    Add,
    Average,
    Concatenate,
    Input,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)

RNG = np.random.default_rng(3)

NUMPY = {
    Add: lambda xs: sum(xs[1:], xs[0]),
    Multiply: lambda xs: np.prod(np.stack(xs), axis=0),
    Average: lambda xs: sum(xs[1:], xs[0]) / len(xs),
    Maximum: lambda xs: np.max(np.stack(xs), axis=0),
    Minimum: lambda xs: np.min(np.stack(xs), axis=0),
}


def gradients(layer, xs, cotangent):
    ts = [ops.constant(x) for x in xs]
    with GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        target = ops.reduce_sum(layer(ts) * ops.constant(cotangent))
    return [g.numpy() for g in tape.gradient(target, ts)]


def check_gradients(layer, xs):
    cotangent = RNG.standard_normal(np.shape(layer(xs))).astype(np.float64)
    got = gradients(layer, xs, cotangent)
    for index, grad in enumerate(got):
        expected = finite_difference(
            lambda v: float(np.sum(layer(list(v)).numpy() * cotangent)), xs, index)
        np.testing.assert_allclose(grad, expected, rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("cls", sorted(NUMPY, key=lambda c: c.__name__))
@pytest.mark.parametrize("n", [2, 3])
def test_elementwise_values_and_gradients(cls, n):
    xs = [RNG.standard_normal((2, 3, 2)) for _ in range(n)]
    xs32 = [x.astype(np.float32) for x in xs]
    np.testing.assert_allclose(cls()(xs).numpy(), NUMPY[cls](xs32), rtol=1e-6)
    check_gradients(cls(dtype="float64"), xs)


def test_subtract_values_and_gradients():
    xs = [RNG.standard_normal((2, 3)) for _ in range(2)]
    np.testing.assert_array_equal(Subtract()(xs).numpy(),
                                  xs[0].astype(np.float32) - xs[1].astype(np.float32))
    check_gradients(Subtract(dtype="float64"), xs)


def test_maximum_tie_sends_the_gradient_to_the_first_input():
    x = np.ones((1, 2), np.float32)
    first, second = gradients(Maximum(), [x, x], np.ones((1, 2), np.float32))
    assert first.tolist() == [[1.0, 1.0]] and second.tolist() == [[0.0, 0.0]]


def test_broadcasting_across_ranks_inserts_axes_after_the_batch_axis():
    big, small = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 4))
    out = Add()([big, small]).numpy()
    np.testing.assert_allclose(out, (big + small[:, None, :]).astype(np.float32), rtol=1e-6)
    check_gradients(Add(dtype="float64"), [big, small])
    assert Add()([np.ones((2, 3, 1)), np.ones((2, 1, 4))]).shape == (2, 3, 4)


def test_symbolic_shapes():
    assert Add()([Input((3, 4)), Input((4,))]).shape == (None, 3, 4)
    assert Multiply()([Input((3, 1)), Input((1, 5))]).shape == (None, 3, 5)
    assert Add().compute_output_shape([(None, 3, 4), (None, 4)]) == (None, 3, 4)
    assert Add().compute_output_shape([(2, 3), (None, 3)]) == (2, 3)


def test_a_single_input_in_a_list_is_accepted():
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_array_equal(Add()([x]).numpy(), x)
    assert Add()([Input((3,))]).shape == (None, 3)


def test_merge_errors():
    with pytest.raises(ValueError, match=r"should be called on a list of inputs. Received: "
                                         r"input_shape=\(2, 3\) \(not a list of shapes\)"):
        Add()(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"Inputs have incompatible shapes. Received shapes "
                                         r"\(3,\) and \(4,\)"):
        Add()([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match=r"incompatible shapes. Received shapes \(3, 4\) and "
                                         r"\(3,\)"):
        Add()([Input((3, 4)), Input((3,))])
    with pytest.raises(ValueError, match=r"Cannot merge tensors with different batch sizes. "
                                         r"Got tensors with shapes \[\(2, 3\), \(3, 3\)\]"):
        Maximum()([np.ones((2, 3)), np.ones((3, 3))])
    with pytest.raises(ValueError, match="at least 1 input"):
        Add()([])


def test_subtract_needs_exactly_two_inputs():
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"exactly 2 inputs. Received: input_shape="
                                         r"\[\(2, 3\), \(2, 3\), \(2, 3\)\]"):
        Subtract()([x, x, x])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        Subtract()([Input((3,))] * 3)


# ---------------------------------------------------------------------------- Concatenate

@pytest.mark.parametrize("axis", [-1, 1, 2, -2])
def test_concatenate_values_and_gradients(axis):
    shapes = [[2, 3, 2], [2, 3, 2]]
    shapes[1][axis] = 1
    xs = [RNG.standard_normal(s) for s in shapes]
    np.testing.assert_array_equal(Concatenate(axis=axis)(xs).numpy(),
                                  np.concatenate(xs, axis=axis).astype(np.float32))
    check_gradients(Concatenate(axis=axis, dtype="float64"), xs)


def test_concatenate_shapes():
    assert Concatenate(axis=1)([Input((3, 2)), Input((4, 2))]).shape == (None, 7, 2)
    assert Concatenate()([Input((3, None)), Input((3, 4))]).shape == (None, 3, None)
    assert Concatenate()([Input((None, 2)), Input((4, 2))]).shape == (None, 4, 4)
    assert Concatenate().compute_output_shape([(None, 3), (None, 4)]) == (None, 7)


def test_concatenate_errors():
    with pytest.raises(ValueError, match=r"requires inputs with matching shapes except for the "
                                         r"concatenation axis. Received: input_shape="
                                         r"\[\(2, 3\), \(3, 3\)\]"):
        Concatenate()([np.ones((2, 3)), np.ones((3, 3))])
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        Concatenate()([Input((3, 2)), Input((4, 2))])
    with pytest.raises(ValueError, match=r"should be called on a list of at least 1 input. "
                                         r"Received: input_shape=\(2, 3\)"):
        Concatenate()(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"should be called on a list of inputs. Received: "
                                         r"input_shape=\(None, 3\)"):
        Concatenate().compute_output_shape((None, 3))


# ------------------------------------------------------------------- functional forms, config

@pytest.mark.parametrize("function, cls", [(add, Add), (subtract, Subtract),
                                           (multiply, Multiply), (average, Average),
                                           (maximum, Maximum), (minimum, Minimum),
                                           (concatenate, Concatenate)])
def test_functional_forms(function, cls):
    xs = [RNG.standard_normal((2, 3)).astype(np.float32) for _ in range(2)]
    np.testing.assert_array_equal(function(xs).numpy(), cls()(xs).numpy())
    out = function([Input((3,)), Input((3,))], name=f"merged_{cls.__name__}")
    assert out._keras_history[0].name == f"merged_{cls.__name__}"


def test_concatenate_functional_axis():
    assert concatenate([np.ones((2, 3)), np.ones((2, 3))], axis=0).shape == (4, 3)


def test_configs_round_trip():
    assert Add(name="a").get_config() == {"name": "a", "trainable": True, "dtype": "float32"}
    config = Concatenate(axis=1, name="c").get_config()
    assert config == {"name": "c", "trainable": True, "dtype": "float32", "axis": 1}
    assert Concatenate.from_config(config).axis == 1
    assert Concatenate().get_config()["axis"] == -1
