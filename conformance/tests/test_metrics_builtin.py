"""The numbers of the built-in accuracy and loss-based metrics over weighted streams
(clauses METRIC.BUILTIN, METRIC.TOP_K, METRIC.LOSS_BASED of docs/spec.md).

Hypothesis draws a seed, a batch count and the weight form; predictions come from a
coarse grid (multiples of 0.25) so that thresholds and argmax/top-k ties really occur.
Every stream is compared with the float64 oracle of ``conformance/oracles/metrics.py``.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import metrics as oracle

SEEDS = st.integers(0, 2**32 - 1)
WEIGHT_FORMS = st.sampled_from(["none", "(N,)", "(N,1)", "scalar"])


def _weights(rng, n, form):
    shape = {"none": None, "(N,)": (n,), "(N,1)": (n, 1), "scalar": ()}[form]
    return None if shape is None else rng.uniform(0, 2, size=shape).astype(np.float32)


def _grid(rng, shape):
    return (rng.integers(0, 5, size=shape) * 0.25).astype(np.float32)


def _run(backend, metric, batches):
    for y, p, w in batches:
        metric.update_state(y, p, sample_weight=w)
    return backend.to_numpy(metric.result())


# ---------------------------------------------------------------- METRIC.BUILTIN


@clause("METRIC.BUILTIN")
def test_accuracy_numbers_measured_on_tf_keras(backend):
    M = backend.keras.metrics

    def value(metric, y, p, w=None):
        metric.update_state(np.array(y, np.float32), np.array(p, np.float32), sample_weight=w)
        return float(backend.to_numpy(metric.result()))

    assert value(M.BinaryAccuracy(), [[1, 1, 0, 0]], [[0.5, 0.51, 0.5, 0.49]]) == 0.75
    assert value(M.Accuracy(), [1.0, 2.0], [1.0000001, 2.0]) == 0.5
    assert abs(value(M.CategoricalAccuracy(), [[0, 1, 0], [1, 0, 0], [0, 0, 1]],
                     [[0.5, 0.5, 0], [0.4, 0.4, 0.2], [0, 0.1, 0.9]]) - 2 / 3) < 1e-6
    assert abs(value(M.SparseCategoricalAccuracy(), [[1], [0]], [[0.5, 0.5, 0], [0.4, 0.4, 0.2]],
                     np.array([[1.0], [2.0]], np.float32)) - 2 / 3) < 1e-6
    assert abs(value(M.BinaryAccuracy(), [[0, 1, 1], [1, 0, 0]], [[0.2, 0.7, 0.5], [0.6, 0.1, 0.9]],
                     np.array([1.0, 3.0], np.float32)) - 2 / 3) < 1e-6
    assert value(M.MeanAbsolutePercentageError(), [[2.0], [4.0]], [[1.0], [5.0]]) == 37.5
    acc = M.binary_accuracy(np.array([[0.0, 1, 1], [1, 0, 0]], np.float32),
                            np.array([[0.2, 0.7, 0.5], [0.6, 0.1, 0.9]], np.float32))
    assert_close(backend.to_numpy(acc), np.array([2 / 3, 2 / 3]))
    ties = M.categorical_accuracy(np.array([[0.0, 1, 0], [1, 0, 0]], np.float32),
                                  np.array([[0.5, 0.5, 0], [0.4, 0.4, 0.2]], np.float32))
    assert backend.to_numpy(ties).tolist() == [0.0, 1.0]
    sparse = M.sparse_categorical_accuracy(np.array([[1.0], [0.0]], np.float32),
                                           np.array([[0.5, 0.5, 0], [0.4, 0.4, 0.2]], np.float32))
    assert backend.to_numpy(sparse).tolist() == [0.0, 1.0]


@clause("METRIC.BUILTIN")
@given(seed=SEEDS, batches=st.integers(1, 3), n=st.integers(1, 4), t=st.integers(1, 3),
       form=WEIGHT_FORMS, threshold=st.sampled_from([0.5, 0.25, 0.0]))
def test_binary_accuracy_streams(backend, seed, batches, n, t, form, threshold):
    rng = np.random.default_rng(seed)
    metric = backend.keras.metrics.BinaryAccuracy(threshold=threshold)
    stream, pairs = [], []
    for _ in range(batches):
        y = rng.integers(0, 2, size=(n, t)).astype(np.float32)
        p = _grid(rng, (n, t))
        w = _weights(rng, n, form)
        stream.append((y, p, w))
        pairs.append((oracle.binary_matches(y, p, threshold), w))
    assert_close(_run(backend, metric, stream), np.float64(oracle.stream_mean(pairs)))


@clause("METRIC.BUILTIN")
@given(seed=SEEDS, batches=st.integers(1, 3), n=st.integers(1, 4), c=st.integers(2, 4),
       form=WEIGHT_FORMS, sparse_rank=st.sampled_from([1, 2]))
def test_categorical_and_sparse_accuracy_streams(backend, seed, batches, n, c, form, sparse_rank):
    rng = np.random.default_rng(seed)
    M = backend.keras.metrics
    categorical, sparse = M.CategoricalAccuracy(), M.SparseCategoricalAccuracy()
    cat_stream, sparse_stream, cat_pairs, sparse_pairs = [], [], [], []
    for _ in range(batches):
        labels = rng.integers(0, c, size=n)
        p = _grid(rng, (n, c))
        w = _weights(rng, n, form)
        one_hot = np.eye(c, dtype=np.float32)[labels]
        sparse_y = labels.astype(np.float32).reshape((n,) if sparse_rank == 1 else (n, 1))
        cat_stream.append((one_hot, p, w))
        sparse_stream.append((sparse_y, p, w))
        cat_pairs.append((oracle.categorical_matches(one_hot, p), w))
        sparse_pairs.append((oracle.sparse_categorical_matches(sparse_y, p), w))
    assert_close(_run(backend, categorical, cat_stream), np.float64(oracle.stream_mean(cat_pairs)))
    assert_close(_run(backend, sparse, sparse_stream), np.float64(oracle.stream_mean(sparse_pairs)))


@clause("METRIC.BUILTIN")
@given(seed=SEEDS, batches=st.integers(1, 3), n=st.integers(1, 4))
def test_exact_accuracy_streams(backend, seed, batches, n):
    rng = np.random.default_rng(seed)
    metric = backend.keras.metrics.Accuracy()
    stream, pairs = [], []
    for _ in range(batches):
        y = rng.integers(0, 3, size=(n, 2)).astype(np.float32)
        p = rng.integers(0, 3, size=(n, 2)).astype(np.float32)
        w = _weights(rng, n, "(N,)")
        stream.append((y, p, w))
        pairs.append(((y == p).astype(np.float64), w))
    assert_close(_run(backend, metric, stream), np.float64(oracle.stream_mean(pairs)))


# ---------------------------------------------------------------- METRIC.TOP_K


@clause("METRIC.TOP_K")
def test_top_k_ties_and_edges_measured_on_tf_keras(backend):
    M = backend.keras.metrics
    p = np.array([[0.1, 0.3, 0.3, 0.2], [0.4, 0.4, 0.4, 0.4], [0.5, 0.1, 0.2, 0.2]], np.float32)

    def matches(labels, k):
        return backend.to_numpy(M.sparse_top_k_categorical_accuracy(np.array(labels), p, k=k)).tolist()

    assert matches([1, 2, 3], 1) == [1.0, 1.0, 0.0]
    assert matches([2, 0, 3], 2) == [1.0, 1.0, 1.0]
    assert matches([3, 0, 2], 2) == [0.0, 1.0, 1.0]
    assert matches([1, 2, 3], 0) == [0.0, 0.0, 0.0]
    assert matches([1, 2, 3], 10) == [1.0, 1.0, 1.0]
    assert matches([4, -1, 0], 2) == [0.0, 0.0, 1.0]
    assert backend.to_numpy(M.sparse_top_k_categorical_accuracy(
        np.array([[1], [2], [3]]), p, k=1)).tolist() == [[1.0], [1.0], [0.0]]
    assert backend.to_numpy(M.top_k_categorical_accuracy(
        np.eye(4, dtype=np.float32)[[1, 2, 3]], p, k=2)).tolist() == [1.0, 1.0, 1.0]
    nonfinite = np.array([[1.0, np.nan, 0], [np.nan, 1, 0], [1, np.inf, 0], [np.inf, 0, 0]],
                         np.float32)
    assert backend.to_numpy(M.sparse_top_k_categorical_accuracy(
        np.array([0, 0, 0, 0]), nonfinite, k=2)).tolist() == [0.0, 0.0, 0.0, 0.0]
    metric = M.SparseTopKCategoricalAccuracy(k=2)
    metric.update_state(np.array([[1.0], [2.0], [3.0]], np.float32), p,
                        sample_weight=np.array([1.0, 2.0, 3.0], np.float32))
    assert float(backend.to_numpy(metric.result())) == 1.0
    assert [float(backend.to_numpy(v)) for v in metric.variables] == [6.0, 6.0]
    assert float(backend.to_numpy(M.TopKCategoricalAccuracy()(
        np.eye(4, dtype=np.float32)[[1, 2, 3]], p))) == 1.0       # k=5 > 4 classes


@clause("METRIC.TOP_K")
@given(seed=SEEDS, batches=st.integers(1, 3), n=st.integers(1, 4), c=st.integers(2, 5),
       k=st.integers(1, 4), form=WEIGHT_FORMS)
def test_top_k_streams(backend, seed, batches, n, c, k, form):
    rng = np.random.default_rng(seed)
    M = backend.keras.metrics
    dense, sparse = M.TopKCategoricalAccuracy(k=k), M.SparseTopKCategoricalAccuracy(k=k)
    dense_stream, sparse_stream, pairs = [], [], []
    for _ in range(batches):
        labels = rng.integers(0, c, size=n)
        p = _grid(rng, (n, c))
        w = _weights(rng, n, form)
        dense_stream.append((np.eye(c, dtype=np.float32)[labels], p, w))
        sparse_stream.append((labels.astype(np.float32), p, w))
        pairs.append((oracle.sparse_top_k_matches(labels, p, k), w))
    expected = np.float64(oracle.stream_mean(pairs))
    assert_close(_run(backend, dense, dense_stream), expected)
    assert_close(_run(backend, sparse, sparse_stream), expected)


# ---------------------------------------------------------------- METRIC.LOSS_BASED


@clause("METRIC.LOSS_BASED")
def test_loss_based_numbers_measured_on_tf_keras(backend):
    M = backend.keras.metrics
    y = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    p = np.array([[0.4, 0.6], [0.0, 1.0]], np.float32)
    measured = {"KLDivergence": 8.314459, "BinaryCrossentropy": 7.944959,
                "CategoricalCrossentropy": 8.314461, "Hinge": 1.2, "Poisson": 4.6572304,
                "MeanSquaredLogarithmicError": 0.28097805, "LogCoshError": 0.25586715,
                "CategoricalHinge": 1.4, "SquaredHinge": 1.78}
    for name, expected in measured.items():
        assert_close(backend.to_numpy(getattr(M, name)()(y, p)), np.float32(expected),
                     message=name)
    assert_close(backend.to_numpy(M.SparseCategoricalCrossentropy()([1, 0], p)),
                 np.float32(8.314461))
    assert_close(backend.to_numpy(M.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)(
        y, p)), np.float32(0.819228))
    yt = np.array([[0.0, 1, 2], [1, 1, 1]], np.float32)
    yp = np.array([[1.0, 1, 0], [0, 2, 1]], np.float32)
    assert_close(backend.to_numpy(M.RootMeanSquaredError()(yt, yp)), np.float32(1.0801234))
    assert_close(backend.to_numpy(M.RootMeanSquaredError()(
        yt, yp, sample_weight=np.array([1.0, 3.0], np.float32))), np.float32(0.95742714))
    assert_close(backend.to_numpy(M.CosineSimilarity()(yt, yp)), np.float32(0.54541224))
    assert_close(backend.to_numpy(M.CosineSimilarity(axis=0)(yt, yp)), np.float32(0.465299))


@clause("METRIC.LOSS_BASED")
def test_ignore_class_drops_samples_from_the_mean(backend):
    M = backend.keras.metrics
    p = np.array([[0.4, 0.6, 0.0], [0.0, 1.0, 0.0], [0.2, 0.2, 0.6]], np.float32)
    metric = M.SparseCategoricalCrossentropy(ignore_class=0)
    metric.update_state(np.array([1, 0, 2]), p, sample_weight=np.array([1.0, 2.0, 3.0], np.float32))
    assert_close(np.array([float(backend.to_numpy(v)) for v in metric.variables], np.float32),
                 np.array([-np.log(0.6) - 3 * np.log(0.6), 4.0]))
    everything = M.SparseCategoricalCrossentropy(ignore_class=0)
    everything.update_state(np.array([0, 0]), p[:2])
    assert float(backend.to_numpy(everything.result())) == 0.0


@clause("METRIC.LOSS_BASED")
@pytest.mark.parametrize("name", sorted(oracle.LOSS_BASED))
@given(seed=SEEDS, batches=st.integers(1, 3), n=st.integers(1, 4), c=st.integers(2, 3),
       form=WEIGHT_FORMS)
def test_loss_based_streams(backend, name, seed, batches, n, c, form):
    rng = np.random.default_rng(seed)
    metric = getattr(backend.keras.metrics, name)()
    fn = oracle.LOSS_BASED[name]
    stream, pairs = [], []
    for _ in range(batches):
        if name in ("CategoricalCrossentropy", "KLDivergence", "CategoricalHinge"):
            y = np.eye(c, dtype=np.float32)[rng.integers(0, c, size=n)]
        elif name in ("Hinge", "SquaredHinge"):
            y = rng.choice([-1.0, 1.0], size=(n, c)).astype(np.float32)
        else:
            y = rng.uniform(0.1, 2.0, size=(n, c)).astype(np.float32)
        p = rng.uniform(0.05, 0.95, size=(n, c)).astype(np.float32)
        w = _weights(rng, n, form)
        stream.append((y, p, w))
        pairs.append((fn(y.astype(np.float64), p.astype(np.float64)), w))
    assert_close(_run(backend, metric, stream), np.float64(oracle.stream_mean(pairs)))


@clause("METRIC.LOSS_BASED")
@given(seed=SEEDS, batches=st.integers(1, 3), n=st.integers(1, 4), t=st.integers(1, 3),
       form=st.sampled_from(["none", "(N,)", "(N,1)", "scalar", "(N,T)"]))
def test_root_mean_squared_error_streams(backend, seed, batches, n, t, form):
    rng = np.random.default_rng(seed)
    metric = backend.keras.metrics.RootMeanSquaredError()
    stream = []
    for _ in range(batches):
        y = rng.normal(size=(n, t)).astype(np.float32)
        p = rng.normal(size=(n, t)).astype(np.float32)
        w = rng.uniform(0, 2, size=(n, t)).astype(np.float32) if form == "(N,T)" else \
            _weights(rng, n, form)
        stream.append((y, p, w))
    _run(backend, metric, stream)
    expected = oracle.rmse([(y.astype(np.float64), p.astype(np.float64), w) for y, p, w in stream])
    assert_close(backend.to_numpy(metric.result()), np.float64(expected))
