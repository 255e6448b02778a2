"""Unit tests of the metrics' shared helpers: weight matching, squeezing, in_top_k, configs."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras as keras
from refkeras.framework.errors import InvalidArgumentError
from refkeras.metrics import accuracy_metrics, reduction_metrics
from refkeras.ops import reduction_ops


def _np(x):
    return np.asarray(x)


@pytest.mark.parametrize("v_shape, w_shape, out_shape", [
    ((2, 3), (2,), (2, 3)), ((2, 3), (2, 1), (2, 3)), ((2, 3), (), (2, 3)),
    ((2, 3), (2, 3, 1), (2, 3)), ((2, 3, 4), (2,), (2,)), ((3,), (3, 1), (3,)),
])
def test_weigh_gives_values_and_weights_of_one_shape(v_shape, w_shape, out_shape):
    values = keras.ops.ones(v_shape)
    weighted, weights = reduction_metrics.weigh(values, np.ones(w_shape, np.float32),
                                                reduction_ops.reduce_mean)
    assert tuple(weighted.shape) == tuple(weights.shape) == out_shape


@pytest.mark.parametrize("v_shape, w_shape", [((3,), (3, 1, 1)), ((2, 3, 4), (1,)),
                                              ((2, 1), (2, 3)), ((2, 3), (3,))])
def test_weigh_refuses_weights_that_would_enlarge_the_values(v_shape, w_shape):
    with pytest.raises(InvalidArgumentError, match="sample_weight of shape"):
        reduction_metrics.weigh(keras.ops.ones(v_shape), np.ones(w_shape, np.float32),
                                reduction_ops.reduce_mean)


def test_squeeze_trailing_one_only_for_a_rank_difference_of_one():
    ones = keras.ops.ones
    t, p = reduction_metrics.squeeze_trailing_one(ones((2,)), ones((2, 1)))
    assert (tuple(t.shape), tuple(p.shape)) == ((2,), (2,))
    t, p = reduction_metrics.squeeze_trailing_one(ones((2, 1)), ones((2,)))
    assert (tuple(t.shape), tuple(p.shape)) == ((2,), (2,))
    t, p = reduction_metrics.squeeze_trailing_one(ones((2,)), ones((2, 3)))
    assert (tuple(t.shape), tuple(p.shape)) == ((2,), (2, 3))


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4), c=st.integers(1, 5),
       k=st.integers(-1, 6))
def test_in_top_k_counts_strictly_higher_scores(seed, n, c, k):
    rng = np.random.default_rng(seed)
    p = (rng.integers(0, 4, size=(n, c)) / 4).astype(np.float32)
    t = rng.integers(-1, c + 1, size=n)
    got = _np(accuracy_metrics.in_top_k(p, t, k))
    expected = [0 <= ti < c and np.sum(row > row[ti]) < k for row, ti in zip(p, t)]
    assert got.tolist() == expected


def test_failed_update_leaves_the_state_alone():
    m = keras.metrics.Mean()
    m.update_state([1.0, 2.0])
    with pytest.raises(InvalidArgumentError):
        m.update_state(np.ones((2, 3)), sample_weight=np.ones((3,)))
    assert [float(_np(v)) for v in m.variables] == [3.0, 2.0]


def test_float64_metric_keeps_float64_state_and_result():
    m = keras.metrics.Mean(dtype="float64")
    result = m([1.0, 2.0])
    assert m.variables[0].dtype == "float64" and _np(result).dtype == np.float64


def test_mean_tensor_reset_before_build_is_a_no_op_and_shape_builds_early():
    m = keras.metrics.MeanTensor()
    m.reset_state()
    assert m.variables == []
    built = keras.metrics.MeanTensor(shape=(2,))
    assert [tuple(v.shape) for v in built.variables] == [(2,), (2,)]
    assert built.get_config() == {"name": "mean_tensor", "dtype": "float32"}


def test_subclass_configs_round_trip_without_fn():
    for metric in (keras.metrics.BinaryAccuracy(threshold=0.3, name="b"),
                   keras.metrics.SparseTopKCategoricalAccuracy(k=2),
                   keras.metrics.CategoricalCrossentropy(label_smoothing=0.1),
                   keras.metrics.CosineSimilarity(axis=0)):
        config = metric.get_config()
        assert "fn" not in config
        assert type(metric).from_config(config).get_config() == config


def test_tensor_kwargs_are_reported_as_numbers():
    m = keras.metrics.MeanMetricWrapper(keras.metrics.binary_accuracy,
                                        threshold=keras.ops.constant(0.25))
    assert float(m.get_config()["threshold"]) == 0.25


def test_get_returns_new_instances_and_functions():
    assert keras.metrics.get("acc") is keras.metrics.accuracy_metrics.accuracy
    assert keras.metrics.get("cosine_proximity") is \
        keras.metrics.regression_metrics.cosine_similarity
    assert keras.metrics.get("Mean") is not keras.metrics.get("Mean")
    with pytest.raises(ValueError, match="Unknown metric: 'nope'"):
        keras.metrics.get("nope")


def test_ignore_class_mask_zeroes_weights():
    m = keras.metrics.SparseCategoricalCrossentropy(ignore_class=1)
    m.update_state([1, 0], [[0.5, 0.5], [0.9, 0.1]])
    assert [float(_np(v)) for v in m.variables][1] == 1.0


def test_k_must_be_an_integer():
    with pytest.raises(TypeError):
        keras.metrics.TopKCategoricalAccuracy(k=1.5)
    assert keras.metrics.SparseTopKCategoricalAccuracy(k=np.int64(3)).get_config()["k"] == 3
