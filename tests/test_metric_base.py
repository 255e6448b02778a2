"""The Metric base class: state creation, reset, the reset_states alias, __call__."""
import warnings

import numpy as np
import pytest

import refkeras as keras


class SampleCount(keras.metrics.Metric):
    """Counts samples; a vector state shows that reset zeros every shape."""

    def __init__(self, name="sample_count", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_weight("count", initializer="zeros")
        self.seen = self.add_weight("seen", shape=(2,), initializer="ones")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.count.assign_add(float(np.shape(y_true)[0]))

    def result(self):
        return self.count


class OldStyle(SampleCount):
    def reset_states(self):
        self.count.assign(0.0)


def test_state_is_non_trainable_and_named_without_scope():
    metric = SampleCount()
    assert [v.name for v in metric.variables] == ["count:0", "seen:0"]
    assert metric.trainable_weights == [] and len(metric.non_trainable_weights) == 2
    assert metric.built and metric.stateful and metric.dtype == "float32"


def test_given_names_are_kept_and_missing_ones_made_unique():
    assert SampleCount().name == SampleCount().name == "sample_count"

    class Tally(SampleCount):
        def __init__(self, name=None):
            super().__init__(name=name)
    keras.backend.clear_session()
    assert [Tally().name for _ in range(3)] == ["tally", "tally_1", "tally_2"]


def test_call_updates_and_returns_the_accumulated_result():
    metric = SampleCount()
    assert float(metric([1, 2, 3], [1, 2, 3])) == 3.0
    assert float(metric([1], [1])) == 4.0


def test_result_is_a_snapshot_not_the_state_variable():
    metric = SampleCount()
    first = metric([1, 2], [1, 2])
    metric.update_state([1], [1])
    assert float(first) == 2.0 and float(metric.result()) == 3.0
    assert not isinstance(first, keras.Variable)


def test_reset_state_zeros_every_variable_of_any_shape():
    metric = SampleCount()
    metric([1], [1])
    metric.reset_state()
    for variable in metric.variables:
        np.testing.assert_array_equal(np.asarray(variable), np.zeros(variable.shape))


def test_reset_states_alias_resets():
    metric = SampleCount()
    metric([1], [1])
    metric.reset_states()
    assert float(metric.result()) == 0.0


def test_old_style_override_is_called_with_a_warning():
    metric = OldStyle()
    metric([1, 2], [1, 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metric.reset_state()
    assert float(metric.result()) == 0.0
    assert "implements a `reset_states()` method; rename it to `reset_state()`" in str(
        caught[0].message)
    # The override only zeroed `count`; `seen` keeps its value, as the override decides.
    np.testing.assert_array_equal(np.asarray(metric.seen), [1.0, 1.0])


def test_base_is_abstract():
    with pytest.raises(TypeError, match="abstract methods result, update_state"):
        keras.metrics.Metric()


def test_config_and_str():
    metric = SampleCount(name="n", dtype="float64")
    assert metric.get_config() == {"name": "n", "dtype": "float64"}
    assert str(metric) == "SampleCount(name=n,dtype=float64)"
    assert SampleCount.from_config(metric.get_config()).name == "n"


def test_a_metric_held_by_a_layer_is_reported_not_nested():
    class Scored(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.accuracy = keras.metrics.BinaryAccuracy()
            self.dense = keras.layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    layer = Scored()
    layer(np.ones((1, 3), np.float32))
    assert [w.name.split("/")[-1] for w in layer.weights] == ["kernel:0", "bias:0"]
    assert layer.count_params() == 8
    assert [m.name for m in layer.metrics] == ["binary_accuracy"]
    assert [sub.name for sub in layer._flatten_layers(include_self=False)] == [layer.dense.name]
