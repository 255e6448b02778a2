"""Losses reject bad input: the errors tf_keras raises (LOSS.BAD_INPUT), and clean
errors where tf_keras accepts nonsense (LOSS.SANE_INPUT, a recorded tf_keras quirk)."""
import numpy as np
import pytest

from conformance import clause


def _ones(*shape):
    return np.ones(shape, np.float32)


# ---------------------------------------------------------------- LOSS.BAD_INPUT


@clause("LOSS.BAD_INPUT")
@pytest.mark.parametrize("reduction", ["mean", None, "SUM"])
def test_unknown_reduction(backend, reduction):
    with pytest.raises(ValueError) as info:
        backend.keras.losses.MeanSquaredError(reduction=reduction)
    assert str(info.value) == (f"Invalid Reduction Key: {reduction}. Expected keys are "
                               "\"('auto', 'none', 'sum', 'sum_over_batch_size')\"")


@clause("LOSS.BAD_INPUT")
@pytest.mark.parametrize("true_shape, pred_shape", [((2, 3), (2, 4)), ((2,), (2, 3))])
def test_categorical_shapes_must_match(backend, true_shape, pred_shape):
    tf = backend.tf
    with pytest.raises(ValueError) as info:
        backend.keras.losses.CategoricalCrossentropy()(tf.constant(_ones(*true_shape)),
                                                       tf.constant(_ones(*pred_shape)))
    assert str(info.value) == f"Shapes {true_shape} and {pred_shape} are incompatible"


@clause("LOSS.BAD_INPUT")
@pytest.mark.parametrize("name", ["MeanSquaredError", "BinaryCrossentropy", "Hinge", "Poisson"])
def test_elementwise_shapes_must_broadcast(backend, name):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        getattr(backend.keras.losses, name)()(tf.constant(_ones(2, 3) / 2),
                                              tf.constant(_ones(2, 4) / 2))
    assert "Incompatible shapes" in str(info.value)


@clause("LOSS.BAD_INPUT")
@pytest.mark.parametrize("weight_shape, message", [
    ((3,), "Incompatible shapes: [2] vs. [3]"),
    ((2, 3), "Can not squeeze dim[1], expected a dimension of 1, got 3"),
    ((2, 2), "Can not squeeze dim[1], expected a dimension of 1, got 2"),
])
def test_sample_weight_of_the_wrong_shape(backend, weight_shape, message):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        backend.keras.losses.MeanSquaredError()(tf.constant(_ones(2, 3)), tf.constant(_ones(2, 3)),
                                                sample_weight=tf.constant(_ones(*weight_shape)))
    assert message in str(info.value)


@clause("LOSS.BAD_INPUT")
@pytest.mark.parametrize("label", [3, 5, -1])
def test_sparse_labels_out_of_range(backend, label):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        backend.keras.losses.SparseCategoricalCrossentropy()(tf.constant([0, label]),
                                                             tf.constant(_ones(2, 3) / 3))
    assert (f"Received a label value of {label} which is outside the valid range of [0, 3).  "
            f"Label values: 0 {label}") in str(info.value)


@clause("LOSS.BAD_INPUT")
@pytest.mark.parametrize("labels, shown", [([0, 1, 2], "(3,)"), ([[0, 1, 2], [0, 0, 0]], "(6,)")])
def test_sparse_labels_of_the_wrong_shape(backend, labels, shown):
    tf = backend.tf
    with pytest.raises(ValueError) as info:
        backend.keras.losses.SparseCategoricalCrossentropy()(tf.constant(labels),
                                                             tf.constant(_ones(2, 3) / 3))
    assert str(info.value) == ("`labels.shape` must equal `logits.shape` except for the last "
                               f"dimension. Received: labels.shape={shown} and "
                               "logits.shape=(2, 3)")


@clause("LOSS.BAD_INPUT")
def test_a_boolean_axis(backend):
    tf = backend.tf
    with pytest.raises(ValueError) as info:
        backend.keras.losses.categorical_crossentropy(tf.constant(_ones(2, 3)),
                                                      tf.constant(_ones(2, 3)), axis=True)
    assert str(info.value) == "`axis` must be of type `int`. Received: axis=True of type <class 'bool'>"


# ---------------------------------------------------------------- LOSS.SANE_INPUT


@clause("LOSS.SANE_INPUT")
@pytest.mark.parametrize("make", [
    lambda L: L.BinaryCrossentropy(label_smoothing=2.0),
    lambda L: L.CategoricalCrossentropy(label_smoothing=-0.5),
    lambda L: L.BinaryFocalCrossentropy(label_smoothing=float("nan")),
    lambda L: L.Huber(delta=-1.0),
    lambda L: L.Huber(delta=float("inf")),
    lambda L: L.BinaryFocalCrossentropy(gamma=-1.0),
    lambda L: L.BinaryFocalCrossentropy(alpha=2.0, apply_class_balancing=True),
], ids=["bce-smoothing-2", "cce-smoothing-neg", "focal-smoothing-nan", "huber-delta-neg",
        "huber-delta-inf", "focal-gamma-neg", "focal-alpha-2"])
def test_hyper_parameters_out_of_range(backend, make):
    with pytest.raises(ValueError) as info:
        make(backend.keras.losses)
    assert "must be a finite number in" in str(info.value)


@clause("LOSS.SANE_INPUT")
def test_rank_mismatch_is_not_broadcast(backend):
    # tf_keras pairs label j with column j of every sample when the sizes line up
    tf = backend.tf
    y = tf.constant(np.arange(3, dtype=np.float32))
    p = tf.constant(np.arange(9, dtype=np.float32).reshape(3, 3))
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        backend.keras.losses.MeanSquaredError()(y, p)
    assert "Incompatible shapes" in str(info.value)


@clause("LOSS.SANE_INPUT")
def test_numpy_inputs_are_squeezed_like_tensors(backend):
    # tf_keras squeezes only tf.Tensor inputs: numpy (2,) vs (2, 1) broadcasts to (2, 2)
    y = np.array([0.0, 0.1], np.float32)
    p = np.array([[0.0], [0.1]], np.float32)
    assert float(backend.to_numpy(backend.keras.losses.MeanSquaredError()(y, p))) == 0.0


@clause("LOSS.SANE_INPUT")
def test_integer_predictions(backend):
    tf = backend.tf
    with pytest.raises(TypeError) as info:
        backend.keras.losses.MeanSquaredError()(tf.constant([[1.0, 2.0]]), tf.constant([[1, 1]]))
    assert "y_pred" in str(info.value)


@clause("LOSS.SANE_INPUT")
def test_non_integral_sparse_labels(backend):
    tf = backend.tf
    with pytest.raises(ValueError) as info:
        backend.keras.losses.SparseCategoricalCrossentropy()(tf.constant([0.7, 1.2]),
                                                             tf.constant(_ones(2, 3) / 3))
    assert "integer class ids" in str(info.value)


@clause("LOSS.SANE_INPUT")
def test_sample_weight_may_not_enlarge_the_losses(backend):
    tf = backend.tf
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        backend.keras.losses.MeanSquaredError()(tf.constant(_ones(2, 3)), tf.constant(_ones(2, 3)),
                                                sample_weight=tf.constant(_ones(2, 1, 1)))
    assert "sample_weight" in str(info.value)
