"""Unit tests of refkeras.losses internals: the logits mark, weighting, lining-up,
the name table and the docstring examples (the numbers are pinned by conformance)."""
import doctest
import importlib
import warnings

import numpy as np
import pytest

from refkeras import activations, losses, ops
from refkeras.framework.errors import InvalidArgumentError
from refkeras.losses import _inputs, loss, loss_function_wrapper

# the package re-exports functions named like some modules (hinge): import modules by path
MODULES = ["refkeras.losses", "refkeras.losses.loss", "refkeras.losses.loss_function_wrapper",
           "refkeras.losses.regression", "refkeras.losses.probabilistic",
           "refkeras.losses.hinge", "refkeras.losses._inputs"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_keras_activations_mark_their_logits():
    x = ops.constant([[1.0, 2.0]])
    for out in (activations.softmax(x), activations.sigmoid(x)):
        assert out._keras_logits is x
    assert not hasattr(ops.nn.softmax(x), "_keras_logits")
    assert not hasattr(activations.softmax(x) * 1.0, "_keras_logits")


def test_logits_of_prefers_the_mark_and_warns_on_from_logits():
    x = ops.constant([[3.0, 0.0]])
    marked = activations.softmax(x)
    assert _inputs.logits_of(marked, False, "Softmax", "f") == (x, True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _inputs.logits_of(marked, True, "Softmax", "f")
    assert "does not represent logits" in str(caught[0].message)
    plain = ops.constant([[0.5, 0.5]])
    assert _inputs.logits_of(plain, False, "Softmax", "f") == (plain, False)


def test_compute_weighted_loss_reductions():
    values = ops.constant([1.0, 2.0, 3.0, 6.0])
    w = [1.0, 0.0, 1.0, 0.0]
    assert float(loss.compute_weighted_loss(values, w)) == 1.0     # 4 / N, not 4 / sum(w)
    assert float(loss.compute_weighted_loss(values, w, "sum")) == 4.0
    assert loss.compute_weighted_loss(values, w, "none").numpy().tolist() == [1.0, 0.0, 3.0, 0.0]
    assert float(loss.compute_weighted_loss(ops.constant(np.zeros((0,), np.float32)))) == 0.0


def test_weights_are_lined_up_by_one_axis():
    losses_2d = ops.constant([[1.0, 2.0], [3.0, 4.0]])
    assert loss.match_weight_rank(ops.constant([1.0, 2.0]), losses_2d).shape == (2, 1)
    assert loss.match_weight_rank(ops.constant([[[1.0], [2.0]]] * 2), losses_2d).shape == (2, 2)
    with pytest.raises(InvalidArgumentError, match="would broadcast the losses"):
        loss.compute_weighted_loss(ops.constant([1.0, 2.0]), np.ones((2, 1, 1), np.float32))


def test_masked_losses_average_over_valid_entries():
    values = ops.constant([2.0, 0.0, 4.0])
    mask = ops.constant([True, False, True])
    assert float(loss.compute_weighted_loss(values, mask=mask)) == 3.0
    assert float(loss.compute_weighted_loss(values, reduction="sum", mask=mask)) == 6.0


def test_squeeze_to_match():
    squeeze = loss_function_wrapper.squeeze_to_match
    y, p = squeeze(ops.zeros((3,)), ops.zeros((3, 1)))
    assert (y.shape, p.shape) == ((3,), (3,))
    y, p = squeeze(ops.zeros((3, 1)), ops.zeros((3,)))
    assert (y.shape, p.shape) == ((3,), (3,))
    y, p = squeeze(ops.zeros((3,)), ops.zeros((3, 4)))       # sparse labels stay
    assert (y.shape, p.shape) == ((3,), (3, 4))


def test_wrapper_from_config_finds_its_function_by_name():
    wrapper = losses.LossFunctionWrapper(losses.mean_absolute_error, name="w")
    clone = losses.LossFunctionWrapper.from_config(wrapper.get_config())
    assert clone.fn is losses.mean_absolute_error and clone.name == "w"


def test_every_class_wraps_the_function_of_its_name():
    for cls in losses.CLASSES:
        instance = cls()
        assert isinstance(instance, losses.LossFunctionWrapper)
        assert losses.get(instance.get_config()["fn"]) is instance.fn


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Valid identifiers: .*'mse'"):
        losses.get("nope")


@pytest.mark.parametrize("name, value", [("label_smoothing", 1.5), ("label_smoothing", True),
                                         ("label_smoothing", "0.1"), ("gamma", float("nan"))])
def test_check_range_rejects(name, value):
    with pytest.raises(ValueError, match=f"`{name}` must be a finite number"):
        _inputs.check_range(name, value, 0.0, 1.0)


def test_sparse_ignore_class_sets_the_mask():
    out = losses.sparse_categorical_crossentropy([0, 5, 1], ops.constant([[0.5, 0.5]] * 3),
                                                 ignore_class=5)
    assert out._keras_mask.numpy().tolist() == [True, False, True]
    assert out.numpy()[1] == 0.0


def test_integer_huber_inputs_are_cast_as_tf_keras():
    out = losses.huber(ops.constant([[1, 3]]), ops.constant([[1, 1]]))
    assert out.dtype.name == "float32" and out.numpy().tolist() == [0.75]
