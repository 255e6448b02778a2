"""Optimizers reject bad arguments and bad gradients before anything changes
(clauses OPT.BAD_INPUT and OPT.BAD_INPUT.EARLY of docs/spec.md).

OPT.BAD_INPUT is what tf_keras itself rejects; OPT.BAD_INPUT.EARLY is what it
accepts (or fails on half-way) and refkeras rejects up front: tf_keras's
expectations file records that divergence.
"""
import math

import numpy as np
import pytest

from conformance import clause


def _state(backend, opt, variables):
    return ([backend.to_numpy(v).copy() for v in opt.variables],
            [backend.to_numpy(v).copy() for v in variables])


def _assert_unchanged(backend, opt, variables, before):
    after = _state(backend, opt, variables)
    for got, want in zip(after[0] + after[1], before[0] + before[1]):
        np.testing.assert_array_equal(got, want)
    assert len(after[0]) == len(before[0])


@clause("OPT.BAD_INPUT")
@pytest.mark.parametrize("name, kwargs, error, message", [
    ("SGD", {"momentum": -0.1}, ValueError, "`momentum` must be between [0, 1]."),
    ("SGD", {"momentum": 1.5}, ValueError, "`momentum` must be between [0, 1]."),
    ("Adam", {"clipnorm": 1.0, "global_clipnorm": 1.0}, ValueError,
     ("At most one of `clipnorm` and `global_clipnorm` can be set. Received: clipnorm=1.0, "
     "global_clipnorm=1.0.")),
    ("AdamW", {"weight_decay": None}, ValueError,
     "Missing value of `weight_decay` which is required and must be a float value."),
    ("Ftrl", {"initial_accumulator_value": -1.0}, ValueError,
     ("`initial_accumulator_value` needs to be positive or zero. Received: "
     "initial_accumulator_value=-1.0.")),
    ("Ftrl", {"learning_rate_power": 1.0}, ValueError,
     "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power=1.0."),
    ("Ftrl", {"l1_regularization_strength": -1.0}, ValueError,
     ("`l1_regularization_strength` needs to be positive or zero. Received: "
     "l1_regularization_strength=-1.0.")),
    ("Ftrl", {"l2_regularization_strength": -1.0}, ValueError,
     ("`l2_regularization_strength` needs to be positive or zero. Received: "
     "l2_regularization_strength=-1.0.")),
    ("Ftrl", {"l2_shrinkage_regularization_strength": -1.0}, ValueError,
     ("`l2_shrinkage_regularization_strength` needs to be positive or zero. Received: "
     "l2_shrinkage_regularization_strength=-1.0.")),
    ("Adam", {"use_ema": True, "ema_momentum": 2.0}, ValueError,
     "`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=2.0"),
    ("SGD", {"bogus": 1}, TypeError,
     ("bogus is not a valid argument, kwargs should be empty  for "
     "`optimizer_experimental.Optimizer`.")),
    ("SGD", {"epsilon": 1e-7}, TypeError,
     ("epsilon is not a valid argument, kwargs should be empty  for "
     "`optimizer_experimental.Optimizer`.")),
    ("RMSprop", {"decay": 0.1}, ValueError,
     ("decay is deprecated in the new TF-Keras optimizer, please check the docstring for valid "
     "arguments, or use the legacy optimizer, e.g., tf.keras.optimizers.legacy.RMSprop.")),
])
def test_arguments_tf_keras_rejects(backend, name, kwargs, error, message):
    with pytest.raises(error) as info:
        getattr(backend.keras.optimizers, name)(**kwargs)
    assert str(info.value) == message


@clause("OPT.BAD_INPUT")
@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Ftrl"])
def test_a_gradient_of_another_shape_or_dtype_changes_nothing(backend, name):
    tf = backend.tf
    w = tf.Variable(np.ones((2, 3), np.float32), name="w")
    opt = getattr(backend.keras.optimizers, name)(learning_rate=0.1)
    opt.apply_gradients([(tf.constant(np.ones((2, 3), np.float32)), w)])
    before = _state(backend, opt, [w])
    with pytest.raises(tf.errors.InvalidArgumentError):
        opt.apply_gradients([(tf.constant(np.ones((3, 2), np.float32)), w)])
    _assert_unchanged(backend, opt, [w], before)
    with pytest.raises(tf.errors.InvalidArgumentError):
        opt.apply_gradients([(tf.constant(np.ones((2, 3), np.float64)), w)])
    _assert_unchanged(backend, opt, [w], before)


@clause("OPT.BAD_INPUT")
def test_a_variable_the_optimizer_was_not_built_with_is_a_key_error(backend):
    tf = backend.tf
    a, c = tf.Variable(1.0, name="a"), tf.Variable(3.0, name="c")
    opt = backend.keras.optimizers.SGD(0.1)
    opt.apply_gradients([(tf.constant(1.0), a)])
    before = _state(backend, opt, [a, c])
    with pytest.raises(KeyError, match="The optimizer cannot recognize variable c:0"):
        opt.apply_gradients([(tf.constant(1.0), c)])
    _assert_unchanged(backend, opt, [a, c], before)


@clause("OPT.BAD_INPUT")
def test_unknown_and_wrongly_typed_identifiers(backend):
    optimizers = backend.keras.optimizers
    with pytest.raises(ValueError, match=r"^Unknown optimizer: 'nope'\."):
        optimizers.get("nope")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(1.5)


# -- OPT.BAD_INPUT.EARLY: the sane rule; tf_keras accepts these -----------------------------

@clause("OPT.BAD_INPUT.EARLY")
@pytest.mark.parametrize("name, key, value", [
    ("SGD", "learning_rate", -1.0), ("Adam", "learning_rate", math.nan),
    ("RMSprop", "learning_rate", math.inf), ("SGD", "momentum", math.nan),
    ("Adam", "epsilon", -1e-7), ("RMSprop", "epsilon", -1.0), ("Adagrad", "epsilon", -1.0),
    ("RMSprop", "rho", 1.5), ("RMSprop", "momentum", -0.5), ("Adadelta", "rho", -0.1),
    ("Adam", "beta_1", 1.5), ("Adamax", "beta_2", -0.1), ("Nadam", "beta_1", math.nan),
    ("Adagrad", "initial_accumulator_value", -1.0), ("Ftrl", "beta", -1.0),
    ("SGD", "clipnorm", -1.0), ("SGD", "clipvalue", 0.0), ("Adam", "global_clipnorm", -2.0),
    ("SGD", "weight_decay", -0.1), ("AdamW", "weight_decay", math.nan),
])
def test_negative_or_non_finite_hyper_parameters_are_value_errors(backend, name, key, value):
    with pytest.raises(ValueError) as info:
        getattr(backend.keras.optimizers, name)(**{key: value})
    assert f"`{key}`" in str(info.value)


@clause("OPT.BAD_INPUT.EARLY")
def test_setting_a_bad_learning_rate_changes_nothing(backend):
    opt = backend.keras.optimizers.SGD(0.1)
    for bad in (-1.0, math.nan):
        with pytest.raises(ValueError, match="`learning_rate`"):
            opt.learning_rate = bad
    assert backend.to_numpy(opt.learning_rate) == np.float32(0.1)


@clause("OPT.BAD_INPUT.EARLY")
def test_a_gradient_that_only_broadcasts_is_rejected(backend):
    tf = backend.tf
    w = tf.Variable(np.ones((2, 3), np.float32), name="w")
    opt = backend.keras.optimizers.SGD(0.1)
    opt.build([w])
    before = _state(backend, opt, [w])
    with pytest.raises(tf.errors.InvalidArgumentError):
        opt.apply_gradients([(tf.constant(np.ones(3, np.float32)), w)])
    _assert_unchanged(backend, opt, [w], before)


@clause("OPT.BAD_INPUT.EARLY")
def test_a_bad_gradient_for_a_later_variable_changes_no_variable(backend):
    tf = backend.tf
    a = tf.Variable(np.ones(2, np.float32), name="a")
    b = tf.Variable(np.ones((2, 3), np.float32), name="b")
    opt = backend.keras.optimizers.SGD(0.1, weight_decay=0.1)
    opt.build([a, b])
    before = _state(backend, opt, [a, b])
    with pytest.raises(tf.errors.InvalidArgumentError):
        opt.apply_gradients([(tf.constant(np.ones(2, np.float32)), a),
                             (tf.constant(np.ones((3, 2), np.float32)), b)])
    _assert_unchanged(backend, opt, [a, b], before)
