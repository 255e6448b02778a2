"""The Layer API: build, weights, trainable, set_weights, losses, params, config, I/O,
identifier strings, initializers, constraints and Dropout (clauses LAYER.* of
docs/spec.md but LAYER.NUMERIC.* and LAYER.BAD_INPUT*)."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close

SEEDS = st.integers(0, 2**31 - 1)


def _names(variables):
    return [v.name for v in variables]


def _make_layer_classes(keras):
    """Custom layers shared by the tests (defined per backend: they subclass its Layer)."""
    class Recorder(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.shapes = []

        def build(self, input_shape):
            self.shapes.append(tuple(input_shape))
            self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.w

    class NonTrainableFirst(keras.layers.Layer):
        def build(self, input_shape):
            self.counter = self.add_weight(name="counter", shape=(), initializer="zeros",
                                           trainable=False)
            self.k = self.add_weight(name="k", shape=(2, 3), initializer="ones")
            self.d = self.add_weight(name="d", shape=(4,), dtype="float64")

        def call(self, inputs):
            return inputs

    class Outer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = keras.layers.Dense(2, name="inner")
            self.bn = keras.layers.BatchNormalization(name="bn")

        def build(self, input_shape):
            self.own_nt = self.add_weight(name="own_nt", shape=(1,), trainable=False)
            self.own = self.add_weight(name="own", shape=(1,))

        def call(self, inputs):
            return self.bn(self.inner(inputs)) * self.own

    return Recorder, NonTrainableFirst, Outer


# ---------------------------------------------------------------- build and weights


@clause("LAYER.BUILD_ONCE")
@given(batches=st.lists(st.integers(1, 5), min_size=1, max_size=3), features=st.integers(1, 4))
def test_build_runs_once_with_the_first_input_shape(backend, batches, features):
    Recorder, _, _ = _make_layer_classes(backend.keras)
    layer = Recorder()
    assert not layer.built and layer.weights == []
    for batch in batches:
        layer(np.ones((batch, features), np.float32))
    assert layer.built
    assert layer.shapes == [(batches[0], features)]
    assert len(layer.weights) == 1


@clause("LAYER.BUILD_ONCE")
def test_build_on_a_symbolic_input_sees_a_none_batch(backend):
    Recorder, _, _ = _make_layer_classes(backend.keras)
    layer = Recorder()
    layer(backend.keras.Input((3,)))
    assert layer.shapes == [(None, 3)]
    layer(np.ones((2, 2, 3), np.float32))
    assert layer.shapes == [(None, 3)], "build ran again"


@clause("LAYER.ADD_WEIGHT")
def test_add_weight_names_shapes_dtypes_and_trainability(backend):
    _, NonTrainableFirst, Outer = _make_layer_classes(backend.keras)
    layer = NonTrainableFirst(name="my")
    layer(np.ones((1, 2), np.float32))
    found = {v.name: (tuple(v.shape), v.dtype.name, v.trainable) for v in layer.weights}
    assert found == {"my/counter:0": ((), "float32", False), "my/k:0": ((2, 3), "float32", True),
                     "my/d:0": ((4,), "float64", True)}
    np.testing.assert_array_equal(backend.to_numpy(layer.k), np.ones((2, 3), np.float32))
    # with no initializer a float weight is glorot_uniform: fan_in = fan_out = 4 for shape (4,)
    d = backend.to_numpy(layer.d)
    assert np.all(np.abs(d) <= math.sqrt(6 / 8)) and np.any(d != 0)
    outer = Outer(name="outer")
    outer(np.ones((2, 3), np.float32))
    assert "outer/inner/kernel:0" in _names(outer.weights)
    assert "outer/bn/moving_mean:0" in _names(outer.weights)


@clause("LAYER.WEIGHTS.ORDER")
def test_weights_list_trainable_before_non_trainable(backend):
    keras = backend.keras
    _, NonTrainableFirst, Outer = _make_layer_classes(keras)
    layer = NonTrainableFirst(name="my")
    layer(np.ones((1, 2), np.float32))
    assert _names(layer.weights) == ["my/k:0", "my/d:0", "my/counter:0"]
    assert _names(layer.trainable_weights) == ["my/k:0", "my/d:0"]
    assert _names(layer.non_trainable_weights) == ["my/counter:0"]
    bn = keras.layers.BatchNormalization(name="bn")
    bn(np.ones((2, 3), np.float32))
    assert _names(bn.weights) == ["bn/gamma:0", "bn/beta:0", "bn/moving_mean:0",
                                  "bn/moving_variance:0"]
    outer = Outer(name="outer")
    outer(np.ones((2, 3), np.float32))
    assert _names(outer.trainable_weights) == [
        "outer/own:0", "outer/inner/kernel:0", "outer/inner/bias:0", "outer/bn/gamma:0",
        "outer/bn/beta:0"]
    assert _names(outer.non_trainable_weights) == [
        "outer/own_nt:0", "outer/bn/moving_mean:0", "outer/bn/moving_variance:0"]
    assert _names(outer.weights) == _names(outer.trainable_weights) + \
        _names(outer.non_trainable_weights)


@clause("LAYER.TRAINABLE_SWITCH")
def test_trainable_false_moves_weights_and_reaches_sublayers(backend):
    _, NonTrainableFirst, Outer = _make_layer_classes(backend.keras)
    layer = NonTrainableFirst(name="my")
    layer(np.ones((1, 2), np.float32))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert _names(layer.non_trainable_weights) == ["my/k:0", "my/d:0", "my/counter:0"]
    assert [v.trainable for v in layer.weights] == [True, True, False], \
        "the variables' own flag does not change"
    outer = Outer(name="outer")
    outer(np.ones((2, 3), np.float32))
    outer.trainable = False
    assert outer.trainable_weights == [] and not outer.inner.trainable and not outer.bn.trainable
    assert _names(outer.non_trainable_weights) == [
        "outer/own:0", "outer/own_nt:0", "outer/inner/kernel:0", "outer/inner/bias:0",
        "outer/bn/gamma:0", "outer/bn/beta:0", "outer/bn/moving_mean:0",
        "outer/bn/moving_variance:0"]
    outer.trainable = True
    assert outer.inner.trainable and len(outer.trainable_weights) == 5
    outer.inner.trainable = False
    assert _names(outer.trainable_weights) == ["outer/own:0", "outer/bn/gamma:0", "outer/bn/beta:0"]
    assert _names(outer.non_trainable_weights) == [
        "outer/own_nt:0", "outer/inner/kernel:0", "outer/inner/bias:0",
        "outer/bn/moving_mean:0", "outer/bn/moving_variance:0"]


@clause("LAYER.SET_WEIGHTS")
@given(seed=SEEDS, n_in=st.integers(1, 4), units=st.integers(1, 4))
def test_set_weights_round_trip(backend, seed, n_in, units):
    rng = np.random.default_rng(seed)
    layer = backend.keras.layers.Dense(units)
    layer(np.ones((1, n_in), np.float32))
    values = [rng.standard_normal((n_in, units)).astype(np.float32),
              rng.standard_normal(units).astype(np.float32)]
    layer.set_weights(values)
    got = layer.get_weights()
    assert [type(g) for g in got] == [np.ndarray, np.ndarray]
    assert [g.dtype for g in got] == [np.float32, np.float32]
    for g, v in zip(got, values):
        np.testing.assert_array_equal(g, v)
    got[0][...] = 0.0     # get_weights returns copies
    np.testing.assert_array_equal(layer.get_weights()[0], values[0])
    layer.set_weights([v.astype(np.float64) for v in values])   # float64 arrays are converted
    assert layer.get_weights()[1].dtype == np.float32


@clause("LAYER.SET_WEIGHTS")
@pytest.mark.parametrize("case", ["kernel shape", "bias shape", "too few", "too many", "unbuilt"])
def test_set_weights_rejects_wrong_shapes_and_counts_before_changing_anything(backend, case):
    layer = backend.keras.layers.Dense(3, name="dd")
    if case != "unbuilt":
        layer(np.ones((1, 2), np.float32))
    before = layer.get_weights()
    bad, words = {
        "kernel shape": ([np.ones((2, 4)), np.ones(3)], ["dd", "(2, 3)", "(2, 4)"]),
        "bias shape": ([np.ones((2, 3)), np.ones((3, 1))], ["dd", "(3,)", "(3, 1)"]),
        "too few": ([np.ones((2, 3))], ["dd", "length 1", "expecting 2"]),
        "too many": ([np.ones((2, 3)), np.ones(3), np.ones(3)], ["dd", "length 3", "expecting 2"]),
        "unbuilt": ([np.ones((2, 3)), np.ones(3)], ["dd", "length 2", "expecting 0"]),
    }[case]
    with pytest.raises(ValueError) as info:
        layer.set_weights(bad)
    for word in words:
        assert word in str(info.value), f"{word!r} not in {str(info.value)!r}"
    after = layer.get_weights()
    assert len(after) == len(before)
    for a, b in zip(after, before):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- losses and parameters


@clause("LAYER.LOSSES")
@given(seed=SEEDS, batch=st.integers(1, 4), n_in=st.integers(1, 3), units=st.integers(1, 3))
def test_regularizer_losses_have_exact_values(backend, seed, batch, n_in, units):
    keras = backend.keras
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, n_in)).astype(np.float32)
    layer = keras.layers.Dense(units, kernel_regularizer=keras.regularizers.l2(0.01),
                               bias_regularizer="l1",
                               activity_regularizer=keras.regularizers.l1_l2(l1=0.1, l2=0.2),
                               bias_initializer="ones")
    y = backend.to_numpy(layer(x)).astype(np.float64)
    kernel, bias = (w.astype(np.float64) for w in layer.get_weights())
    losses = [float(backend.to_numpy(v)) for v in layer.losses]
    activity = (0.1 * np.abs(y).sum() + 0.2 * np.square(y).sum()) / batch   # per sample
    expected = [activity, 0.01 * np.sum(kernel ** 2), 0.01 * np.sum(np.abs(bias))]
    assert_close(np.array(losses), np.array(expected), dtype="float32")


@clause("LAYER.LOSSES")
def test_losses_keep_only_the_latest_call(backend):
    keras, tf = backend.keras, backend.tf

    class AddsLoss(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs))
            return inputs

    layer = AddsLoss()
    layer(np.ones((2, 2), np.float32))
    layer(np.ones((3, 2), np.float32))
    assert [float(backend.to_numpy(v)) for v in layer.losses] == [6.0]
    layer.add_loss(lambda: tf.constant(5.0))    # a callable loss stays, re-evaluated each read
    layer(np.ones((1, 2), np.float32))
    assert [float(backend.to_numpy(v)) for v in layer.losses] == [2.0, 5.0]
    dense = keras.layers.Dense(1, kernel_regularizer="l2", kernel_initializer="ones",
                               use_bias=False, activity_regularizer="l1")
    dense(np.ones((2, 3), np.float32))
    dense(np.full((1, 3), 2.0, np.float32))
    losses = [float(backend.to_numpy(v)) for v in dense.losses]
    assert_close(np.array(losses), np.array([0.01 * 6.0, 0.01 * 3.0]), dtype="float32")   # l1 of y=6 / batch 1


@clause("LAYER.LOSSES")
def test_losses_of_sublayers_follow_the_layers_own(backend):
    keras = backend.keras

    class Nested(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1, kernel_regularizer="l2", kernel_initializer="ones",
                                        use_bias=False)

        def call(self, inputs):
            self.add_loss(1.0)
            return self.d(inputs)

    layer = Nested()
    layer(np.ones((2, 3), np.float32))
    losses = [float(backend.to_numpy(v)) for v in layer.losses]
    assert_close(np.array(losses), np.array([1.0, 0.03]), dtype="float32")


@clause("LAYER.COUNT_PARAMS")
@given(cin=st.integers(1, 3), filters=st.integers(1, 4), k=st.integers(1, 3),
       units=st.integers(1, 4), channels=st.integers(1, 4))
def test_count_params(backend, cin, filters, k, units, channels):
    layers = backend.keras.layers
    conv = layers.Conv2D(filters, k)
    conv(np.ones((1, 4, 4, cin), np.float32))
    assert conv.count_params() == k * k * cin * filters + filters
    dense = layers.Dense(units, use_bias=False)
    dense(np.ones((1, cin), np.float32))
    assert dense.count_params() == cin * units
    bn = layers.BatchNormalization()
    bn(np.ones((2, channels), np.float32))
    assert bn.count_params() == 4 * channels     # non-trainable weights count too


@clause("LAYER.COUNT_PARAMS")
def test_count_params_of_an_unbuilt_layer_raises(backend):
    layer = backend.keras.layers.Dense(3, name="dense")
    with pytest.raises(ValueError) as info:
        layer.count_params()
    assert str(info.value) == ("You tried to call `count_params` on layer dense, but the layer "
                               "isn't built. You can build it manually via: "
                               "`dense.build(batch_input_shape)`.")


# ---------------------------------------------------------------- config


def _initializer(name, config):
    return {"module": "keras.initializers", "class_name": name, "config": config,
            "registered_name": None}


DENSE_CONFIG = {
    "name": "d", "trainable": True, "dtype": "float32", "units": 3, "activation": "linear",
    "use_bias": True, "kernel_initializer": _initializer("GlorotUniform", {"seed": None}),
    "bias_initializer": _initializer("Zeros", {}), "kernel_regularizer": None,
    "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
    "bias_constraint": None,
}
CONV2D_CONFIG = {
    "name": "c", "trainable": True, "dtype": "float32", "filters": 4, "kernel_size": (3, 3),
    "strides": (1, 1), "padding": "valid", "data_format": "channels_last",
    "dilation_rate": (1, 1), "groups": 1, "activation": "linear", "use_bias": True,
    "kernel_initializer": _initializer("GlorotUniform", {"seed": None}),
    "bias_initializer": _initializer("Zeros", {}), "kernel_regularizer": None,
    "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
    "bias_constraint": None,
}


@clause("LAYER.CONFIG")
def test_default_configs_of_dense_and_conv2d(backend):
    layers = backend.keras.layers
    dense = layers.Dense(3, name="d").get_config()
    conv = layers.Conv2D(4, 3, name="c").get_config()
    assert list(dense) == list(DENSE_CONFIG) and dense == DENSE_CONFIG
    assert list(conv) == list(CONV2D_CONFIG) and conv == CONV2D_CONFIG


@clause("LAYER.CONFIG")
@given(units=st.integers(1, 5), act=st.sampled_from(["relu", "tanh", None]),
       use_bias=st.booleans(), reg=st.sampled_from([None, "l1", "l2"]),
       filters=st.integers(1, 4), kernel=st.sampled_from([1, 3, (2, 3)]),
       padding=st.sampled_from(["valid", "same"]), strides=st.sampled_from([1, 2, (1, 2)]))
def test_from_config_round_trips(backend, units, act, use_bias, reg, filters, kernel, padding,
                                 strides):
    layers = backend.keras.layers
    for layer in (layers.Dense(units, activation=act, use_bias=use_bias, kernel_regularizer=reg,
                               name="d"),
                  layers.Conv2D(filters, kernel, strides=strides, padding=padding,
                                activation=act, bias_regularizer=reg, name="c")):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
        assert clone.name == layer.name
    conv = layers.Conv2D(filters, kernel, strides=strides).get_config()
    assert conv["kernel_size"] == ((kernel, kernel) if isinstance(kernel, int) else kernel)
    assert conv["strides"] == ((strides, strides) if isinstance(strides, int) else strides)


# ---------------------------------------------------------------- symbolic input and output


@clause("LAYER.IO")
def test_input_output_and_shapes_after_a_symbolic_call(backend):
    keras = backend.keras
    inputs = keras.Input((3,), name="i")
    dense = keras.layers.Dense(2, name="d")
    out = dense(inputs)
    assert dense.input is inputs and dense.output is out
    assert dense.input_shape == (None, 3) and dense.output_shape == (None, 2)
    conv = keras.layers.Conv2D(2, 3)
    conv(keras.Input((8, 8, 1)))
    assert conv.input_shape == (None, 8, 8, 1) and conv.output_shape == (None, 6, 6, 2)


@clause("LAYER.IO")
def test_input_and_output_of_a_layer_never_called_symbolically_raise(backend):
    dense = backend.keras.layers.Dense(2, name="e")
    dense(np.ones((1, 3), np.float32))     # an eager call connects nothing
    cases = [
        (lambda: dense.input, "Layer e is not connected, no input to return."),
        (lambda: dense.output, "Layer e has no inbound nodes."),
        (lambda: dense.input_shape, ('The layer "e" has never been called and thus has no '
                                     "defined input shape. Note that the `input_shape` property "
                                     "is only available for Functional and Sequential models.")),
        (lambda: dense.output_shape,
         'The layer "e" has never been called and thus has no defined output shape.'),
    ]
    for read, message in cases:
        with pytest.raises(AttributeError) as info:
            read()
        assert str(info.value) == message


# ---------------------------------------------------------------- identifier strings

ACTIVATIONS = ["relu", "sigmoid", "softmax", "tanh", "linear", "elu", "selu", "softplus",
               "softsign", "swish", "gelu", "exponential", "hard_sigmoid"]
INITIALIZERS = {
    "zeros": ("Zeros", {}), "ones": ("Ones", {}), "glorot_uniform": ("GlorotUniform", {"seed": None}),
    "glorot_normal": ("GlorotNormal", {"seed": None}), "he_normal": ("HeNormal", {"seed": None}),
    "he_uniform": ("HeUniform", {"seed": None}), "lecun_normal": ("LecunNormal", {"seed": None}),
    "lecun_uniform": ("LecunUniform", {"seed": None}),
    "random_normal": ("RandomNormal", {"mean": 0.0, "stddev": 0.05, "seed": None}),
    "random_uniform": ("RandomUniform", {"minval": -0.05, "maxval": 0.05, "seed": None}),
    "truncated_normal": ("TruncatedNormal", {"mean": 0.0, "stddev": 0.05, "seed": None}),
    "orthogonal": ("Orthogonal", {"gain": 1.0, "seed": None}),
    "identity": ("Identity", {"gain": 1.0}), "constant": ("Constant", {"value": 0}),
    "variance_scaling": ("VarianceScaling", {"scale": 1.0, "mode": "fan_in",
                                             "distribution": "truncated_normal", "seed": None}),
    "GlorotUniform": ("GlorotUniform", {"seed": None}), "Zeros": ("Zeros", {}),
}
REGULARIZERS = {"l1": ("L1", {"l1": 0.01}), "l2": ("L2", {"l2": 0.01}),
                "l1_l2": ("L1L2", {"l1": 0.01, "l2": 0.01})}
CONSTRAINTS = {"max_norm": ("MaxNorm", {"max_value": 2, "axis": 0}), "non_neg": ("NonNeg", {}),
               "unit_norm": ("UnitNorm", {"axis": 0}), "MaxNorm": ("MaxNorm",
                                                                  {"max_value": 2, "axis": 0})}


def _serialized(config, key):
    value = dict(config[key])
    # regularizer factors are float32 numbers stored as Python floats
    value["config"] = {k: (round(v, 6) if isinstance(v, float) else v)
                       for k, v in value["config"].items()}
    return value


@clause("LAYER.STRINGS")
def test_activation_strings_serialize_to_their_names(backend):
    layers = backend.keras.layers
    for name in ACTIVATIONS:
        assert layers.Dense(2, activation=name).get_config()["activation"] == name
        assert layers.Activation(name).get_config()["activation"] == name
    assert layers.Dense(2).get_config()["activation"] == "linear"
    assert layers.Dense(2, activation=None).get_config()["activation"] == "linear"


@clause("LAYER.STRINGS")
def test_initializer_regularizer_and_constraint_strings_serialize(backend):
    layers = backend.keras.layers
    for name, (cls, config) in INITIALIZERS.items():
        got = layers.Dense(2, kernel_initializer=name).get_config()["kernel_initializer"]
        assert got == {"module": "keras.initializers", "class_name": cls, "config": config,
                       "registered_name": None}, name
    for name, (cls, config) in REGULARIZERS.items():
        got = _serialized(layers.Dense(2, kernel_regularizer=name).get_config(),
                          "kernel_regularizer")
        assert got == {"module": "keras.regularizers", "class_name": cls, "config": config,
                       "registered_name": None}, name
    for name, (cls, config) in CONSTRAINTS.items():
        got = layers.Dense(2, kernel_constraint=name).get_config()["kernel_constraint"]
        assert got == {"module": "keras.constraints", "class_name": cls, "config": config,
                       "registered_name": None}, name


@clause("LAYER.STRINGS.UNKNOWN")
@pytest.mark.parametrize("argument, error, words", [
    ("activation", ValueError, ["Unknown activation function", "'nope'"]),
    ("kernel_initializer", ValueError, ["Unknown initializer", "'nope'"]),
    ("kernel_constraint", ValueError, ["Unknown constraint", "'nope'"]),
])
def test_unknown_identifier_strings_raise_naming_them(backend, argument, error, words):
    with pytest.raises(error) as info:
        backend.keras.layers.Dense(2, **{argument: "nope"})
    for word in words:
        assert word in str(info.value)


@clause("LAYER.STRINGS.UNKNOWN")
def test_unknown_activation_layer_string_and_identifiers_of_the_wrong_type(backend):
    layers = backend.keras.layers
    with pytest.raises(ValueError, match="nope"):
        layers.Activation("nope")
    with pytest.raises(TypeError, match="Could not interpret activation function identifier: 3"):
        layers.Dense(2, activation=3)
    for argument, what in [("kernel_initializer", "initializer"),
                           ("kernel_regularizer", "regularizer"),
                           ("kernel_constraint", "constraint function")]:
        with pytest.raises(ValueError, match=f"Could not interpret {what} identifier: 3"):
            layers.Dense(2, **{argument: 3})


@clause("LAYER.STRINGS.UNKNOWN_REGULARIZER")
@pytest.mark.parametrize("argument", ["kernel_regularizer", "bias_regularizer",
                                      "activity_regularizer"])
def test_unknown_regularizer_string_raises(backend, argument):
    with pytest.raises(ValueError, match="nope"):
        backend.keras.layers.Dense(2, **{argument: "nope"})


# ---------------------------------------------------------------- initializers


def _fans(shape):
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


INIT_SHAPES = st.sampled_from([(40, 30), (64, 20), (3, 3, 8, 6), (2, 5, 10, 12), (900,)])


@clause("LAYER.INITIALIZERS")
@given(seed=SEEDS, shape=INIT_SHAPES,
       name=st.sampled_from(["GlorotUniform", "HeUniform", "LecunUniform"]))
def test_uniform_variance_scaling_bounds(backend, seed, shape, name):
    fan_in, fan_out = _fans(shape)
    bound = {"GlorotUniform": math.sqrt(6 / (fan_in + fan_out)),
             "HeUniform": math.sqrt(6 / fan_in), "LecunUniform": math.sqrt(3 / fan_in)}[name]
    v = backend.to_numpy(getattr(backend.keras.initializers, name)(seed=seed)(shape))
    assert v.shape == shape and v.dtype == np.float32
    assert np.all(np.abs(v) <= bound * (1 + 1e-6))
    assert np.max(np.abs(v)) > 0.9 * bound
    assert abs(np.std(v) - bound / math.sqrt(3)) < 0.15 * bound / math.sqrt(3)
    assert abs(np.mean(v)) < 0.25 * bound


@clause("LAYER.INITIALIZERS")
@given(seed=SEEDS, shape=INIT_SHAPES,
       name=st.sampled_from(["HeNormal", "GlorotNormal", "LecunNormal"]))
def test_truncated_normal_variance_scaling(backend, seed, shape, name):
    fan_in, fan_out = _fans(shape)
    std = {"HeNormal": math.sqrt(2 / fan_in), "GlorotNormal": math.sqrt(2 / (fan_in + fan_out)),
           "LecunNormal": math.sqrt(1 / fan_in)}[name]
    v = backend.to_numpy(getattr(backend.keras.initializers, name)(seed=seed)(shape))
    # a normal truncated at two standard deviations, widened so its std is `std`
    assert np.all(np.abs(v) <= 2 * std / 0.87962566103423978 * (1 + 1e-6))
    assert abs(np.std(v) - std) < 0.15 * std


@clause("LAYER.INITIALIZERS")
@given(rows=st.integers(1, 6), cols=st.integers(1, 6), gain=st.sampled_from([1.0, 0.5, 2.0]),
       value=st.sampled_from([0.0, -1.5, 3.0]), seed=SEEDS)
def test_exact_initializers(backend, rows, cols, gain, value, seed):
    init = backend.keras.initializers
    shape = (rows, cols)
    np.testing.assert_array_equal(backend.to_numpy(init.Zeros()(shape)), np.zeros(shape))
    np.testing.assert_array_equal(backend.to_numpy(init.Ones()(shape)), np.ones(shape))
    np.testing.assert_array_equal(backend.to_numpy(init.Constant(value)(shape)),
                                  np.full(shape, value))
    np.testing.assert_array_equal(backend.to_numpy(init.Identity(gain=gain)(shape)),
                                  gain * np.eye(rows, cols))
    q = backend.to_numpy(init.Orthogonal(gain=gain, seed=seed)(shape)).astype(np.float64)
    gram = q.T @ q if rows >= cols else q @ q.T
    np.testing.assert_allclose(gram, gain ** 2 * np.eye(min(rows, cols)), atol=1e-5)
    assert backend.to_numpy(init.Zeros()(shape, dtype="float64")).dtype == np.float64
    with pytest.raises(ValueError, match="Identity matrix initializer can only be used for 2D"):
        init.Identity()((2, 2, 2))


@clause("LAYER.INITIALIZERS")
@given(seed=SEEDS, shape=st.sampled_from([(3, 4), (2, 2, 3, 2)]),
       name=st.sampled_from(["GlorotUniform", "HeNormal", "RandomNormal", "RandomUniform",
                             "TruncatedNormal", "Orthogonal"]))
def test_a_seeded_initializer_is_deterministic(backend, seed, shape, name):
    cls = getattr(backend.keras.initializers, name)
    a = backend.to_numpy(cls(seed=seed)(shape))
    init = cls(seed=seed)
    b, c = backend.to_numpy(init(shape)), backend.to_numpy(init(shape))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(b, c)
    other = backend.to_numpy(cls(seed=seed + 1)(shape))
    assert not np.array_equal(a, other)


# ---------------------------------------------------------------- constraints

EPSILON = 1e-7


@clause("LAYER.CONSTRAINTS")
@given(seed=SEEDS, shape=st.sampled_from([(3, 2), (2, 4), (2, 2, 3)]), axis=st.sampled_from([0, 1]),
       max_value=st.sampled_from([0.5, 1.0, 2.0]), rate=st.sampled_from([1.0, 0.5]))
def test_constraint_formulas(backend, seed, shape, axis, max_value, rate):
    rng = np.random.default_rng(seed)
    w = (rng.standard_normal(shape) * 2).astype(np.float32)
    w64 = w.astype(np.float64)
    norms = np.sqrt(np.sum(w64 ** 2, axis=axis, keepdims=True))
    constraints, tf = backend.keras.constraints, backend.tf

    def apply(c):
        return backend.to_numpy(c(tf.constant(w)))

    assert_close(apply(constraints.MaxNorm(max_value, axis=axis)),
                 w64 * np.clip(norms, 0, max_value) / (EPSILON + norms))
    assert_close(apply(constraints.UnitNorm(axis=axis)), w64 / (EPSILON + norms))
    np.testing.assert_array_equal(apply(constraints.NonNeg()), w * (w >= 0))
    desired = rate * np.clip(norms, 0.5, 1.0) + (1 - rate) * norms
    assert_close(apply(constraints.MinMaxNorm(0.5, 1.0, rate=rate, axis=axis)),
                 w64 * desired / (EPSILON + norms))


@clause("LAYER.CONSTRAINTS")
def test_constraints_are_not_applied_at_creation_or_in_call(backend):
    keras = backend.keras
    layer = keras.layers.Dense(2, kernel_constraint="non_neg",
                               kernel_initializer=keras.initializers.Constant(-1.0))
    layer(np.ones((1, 2), np.float32))
    layer(np.ones((1, 2), np.float32))
    np.testing.assert_array_equal(layer.get_weights()[0], -np.ones((2, 2)))
    assert type(layer.kernel_constraint).__name__ == "NonNeg"


# ---------------------------------------------------------------- dropout


@clause("LAYER.DROPOUT")
@given(seed=SEEDS, rate=st.sampled_from([0.1, 0.3, 0.5, 0.8]))
def test_dropout_zeroes_a_rate_fraction_and_scales_the_rest(backend, seed, rate):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 2.0, (100, 40)).astype(np.float32)
    layer = backend.keras.layers.Dropout(rate)
    np.testing.assert_array_equal(backend.to_numpy(layer(x)), x)
    np.testing.assert_array_equal(backend.to_numpy(layer(x, training=False)), x)
    y = backend.to_numpy(layer(x, training=True))
    dropped = y == 0
    assert abs(dropped.mean() - rate) < 0.05, f"dropped {dropped.mean()} for rate {rate}"
    assert_close(y[~dropped], x[~dropped].astype(np.float64) / (1 - rate))
    np.testing.assert_array_equal(backend.to_numpy(backend.keras.layers.Dropout(0.0)(
        x, training=True)), x)


@clause("LAYER.DROPOUT")
@given(noise_shape=st.sampled_from([(None, 1, 6), (4, 1, 1), (None, 5, 1), (1, 5, 6)]))
def test_dropout_noise_shape_shares_the_mask_along_size_one_axes(backend, noise_shape):
    x = np.ones((4, 5, 6), np.float32)
    y = backend.to_numpy(backend.keras.layers.Dropout(0.5, noise_shape=noise_shape)(
        x, training=True))
    assert set(np.unique(y)) <= {0.0, 2.0}
    for axis, size in enumerate(noise_shape):
        if size == 1:
            first = np.take(y, [0], axis=axis)
            np.testing.assert_array_equal(y, np.broadcast_to(first, y.shape))


@clause("LAYER.DROPOUT")
@pytest.mark.parametrize("rate", [1.5, -0.1])
def test_dropout_rate_out_of_range_raises(backend, rate):
    with pytest.raises(ValueError) as info:
        backend.keras.layers.Dropout(rate)
    assert str(info.value) == (f"Invalid value {rate} received for `rate`, expected a value "
                               "between 0 and 1.")
