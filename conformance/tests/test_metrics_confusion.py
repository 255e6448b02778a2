"""TruePositives .. FalseNegatives, Precision, Recall and the *At* metrics against the
float64 oracle of ``conformance/oracles/confusion.py`` (clauses METRIC.CONFUSION,
METRIC.AT_THRESHOLD), and their argument and input checks (METRIC.CONFUSION.BAD_INPUT,
METRIC.CONFUSION.ARGS).

Every stream test draws 1-3 batches of binary labels and predictions on the grid
k/64 (exact in float32, never between a float32 and a float64 threshold), with
optional sample weights on the grid k/4, feeds them to one metric with
``update_state`` and compares ``result()`` with the oracle over the whole stream.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import confusion as oracle

GRID = 64
COUNTERS = {"TruePositives": "tp", "FalsePositives": "fp", "TrueNegatives": "tn",
            "FalseNegatives": "fn"}
GRID_THRESHOLDS = st.integers(0, 16).map(lambda k: k / 16)
THRESHOLDS = st.one_of(
    st.none(),
    GRID_THRESHOLDS,
    st.lists(GRID_THRESHOLDS, min_size=1, max_size=4),
    st.sampled_from([[0.0, 0.5, 1.0], [0.0, 0.25, 0.5, 0.75, 1.0]]),   # evenly spaced
)


@st.composite
def streams(draw, columns=None, max_batches=3, weightings=("none", "rows", "full")):
    """(y_trues, y_preds, weights or None): batches of shape (n,) or (n, c), c fixed;
    weights none, one per row, or one per element."""
    if columns is None:
        columns = draw(st.sampled_from([None, 1, 2, 3]))
    weighted = draw(st.sampled_from(weightings))
    y_trues, y_preds, weights = [], [], []
    for _ in range(draw(st.integers(1, max_batches))):
        n = draw(st.integers(1, 6))
        shape = (n,) if columns is None else (n, columns)
        y_trues.append(draw(hnp.arrays(np.int32, shape, elements=st.integers(0, 1))))
        y_preds.append((draw(hnp.arrays(np.int32, shape, elements=st.integers(0, GRID)))
                        / GRID).astype(np.float32))
        if weighted != "none":
            wshape = (n,) if weighted == "rows" else shape
            weights.append((draw(hnp.arrays(np.int32, wshape, elements=st.integers(0, 8)))
                            / 4).astype(np.float32))
    return y_trues, y_preds, (weights or None)


def feed(metric, y_trues, y_preds, weights):
    for i, (y_true, y_pred) in enumerate(zip(y_trues, y_preds)):
        if weights is None:
            metric.update_state(y_true, y_pred)
        else:
            metric.update_state(y_true, y_pred, sample_weight=weights[i])
    return metric


def _expected_thresholds(thresholds, default=0.5):
    if thresholds is None:
        return [default]
    return list(thresholds) if isinstance(thresholds, list) else [thresholds]


def _as_result(values, thresholds):
    return values[0] if len(thresholds) == 1 else values


# ------------------------------------------------------------------ METRIC.CONFUSION


@clause("METRIC.CONFUSION")
@given(name=st.sampled_from(sorted(COUNTERS)), thresholds=THRESHOLDS, stream=streams())
def test_counters_match_the_oracle_over_a_stream(backend, name, thresholds, stream):
    y_trues, y_preds, weights = stream
    metric = feed(getattr(backend.keras.metrics, name)(thresholds=thresholds), *stream)
    ts = _expected_thresholds(thresholds)
    expected = oracle.counts(y_trues, y_preds, ts, weights)[COUNTERS[name]]
    result = backend.to_numpy(metric.result())
    assert_close(result, np.float32(_as_result(expected, ts)))


@clause("METRIC.CONFUSION")
@given(name=st.sampled_from(["Precision", "Recall"]), thresholds=THRESHOLDS, stream=streams())
def test_precision_and_recall_match_the_oracle(backend, name, thresholds, stream):
    metric = feed(getattr(backend.keras.metrics, name)(thresholds=thresholds), *stream)
    ts = _expected_thresholds(thresholds)
    c = oracle.counts(*stream[:2], ts, stream[2])
    expected = oracle.precision(c) if name == "Precision" else oracle.recall(c)
    assert_close(backend.to_numpy(metric.result()), np.float32(_as_result(expected, ts)))


@clause("METRIC.CONFUSION")
@given(name=st.sampled_from(["Precision", "Recall"]), data=st.data(),
       columns=st.integers(2, 4), use_top_k=st.booleans(), use_class=st.booleans(),
       threshold=st.one_of(st.none(), GRID_THRESHOLDS))
def test_top_k_and_class_id_select_predictions(backend, name, data, columns, use_top_k,
                                               use_class, threshold):
    top_k = data.draw(st.integers(1, columns)) if use_top_k else None
    class_id = data.draw(st.integers(0, columns - 1)) if use_class else None
    # With class_id a full (n, c) weight no longer broadcasts to the (n, 1) column.
    weightings = ("none", "rows") if use_class else ("none", "rows", "full")
    stream = data.draw(streams(columns=columns, weightings=weightings))
    metric = feed(getattr(backend.keras.metrics, name)(thresholds=threshold, top_k=top_k,
                                                       class_id=class_id), *stream)
    default = 0.5 if top_k is None else oracle.NEG_INF
    c = oracle.counts(*stream[:2], _expected_thresholds(threshold, default), stream[2],
                      top_k=top_k, class_id=class_id)
    expected = oracle.precision(c) if name == "Precision" else oracle.recall(c)
    assert_close(backend.to_numpy(metric.result()), np.float32(expected[0]))


@clause("METRIC.CONFUSION")
def test_seed_example_and_the_strict_threshold(backend):
    m = backend.keras.metrics
    precision = m.Precision()
    precision.update_state([1, 0, 1, 0, 1], [0.5, 0.6, 0.9, 0.4, 0.51])
    assert float(backend.to_numpy(precision.result())) == pytest.approx(2 / 3, abs=1e-7)
    tp = m.TruePositives(thresholds=[0.0, 0.5, 1.0])       # p == t is not above t
    tp.update_state([1, 1, 1, 1], [0.0, 0.5, 1.0, 0.75])
    np.testing.assert_array_equal(backend.to_numpy(tp.result()), [3.0, 2.0, 0.0])
    labels = m.TruePositives()                             # any nonzero label is positive
    labels.update_state([0.5, -1.0, 0.0, 2.0], [0.7, 0.7, 0.7, 0.7])
    assert float(backend.to_numpy(labels.result())) == 3.0


@clause("METRIC.CONFUSION")
def test_top_k_ties_keep_the_lower_index(backend):
    precision = backend.keras.metrics.Precision(top_k=1)
    precision.update_state(np.array([[0, 1, 0]]), np.array([[0.5, 0.5, 0.2]], np.float32))
    assert [float(backend.to_numpy(v)[0]) for v in precision.variables] == [0.0, 1.0]


@clause("METRIC.CONFUSION")
def test_state_names_shapes_reset_and_config(backend):
    m = backend.keras.metrics
    precision = m.Precision(thresholds=[0.25, 0.5], name="p")
    assert [v.name for v in precision.variables] == ["true_positives:0", "false_positives:0"]
    assert [tuple(v.shape) for v in precision.variables] == [(2,), (2,)]
    np.testing.assert_array_equal(backend.to_numpy(precision.result()), [0.0, 0.0])
    precision.update_state([1, 0, 1], [0.4, 0.6, 0.9])
    np.testing.assert_allclose(backend.to_numpy(precision.result()), [2 / 3, 0.5], rtol=1e-6)
    precision.reset_state()
    assert [backend.to_numpy(v).tolist() for v in precision.variables] == [[0.0, 0.0], [0.0, 0.0]]
    assert precision.get_config() == {"name": "p", "dtype": "float32", "thresholds": [0.25, 0.5],
                                      "top_k": None, "class_id": None}
    assert [v.name for v in m.FalseNegatives().variables] == ["accumulator:0"]
    assert m.TruePositives().get_config() == {"name": "true_positives", "dtype": "float32",
                                              "thresholds": None}
    assert [v.name for v in m.Recall().variables] == ["true_positives:0", "false_negatives:0"]


@clause("METRIC.CONFUSION")
def test_default_names_are_made_unique_and_class_names_resolve(backend):
    m = backend.keras.metrics
    assert [m.Precision().name for _ in range(2)] == ["precision", "precision_1"]
    assert m.Precision(name="p").name == m.Precision(name="p").name == "p"
    assert type(m.get("TruePositives")).__name__ == "TruePositives"
    assert type(m.get("Recall")).__name__ == "Recall"


@clause("METRIC.CONFUSION")
def test_sample_weight_shapes_align_with_y_pred(backend):
    m = backend.keras.metrics
    y_true, y_pred = np.ones((2, 3), np.float32), np.full((2, 3), 0.7, np.float32)
    for weight, expected in [(np.array([1.0, 2.0]), 9.0), (np.array([[1.0], [2.0]]), 9.0),
                             (np.array([[1.0, 2.0, 3.0]]), 12.0), (2.0, 12.0),
                             (np.ones((2, 3, 1)), 6.0)]:
        tp = m.TruePositives()
        tp.update_state(y_true, y_pred, sample_weight=weight)
        assert float(backend.to_numpy(tp.result())) == expected
    squeezed = m.TruePositives()                 # y_true (2, 1) against y_pred (2,)
    squeezed.update_state(np.ones((2, 1)), np.full((2,), 0.7, np.float32))
    assert float(backend.to_numpy(squeezed.result())) == 2.0


# ------------------------------------------------------------------ METRIC.AT_THRESHOLD

AT_METRICS = {  # class: (its argument, constrained rate, maximised rate)
    "SensitivityAtSpecificity": ("specificity", "specificity", "sensitivity"),
    "SpecificityAtSensitivity": ("sensitivity", "sensitivity", "specificity"),
    "PrecisionAtRecall": ("recall", "recall", "precision"),
    "RecallAtPrecision": ("precision", "precision", "recall"),
}


@clause("METRIC.AT_THRESHOLD")
@given(name=st.sampled_from(sorted(AT_METRICS)), target=st.integers(0, 8).map(lambda k: k / 8),
       num_thresholds=st.sampled_from([1, 2, 3, 5, 17, 200]), stream=streams())
def test_at_metrics_match_the_oracle(backend, name, target, num_thresholds, stream):
    argument, constrained, dependent = AT_METRICS[name]
    metric = getattr(backend.keras.metrics, name)(**{argument: target},
                                                  num_thresholds=num_thresholds)
    feed(metric, *stream)
    c = oracle.counts(*stream[:2], oracle.at_thresholds(num_thresholds), stream[2])
    expected = oracle.best_under_constraint(c, constrained, target, dependent)
    assert_close(backend.to_numpy(metric.result()), np.float32(expected))


@clause("METRIC.AT_THRESHOLD")
@given(name=st.sampled_from(sorted(AT_METRICS)), data=st.data(), columns=st.integers(2, 3))
def test_at_metrics_class_id(backend, name, data, columns):
    argument, constrained, dependent = AT_METRICS[name]
    class_id = data.draw(st.integers(0, columns - 1))
    stream = data.draw(streams(columns=columns, weightings=("none", "rows")))
    metric = getattr(backend.keras.metrics, name)(**{argument: 0.5}, num_thresholds=9,
                                                  class_id=class_id)
    feed(metric, *stream)
    c = oracle.counts(*stream[:2], oracle.at_thresholds(9), stream[2], class_id=class_id)
    assert_close(backend.to_numpy(metric.result()),
                 np.float32(oracle.best_under_constraint(c, constrained, 0.5, dependent)))


@clause("METRIC.AT_THRESHOLD")
def test_at_metrics_observed_values_state_and_config(backend):
    m = backend.keras.metrics
    y_true, y_pred = [0, 0, 1, 1, 1, 0], [0.1, 0.6, 0.35, 0.8, 0.6, 0.3]
    observed = {("SensitivityAtSpecificity", 0.5): 2 / 3, ("SpecificityAtSensitivity", 0.5): 2 / 3,
                ("PrecisionAtRecall", 0.5): 2 / 3, ("RecallAtPrecision", 0.5): 1.0,
                ("RecallAtPrecision", 1.0): 1 / 3, ("PrecisionAtRecall", 1.0): 0.6}
    for (name, target), expected in observed.items():
        metric = getattr(m, name)(target, num_thresholds=5)
        metric.update_state(y_true, y_pred)
        assert float(backend.to_numpy(metric.result())) == pytest.approx(expected, abs=1e-6)
    metric = m.RecallAtPrecision(0.9, name="rap")
    assert float(backend.to_numpy(metric.result())) == 0.0
    assert [v.name for v in metric.variables] == ["true_positives:0", "true_negatives:0",
                                                  "false_positives:0", "false_negatives:0"]
    assert [tuple(v.shape) for v in metric.variables] == [(200,)] * 4
    assert metric.get_config() == {"name": "rap", "dtype": "float32",
                                   "class_id": None, "num_thresholds": 200, "precision": 0.9}
    assert list(m.PrecisionAtRecall(0.5, num_thresholds=1).thresholds) == [0.5]
    assert list(m.PrecisionAtRecall(0.5, num_thresholds=3).thresholds) == [0.0, 0.5, 1.0]


# ------------------------------------------------------------------ METRIC.CONFUSION.BAD_INPUT


def _state(metric):
    return [np.array(v.numpy()) for v in metric.variables]


def _assert_rejected(backend, metric, error, message, *args, **kwargs):
    """update_state raises ``error`` whose text contains ``message``; nothing changes."""
    before = _state(metric)
    with pytest.raises(error) as info:
        metric.update_state(*args, **kwargs)
    assert message in str(info.value)
    for a, b in zip(_state(metric), before):
        np.testing.assert_array_equal(a, b)


@clause("METRIC.CONFUSION.BAD_INPUT")
@pytest.mark.parametrize("make, message", [
    (lambda m: m.Precision(thresholds=1.5), "Threshold values must be in [0, 1]. Received: [1.5]"),
    (lambda m: m.TruePositives(thresholds=[0.2, -0.1, 2]),
     "Threshold values must be in [0, 1]. Received: [-0.1, 2]"),
    (lambda m: m.Recall(thresholds=[0.2, None]), "Threshold values must be in [0, 1]. Received: [None]"),
    (lambda m: m.SensitivityAtSpecificity(1.5),
     "Argument `specificity` must be in the range [0, 1]. Received: specificity=1.5"),
    (lambda m: m.SpecificityAtSensitivity(-0.5),
     "Argument `sensitivity` must be in the range [0, 1]. Received: sensitivity=-0.5"),
    (lambda m: m.PrecisionAtRecall(2), "Argument `recall` must be in the range [0, 1]. Received: recall=2"),
    (lambda m: m.RecallAtPrecision(-1),
     "Argument `precision` must be in the range [0, 1]. Received: precision=-1"),
    (lambda m: m.RecallAtPrecision(0.5, num_thresholds=0),
     "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=0"),
    (lambda m: m.AUC(num_thresholds=1),
     "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1"),
    (lambda m: m.AUC(curve="foo"),
     'Invalid AUC curve value: "foo". Expected values are ["PR", "ROC", "PR_GAIN"]'),
    (lambda m: m.AUC(summation_method="trapezoid"),
     ('Invalid AUC summation method value: "trapezoid". Expected values are '
      '["interpolation", "majoring", "minoring"]')),
    (lambda m: m.AUC(num_labels=3), "`num_labels` is needed only when `multi_label` is True."),
    (lambda m: m.IoU(3, [0, 3]), "Target class id 3 is out of range, which is [0, 3)."),
], ids=["precision-1.5", "tp-list", "recall-None", "sas", "sas2", "par", "rap", "at-num-thr",
        "auc-num-thr", "auc-curve", "auc-summation", "auc-num-labels", "iou-target"])
def test_bad_constructor_arguments_raise_value_error(backend, make, message):
    with pytest.raises(ValueError) as info:
        make(backend.keras.metrics)
    assert message in str(info.value)


@clause("METRIC.CONFUSION.BAD_INPUT")
def test_negative_label_weights_are_rejected(backend):
    with pytest.raises(backend.tf.errors.InvalidArgumentError) as info:
        backend.keras.metrics.AUC(label_weights=[1.0, -1.0])
    assert "All values of `label_weights` must be non-negative" in str(info.value)


@clause("METRIC.CONFUSION.BAD_INPUT")
@pytest.mark.parametrize("y_true_shape, y_pred_shape, message", [
    ((2, 3), (2, 2), "Shapes (2, 2) and (2, 3) are incompatible"),
    ((2,), (3,), "Shapes (3,) and (2,) are incompatible"),
    ((2, 3), (3, 2), "Shapes (3, 2) and (2, 3) are incompatible"),
])
def test_mismatched_shapes_raise_value_error_before_counting(backend, y_true_shape, y_pred_shape,
                                                             message):
    m = backend.keras.metrics
    for metric in (m.Precision(), m.AUC(num_thresholds=3), m.RecallAtPrecision(0.5)):
        _assert_rejected(backend, metric, ValueError, message, np.ones(y_true_shape),
                         np.full(y_pred_shape, 0.7, np.float32))


@clause("METRIC.CONFUSION.BAD_INPUT")
@pytest.mark.parametrize("weight, message", [
    (np.ones(3), ("weights can not be broadcast to values. Mismatch at dim 0. "
                  "values.shape=[2 3], weights.shape=[3 1].")),
    (np.ones((2, 2)), ("weights can not be broadcast to values. Mismatch at dim 1. "
                       "values.shape=[2 3], weights.shape=[2 2].")),
])
def test_sample_weight_of_the_wrong_shape_raises_value_error(backend, weight, message):
    m = backend.keras.metrics
    for metric in (m.Precision(), m.FalseNegatives(), m.AUC(num_thresholds=3)):
        _assert_rejected(backend, metric, ValueError, message, np.ones((2, 3)),
                         np.full((2, 3), 0.7, np.float32), sample_weight=weight)


@clause("METRIC.CONFUSION.BAD_INPUT")
@pytest.mark.parametrize("make, message", [
    (lambda m: m.Precision(class_id=5), "slice index 5 of dimension 1 out of bounds"),
    (lambda m: m.Recall(class_id=-4), "slice index -1 of dimension 1 out of bounds"),
    (lambda m: m.Precision(top_k=5), "input must have at least k columns. Had 3, needed 5"),
    (lambda m: m.Recall(top_k=-1), "Need k >= 0, got -1"),
    (lambda m: m.SensitivityAtSpecificity(0.5, class_id=3), "slice index 3 of dimension 1 out of bounds"),
], ids=["class-5", "class--4", "top-k-5", "top-k--1", "at-class-3"])
def test_class_id_and_top_k_out_of_range_raise_invalid_argument(backend, make, message):
    metric = make(backend.keras.metrics)
    _assert_rejected(backend, metric, backend.tf.errors.InvalidArgumentError, message,
                     np.ones((2, 3)), np.full((2, 3), 0.7, np.float32))


@clause("METRIC.CONFUSION.BAD_INPUT")
def test_auc_label_checks(backend):
    m = backend.keras.metrics
    multi = m.AUC(multi_label=True)
    with pytest.raises(ValueError) as info:
        multi.update_state(np.ones((2, 3, 2)), np.ones((2, 3, 2), np.float32))
    assert str(info.value).startswith("`y_pred` must have rank 2 when `multi_label=True`. Found "
                                      "rank 3. Full shape received for `y_pred`: (2, 3, 2)")
    assert multi.variables == []
    multi.update_state(np.ones((2, 3)), np.full((2, 3), 0.5, np.float32))
    _assert_rejected(backend, multi, ValueError, "Number of labels is not consistent",
                     np.ones((2, 2)), np.full((2, 2), 0.5, np.float32))
    weighted = m.AUC(label_weights=[1.0, 2.0], num_thresholds=3)
    _assert_rejected(backend, weighted, ValueError, "Number of labels is not consistent",
                     np.ones((2, 3)), np.full((2, 3), 0.5, np.float32))


# ------------------------------------------------------------------ METRIC.CONFUSION.ARGS


@clause("METRIC.CONFUSION.ARGS")
@pytest.mark.parametrize("make", [
    lambda m: m.AUC(thresholds=[0.5, 1.5]),
    lambda m: m.AUC(thresholds=[-0.5]),
    lambda m: m.TruePositives(thresholds=[float("nan")]),
    lambda m: m.Precision(thresholds=[0.5, float("nan")]),
], ids=["auc-1.5", "auc-negative", "tp-nan", "precision-nan"])
def test_every_threshold_must_lie_in_zero_one(backend, make):
    with pytest.raises(ValueError) as info:
        make(backend.keras.metrics)
    assert str(info.value).startswith("Threshold values must be in [0, 1]. Received: [")


@clause("METRIC.CONFUSION.ARGS")
def test_thresholds_may_be_a_tuple(backend):
    precision = backend.keras.metrics.Precision(thresholds=(0.3, 0.5))
    precision.update_state([1, 0, 1], [0.4, 0.6, 0.9])
    np.testing.assert_allclose(backend.to_numpy(precision.result()), [2 / 3, 0.5], rtol=1e-6)


@clause("METRIC.CONFUSION.ARGS")
def test_iou_target_class_ids_must_not_be_negative(backend):
    with pytest.raises(ValueError) as info:
        backend.keras.metrics.IoU(3, [-1, 0])
    assert str(info.value) == "Target class id -1 is out of range, which is [0, 3)."
