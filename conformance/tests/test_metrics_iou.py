"""MeanIoU, IoU, BinaryIoU and the one-hot variants against the float64 oracle of
``conformance/oracles/confusion.py`` (clause METRIC.IOU), and their bad input
(METRIC.CONFUSION.BAD_INPUT)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import confusion as oracle


@st.composite
def class_streams(draw, num_classes, max_batches=3):
    """(y_trues, y_preds, weights or None): class ids of shape (n,) or (n, m)."""
    weighted = draw(st.booleans())
    y_trues, y_preds, weights = [], [], []
    for _ in range(draw(st.integers(1, max_batches))):
        shape = draw(st.sampled_from([(draw(st.integers(1, 8)),), (2, draw(st.integers(1, 3)))]))
        ids = st.integers(0, num_classes - 1)
        y_trues.append(draw(hnp.arrays(np.int32, shape, elements=ids)))
        y_preds.append(draw(hnp.arrays(np.int32, shape, elements=ids)))
        if weighted:
            weights.append((draw(hnp.arrays(np.int32, shape, elements=st.integers(0, 8)))
                            / 4).astype(np.float32))
    return y_trues, y_preds, (weights or None)


def _feed(metric, y_trues, y_preds, weights):
    for i, (y_true, y_pred) in enumerate(zip(y_trues, y_preds)):
        kwargs = {} if weights is None else {"sample_weight": weights[i]}
        metric.update_state(y_true, y_pred, **kwargs)


@clause("METRIC.IOU")
@given(num_classes=st.integers(1, 4), data=st.data(), ignore=st.booleans())
def test_mean_iou_matches_the_oracle(backend, num_classes, data, ignore):
    ignore_class = data.draw(st.integers(0, num_classes - 1)) if ignore else None
    stream = data.draw(class_streams(num_classes))
    metric = backend.keras.metrics.MeanIoU(num_classes, ignore_class=ignore_class)
    _feed(metric, *stream)
    cm = oracle.confusion_matrix(*stream[:2], num_classes, stream[2], ignore_class)
    assert_close(backend.to_numpy(metric.variables[0]), cm.astype(np.float32))
    assert_close(backend.to_numpy(metric.result()), np.float32(oracle.mean_iou(cm)))


@clause("METRIC.IOU")
@given(num_classes=st.integers(2, 4), data=st.data())
def test_iou_averages_the_target_classes(backend, num_classes, data):
    targets = data.draw(st.lists(st.integers(0, num_classes - 1), min_size=1, max_size=3,
                                 unique=True))
    stream = data.draw(class_streams(num_classes))
    metric = backend.keras.metrics.IoU(num_classes, targets)
    _feed(metric, *stream)
    cm = oracle.confusion_matrix(*stream[:2], num_classes, stream[2])
    assert_close(backend.to_numpy(metric.result()), np.float32(oracle.mean_iou(cm, targets)))


@clause("METRIC.IOU")
@given(num_classes=st.integers(2, 4), data=st.data())
def test_one_hot_variants_take_the_argmax(backend, num_classes, data):
    n = data.draw(st.integers(1, 6))
    y_true = data.draw(hnp.arrays(np.int32, (n,), elements=st.integers(0, num_classes - 1)))
    scores = data.draw(hnp.arrays(np.int32, (n, num_classes), elements=st.integers(0, 9),
                                  unique=False))
    y_pred = (scores + np.arange(num_classes) / 100).astype(np.float32)   # no argmax ties
    one_hot = np.eye(num_classes, dtype=np.float32)[y_true]
    cm = oracle.confusion_matrix([y_true], [np.argmax(y_pred, -1)], num_classes)
    metric = backend.keras.metrics.OneHotMeanIoU(num_classes)
    metric.update_state(one_hot, y_pred)
    assert_close(backend.to_numpy(metric.result()), np.float32(oracle.mean_iou(cm)))
    metric = backend.keras.metrics.OneHotIoU(num_classes, [0])
    metric.update_state(one_hot, y_pred)
    assert_close(backend.to_numpy(metric.result()), np.float32(oracle.mean_iou(cm, [0])))


@clause("METRIC.IOU")
def test_observed_values_truncation_binary_threshold_and_config(backend):
    m = backend.keras.metrics
    mean_iou = m.MeanIoU(3)
    assert mean_iou.name == "mean_io_u"
    assert [v.name for v in mean_iou.variables] == ["total_confusion_matrix:0"]
    assert float(backend.to_numpy(mean_iou.result())) == 0.0
    mean_iou.update_state([0.0, 1.7, 2.0, 1.0], [0.9, 2.0, 2.0, 1.0])     # ids are truncated
    assert float(backend.to_numpy(mean_iou.result())) == pytest.approx(2 / 3, abs=1e-7)
    weighted = m.MeanIoU(3, ignore_class=0)
    weighted.update_state([0, 1, 2, 1], [0, 2, 2, 1], sample_weight=[5.0, 1.0, 2.0, 3.0])
    assert float(backend.to_numpy(weighted.result())) == pytest.approx(0.7083333, abs=1e-6)
    binary = m.BinaryIoU(threshold=0.5)                                  # p >= threshold
    binary.update_state([0, 1, 1, 0], [0.5, 0.49, 0.8, 0.2])
    assert backend.to_numpy(binary.variables[0]).tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert mean_iou.get_config() == {"num_classes": 3, "name": "mean_io_u", "dtype": "float32",
                                     "ignore_class": None, "sparse_y_true": True,
                                     "sparse_y_pred": True, "axis": -1}
    mean_iou.reset_state()
    assert backend.to_numpy(mean_iou.variables[0]).tolist() == [[0.0] * 3] * 3


def _assert_rejected(backend, metric, error, message, *args, **kwargs):
    before = backend.to_numpy(metric.variables[0]).copy()
    with pytest.raises(error) as info:
        metric.update_state(*args, **kwargs)
    assert message in str(info.value)
    np.testing.assert_array_equal(backend.to_numpy(metric.variables[0]), before)


@clause("METRIC.CONFUSION.BAD_INPUT")
@pytest.mark.parametrize("y_true, y_pred, message", [
    ([0, 3], [0, 1], "`labels` out of bound"),
    ([0, 1], [0, 3], "`predictions` out of bound"),
    ([0, -1], [0, 1], "`labels` contains negative values"),
    ([0, 1], [-2, 1], "`predictions` contains negative values"),
], ids=["labels-3", "predictions-3", "labels-negative", "predictions-negative"])
def test_class_ids_out_of_range_raise_invalid_argument(backend, y_true, y_pred, message):
    metric = backend.keras.metrics.MeanIoU(3)
    metric.update_state([0, 1], [0, 1])
    _assert_rejected(backend, metric, backend.tf.errors.InvalidArgumentError, message,
                     y_true, y_pred)


@clause("METRIC.CONFUSION.BAD_INPUT")
def test_iou_shape_mismatches(backend):
    metric = backend.keras.metrics.MeanIoU(3)
    _assert_rejected(backend, metric, backend.tf.errors.InvalidArgumentError,
                     "Shapes of all inputs must match", [0, 1, 2], [0, 2])
    _assert_rejected(backend, metric, ValueError, "Shapes (4,) and (2,) are incompatible",
                     [[0, 1], [2, 1]], [[0, 2], [2, 1]], sample_weight=[1.0, 2.0])
    for num_classes in (0, -1):
        with pytest.raises(ValueError):
            backend.keras.metrics.MeanIoU(num_classes)
