"""The built-in losses: values, reductions, gradients, names and configs (clauses LOSS.*).

Numbers are compared with the float64 oracles of ``conformance/oracles/losses.py``
(float32 tolerance); gradients with respect to ``y_pred``, taken with
``tf.GradientTape``, with central finite differences of the oracle. Inputs are
drawn with hypothesis and passed as ``tf.constant`` tensors (tf_keras treats numpy
inputs differently, see LOSS.SANE_INPUT in test_losses_bad_input.py).
"""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close, finite_difference
from conformance.oracles import losses as oracle

SEEDS = st.integers(0, 2**32 - 1)
TAPE = ("gradient_tape",)

# function name -> (class name, family, kind of inputs, option sets drawn from)
LOSSES = {
    "mean_squared_error": ("MeanSquaredError", "REGRESSION", "real", [{}]),
    "mean_absolute_error": ("MeanAbsoluteError", "REGRESSION", "real", [{}]),
    "mean_absolute_percentage_error": ("MeanAbsolutePercentageError", "REGRESSION", "nonzero", [{}]),
    "mean_squared_logarithmic_error": ("MeanSquaredLogarithmicError", "REGRESSION", "positive",
                                       [{}]),
    "cosine_similarity": ("CosineSimilarity", "REGRESSION", "real", [{}, {"axis": 0}]),
    "huber": ("Huber", "REGRESSION", "real", [{}, {"delta": 0.5}, {"delta": 2.0}]),
    "log_cosh": ("LogCosh", "REGRESSION", "real", [{}]),
    "hinge": ("Hinge", "HINGE", "binary", [{}]),
    "squared_hinge": ("SquaredHinge", "HINGE", "signed", [{}]),
    "categorical_hinge": ("CategoricalHinge", "HINGE", "onehot_real", [{}]),
    "binary_crossentropy": ("BinaryCrossentropy", "PROBABILISTIC", "prob",
                            [{}, {"label_smoothing": 0.2}, {"from_logits": True},
                             {"axis": 0}]),
    "binary_focal_crossentropy": ("BinaryFocalCrossentropy", "PROBABILISTIC", "prob",
                                  [{}, {"gamma": 0.5, "alpha": 0.4, "apply_class_balancing": True},
                                   {"from_logits": True, "label_smoothing": 0.1}]),
    "categorical_crossentropy": ("CategoricalCrossentropy", "PROBABILISTIC", "onehot_prob",
                                 [{}, {"label_smoothing": 0.3}, {"from_logits": True},
                                  {"from_logits": True, "label_smoothing": 0.1}]),
    "sparse_categorical_crossentropy": ("SparseCategoricalCrossentropy", "PROBABILISTIC",
                                        "sparse", [{}, {"from_logits": True}]),
    "kl_divergence": ("KLDivergence", "PROBABILISTIC", "distribution", [{}]),
    "poisson": ("Poisson", "PROBABILISTIC", "positive", [{}]),
}
FAMILY = {family: sorted(n for n, v in LOSSES.items() if v[1] == family)
          for family in ("REGRESSION", "PROBABILISTIC", "HINGE")}


def draw_inputs(kind, rng, shape, options):
    """(y_true, y_pred) float32 arrays (int64 labels for "sparse") away from kinks."""
    logits = options.get("from_logits", False)
    uniform = lambda low, high: rng.uniform(low, high, shape).astype(np.float32)
    if kind == "real":
        return uniform(-2, 2), uniform(-2, 2)
    if kind == "nonzero":
        return (uniform(0.2, 2) * rng.choice([-1, 1], shape)).astype(np.float32), uniform(-2, 2)
    if kind == "positive":
        return uniform(0.05, 3), uniform(0.05, 3)
    if kind == "binary":
        return rng.integers(0, 2, shape).astype(np.float32), uniform(-2, 2)
    if kind == "signed":
        return rng.choice([-1.0, 1.0], shape).astype(np.float32), uniform(-2, 2)
    if kind == "prob":
        return uniform(0, 1), uniform(-3, 3) if logits else uniform(0.02, 0.98)
    if kind == "distribution":
        y = uniform(0.05, 1)
        return (y / y.sum(-1, keepdims=True)).astype(np.float32), uniform(0.02, 0.98)
    hot = np.eye(shape[-1], dtype=np.float32)[rng.integers(0, shape[-1], shape[:-1])]
    if kind == "onehot_real":
        return hot, uniform(-2, 2)
    if kind == "onehot_prob":
        return hot, uniform(-3, 3) if logits else uniform(0.05, 1)
    assert kind == "sparse"
    labels = rng.integers(0, shape[-1], shape[:-1]).astype(np.int64)
    return labels, uniform(-3, 3) if logits else uniform(0.02, 0.98)


def check_values(backend, name, options, y, p):
    """The function's per-sample values and the class's mean, against the oracle."""
    keras, tf = backend.keras, backend.tf
    expected = oracle.FUNCTIONS[name](y.astype(np.float64) if y.dtype.kind == "f" else y,
                                      p.astype(np.float64), **options)
    values = backend.to_numpy(getattr(keras.losses, name)(tf.constant(y), tf.constant(p),
                                                          **options))
    assert values.dtype == np.float32
    assert_close(values, expected, message=f"{name}{options} per sample")
    loss = getattr(keras.losses, LOSSES[name][0])(**options)
    total = backend.to_numpy(loss(tf.constant(y), tf.constant(p)))
    assert_close(total, np.float32(np.mean(expected)), message=f"{name}{options} mean")


def _family_test(backend, family, data, seed):
    name = data.draw(st.sampled_from(FAMILY[family]), label="loss")
    options = data.draw(st.sampled_from(LOSSES[name][3]), label="options")
    shape = data.draw(st.sampled_from([(3, 4), (2, 3), (2, 2, 3), (4, 1)]), label="shape")
    if name in ("categorical_crossentropy", "sparse_categorical_crossentropy",
                "categorical_hinge") and shape[-1] == 1:
        shape = (4, 2)
    rng = np.random.default_rng(seed)
    y, p = draw_inputs(LOSSES[name][2], rng, shape, options)
    check_values(backend, name, options, y, p)


@clause("LOSS.REGRESSION")
@given(data=st.data(), seed=SEEDS)
def test_regression_losses_match_the_oracle(backend, data, seed):
    _family_test(backend, "REGRESSION", data, seed)


@clause("LOSS.PROBABILISTIC")
@given(data=st.data(), seed=SEEDS)
def test_probabilistic_losses_match_the_oracle(backend, data, seed):
    _family_test(backend, "PROBABILISTIC", data, seed)


@clause("LOSS.HINGE")
@given(data=st.data(), seed=SEEDS)
def test_hinge_losses_match_the_oracle(backend, data, seed):
    _family_test(backend, "HINGE", data, seed)


@clause("LOSS.BUILTIN")
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_and_option_set(backend, name):
    rng = np.random.default_rng(7)
    for options in LOSSES[name][3]:
        y, p = draw_inputs(LOSSES[name][2], rng, (3, 4), options)
        check_values(backend, name, options, y, p)


@clause("LOSS.PROBABILISTIC")
@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy", "kl_divergence",
                                  "binary_focal_crossentropy"])
def test_saturated_probabilities_are_clipped_as_tf_keras(backend, name):
    # exact 0 and 1 predictions: the eps clipping decides the value
    p = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]], np.float32)
    y = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], np.float32)
    if name == "sparse_categorical_crossentropy":
        y = np.array([0, 0, 2], np.int64)
    check_values(backend, name, {}, y, p)


@clause("LOSS.PROBABILISTIC")
def test_sparse_ignore_class_and_higher_rank(backend):
    keras, tf = backend.keras, backend.tf
    p = tf.constant(np.arange(9, dtype=np.float32).reshape(3, 3) / 10 + 0.1)
    labels = tf.constant([0, -1, 2])
    expected = oracle.sparse_categorical_crossentropy([0, -1, 2], backend.to_numpy(p)
                                                      .astype(np.float64), ignore_class=-1)
    scce = keras.losses.SparseCategoricalCrossentropy
    assert_close(backend.to_numpy(scce(ignore_class=-1, reduction="none")(labels, p)), expected)
    # the ignored entry leaves the mean: (l0 + l2) / 2, and sum_over_batch weights rescale
    assert_close(backend.to_numpy(scce(ignore_class=-1)(labels, p)), np.float32(1.3862944))
    assert_close(backend.to_numpy(scce(ignore_class=-1, reduction="sum")(labels, p)),
                 np.float32(2.7725887))
    assert_close(backend.to_numpy(scce(ignore_class=-1)(labels, p, sample_weight=tf.constant(
        [1.0, 2.0, 3.0]))), np.float32(2.3671234))
    # (N, T) labels against (N, T, C); (N, 1) labels against (N, C)
    p3 = np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 10 + 0.1
    l3 = np.array([[0, 1], [2, 0]])
    assert_close(backend.to_numpy(scce(reduction="none")(tf.constant(l3), tf.constant(p3))),
                 oracle.sparse_categorical_crossentropy(l3, p3.astype(np.float64)))
    p2 = p3.reshape(4, 3)
    assert_close(backend.to_numpy(scce(reduction="none")(tf.constant([[0], [1], [2], [0]]),
                                                         tf.constant(p2))),
                 oracle.sparse_categorical_crossentropy([0, 1, 2, 0], p2.astype(np.float64)))


# ---------------------------------------------------------------- LOSS.BUILTIN


@clause("LOSS.BUILTIN")
def test_the_observed_values_of_the_clause(backend):
    losses, tf = backend.keras.losses, backend.tf
    y = tf.constant([[0.0, 1.0], [1.0, 0.0]])
    p = tf.constant([[0.4, 0.6], [0.0, 1.0]])
    observed = {"MeanSquaredError": 0.58, "KLDivergence": 8.314459, "CosineSimilarity": -0.416025,
                "CategoricalCrossentropy": 8.314461, "BinaryCrossentropy": 7.944959}
    for name, value in observed.items():
        assert_close(backend.to_numpy(getattr(losses, name)()(y, p)), np.float32(value),
                     message=name)
    assert_close(backend.to_numpy(losses.MeanSquaredError()(y, p, sample_weight=tf.constant(
        [1.0, 0.0]))), np.float32(0.08))
    for cls in ("BinaryCrossentropy", "CategoricalCrossentropy"):
        config = getattr(losses, cls)().get_config()
        assert (config["reduction"], config["from_logits"], config["label_smoothing"]) == \
            ("auto", False, 0.0)


@clause("LOSS.BUILTIN")
def test_cross_entropies_use_the_logits_of_keras_activations(backend):
    keras, tf = backend.keras, backend.tf
    cce, bce = keras.losses.CategoricalCrossentropy(), keras.losses.BinaryCrossentropy()
    x = np.array([[100.0, 0.0]], np.float32)
    y = tf.constant([[0.0, 1.0]])
    dense = keras.layers.Dense(2, activation="softmax", kernel_initializer="identity",
                               use_bias=False)
    marked = {
        "activations.softmax": keras.activations.softmax(tf.constant(x)),
        "activations.sigmoid": keras.activations.sigmoid(tf.constant(x)),
        "Softmax layer": keras.layers.Softmax()(tf.constant(x)),
        "Dense softmax": dense(tf.constant(x)),
    }
    for what, out in marked.items():
        # from the logits [100, 0]: softmax CE 100, sigmoid CE (100 + log 2) / 2,
        # whichever activation made them
        assert_close(backend.to_numpy(cce(y, out)), np.float32(100.0), message=what)
        assert_close(backend.to_numpy(bce(y, out)), np.float32(50.346573), message=what)
    plain = tf.nn.softmax(tf.constant(x))        # no mark: clipped probabilities
    assert_close(backend.to_numpy(cce(y, plain)), np.float32(16.118095))
    assert_close(backend.to_numpy(bce(y, plain)), np.float32(15.379093))
    assert_close(backend.to_numpy(keras.losses.SparseCategoricalCrossentropy()(
        tf.constant([1]), marked["activations.softmax"])), np.float32(100.0))
    # KL divergence ignores the mark
    assert_close(backend.to_numpy(keras.losses.KLDivergence()(y, marked["activations.softmax"])),
                 np.float32(16.118093))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = keras.losses.CategoricalCrossentropy(from_logits=True)(
            y, marked["activations.softmax"])
    assert_close(backend.to_numpy(value), np.float32(100.0))
    assert any("received `from_logits=True`, but the `output` argument was produced by a "
               "Softmax activation" in str(w.message) for w in caught)


# ---------------------------------------------------------------- LOSS.GRADIENTS


@clause("LOSS.GRADIENTS", requires=TAPE)
@given(name=st.sampled_from(sorted(LOSSES)), seed=SEEDS, data=st.data())
def test_gradient_wrt_y_pred_matches_finite_differences(backend, name, seed, data):
    keras, tf = backend.keras, backend.tf
    options = data.draw(st.sampled_from(LOSSES[name][3]), label="options")
    rng = np.random.default_rng(seed)
    y, p = draw_inputs(LOSSES[name][2], rng, (2, 3), options)
    y64 = y.astype(np.float64) if y.dtype.kind == "f" else y
    out_shape = np.shape(oracle.FUNCTIONS[name](y64, p.astype(np.float64), **options))
    cotangent = rng.standard_normal(out_shape)
    fn = getattr(keras.losses, name)
    yt, pt = tf.constant(y), tf.constant(p)
    with tf.GradientTape() as tape:
        tape.watch(pt)
        target = tf.reduce_sum(fn(yt, pt, **options) * tf.constant(cotangent, dtype=tf.float32))
    grad = tape.gradient(target, pt)
    assert grad is not None, f"no gradient for {name}"

    def scalar(arrays):
        return float(np.sum(oracle.FUNCTIONS[name](y64, arrays[0], **options) * cotangent))

    assert_close(backend.to_numpy(grad), finite_difference(scalar, [p], 0), kind="gradient",
                 dtype="float32", message=f"{name}{options}")
