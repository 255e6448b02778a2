"""The Loss API: reductions and sample weights, configs, names, custom subclasses
(clauses LOSS.REDUCTION, LOSS.CONFIG, LOSS.STRINGS, LOSS.CUSTOM of docs/spec.md)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import losses as oracle

SEEDS = st.integers(0, 2**32 - 1)
REDUCTIONS = ["auto", "sum_over_batch_size", "sum", "none"]


@clause("LOSS.REDUCTION")
@given(seed=SEEDS, reduction=st.sampled_from(REDUCTIONS), batch=st.integers(1, 4),
       steps=st.sampled_from([None, 3]),
       weight=st.sampled_from(["none", "scalar", "N", "N1", "NT", "NT1", "zeros"]),
       which=st.sampled_from(["MeanSquaredError", "CategoricalCrossentropy"]))
def test_reduction_and_sample_weight_shapes(backend, seed, reduction, batch, steps, weight,
                                            which):
    rng = np.random.default_rng(seed)
    shape = (batch, 4) if steps is None else (batch, steps, 4)
    y = rng.uniform(0.05, 1, shape).astype(np.float32)
    p = rng.uniform(0.05, 1, shape).astype(np.float32)
    if steps is None and weight in ("NT", "NT1"):
        weight = "N"
    weights = {
        "none": None, "scalar": np.float32(1.5),
        "N": rng.uniform(0, 2, (batch,)), "N1": rng.uniform(0, 2, (batch, 1)),
        "NT": rng.uniform(0, 2, (batch, steps or 1)), "NT1": rng.uniform(0, 2, (batch, steps or 1, 1)),
        "zeros": np.zeros((batch,)),
    }[weight]
    fn = {"MeanSquaredError": oracle.mean_squared_error,
          "CategoricalCrossentropy": oracle.categorical_crossentropy}[which]
    per_sample = fn(y.astype(np.float64), p.astype(np.float64))
    w32 = None if weights is None else np.asarray(weights, np.float32)
    expected = oracle.reduce(per_sample, w32, reduction)
    tf = backend.tf
    loss = getattr(backend.keras.losses, which)(reduction=reduction)
    out = loss(tf.constant(y), tf.constant(p),
               sample_weight=None if w32 is None else tf.constant(w32))
    assert_close(backend.to_numpy(out), np.asarray(expected, np.float32),
                 message=f"{which} {reduction} w={weight}")


@clause("LOSS.REDUCTION")
def test_the_default_divides_by_the_number_of_elements(backend):
    tf, losses = backend.tf, backend.keras.losses
    y = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 4, 3) / 10)
    p = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 4, 3)[::-1] / 10)
    mse = losses.MeanSquaredError()
    observed = [
        (mse(y, p), 1.44), (losses.MeanSquaredError(reduction="sum")(y, p), 11.52),
        (mse(y, p, sample_weight=tf.constant([1.0, 0.0])), 0.72),
        (mse(y, p, sample_weight=tf.constant([[1.0, 0, 0, 0], [0, 0, 0, 1]])), 0.36),
    ]
    for value, expected in observed:
        assert_close(backend.to_numpy(value), np.float32(expected))
    assert tuple(losses.MeanSquaredError(reduction="none")(y, p).shape) == (2, 4)
    assert losses.Reduction.all() == ("auto", "none", "sum", "sum_over_batch_size")
    assert backend.to_numpy(mse(y, p, sample_weight=tf.constant([0.0, 0.0]))) == 0.0


# ---------------------------------------------------------------- LOSS.CONFIG

CONFIGS = {
    "MeanSquaredError": {"name": "mean_squared_error", "fn": "mean_squared_error"},
    "MeanAbsoluteError": {"name": "mean_absolute_error", "fn": "mean_absolute_error"},
    "MeanAbsolutePercentageError": {"name": "mean_absolute_percentage_error",
                                    "fn": "mean_absolute_percentage_error"},
    "MeanSquaredLogarithmicError": {"name": "mean_squared_logarithmic_error",
                                    "fn": "mean_squared_logarithmic_error"},
    "BinaryCrossentropy": {"name": "binary_crossentropy", "from_logits": False,
                           "label_smoothing": 0.0, "axis": -1, "fn": "binary_crossentropy"},
    "BinaryFocalCrossentropy": {"name": "binary_focal_crossentropy",
                                "apply_class_balancing": False, "alpha": 0.25, "gamma": 2.0,
                                "from_logits": False, "label_smoothing": 0.0, "axis": -1,
                                "fn": "binary_focal_crossentropy"},
    "CategoricalCrossentropy": {"name": "categorical_crossentropy", "from_logits": False,
                                "label_smoothing": 0.0, "axis": -1,
                                "fn": "categorical_crossentropy"},
    "SparseCategoricalCrossentropy": {"name": "sparse_categorical_crossentropy",
                                      "from_logits": False, "ignore_class": None,
                                      "fn": "sparse_categorical_crossentropy"},
    "KLDivergence": {"name": "kl_divergence", "fn": "kl_divergence"},
    "Poisson": {"name": "poisson", "fn": "poisson"},
    "CosineSimilarity": {"name": "cosine_similarity", "axis": -1, "fn": "cosine_similarity"},
    "Hinge": {"name": "hinge", "fn": "hinge"},
    "SquaredHinge": {"name": "squared_hinge", "fn": "squared_hinge"},
    "CategoricalHinge": {"name": "categorical_hinge", "fn": "categorical_hinge"},
    "Huber": {"name": "huber_loss", "delta": 1.0, "fn": "huber"},
    "LogCosh": {"name": "log_cosh", "fn": "log_cosh"},
}


@clause("LOSS.CONFIG")
@pytest.mark.parametrize("cls", sorted(CONFIGS))
def test_default_configs(backend, cls):
    loss = getattr(backend.keras.losses, cls)()
    config = loss.get_config()
    assert list(config.items()) == list({"reduction": "auto", **CONFIGS[cls]}.items())
    assert (loss.reduction, loss.name) == ("auto", CONFIGS[cls]["name"])
    clone = type(loss).from_config(dict(config))   # tf_keras pops "fn" from its argument
    assert type(clone) is type(loss) and clone.get_config() == config


@clause("LOSS.CONFIG")
def test_from_config_keeps_options_and_serialize(backend):
    losses = backend.keras.losses
    loss = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, axis=1,
                                          reduction="sum", name="cc")
    clone = losses.CategoricalCrossentropy.from_config(loss.get_config())
    assert clone.get_config() == {"reduction": "sum", "name": "cc", "from_logits": True,
                                  "label_smoothing": 0.1, "axis": 1,
                                  "fn": "categorical_crossentropy"}
    assert losses.serialize(losses.Huber()) == {
        "module": "keras.losses", "class_name": "Huber",
        "config": {"reduction": "auto", "name": "huber_loss", "delta": 1.0, "fn": "huber"},
        "registered_name": None}
    back = losses.deserialize(losses.serialize(losses.Huber(delta=2.0)))
    assert type(back).__name__ == "Huber" and back.get_config()["delta"] == 2.0
    assert losses.get({"class_name": "MeanSquaredError", "config": {}}).get_config()["name"] == \
        "mean_squared_error"


# ---------------------------------------------------------------- LOSS.STRINGS

FUNCTION_NAMES = {
    "mse": "mean_squared_error", "MSE": "mean_squared_error", "mae": "mean_absolute_error",
    "MAE": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
    "MAPE": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
    "MSLE": "mean_squared_logarithmic_error", "kld": "kl_divergence", "KLD": "kl_divergence",
    "kl_divergence": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh", "log_cosh": "log_cosh", "huber": "huber", "huber_loss": "huber",
    "bce": "binary_crossentropy", "BCE": "binary_crossentropy",
    "binary_crossentropy": "binary_crossentropy",
    "binary_focal_crossentropy": "binary_focal_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy", "hinge": "hinge",
    "squared_hinge": "squared_hinge", "categorical_hinge": "categorical_hinge",
    "poisson": "poisson", "cosine_similarity": "cosine_similarity",
    "mean_squared_error": "mean_squared_error",
}


@clause("LOSS.STRINGS")
def test_function_names_and_aliases(backend):
    losses = backend.keras.losses
    for name, function in FUNCTION_NAMES.items():
        assert losses.get(name).__name__ == function, name
    for alias in ("mse", "MSE", "mae", "mape", "msle", "kld", "KLD", "logcosh"):
        assert getattr(losses, alias) is losses.get(alias), alias


@clause("LOSS.STRINGS")
def test_class_names_give_new_instances(backend):
    losses = backend.keras.losses
    for cls in CONFIGS:
        first, second = losses.get(cls), losses.get(cls)
        assert type(first).__name__ == cls and first is not second
    assert losses.get(None) is None
    custom = lambda y_true, y_pred: y_pred
    assert losses.get(custom) is custom
    instance = losses.Hinge()
    assert losses.get(instance) is instance


@clause("LOSS.STRINGS")
@pytest.mark.parametrize("name", ["nope", "cosine", "kl", "Reduction"])
def test_unknown_names(backend, name):
    with pytest.raises(ValueError) as info:
        backend.keras.losses.get(name)
    assert str(info.value).startswith(f"Unknown loss function: '{name}'.")


@clause("LOSS.STRINGS")
def test_uninterpretable_identifier(backend):
    with pytest.raises(ValueError) as info:
        backend.keras.losses.get(1)
    assert str(info.value).startswith("Could not interpret loss function identifier: 1")


# ---------------------------------------------------------------- LOSS.CUSTOM


def _custom_mse(backend):
    keras, tf = backend.keras, backend.tf

    class CustomMSE(keras.losses.Loss):        # the seed's code, verbatim
        def __init__(self, regularization_factor=0.1, name="custom_mse"):
            super().__init__(name=name)
            self.regularization_factor = regularization_factor

        def call(self, y_true, y_pred):
            mse = tf.math.reduce_mean(tf.square(y_true - y_pred))
            reg = tf.math.reduce_mean(tf.square(0.5 - y_pred))
            return mse + reg * self.regularization_factor

    return CustomMSE


@clause("LOSS.CUSTOM")
def test_the_seed_custom_loss(backend):
    tf = backend.tf
    loss = _custom_mse(backend)()
    y, p = tf.constant([[0.0, 1.0]]), tf.constant([[0.3, 0.6]])
    # mse 0.125, reg 0.025 * 0.1
    assert_close(backend.to_numpy(loss(y, p)), np.float32(0.1275))
    assert_close(backend.to_numpy(loss(y, p, sample_weight=2.0)), np.float32(0.255))
    assert loss.get_config() == {"reduction": "auto", "name": "custom_mse"}
    assert loss.reduction == "auto" and loss.regularization_factor == 0.1
    with tf.GradientTape() as tape:
        tape.watch(p)
        value = loss(y, p)
    # d/dp [mean((y-p)^2) + 0.1 mean((0.5-p)^2)] over 2 elements = (p - y) + 0.1 (p - 0.5)
    assert_close(backend.to_numpy(tape.gradient(value, p)), np.array([[0.28, -0.39]], np.float32),
                 kind="gradient")


@clause("LOSS.CUSTOM")
def test_a_per_sample_custom_loss_is_weighted_and_reduced(backend):
    keras, tf = backend.keras, backend.tf

    class PerSample(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return tf.reduce_sum(tf.abs(y_true - y_pred), axis=-1)

    y = tf.constant([[0.0, 1.0], [1.0, 1.0]])
    p = tf.constant([[1.0, 1.0], [0.0, 0.0]])
    assert_close(backend.to_numpy(PerSample()(y, p, sample_weight=tf.constant([3.0, 1.0]))),
                 np.float32(2.5))
    assert_close(backend.to_numpy(PerSample(reduction="none")(y, p)), np.array([1.0, 2.0],
                                                                                np.float32))
    assert PerSample().name is None


@clause("LOSS.CUSTOM")
def test_the_base_class_needs_call(backend):
    tf = backend.tf
    with pytest.raises(NotImplementedError) as info:
        backend.keras.losses.Loss()(tf.constant([[1.0]]), tf.constant([[1.0]]))
    assert str(info.value) == "Must be implemented in subclasses."
