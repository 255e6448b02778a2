"""AUC against the float64 oracle of ``conformance/oracles/confusion.py`` (clause
METRIC.AUC): every curve and summation method, default and explicit thresholds,
sample weights, multi-label with and without label weights, from_logits.

Predictions are drawn on the grid k/64, where the bucket rule of evenly spaced
thresholds and the plain comparison ``p > t`` agree exactly (see the oracle).
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import confusion as oracle
from conformance.tests.test_metrics_confusion import feed, streams

CURVES = ["ROC", "PR", "PR_GAIN"]
SUMMATIONS = ["interpolation", "minoring", "majoring"]
NUM_THRESHOLDS = st.sampled_from([2, 3, 5, 17, 200])
EXPLICIT = st.lists(st.integers(0, 20).map(lambda k: k / 20), min_size=1, max_size=6)


@clause("METRIC.AUC")
@given(curve=st.sampled_from(CURVES), summation=st.sampled_from(SUMMATIONS),
       num_thresholds=NUM_THRESHOLDS, stream=streams())
def test_auc_matches_the_oracle(backend, curve, summation, num_thresholds, stream):
    metric = backend.keras.metrics.AUC(num_thresholds=num_thresholds, curve=curve,
                                       summation_method=summation)
    feed(metric, *stream)
    c = oracle.counts(*stream[:2], oracle.auc_thresholds(num_thresholds), stream[2])
    assert_close(backend.to_numpy(metric.result()),
                 np.float32(oracle.auc(c, curve, summation)))


@clause("METRIC.AUC")
@given(curve=st.sampled_from(CURVES), summation=st.sampled_from(SUMMATIONS),
       thresholds=EXPLICIT, stream=streams())
def test_auc_with_explicit_thresholds(backend, curve, summation, thresholds, stream):
    metric = backend.keras.metrics.AUC(thresholds=thresholds, curve=curve,
                                       summation_method=summation)
    feed(metric, *stream)
    c = oracle.counts(*stream[:2], oracle.auc_thresholds(thresholds=thresholds), stream[2])
    assert_close(backend.to_numpy(metric.result()),
                 np.float32(oracle.auc(c, curve, summation)))


@clause("METRIC.AUC")
@given(curve=st.sampled_from(CURVES), summation=st.sampled_from(SUMMATIONS),
       num_thresholds=NUM_THRESHOLDS, labels=st.integers(1, 3), weighted=st.booleans(),
       data=st.data())
def test_multi_label_auc_averages_the_labels(backend, curve, summation, num_thresholds, labels,
                                             weighted, data):
    label_weights = (data.draw(hnp.arrays(np.int32, (labels,), elements=st.integers(0, 4)))
                     .astype(np.float32).tolist() if weighted else None)
    stream = data.draw(streams(columns=labels))
    metric = backend.keras.metrics.AUC(num_thresholds=num_thresholds, curve=curve,
                                       summation_method=summation, multi_label=True,
                                       label_weights=label_weights)
    feed(metric, *stream)
    c = oracle.counts(*stream[:2], oracle.auc_thresholds(num_thresholds), stream[2],
                      multi_label=True)
    expected = oracle.auc(c, curve, summation, multi_label=True, label_weights=label_weights)
    assert_close(backend.to_numpy(metric.result()), np.float32(expected))
    assert [tuple(v.shape) for v in metric.variables] == [(num_thresholds, labels)] * 4


@clause("METRIC.AUC")
@given(curve=st.sampled_from(CURVES), labels=st.integers(1, 3), data=st.data())
def test_label_weights_without_multi_label_weight_each_count(backend, curve, labels, data):
    label_weights = (data.draw(hnp.arrays(np.int32, (labels,), elements=st.integers(0, 4)))
                     .astype(np.float32).tolist())
    stream = data.draw(streams(columns=labels))
    metric = backend.keras.metrics.AUC(num_thresholds=9, curve=curve, label_weights=label_weights)
    feed(metric, *stream)
    c = oracle.counts(*stream[:2], oracle.auc_thresholds(9), stream[2],
                      label_weights=label_weights)
    assert_close(backend.to_numpy(metric.result()), np.float32(oracle.auc(c, curve)))


@clause("METRIC.AUC")
@given(data=st.data(), curve=st.sampled_from(CURVES))
def test_from_logits_applies_the_sigmoid(backend, data, curve):
    # Logits whose sigmoids keep clear of the thresholds 0, 0.25, ..., 1.
    logits = [-3.0, -2.0, -0.5, 0.5, 2.0, 3.0]
    n = data.draw(st.integers(2, 8))
    y_true = data.draw(hnp.arrays(np.int32, (n,), elements=st.integers(0, 1)))
    x = np.array(data.draw(st.lists(st.sampled_from(logits), min_size=n, max_size=n)), np.float32)
    metric = backend.keras.metrics.AUC(num_thresholds=5, curve=curve, from_logits=True)
    metric.update_state(y_true, x)
    c = oracle.counts([y_true], [1 / (1 + np.exp(-x.astype(np.float64)))], oracle.auc_thresholds(5))
    assert_close(backend.to_numpy(metric.result()), np.float32(oracle.auc(c, curve)))


@clause("METRIC.AUC")
def test_seed_examples_and_bucket_ties(backend):
    m = backend.keras.metrics
    y_true = [0, 0, 1, 1]
    roc = m.AUC()
    roc.update_state(y_true, [0.1, 0.4, 0.35, 0.8])
    assert float(backend.to_numpy(roc.result())) == pytest.approx(0.75, abs=1e-6)
    tied = m.AUC()          # 0.4 and 0.401 share the bucket (79/199, 80/199]: a tie
    tied.update_state(y_true, [0.1, 0.4, 0.401, 0.8])
    assert float(backend.to_numpy(tied.result())) == pytest.approx(0.875, abs=1e-6)
    pr = m.AUC(curve="PR")
    pr.update_state(y_true, [0.1, 0.4, 0.35, 0.8])
    assert float(backend.to_numpy(pr.result())) == pytest.approx(0.7972674, abs=1e-6)
    ends = m.AUC(num_thresholds=3)          # 0 is above -1e-7; 1 is not above 1 + 1e-7
    ends.update_state([1, 1, 0, 0], [0.0, 1.0, 0.0, 1.0])
    assert [backend.to_numpy(v).tolist() for v in ends.variables] == [
        [2.0, 1.0, 0.0], [0.0, 1.0, 2.0], [2.0, 1.0, 0.0], [0.0, 1.0, 2.0]]


@clause("METRIC.AUC")
def test_auc_state_thresholds_and_config(backend):
    m = backend.keras.metrics
    auc = m.AUC(name="a")
    assert [v.name for v in auc.variables] == ["true_positives:0", "true_negatives:0",
                                               "false_positives:0", "false_negatives:0"]
    assert [tuple(v.shape) for v in auc.variables] == [(200,)] * 4
    assert float(backend.to_numpy(auc.result())) == 0.0
    thresholds = auc.thresholds
    assert len(thresholds) == 200 and thresholds[0] == -1e-7 and thresholds[-1] == 1 + 1e-7
    assert thresholds[1] == 1 / 199
    assert auc.get_config() == {"name": "a", "dtype": "float32", "num_thresholds": 200,
                                "curve": "ROC", "summation_method": "interpolation",
                                "multi_label": False, "num_labels": None,
                                "label_weights": None, "from_logits": False}
    explicit = m.AUC(thresholds=[0.7, 0.2], curve="pr", summation_method="Minoring")
    assert explicit.num_thresholds == 4
    assert [float(t) for t in explicit.thresholds] == [-1e-7, 0.2, 0.7, 1 + 1e-7]
    config = explicit.get_config()
    assert (config["curve"], config["summation_method"]) == ("PR", "minoring")
    assert [float(t) for t in config["thresholds"]] == [0.2, 0.7]
    lazy = m.AUC(multi_label=True)
    assert lazy.variables == []
    lazy.reset_state()
    assert [tuple(v.shape) for v in m.AUC(multi_label=True, num_labels=3).variables] == [(200, 3)] * 4
    assert type(m.get("AUC")).__name__ == "AUC"
