"""Sample weights, class weights, the loss reduction's denominator and weighted metrics
(WEIGHTING.SAMPLE, WEIGHTING.REDUCTION, PIT.WEIGHTED_LOSS_DENOMINATOR,
PIT.WEIGHTED_METRICS, PIT.CLASS_WEIGHT_NOT_VALIDATION).

The models are identity Dense layers (predictions equal the inputs, or their softmax),
so every per-sample loss is known exactly and the float64 oracles of
conformance/oracles/training.py give the expected numbers.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import training as oracle
from conformance.tests.training_models import arrays, close, frozen, identity, linear

# per-sample squared errors 1, 4, 9, 16: predictions x against targets 0
X = np.array([[1.0], [2.0], [3.0], [4.0]], np.float32)
Y = np.zeros((4, 1), np.float32)
W = np.array([1.0, 2.0, 0.0, 0.5], np.float32)
LOSSES = np.array([1.0, 4.0, 9.0, 16.0])


def _few(n):
    return settings(max_examples=min(n, settings.default.max_examples))


def _squares(keras, **compile_kwargs):
    model = identity(keras, 1)
    compile_kwargs.setdefault("loss", "mse")
    model.compile(optimizer=frozen(keras), **compile_kwargs)
    return model


def _evaluate(model, x, y, **kw):
    return model.evaluate(x, y, verbose=0, return_dict=True, **kw)


def _classes():
    """Softmax of identity logits against sparse labels: per-sample crossentropy."""
    logits = np.array([[2.0, 0.5, -1.0], [0.3, 0.2, 0.9], [-0.5, 1.5, 0.0], [1.0, 1.0, 0.2],
                       [0.0, -1.0, 0.4]], np.float32)
    labels = np.array([0, 2, 1, 2, 1])
    probs = oracle.softmax(logits.astype(np.float64))
    return logits, labels, -np.log(probs[np.arange(5), labels]), probs.argmax(-1) == labels


def _softmax_model(keras, **compile_kwargs):
    model = identity(keras, 3, activation="softmax")
    compile_kwargs.setdefault("loss", "sparse_categorical_crossentropy")
    model.compile(optimizer=frozen(keras), **compile_kwargs)
    return model


# ---------------------------------------------------------------- WEIGHTING.SAMPLE

@clause("WEIGHTING.SAMPLE")
@pytest.mark.parametrize("shape", [(4,), (4, 1)])
def test_sample_weight_multiplies_each_samples_loss(backend, shape):
    model = _squares(backend.keras)
    close(_evaluate(model, X, Y, batch_size=4)["loss"], 7.5)
    close(_evaluate(model, X, Y, batch_size=4, sample_weight=W.reshape(shape))["loss"], 4.25)


@clause("WEIGHTING.SAMPLE")
def test_all_zero_weights_give_a_zero_loss(backend):
    model = _squares(backend.keras)
    assert _evaluate(model, X, Y, sample_weight=np.zeros(4, np.float32))["loss"] == 0.0


@clause("WEIGHTING.SAMPLE")
def test_zero_weights_mask_samples_but_count_in_the_denominator(backend):
    keras = backend.keras
    x, y = arrays(51, (4, 2), (4, 1))
    kernel = arrays(52, (2, 1))[0]
    results = []
    for xs, ys, weights, lr in [(x, y, np.float32([1, 1, 0, 0]), 0.1),
                                (x[:2], y[:2], None, 0.05), (x[:2], y[:2], None, 0.1)]:
        model = linear(keras, kernel)
        model.compile(optimizer=keras.optimizers.SGD(lr), loss="mse")
        model.fit(xs, ys, sample_weight=weights, batch_size=4, verbose=0)
        results.append(model.get_weights()[0])
    _, k, _ = oracle.sgd_dense(x, y, kernel, np.zeros(1), 0.1, 4, weights=[1, 1, 0, 0])
    assert_close(results[0], k.reshape(2, 1), kind="gradient")
    assert_close(results[0], results[1], kind="gradient")     # the 2 kept at half the rate
    assert np.max(np.abs(results[0] - results[2])) > 1e-3     # not the 2 kept alone


@clause("WEIGHTING.SAMPLE")
def test_weights_of_ones_change_nothing(backend):
    """For any data and batch size, sample_weight of ones gives the unweighted loss
    and the same SGD update."""
    keras = backend.keras
    kernel, bias = arrays(53, (2, 1), (1,))
    model = linear(keras, kernel, bias)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")

    @_few(5)
    @given(n=st.integers(1, 10), batch_size=st.integers(1, 5), seed=st.integers(0, 2**16))
    def law(n, batch_size, seed):
        x, y = arrays(seed, (n, 2), (n, 1))
        results = []
        for weights in (None, np.ones(n, np.float32)):
            model.set_weights([kernel, bias])
            evaluated = model.evaluate(x, y, sample_weight=weights, batch_size=batch_size,
                                       verbose=0)
            model.fit(x, y, sample_weight=weights, batch_size=batch_size, shuffle=False,
                      verbose=0)
            results.append([np.float32(evaluated)] + model.get_weights())
        for a, b in zip(*results):
            assert_close(a, b, dtype="float32")

    law()


# ---------------------------------------------------------------- WEIGHTING.REDUCTION

@clause("WEIGHTING.REDUCTION")
@pytest.mark.parametrize("batch_size", [1, 2, 3, 4])
def test_the_batch_loss_divides_by_the_batch_size_not_the_weights(backend, batch_size):
    model = _squares(backend.keras)
    logs = _evaluate(model, X, Y, batch_size=batch_size, sample_weight=W)
    close(logs["loss"], oracle.epoch_loss(LOSSES, W, batch_size))
    close(logs["loss"], 4.25)        # Σ w·l / N whatever the batches; Σ w·l / Σ w is 4.857


@clause("WEIGHTING.REDUCTION")
@pytest.mark.parametrize("batch_size, expected", [(4, 17.0), (2, 8.5)])
def test_a_sum_reduction_sums_each_batch(backend, batch_size, expected):
    keras = backend.keras
    model = _squares(keras, loss=keras.losses.MeanSquaredError(reduction="sum"))
    # batches of 2: sums 1 + 8 = 9 and 0 + 8 = 8, averaged with weight 2 each
    close(_evaluate(model, X, Y, batch_size=batch_size, sample_weight=W)["loss"], expected)


@clause("WEIGHTING.REDUCTION")
def test_weighted_metrics_divide_by_the_sum_of_weights(backend):
    model = _squares(backend.keras, metrics=["mse"], weighted_metrics=["mse"])
    logs = _evaluate(model, X, Y, batch_size=2, sample_weight=W)
    assert list(logs) == ["loss", "mse", "weighted_mse"]
    close(logs["loss"], 4.25)
    close(logs["mse"], 7.5)
    close(logs["weighted_mse"], 17.0 / 3.5)


@clause("WEIGHTING.REDUCTION")
def test_a_weighted_metric_alone_keeps_its_name(backend):
    model = _squares(backend.keras, weighted_metrics=["mse"])
    logs = _evaluate(model, X, Y, sample_weight=W)
    assert list(logs) == ["loss", "mse"]
    close(logs["mse"], 17.0 / 3.5)


@clause("WEIGHTING.REDUCTION")
def test_the_reduction_law(backend):
    """For any weights and batch size, evaluate's loss is Σ w·l / N."""
    model = _squares(backend.keras)

    @_few(8)
    @given(weights=st.lists(st.floats(0, 3, width=32), min_size=4, max_size=4),
           batch_size=st.integers(1, 5))
    def law(weights, batch_size):
        w = np.float32(weights)
        close(_evaluate(model, X, Y, batch_size=batch_size, sample_weight=w)["loss"],
              np.sum(w * LOSSES) / 4)

    law()


# ---------------------------------------------------------------- PIT.WEIGHTED_LOSS_DENOMINATOR

@clause("PIT.WEIGHTED_LOSS_DENOMINATOR")
def test_one_weighted_sample_among_five_gives_a_fifth_of_its_loss(backend):
    logits, labels, ce, _ = _classes()
    model = _softmax_model(backend.keras)
    loss = _evaluate(model, logits, labels, batch_size=5, sample_weight=np.float32([1, 0, 0, 0, 0]))
    close(loss["loss"], ce[0] / 5)


@clause("PIT.WEIGHTED_LOSS_DENOMINATOR")
def test_the_epoch_loss_is_the_weighted_sum_over_the_sample_count(backend):
    keras = backend.keras
    logits, labels, ce, _ = _classes()
    sw = np.float32([2, 1, 0, 3, 1])
    model = _softmax_model(keras, weighted_metrics=["sparse_categorical_crossentropy"])
    history = model.fit(logits, labels, sample_weight=sw, batch_size=2, shuffle=False,
                        verbose=0).history
    close(history["loss"][0], np.sum(sw * ce) / 5)
    close(history["sparse_categorical_crossentropy"][0], np.sum(sw * ce) / np.sum(sw))
    mean = keras.metrics.Mean()
    mean.update_state(np.float32(ce), sample_weight=sw)
    close(backend.to_numpy(mean.result()), np.sum(sw * ce) / np.sum(sw))


# ---------------------------------------------------------------- PIT.WEIGHTED_METRICS

@clause("PIT.WEIGHTED_METRICS")
def test_metrics_ignore_weights_and_weighted_metrics_apply_them(backend):
    logits, labels, ce, correct = _classes()
    sw = np.float32([2, 1, 0, 3, 1])
    model = _softmax_model(backend.keras, metrics=["sparse_categorical_accuracy"],
                           weighted_metrics=["sparse_categorical_accuracy"])
    history = model.fit(logits, labels, sample_weight=sw, batch_size=2, shuffle=False,
                        validation_data=(logits, labels, sw), verbose=0).history
    # which keys, not their order (the order is FIT.NAMES's rule)
    assert sorted(history) == sorted(["loss", "sparse_categorical_accuracy",
                                      "weighted_sparse_categorical_accuracy", "val_loss",
                                      "val_sparse_categorical_accuracy",
                                      "val_weighted_sparse_categorical_accuracy"])
    for prefix in ("", "val_"):
        close(history[prefix + "loss"][0], np.sum(sw * ce) / 5)
        close(history[prefix + "sparse_categorical_accuracy"][0], np.mean(correct))
        close(history[prefix + "weighted_sparse_categorical_accuracy"][0],
              np.sum(sw * correct) / np.sum(sw))


@clause("PIT.WEIGHTED_METRICS")
def test_weighted_metrics_apply_class_weights(backend):
    logits, labels, ce, correct = _classes()
    class_weight = {0: 1.0, 1: 2.0, 2: 0.5}
    cw = np.array([class_weight[c] for c in labels])
    model = _softmax_model(backend.keras, metrics=["sparse_categorical_accuracy"],
                           weighted_metrics=["sparse_categorical_accuracy"])
    history = model.fit(logits, labels, class_weight=class_weight, batch_size=5,
                        verbose=0).history
    close(history["loss"][0], np.sum(cw * ce) / 5)
    close(history["sparse_categorical_accuracy"][0], np.mean(correct))
    close(history["weighted_sparse_categorical_accuracy"][0], np.sum(cw * correct) / np.sum(cw))


# ---------------------------------------------------------------- PIT.CLASS_WEIGHT_NOT_VALIDATION

@clause("PIT.CLASS_WEIGHT_NOT_VALIDATION")
def test_class_weight_does_not_weight_validation(backend):
    logits, labels, ce, _ = _classes()
    class_weight = {0: 1.0, 1: 2.0, 2: 0.5}
    cw = np.array([class_weight[c] for c in labels])
    model = _softmax_model(backend.keras)
    history = model.fit(logits, labels, class_weight=class_weight, batch_size=5,
                        validation_data=(logits, labels), verbose=0).history
    close(history["loss"][0], np.sum(cw * ce) / 5)
    close(history["val_loss"][0], np.mean(ce))


@clause("PIT.CLASS_WEIGHT_NOT_VALIDATION")
def test_validation_is_weighted_only_by_a_third_element(backend):
    logits, labels, ce, _ = _classes()
    sw = np.float32([2, 1, 0, 3, 1])
    model = _softmax_model(backend.keras)
    history = model.fit(logits, labels, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, batch_size=2,
                        validation_data=(logits, labels, sw), verbose=0).history
    close(history["val_loss"][0], np.sum(sw * ce) / 5)


@clause("PIT.CLASS_WEIGHT_NOT_VALIDATION")
def test_evaluate_takes_no_class_weight(backend):
    logits, labels, _, _ = _classes()
    model = _softmax_model(backend.keras)
    with pytest.raises(TypeError) as info:
        model.evaluate(logits, labels, class_weight={0: 1.0, 1: 1.0, 2: 1.0}, verbose=0)
    assert "Invalid keyword arguments: ['class_weight']" in str(info.value)
