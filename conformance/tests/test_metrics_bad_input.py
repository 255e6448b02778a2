"""Metrics reject bad input before any state changes (clauses METRIC.BAD_INPUT and
METRIC.SANE_INPUT of docs/spec.md)."""
import numpy as np
import pytest

from conformance import clause

Y = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], np.float32)
P = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 1.0]], np.float32)


def _assert_unchanged(backend, metric, before):
    after = [backend.to_numpy(v) for v in metric.variables]
    for a, b in zip(after, before):
        np.testing.assert_array_equal(a, b)


def _state(backend, metric):
    return [backend.to_numpy(v).copy() for v in metric.variables]


MEAN_WEIGHT_ERRORS = [   # values shape, weight shape: tf_keras raises InvalidArgumentError
    ((2, 3), (3,)), ((2, 3), (4,)), ((2, 3), (2, 2)), ((2, 3), (2, 3, 2)),
    ((2, 3, 4), (3,)), ((2, 3, 4), (3, 4)), ((), (2,)), ((3,), (1, 3)), ((3,), (3, 2)),
]


@clause("METRIC.BAD_INPUT")
@pytest.mark.parametrize("values_shape, weight_shape", MEAN_WEIGHT_ERRORS,
                         ids=[f"{v}-{w}" for v, w in MEAN_WEIGHT_ERRORS])
@pytest.mark.parametrize("kind", ["Mean", "Sum"])
def test_sample_weight_of_a_wrong_shape(backend, kind, values_shape, weight_shape):
    metric = getattr(backend.keras.metrics, kind)()
    metric.update_state([1.0, 2.0])
    before = _state(backend, metric)
    with pytest.raises(backend.tf.errors.InvalidArgumentError):
        metric.update_state(np.ones(values_shape, np.float32),
                            sample_weight=np.ones(weight_shape, np.float32))
    _assert_unchanged(backend, metric, before)


@clause("METRIC.BAD_INPUT")
@pytest.mark.parametrize("weight_shape", [(2, 3), (1, 3), (3,)])
def test_wrapped_metric_rejects_element_weights(backend, weight_shape):
    metric = backend.keras.metrics.MeanSquaredError()
    metric.update_state(Y, P)
    before = _state(backend, metric)
    with pytest.raises(backend.tf.errors.InvalidArgumentError):
        metric.update_state(Y, P, sample_weight=np.ones(weight_shape, np.float32))
    _assert_unchanged(backend, metric, before)


SHAPE_ERRORS = [
    ("MeanSquaredError", (2, 3), (2, 4)), ("MeanSquaredError", (2, 3), (3, 3)),
    ("RootMeanSquaredError", (2, 3), (2, 4)), ("SparseCategoricalAccuracy", (3,), (2, 3)),
    ("SparseCategoricalAccuracy", (2, 2), (2, 3)),
]


@clause("METRIC.BAD_INPUT")
@pytest.mark.parametrize("name, true_shape, pred_shape", SHAPE_ERRORS,
                         ids=[f"{n}-{t}-{p}" for n, t, p in SHAPE_ERRORS])
def test_y_true_and_y_pred_of_incompatible_shapes(backend, name, true_shape, pred_shape):
    metric = getattr(backend.keras.metrics, name)()
    metric.update_state(np.zeros((2, 3), np.float32) if name != "SparseCategoricalAccuracy"
                        else np.zeros((2,), np.float32), np.ones((2, 3), np.float32))
    before = _state(backend, metric)
    with pytest.raises(backend.tf.errors.InvalidArgumentError):
        metric.update_state(np.zeros(true_shape, np.float32), np.ones(pred_shape, np.float32))
    _assert_unchanged(backend, metric, before)


@clause("METRIC.BAD_INPUT")
def test_exact_accuracy_needs_equal_shapes(backend):
    metric = backend.keras.metrics.Accuracy()
    metric.update_state([1.0], [1.0])
    before = _state(backend, metric)
    with pytest.raises(ValueError, match=r"Shapes \(2, 1\) and \(2, 3\) are incompatible"):
        metric.update_state(np.zeros((2, 1), np.float32), np.ones((2, 3), np.float32))
    _assert_unchanged(backend, metric, before)


@clause("METRIC.BAD_INPUT")
def test_top_k_needs_matching_batches_and_2d_predictions(backend):
    M = backend.keras.metrics
    metric = M.SparseTopKCategoricalAccuracy(k=2)
    metric.update_state(np.array([0.0]), np.ones((1, 3), np.float32))
    before = _state(backend, metric)
    with pytest.raises(backend.tf.errors.InvalidArgumentError,
                       match="First dimension of predictions 3 must match length of targets 2"):
        metric.update_state(np.array([0.0, 0.0]), np.ones((3, 3), np.float32))
    _assert_unchanged(backend, metric, before)
    with pytest.raises(backend.tf.errors.InvalidArgumentError,
                       match="predictions must be 2-dimensional"):
        M.TopKCategoricalAccuracy(k=1)(np.array([0.0, 1, 0], np.float32),
                                       np.array([1.0, 0, 0], np.float32))
    with pytest.raises(TypeError):
        M.SparseTopKCategoricalAccuracy(k=2.5)(np.array([0.0]), np.ones((1, 3), np.float32))


@clause("METRIC.BAD_INPUT")
def test_metric_value_must_be_one_tensor(backend):
    metric = backend.keras.metrics.Mean()
    metric.update_state([1.0])
    before = _state(backend, metric)
    for bad in ({"a": 1.0}, [[1.0], [2.0, 3.0]]):
        with pytest.raises(RuntimeError, match="can only be a single Tensor"):
            metric.update_state(bad)
    _assert_unchanged(backend, metric, before)


# ---------------------------------------------------------------- METRIC.SANE_INPUT


SANE_WEIGHT_CASES = [((3,), (3, 1, 1)), ((3,), (1, 1, 1)), ((2, 3, 4), (1,)), ((2, 1), (2, 3))]


@clause("METRIC.SANE_INPUT")
@pytest.mark.parametrize("values_shape, weight_shape", SANE_WEIGHT_CASES,
                         ids=[f"{v}-{w}" for v, w in SANE_WEIGHT_CASES])
def test_weights_never_enlarge_the_values(backend, values_shape, weight_shape):
    metric = backend.keras.metrics.Mean()
    metric.update_state([1.0, 2.0])
    before = _state(backend, metric)
    with pytest.raises(backend.tf.errors.InvalidArgumentError):
        metric.update_state(np.arange(np.prod(values_shape), dtype=np.float32).reshape(values_shape),
                            sample_weight=np.ones(weight_shape, np.float32))
    _assert_unchanged(backend, metric, before)


@clause("METRIC.SANE_INPUT")
@pytest.mark.parametrize("threshold", [float("nan"), float("inf"), "x", None])
def test_binary_accuracy_threshold_must_be_a_finite_number(backend, threshold):
    with pytest.raises(ValueError, match="threshold"):
        metric = backend.keras.metrics.BinaryAccuracy(threshold=threshold)
        metric.update_state(np.array([[0.0, 1.0]]), np.array([[-0.2, 0.7]]))
