"""The Metric API, sample weighting, MeanMetricWrapper, metric names and custom metrics
(clauses METRIC.API, METRIC.WEIGHTS, METRIC.WRAPPER, METRIC.STRINGS,
METRIC.STRINGS.UNKNOWN, METRIC.CUSTOM, PIT.RESET_STATES_ALIAS of docs/spec.md).

Streams of several batches are drawn with hypothesis and compared with the float64
oracle of ``conformance/oracles/metrics.py``; the literal numbers are the ones
measured on tf_keras 2.21.
"""
import re
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import metrics as oracle

SEEDS = st.integers(0, 2**32 - 1)


def _values(backend, metric):
    return [float(backend.to_numpy(v)) for v in metric.variables]


# ---------------------------------------------------------------- METRIC.API


@clause("METRIC.API", requires=("reset_states",))
def test_mean_update_call_result_and_reset(backend):
    m = backend.keras.metrics.Mean()
    assert float(backend.to_numpy(m.result())) == 0.0
    m.update_state([1.0, 2.0, 3.0])
    assert float(backend.to_numpy(m.result())) == 2.0
    assert float(backend.to_numpy(m(5.0))) == 2.75          # accumulated, not the batch value
    m.reset_state()
    assert float(backend.to_numpy(m.result())) == 0.0 and _values(backend, m) == [0.0, 0.0]
    m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 3.0])
    assert float(backend.to_numpy(m.result())) == 2.5
    m.reset_states()
    assert _values(backend, m) == [0.0, 0.0]


@clause("METRIC.API")
def test_state_variables_names_and_strings(backend):
    M = backend.keras.metrics
    mean, total = M.Mean(), M.Sum()
    assert [v.name for v in mean.variables] == ["total:0", "count:0"]
    assert [v.name for v in total.variables] == ["total:0"]
    assert mean.trainable_weights == [] and len(mean.non_trainable_weights) == 2
    assert M.Mean().name == M.Mean().name == "mean"
    assert str(mean) == "Mean(name=mean,dtype=float32)"
    assert mean.get_config() == {"name": "mean", "dtype": "float32"}
    assert M.Mean(dtype="float64").variables[0].dtype == "float64"
    result = mean([1.0, 2.0])
    mean.update_state([10.0])
    assert float(backend.to_numpy(result)) == 1.5          # a snapshot, not the variable


@clause("METRIC.API")
def test_sum_and_all_zero_weights(backend):
    M = backend.keras.metrics
    s = M.Sum()
    s.update_state([1.0, 3.0, 5.0, 7.0])
    s.update_state([1.0, 1.0], sample_weight=[2.0, 0.0])
    assert float(backend.to_numpy(s.result())) == 18.0
    m = M.Mean()
    m.update_state([1.0, 2.0, 3.0], sample_weight=[0.0, 0.0, 0.0])
    assert float(backend.to_numpy(m.result())) == 0.0       # divide-no-nan


@clause("METRIC.API")
@given(seed=SEEDS, batches=st.integers(1, 3), weighted=st.booleans())
def test_mean_and_sum_of_a_stream(backend, seed, batches, weighted):
    rng = np.random.default_rng(seed)
    M = backend.keras.metrics
    mean, total = M.Mean(), M.Sum()
    stream = []
    for _ in range(batches):
        n = int(rng.integers(1, 5))
        values = rng.normal(size=n).astype(np.float32)
        w = rng.uniform(0, 2, size=n).astype(np.float32) if weighted else None
        mean.update_state(values, sample_weight=w)
        total.update_state(values, sample_weight=w)
        stream.append((values, w))
    assert_close(backend.to_numpy(mean.result()), np.float64(oracle.stream_mean(stream)))
    assert_close(backend.to_numpy(total.result()), np.float64(oracle.stream_sum(stream)))


@clause("METRIC.API")
def test_mean_tensor(backend):
    m = backend.keras.metrics.MeanTensor()
    assert m.variables == []
    with pytest.raises(ValueError, match="MeanTensor does not have any value yet"):
        m.result()
    m.update_state([0.0, 1.0, 2.0, 3.0])
    m.update_state([4.0, 5.0, 6.0, 7.0])
    assert_close(backend.to_numpy(m.result()), np.array([2.0, 3.0, 4.0, 5.0]))
    m.update_state([12.0, 10.0, 8.0, 6.0], sample_weight=[0.0, 0.2, 0.5, 1.0])
    assert_close(backend.to_numpy(m.result()), np.array([2.0, 3.6363635, 4.8, 5.3333335]))
    with pytest.raises(ValueError, match="must always have the same shape"):
        m.update_state([1.0, 2.0])
    assert [v.name for v in m.variables] == ["total:0", "count:0"]


# ---------------------------------------------------------------- METRIC.WEIGHTS


_A23 = np.arange(6, dtype=np.float32).reshape(2, 3)
_A234 = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
WEIGHT_CASES = [   # (id, values, sample_weight, (Mean result, total, count) measured on tf_keras)
    ("(2,3)-(2,)", _A23, [1.0, 2.0], (3.0, 27.0, 9.0)),
    ("(2,3)-(2,1)", _A23, [[1.0], [2.0]], (3.0, 27.0, 9.0)),
    ("(2,3)-(1,3)", _A23, [[1.0, 2.0, 3.0]], (2.8333333, 34.0, 12.0)),
    ("(2,3)-(2,3)", _A23, np.full((2, 3), 2.0), (2.5, 30.0, 12.0)),
    ("(2,3)-()", _A23, 2.0, (2.5, 30.0, 12.0)),
    ("(2,3)-(2,3,1)", _A23, np.ones((2, 3, 1)), (2.5, 15.0, 6.0)),
    ("(2,3)-(1,)", _A23, [1.0], (2.5, 15.0, 6.0)),
    ("(2,3,4)-(2,)", _A234, [1.0, 0.0], (5.5, 5.5, 1.0)),
    ("(2,3,4)-(2,3)", _A234, [[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]], (10.833333, 130.0, 12.0)),
    ("(2,3,4)-(2,1)", _A234, [[1.0], [0.0]], (5.5, 66.0, 12.0)),
    ("()-(1,)", np.float32(5.0), [2.0], (5.0, 10.0, 2.0)),
]


@clause("METRIC.WEIGHTS")
@pytest.mark.parametrize("values, w, expected", [c[1:] for c in WEIGHT_CASES],
                         ids=[c[0] for c in WEIGHT_CASES])
def test_weight_shapes_measured_on_tf_keras(backend, values, w, expected):
    w = np.asarray(w, np.float32)
    m = backend.keras.metrics.Mean()
    m.update_state(values, sample_weight=w)
    got = [float(backend.to_numpy(m.result())), *_values(backend, m)]
    assert_close(np.array(got, np.float32), np.array(expected))
    assert_close(np.float32(got[0]), np.float64(oracle.stream_mean([(values, w)])))
    s = backend.keras.metrics.Sum()
    s.update_state(values, sample_weight=w)
    assert_close(backend.to_numpy(s.result()), np.float64(oracle.stream_sum([(values, w)])))


@clause("METRIC.WEIGHTS")
@given(seed=SEEDS, n=st.integers(1, 4), t=st.integers(1, 3),
       weight_form=st.sampled_from(["none", "scalar", "(N,)", "(N,1)", "(N,T)", "(1,T)"]),
       batches=st.integers(1, 3))
def test_weighted_streams_of_matrices(backend, seed, n, t, weight_form, batches):
    rng = np.random.default_rng(seed)
    M = backend.keras.metrics
    mean, total = M.Mean(), M.Sum()
    stream = []
    for _ in range(batches):
        values = rng.normal(size=(n, t)).astype(np.float32)
        shape = {"none": None, "scalar": (), "(N,)": (n,), "(N,1)": (n, 1), "(N,T)": (n, t),
                 "(1,T)": (1, t)}[weight_form]
        w = None if shape is None else rng.uniform(0, 2, size=shape).astype(np.float32)
        mean.update_state(values, sample_weight=w)
        total.update_state(values, sample_weight=w)
        stream.append((values, w))
    assert_close(backend.to_numpy(mean.result()), np.float64(oracle.stream_mean(stream)))
    assert_close(backend.to_numpy(total.result()),
                 np.float64(oracle.stream_sum(stream)))


@clause("METRIC.WEIGHTS")
def test_per_sample_weights_on_a_wrapped_metric(backend):
    y = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], np.float32)
    p = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 1.0]], np.float32)
    for w, expected in [([1.0, 3.0], (0.9166666, 3.6666665, 4.0)),
                        ([[1.0], [3.0]], (0.9166666, 3.6666665, 4.0)),
                        (3.0, (1.1666666, 7.0, 6.0))]:
        m = backend.keras.metrics.MeanSquaredError()
        m.update_state(y, p, sample_weight=np.array(w, np.float32))
        got = [float(backend.to_numpy(m.result())), *_values(backend, m)]
        assert_close(np.array(got, np.float32), np.array(expected))


# ---------------------------------------------------------------- METRIC.WRAPPER


def _scaled_difference(y_true, y_pred, scale=1.0):
    return scale * (y_pred[..., 0] - y_true[..., 0])


@clause("METRIC.WRAPPER")
def test_any_function_becomes_a_mean_metric(backend):
    M = backend.keras.metrics
    m = M.MeanMetricWrapper(_scaled_difference, name="diff", scale=2.0)
    m.update_state(np.array([[1], [2]]), np.array([[2.0], [2.5]], np.float32),
                   sample_weight=[1.0, 3.0])
    assert_close(backend.to_numpy(m.result()), np.float64((2.0 * 1 + 3 * 2.0 * 0.5) / 4))
    config = m.get_config()
    assert config["name"] == "diff" and config["scale"] == 2.0 and config["fn"] is _scaled_difference
    assert set(config) == {"name", "dtype", "scale", "fn"}
    assert M.MeanMetricWrapper(M.mse).name.startswith("mean_metric_wrapper")


@clause("METRIC.WRAPPER")
def test_wrapper_squeezes_and_casts_and_round_trips(backend):
    M = backend.keras.metrics
    seen = {}

    def record(y_true, y_pred):
        seen["shapes"] = (tuple(y_true.shape), tuple(y_pred.shape))
        seen["dtypes"] = (str(np.dtype(y_true.dtype.name if hasattr(y_true.dtype, "name")
                                       else y_true.dtype)),)
        return y_pred

    m = M.MeanMetricWrapper(record)
    m.update_state(np.array([1, 2]), np.array([[1.0], [2.0]]))
    assert seen["shapes"] == ((2,), (2,)) and seen["dtypes"] == ("float32",)
    wrapped = M.MeanMetricWrapper(M.binary_accuracy, threshold=0.7)
    serialized = M.serialize(wrapped)
    assert serialized["config"]["fn"] == {"module": "builtins", "class_name": "function",
                                          "config": "binary_accuracy",
                                          "registered_name": "function"}
    again = M.deserialize(serialized)
    assert again.get_config()["fn"] is M.binary_accuracy and again.get_config()["threshold"] == 0.7


@clause("METRIC.WRAPPER")
def test_wrapper_output_must_be_one_tensor(backend):
    m = backend.keras.metrics.MeanMetricWrapper(lambda t, p: {"a": p})
    with pytest.raises(RuntimeError, match="can only be a single Tensor"):
        m.update_state(np.ones((2, 1), np.float32), np.ones((2, 1), np.float32))
    assert _values(backend, m) == [0.0, 0.0]


# ---------------------------------------------------------------- METRIC.STRINGS


FUNCTION_NAMES = {   # string -> the name of the function tf_keras returns
    "accuracy": "accuracy", "acc": "accuracy", "ACC": "accuracy",
    "binary_accuracy": "binary_accuracy", "categorical_accuracy": "categorical_accuracy",
    "sparse_categorical_accuracy": "sparse_categorical_accuracy",
    "top_k_categorical_accuracy": "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy": "sparse_top_k_categorical_accuracy",
    "mse": "mean_squared_error", "MSE": "mean_squared_error",
    "mean_squared_error": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
    "cosine_similarity": "cosine_similarity", "cosine_proximity": "cosine_similarity",
    "logcosh": "log_cosh", "log_cosh": "log_cosh",
    "kullback_leibler_divergence": "kl_divergence", "poisson": "poisson", "hinge": "hinge",
    "squared_hinge": "squared_hinge", "categorical_hinge": "categorical_hinge",
    "binary_crossentropy": "binary_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
}

CLASS_NAMES = {   # class name -> default metric name
    "Mean": "mean", "Sum": "sum", "Accuracy": "accuracy", "BinaryAccuracy": "binary_accuracy",
    "CategoricalAccuracy": "categorical_accuracy",
    "SparseCategoricalAccuracy": "sparse_categorical_accuracy",
    "TopKCategoricalAccuracy": "top_k_categorical_accuracy",
    "SparseTopKCategoricalAccuracy": "sparse_top_k_categorical_accuracy",
    "MeanSquaredError": "mean_squared_error", "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "RootMeanSquaredError": "root_mean_squared_error", "CosineSimilarity": "cosine_similarity",
    "LogCoshError": "logcosh", "KLDivergence": "kullback_leibler_divergence",
    "Poisson": "poisson", "Hinge": "hinge", "SquaredHinge": "squared_hinge",
    "CategoricalHinge": "categorical_hinge", "BinaryCrossentropy": "binary_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "MeanTensor": "mean_tensor",
}


@clause("METRIC.STRINGS")
def test_function_strings_resolve_to_functions(backend):
    M = backend.keras.metrics
    for string, name in FUNCTION_NAMES.items():
        fn = M.get(string)
        assert callable(fn) and not isinstance(fn, M.Metric) and fn.__name__ == name, string
    assert M.get("mse") is M.mse is M.MSE is M.mean_squared_error
    assert M.logcosh is M.log_cosh and M.kld is M.KLD


@clause("METRIC.STRINGS")
def test_class_strings_give_new_instances_and_configs(backend):
    M = backend.keras.metrics
    for class_name, name in CLASS_NAMES.items():
        metric = M.get(class_name)
        assert type(metric).__name__ == class_name and metric.name == name, class_name
        assert metric is not M.get(class_name)
    assert M.get(M.Mean) is M.Mean and M.get(M.mse) is M.mse
    assert M.BinaryAccuracy(threshold=0.3).get_config() == {
        "name": "binary_accuracy", "dtype": "float32", "threshold": 0.3}
    assert M.SparseTopKCategoricalAccuracy().get_config()["k"] == 5
    assert M.CategoricalCrossentropy().get_config() == {
        "name": "categorical_crossentropy", "dtype": "float32", "from_logits": False,
        "label_smoothing": 0, "axis": -1}
    assert M.SparseCategoricalCrossentropy().get_config() == {
        "name": "sparse_categorical_crossentropy", "dtype": "float32", "from_logits": False,
        "ignore_class": None, "axis": -1}
    assert M.BinaryCrossentropy().get_config() == {
        "name": "binary_crossentropy", "dtype": "float32", "from_logits": False,
        "label_smoothing": 0}
    assert M.CosineSimilarity().get_config() == {"name": "cosine_similarity", "dtype": "float32",
                                                 "axis": -1}


@clause("METRIC.STRINGS")
def test_serialize_and_deserialize(backend):
    M = backend.keras.metrics
    assert M.serialize(M.BinaryAccuracy(threshold=0.3)) == {
        "module": "keras.metrics", "class_name": "BinaryAccuracy",
        "config": {"name": "binary_accuracy", "dtype": "float32", "threshold": 0.3},
        "registered_name": None}
    assert M.serialize(M.Mean(), use_legacy_format=True) == {
        "class_name": "Mean", "config": {"name": "mean", "dtype": "float32"}}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert M.serialize(M.mse) == {"module": "builtins", "class_name": "function",
                                      "config": "mean_squared_error",
                                      "registered_name": "function"}
    assert "should only be used for objects of type `keras.metrics.Metric`" in str(
        caught[0].message)
    restored = M.deserialize({"class_name": "BinaryAccuracy",
                              "config": {"threshold": 0.2, "name": "b", "dtype": "float32"}})
    assert restored.get_config() == {"name": "b", "dtype": "float32", "threshold": 0.2}
    assert M.get({"class_name": "Mean", "config": {"name": "zz"}}).name == "zz"
    assert M.deserialize("mse") is M.mse
    for bad in (3, None, [1]):
        with pytest.raises(ValueError, match=re.escape(f"Could not interpret metric identifier: {bad}")):
            M.get(bad)


@clause("METRIC.STRINGS.UNKNOWN")
def test_unknown_metric_string_raises_listing_valid_names(backend):
    M = backend.keras.metrics
    for name in ("rmse", "root_mean_squared_error", "precision"):
        with pytest.raises(ValueError) as info:
            M.get(name)
        assert f"'{name}'" in str(info.value) and "'accuracy'" in str(info.value)


@clause("METRIC.STRINGS.UNKNOWN")
def test_public_loss_aliases_resolve(backend):
    M = backend.keras.metrics
    for name in ("kld", "KLD", "kl_divergence"):
        assert M.get(name) is M.kl_divergence, name
    assert M.get("binary_focal_crossentropy") is M.binary_focal_crossentropy


# ---------------------------------------------------------------- METRIC.CUSTOM


def _categorical_true_positives(backend):
    """Seed 000, "自定义 metric", unchanged."""
    keras, tf = backend.keras, backend.tf

    class CategoricalTruePositives(keras.metrics.Metric):
        def __init__(self, name="categorical_true_positives", **kwargs):
            super(CategoricalTruePositives, self).__init__(name=name, **kwargs)  # noqa: UP008
            self.true_positives = self.add_weight(name="ctp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = tf.reshape(tf.argmax(y_pred, axis=1), shape=(-1, 1))
            values = tf.cast(y_true, "int32") == tf.cast(y_pred, "int32")
            values = tf.cast(values, "float32")
            if sample_weight is not None:
                sample_weight = tf.cast(sample_weight, "float32")
                values = tf.multiply(values, sample_weight)
            self.true_positives.assign_add(tf.reduce_sum(values))

        def result(self):
            return self.true_positives

        def reset_state(self):
            self.true_positives.assign(0.0)

    return CategoricalTruePositives()


def _rmse(backend):
    """Seed 003, chapter 7.4 "metric_root_mean_squared_error", the R translated to Python."""
    keras, tf = backend.keras, backend.tf

    class RootMeanSquaredError(keras.metrics.Metric):
        def __init__(self, name="rmse", **kwargs):
            super().__init__(name=name, **kwargs)
            self.mse_sum = self.add_weight(name="mse_sum", initializer="zeros", dtype="float32")
            self.total_samples = self.add_weight(name="total_samples", initializer="zeros",
                                                 dtype="int32")

        def update_state(self, y_true, y_pred, sample_weight=None):
            num_samples = tf.shape(y_pred)[0]
            num_features = tf.shape(y_pred)[1]
            y_true = tf.one_hot(y_true, depth=num_features)
            mse = tf.reduce_sum(tf.square(y_true - y_pred))
            self.mse_sum.assign_add(mse)
            self.total_samples.assign_add(num_samples)

        def result(self):
            return tf.sqrt(self.mse_sum / tf.cast(self.total_samples, "float32"))

        def reset_state(self):
            self.mse_sum.assign(0.0)
            self.total_samples.assign(0)

    return RootMeanSquaredError()


@clause("METRIC.CUSTOM")
@given(seed=SEEDS, batches=st.integers(1, 3), weighted=st.booleans())
def test_seed_categorical_true_positives(backend, seed, batches, weighted):
    rng = np.random.default_rng(seed)
    metric = _categorical_true_positives(backend)
    assert metric.name == "categorical_true_positives"
    expected = 0.0
    for _ in range(batches):
        n = int(rng.integers(1, 6))
        y = rng.integers(0, 3, size=(n, 1))
        p = rng.normal(size=(n, 3)).astype(np.float32)
        w = rng.uniform(0, 2, size=(n, 1)).astype(np.float32) if weighted else None
        metric.update_state(y, p, sample_weight=w)
        hits = (y[:, 0] == np.argmax(p, axis=1)).astype(np.float64)
        expected += float(np.sum(hits * (w[:, 0] if weighted else 1.0)))
    assert_close(backend.to_numpy(metric.result()), np.float64(expected))
    metric.reset_state()
    assert float(backend.to_numpy(metric.result())) == 0.0


@clause("METRIC.CUSTOM")
@given(seed=SEEDS, batches=st.integers(1, 3))
def test_seed_rmse_metric(backend, seed, batches):
    rng = np.random.default_rng(seed)
    metric = _rmse(backend)
    # the states by the names given to add_weight (Keras 2 appends ":0"; that is METRIC.API)
    assert [v.name.split(":")[0] for v in metric.variables] == ["mse_sum", "total_samples"]
    squares, samples = 0.0, 0
    for _ in range(batches):
        n = int(rng.integers(1, 6))
        y = rng.integers(0, 4, size=(n,)).astype(np.int32)
        p = rng.uniform(size=(n, 4)).astype(np.float32)
        metric.update_state(y, p)
        squares += float(np.sum((np.eye(4)[y] - p.astype(np.float64)) ** 2))
        samples += n
    assert_close(backend.to_numpy(metric.result()), np.float64(np.sqrt(squares / samples)))
    assert backend.to_numpy(metric.variables[1]).dtype == np.int32
    metric.reset_state()
    assert [float(backend.to_numpy(v)) for v in metric.variables] == [0.0, 0.0]


# ---------------------------------------------------------------- PIT.RESET_STATES_ALIAS


@clause("PIT.RESET_STATES_ALIAS", requires=("reset_states",))
def test_reset_state_calls_an_old_reset_states_override_with_a_warning(backend):
    keras = backend.keras

    class Cnt(keras.metrics.Metric):
        def __init__(self, name="cnt", **kwargs):
            super().__init__(name=name, **kwargs)
            self.c = self.add_weight("c", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.c.assign_add(3.0)

        def result(self):
            return self.c

        def reset_states(self):
            self.c.assign(-1.0)

    metric = Cnt()
    metric.update_state(0, 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metric.reset_state()
    assert float(backend.to_numpy(metric.result())) == -1.0     # the override ran
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert messages == [(
        'Metric Cnt implements a `reset_states()` method; rename it to `reset_state()` (without '
        'the final "s"). The name `reset_states()` has been deprecated to improve API '
        "consistency.")]
    metric.update_state(0, 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metric.reset_states()                                  # a direct call: no warning
    assert float(backend.to_numpy(metric.result())) == -1.0 and not caught
