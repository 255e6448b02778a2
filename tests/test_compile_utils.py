"""compile_utils: mapping losses, metrics, targets and weights to the model's outputs."""
import numpy as np
import pytest

import refkeras as keras
from refkeras.trainers import compile_utils
from refkeras.trainers.compile_utils import (
    LossesContainer,
    MetricsContainer,
    conform_to_outputs,
)

NAMES = ["a", "b"]


def test_conform_dict_list_and_single():
    assert conform_to_outputs({"b": 2}, NAMES) == [None, 2]
    assert conform_to_outputs([1], NAMES) == [1, None]
    assert conform_to_outputs([1, 2, 3], NAMES) == [1, 2]
    assert conform_to_outputs("mse", NAMES) == ["mse", "mse"]
    assert conform_to_outputs(None, NAMES) == [None, None]
    assert conform_to_outputs(["x"], ["only"]) == ["x"]


def test_unknown_output_keys_are_rejected():
    with pytest.raises(ValueError, match="do not correspond to any Model output"):
        compile_utils.check_output_keys({"c": "mse"}, NAMES)


def _outputs():
    return [keras.ops.constant([[0.2], [0.9]]), keras.ops.constant([[0.1, 0.9], [0.8, 0.2]])]


def test_losses_are_summed_with_weights_and_tracked_per_output():
    container = LossesContainer(["mse", None], loss_weights=[2.0, 1.0], output_names=NAMES)
    y = [np.array([[0.0], [1.0]], np.float32), np.array([1, 0])]
    total = container(y, _outputs())
    expected = 2.0 * np.mean([0.04, 0.01])
    np.testing.assert_allclose(float(total), expected, rtol=1e-6)
    assert [m.name for m in container.metrics] == ["loss", "a_loss"]


def test_no_loss_and_no_regularization_gives_none():
    container = LossesContainer(None, output_names=["out"])
    assert container(np.zeros((2, 1)), keras.ops.zeros((2, 1))) is None


def test_accuracy_string_resolves_from_shapes():
    pred = _outputs()
    container = MetricsContainer(["acc"], output_names=NAMES)
    container.update_state([np.array([[0.0], [1.0]]), np.array([1, 0])], pred)
    names = [m.name for m in container.metrics]
    assert names == ["a_acc", "b_acc"]
    assert [m._fn.__name__ for m in container.metrics] == ["binary_accuracy",
                                                          "sparse_categorical_accuracy"]
    assert [float(m.result()) for m in container.metrics] == [1.0, 1.0]


def test_weighted_metric_with_a_clashing_name_gets_a_prefix():
    container = MetricsContainer(["mae"], weighted_metrics=["mae"], output_names=["out"])
    container.update_state(np.ones((2, 1)), keras.ops.zeros((2, 1)), np.array([1.0, 0.0]))
    assert [m.name for m in container.metrics] == ["mae", "weighted_mae"]


def test_the_same_metric_object_twice_is_rejected():
    metric = keras.metrics.Mean()
    with pytest.raises(ValueError, match="duplicated metrics object"):
        MetricsContainer([metric], weighted_metrics=[metric])
