"""Unit tests of refkeras/metrics/metrics_utils.py and the confusion, AUC and IoU
metrics' internals (the conformance suite pins their observable behaviour)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import refkeras as keras
from refkeras.framework.errors import InvalidArgumentError
from refkeras.metrics import metrics_utils as mu


def _even(n, epsilon=False):
    thresholds = [i / (n - 1) for i in range(n)]
    if epsilon:
        thresholds[0], thresholds[-1] = -mu.EPSILON, 1 + mu.EPSILON
    return thresholds


@given(n=st.sampled_from([3, 5, 17, 200]), epsilon=st.booleans(),
       preds=hnp.arrays(np.float32, st.integers(1, 40),
                        elements=st.floats(-0.5, 1.5, width=32)),
       labels=st.data())
def test_bucket_rule_agrees_with_the_comparison_away_from_rounding(n, epsilon, preds, labels):
    y_true = labels.draw(hnp.arrays(np.int32, preds.shape, elements=st.integers(0, 1)))
    thresholds = _even(n, epsilon)
    # Keep predictions whose scaled value is not within float32 rounding of an integer.
    scaled = np.clip(preds.astype(np.float64), 0, 1) * (n - 1)
    keep = np.abs(scaled - np.round(scaled)) > 1e-4
    keep |= (preds <= 0) | (preds >= 1)
    y_true, preds = y_true[keep], preds[keep]
    if preds.size == 0:
        return
    keys = mu.CONFUSION_KEYS
    bucketed = mu.confusion_counts(keys, y_true, preds, thresholds, dtype="float32",
                                   evenly_distributed=True)
    compared = mu.confusion_counts(keys, y_true, np.clip(preds, 0, 1), thresholds,
                                   dtype="float32", evenly_distributed=False)
    for key in keys:
        np.testing.assert_array_equal(bucketed[key], compared[key], err_msg=key)


def test_nan_predictions_are_positive_at_no_threshold():
    for evenly, thresholds in ((False, [0.5]), (True, _even(3, epsilon=True))):
        counts = mu.confusion_counts(("tp", "fn"), [1, 1], [np.nan, 0.7], thresholds,
                                     dtype="float32", evenly_distributed=evenly)
        assert counts["tp"][0] == 1.0 and counts["fn"][0] == 1.0


def test_is_evenly_distributed():
    assert mu.is_evenly_distributed([0.0, 0.5, 1.0])
    assert mu.is_evenly_distributed(np.array([-1e-7, 0.5, 1 + 1e-7]))
    assert not mu.is_evenly_distributed([0.0, 1.0])          # fewer than 3
    assert not mu.is_evenly_distributed([0.0, 0.4, 1.0])


@pytest.mark.parametrize("value, expected", [
    (None, [0.5]), (0.3, [0.3]), ([0.1, 0.2], [0.1, 0.2]), ((0.1, 1), [0.1, 1.0]),
    (np.array([0.0, 1.0]), [0.0, 1.0]),
])
def test_parse_init_thresholds(value, expected):
    assert mu.parse_init_thresholds(value) == expected


@pytest.mark.parametrize("value", [1.5, [0.1, -0.1], [np.nan], [None]])
def test_check_thresholds_rejects_values_outside_zero_one(value):
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        mu.check_thresholds(value)


def test_check_thresholds_rejects_non_numbers():
    with pytest.raises(TypeError, match="thresholds"):
        mu.check_thresholds("0.5")


def test_filter_top_k_keeps_the_lower_index_among_ties():
    out = mu.filter_top_k(np.array([[0.5, 0.5, 0.2], [0.1, 0.3, 0.3]], np.float32), 1)
    assert out.tolist() == [[0.5, mu.NEG_INF, mu.NEG_INF], [mu.NEG_INF, 0.30000001192092896,
                                                            mu.NEG_INF]]
    assert out.dtype == np.float32
    with pytest.raises(InvalidArgumentError, match="Had 3, needed 4"):
        mu.filter_top_k(np.zeros((1, 3), np.float32), 4)


def test_squeeze_or_expand_follows_tf_keras():
    pred, true, weight = mu.squeeze_or_expand(np.zeros((4, 1)), np.zeros(4), np.zeros(4))
    assert (pred.shape, true.shape, weight.shape) == ((4,), (4,), (4, 1))  # the original rank
    pred, true, weight = mu.squeeze_or_expand(np.zeros((4, 3)), np.zeros((4, 3, 1)),
                                              np.zeros((4, 3, 1)))
    assert (pred.shape, true.shape, weight.shape) == ((4, 3), (4, 3), (4, 3))
    with pytest.raises(InvalidArgumentError, match="Can not squeeze dim"):
        mu.squeeze_or_expand(np.zeros((4, 3)), np.zeros((4, 3)), np.zeros((4, 3, 2)))


def test_broadcast_weights_rules():
    values = np.zeros((2, 3))
    assert mu.broadcast_weights(np.float32(2), values).shape == (2, 3)
    assert mu.broadcast_weights(np.ones((1, 3)), values).shape == (2, 3)
    with pytest.raises(ValueError, match="values.rank=2. weights.rank=3"):
        mu.broadcast_weights(np.ones((2, 3, 1)), values)
    with pytest.raises(ValueError, match="Mismatch at dim 0"):
        mu.broadcast_weights(np.ones((3, 1)), values)


def test_select_class_reports_the_shifted_index():
    with pytest.raises(InvalidArgumentError, match="slice index -1 of dimension 1"):
        mu.select_class(np.zeros((2, 3)), -4)
    assert mu.select_class(np.arange(6.0).reshape(2, 3), -1).tolist() == [[2.0], [5.0]]


def test_divide_no_nan_keeps_the_dtype_and_warns_nothing():
    with np.errstate(all="raise"):
        out = mu.divide_no_nan(np.array([1.0, 0.0], np.float32), np.array([0.0, 0.0], np.float32))
    assert out.tolist() == [0.0, 0.0] and out.dtype == np.float32


def test_a_failed_update_changes_nothing():
    metric = keras.metrics.AUC(num_thresholds=5)
    metric.update_state([0, 1], [0.2, 0.8])
    before = [v.numpy().copy() for v in metric.variables]
    with pytest.raises(ValueError):
        metric.update_state(np.ones((2, 3)), np.ones((2, 2)))
    for variable, value in zip(metric.variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)


def test_float64_metrics_count_in_float64():
    metric = keras.metrics.Precision(dtype="float64")
    metric.update_state([1, 0, 1], [0.9, 0.8, 0.1])
    assert metric.true_positives.numpy().dtype == np.float64
    assert metric.result().numpy() == pytest.approx(0.5)


def test_result_is_a_snapshot_not_the_state():
    metric = keras.metrics.TruePositives(thresholds=[0.2, 0.5])
    metric.update_state([1, 1], [0.4, 0.7])
    result = metric.result()
    metric.update_state([1], [0.9])
    assert result.numpy().tolist() == [2.0, 1.0]


def test_auc_handles_a_large_batch_with_many_thresholds():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 10_000)
    y_pred = rng.random(10_000).astype(np.float32)
    metric = keras.metrics.AUC(num_thresholds=200)
    metric.update_state(y_true, y_pred)
    assert metric.true_positives.numpy()[0] == y_true.sum()
    assert 0.45 < float(metric.result()) < 0.55           # random scores: about 0.5


def test_auc_from_logits_matches_probabilities():
    logits = np.array([-3.0, -0.5, 0.5, 3.0], np.float32)
    with_logits = keras.metrics.AUC(num_thresholds=5, from_logits=True)
    with_logits.update_state([0, 1, 0, 1], logits)
    plain = keras.metrics.AUC(num_thresholds=5)
    plain.update_state([0, 1, 0, 1], 1 / (1 + np.exp(-logits)))
    assert float(with_logits.result()) == float(plain.result())


def test_iou_truncates_ids_and_validates_them_first():
    metric = keras.metrics.MeanIoU(2)
    with pytest.raises(InvalidArgumentError, match="NaN"):
        metric.update_state([0, np.nan], [0, 1])
    metric.update_state([0.9, 1.2], [0, 1])
    assert metric.total_cm.numpy().tolist() == [[1.0, 0.0], [0.0, 1.0]]
