"""The optimizers' update rules and their base class, black-box through the adapter
(clauses OPT.* of docs/spec.md; bad input in test_optimizers_bad_input.py).

Numeric tests draw a shape, a seed for the gradients and one of a few hyper-parameter
sets, take three steps with ``apply_gradients`` on one float32 variable "w", and
compare the variable after every step, and every slot at the end, with the float64
oracle of ``conformance/oracles/optimizers.py`` (float32 value tolerance).
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import optimizers as oracle
from conformance.strategies import shapes

SEEDS = st.integers(0, 2**32 - 1)
TAPE = ("gradient_tape",)


# Keras 3 names a slot "<variable>_<index>_<slot>" (OPT.VARIABLES pins the Keras 2 names);
# these are its slot words, spelled as the oracle spells them.
KERAS3_SLOTS = {"momentum": "m", "velocity": "v", "velocity_hat": "vhat", "norm": "u",
                "accumulator": "accumulator", "linear": "linear",
                "accumulated_grad": "accumulated_grad",
                "accumulated_delta_var": "accumulated_delta_var",
                "average_gradient": "average_gradient", "variable": "u_product"}


def slot_name(optimizer, variable_name):
    """The oracle's name of an optimizer variable ("Adam/m/w:0" -> "m"), None if no slot."""
    if "/" in variable_name:
        return variable_name.split("/")[1]
    word = variable_name.split(":")[0]
    if word.startswith("w_"):
        word = word.split("_", 2)[2]
    if word in ("iteration", "learning_rate"):
        return None
    if word.startswith("variable"):     # Nadam's u_product, "variable", "variable_1", ...
        word = "variable"
    return word if optimizer == "RMSprop" else KERAS3_SLOTS[word]


def check_rule(backend, name, hyper, shape, seed, steps=3, scale=1.0, slot_relative=False):
    """``slot_relative``: compare the slots relative to their largest magnitude (Ftrl's
    "linear" is a difference of terms divided by the learning rate: its small elements
    carry the rounding error of its large ones)."""
    rng = np.random.default_rng(seed)
    w0 = rng.standard_normal(shape).astype(np.float32)
    grads = [(rng.standard_normal(shape) * scale).astype(np.float32) for _ in range(steps)]
    w = backend.tf.Variable(w0, name="w")
    opt = getattr(backend.keras.optimizers, name)(**hyper)
    expected, slots = oracle.run(name, hyper, w0, grads)
    for t, (g, want) in enumerate(zip(grads, expected), start=1):
        opt.apply_gradients([(backend.tf.constant(g), w)])
        assert_close(backend.to_numpy(w), want, message=f"{name}{hyper} step {t}")
    assert int(backend.to_numpy(opt.iterations)) == steps
    for variable in opt.variables[1:]:
        slot = slot_name(name, variable.name)
        if slot is None:     # not a slot: Keras 3 lists its learning-rate variable here
            continue
        norm = max(1.0, float(np.max(np.abs(slots[slot]), initial=0))) if slot_relative else 1.0
        assert_close(backend.to_numpy(variable) / np.float32(norm), slots[slot] / norm,
                     message=f"{name} slot {slot}")


@clause("OPT.RULES")
@given(shape=shapes(0, 2), seed=SEEDS, hyper=st.sampled_from([
    ("SGD", {}), ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.5, "nesterov": True}),
    ("RMSprop", {}), ("RMSprop", {"learning_rate": 0.01, "rho": 0.5, "epsilon": 1.0}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True, "epsilon": 0.1}),
    ("Adam", {}), ("Adam", {"learning_rate": 0.01, "epsilon": 0.1}),
    ("Adam", {"learning_rate": 0.05, "beta_1": 0.5, "amsgrad": True}),
]))
def test_sgd_rmsprop_adam_follow_their_rules(backend, shape, seed, hyper):
    check_rule(backend, *hyper, shape, seed)


@clause("OPT.RULES")
def test_adam_epsilon_is_outside_the_sqrt_of_the_uncorrected_v(backend):
    w = backend.tf.Variable([1.0], name="w")
    backend.keras.optimizers.Adam(learning_rate=1.0, epsilon=0.1).apply_gradients(
        [(backend.tf.constant([1.0]), w)])
    # alpha = sqrt(1 - 0.999) / (1 - 0.9); m = 0.1, v = 0.001: 1 - 0.1 * alpha / (sqrt(v) + 0.1)
    assert_close(backend.to_numpy(w), [1 - 0.1 * (0.001 ** 0.5 / 0.1) / (0.001 ** 0.5 + 0.1)])


@clause("OPT.ADAMW")
@given(shape=shapes(0, 2), seed=SEEDS, hyper=st.sampled_from([
    {}, {"learning_rate": 0.05, "weight_decay": 0.1}, {"weight_decay": 0.5, "amsgrad": True}]))
def test_adamw_decays_then_follows_adam(backend, shape, seed, hyper):
    check_rule(backend, "AdamW", hyper, shape, seed)


@clause("OPT.ADAGRAD")
@given(shape=shapes(0, 2), seed=SEEDS, hyper=st.sampled_from([
    {}, {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "epsilon": 0.01}]))
def test_adagrad_follows_its_rule(backend, shape, seed, hyper):
    check_rule(backend, "Adagrad", hyper, shape, seed)


@clause("OPT.ADADELTA")
@given(shape=shapes(0, 2), seed=SEEDS, hyper=st.sampled_from([
    {}, {"learning_rate": 1.0, "rho": 0.5, "epsilon": 1e-3}]))
def test_adadelta_follows_its_rule(backend, shape, seed, hyper):
    check_rule(backend, "Adadelta", hyper, shape, seed)


@clause("OPT.ADAMAX")
@given(shape=shapes(0, 2), seed=SEEDS, hyper=st.sampled_from([
    {}, {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 0.01}]))
def test_adamax_follows_its_rule(backend, shape, seed, hyper):
    check_rule(backend, "Adamax", hyper, shape, seed)


@clause("OPT.NADAM")
@given(shape=shapes(0, 2), seed=SEEDS, hyper=st.sampled_from([
    {}, {"learning_rate": 0.1, "beta_1": 0.8, "beta_2": 0.99}]))
def test_nadam_follows_its_rule(backend, shape, seed, hyper):
    check_rule(backend, "Nadam", hyper, shape, seed)


@clause("OPT.NADAM")
def test_nadam_advances_its_momentum_product_once_per_step(backend):
    tf = backend.tf
    a, b = tf.Variable([1.0], name="a"), tf.Variable([2.0], name="b")
    opt = backend.keras.optimizers.Nadam(learning_rate=0.1)
    grads = [np.array([0.5], np.float32), np.array([-1.0], np.float32)]
    for g in grads:
        opt.apply_gradients([(tf.constant(g), a), (tf.constant(g), b)])
    for var, start in ((a, 1.0), (b, 2.0)):
        values, _ = oracle.run("Nadam", {"learning_rate": 0.1}, np.array([start]), grads)
        assert_close(backend.to_numpy(var), values[-1])
    assert [v.name for v in opt.variables] == ["iteration:0", "Nadam/m/a:0", "Nadam/v/a:0",
                                               "Nadam/m/b:0", "Nadam/v/b:0"]


@clause("OPT.FTRL")
@given(shape=shapes(0, 2), seed=SEEDS, hyper=st.sampled_from([
    {}, {"learning_rate": 0.1, "l1_regularization_strength": 0.01,
         "l2_regularization_strength": 0.1, "l2_shrinkage_regularization_strength": 0.05,
         "beta": 0.2, "learning_rate_power": -0.7}]))
def test_ftrl_follows_its_rule(backend, shape, seed, hyper):
    check_rule(backend, "Ftrl", hyper, shape, seed, slot_relative=True)


# -- the base class ------------------------------------------------------------------------

@clause("OPT.APPLY")
def test_apply_gradients_counts_steps_and_skips_missing_gradients(backend):
    tf = backend.tf
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    opt = backend.keras.optimizers.SGD(learning_rate=0.1)
    assert backend.to_numpy(opt.iterations).dtype == np.int64
    assert int(backend.to_numpy(opt.iterations)) == 0
    returned = opt.apply_gradients(zip([tf.constant(1.0), tf.constant(1.0)], [a, b]))
    assert int(backend.to_numpy(returned)) == 1
    assert_close([backend.to_numpy(a), backend.to_numpy(b)], [0.9, 1.9])
    opt.apply_gradients([(tf.constant(1.0), a), (None, b)])
    assert int(backend.to_numpy(opt.iterations)) == 2
    assert_close([backend.to_numpy(a), backend.to_numpy(b)], [0.8, 1.9])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, a), (None, b)])
    assert int(backend.to_numpy(opt.iterations)) == 2
    opt.apply_gradients([])
    assert int(backend.to_numpy(opt.iterations)) == 2


@clause("OPT.APPLY", requires=TAPE)
def test_minimize_takes_a_callable_or_a_tensor_with_its_tape(backend):
    tf = backend.tf
    a = tf.Variable(1.0, name="a")
    opt = backend.keras.optimizers.SGD(learning_rate=0.1)
    opt.minimize(lambda: a * a, [a])
    assert_close(backend.to_numpy(a), 0.8)
    with tf.GradientTape() as tape:
        loss = a * a
    opt.minimize(loss, [a], tape=tape)
    assert_close(backend.to_numpy(a), 0.64)
    with pytest.raises(ValueError, match="`tape` is required when a `Tensor` loss is passed"):
        opt.minimize(loss, [a])
    assert int(backend.to_numpy(opt.iterations)) == 2


@clause("OPT.LR_SETTABLE")
def test_a_float_learning_rate_is_a_settable_float32_variable(backend):
    tf = backend.tf
    w = tf.Variable(0.0, name="w")
    opt = backend.keras.optimizers.SGD(learning_rate=0.1)
    assert opt.learning_rate.dtype == np.float32 and opt.learning_rate.name == "learning_rate:0"
    assert opt.lr is opt.learning_rate
    deltas = []
    for change in (lambda: None, lambda: setattr(opt, "learning_rate", 0.5),
                   lambda: setattr(opt, "lr", 0.25), lambda: opt.learning_rate.assign(0.125)):
        change()
        before = float(backend.to_numpy(w))
        opt.apply_gradients([(tf.constant(1.0), w)])
        deltas.append(before - float(backend.to_numpy(w)))
    assert_close(np.float32(deltas), [0.1, 0.5, 0.25, 0.125])
    assert backend.to_numpy(opt.get_config()["learning_rate"]) == np.float32(0.125)


@clause("OPT.LR_SETTABLE")
def test_a_callable_learning_rate_is_called_once_when_the_optimizer_is_made(backend):
    calls = []

    def rate():
        calls.append(1)
        return 0.3

    opt = backend.keras.optimizers.SGD(learning_rate=rate)
    w = backend.tf.Variable(1.0, name="w")
    opt.apply_gradients([(backend.tf.constant(1.0), w)])
    opt.apply_gradients([(backend.tf.constant(1.0), w)])
    assert len(calls) == 1
    assert_close(backend.to_numpy(w), 0.4)
    assert opt.get_config()["learning_rate"] == np.float32(0.3)


@clause("OPT.LR_SCHEDULE")
def test_a_schedule_is_evaluated_at_iterations_before_each_step(backend):
    keras, tf = backend.keras, backend.tf

    class Halving(keras.optimizers.schedules.LearningRateSchedule):
        def __init__(self):
            self.steps = []

        def __call__(self, step):
            self.steps.append(int(backend.to_numpy(step)))
            return tf.constant(0.5 ** float(self.steps[-1]))

        def get_config(self):
            return {}

    schedule = Halving()
    opt = keras.optimizers.SGD(learning_rate=schedule)
    assert schedule.steps == [0]        # once, when the optimizer is made
    w = tf.Variable(0.0, name="w")
    deltas = []
    for _ in range(3):
        before = float(backend.to_numpy(w))
        opt.apply_gradients([(tf.constant(1.0), w)])
        deltas.append(before - float(backend.to_numpy(w)))
    assert schedule.steps == [0, 0, 1, 2]
    assert_close(np.float32(deltas), [1.0, 0.5, 0.25])
    assert_close(backend.to_numpy(opt.learning_rate), 0.25)
    with pytest.raises(TypeError, match="learning rate is not settable"):
        opt.learning_rate = 0.1
    assert_close(backend.to_numpy(opt.learning_rate), 0.25)


@clause("OPT.CLIPPING")
@given(seed=SEEDS, which=st.sampled_from(["clipnorm", "global_clipnorm", "clipvalue", "both"]))
def test_gradients_are_clipped_before_the_update(backend, seed, which):
    tf = backend.tf
    rng = np.random.default_rng(seed)
    grads = [rng.standard_normal((3,)).astype(np.float32) * 2,
             rng.standard_normal((2, 2)).astype(np.float32) * 2]
    kwargs = {"clipnorm": 0.5, "clipvalue": 0.1} if which == "both" else {which: 0.5}
    opt = backend.keras.optimizers.SGD(learning_rate=1.0, **kwargs)
    ws = [tf.Variable(np.zeros(g.shape, np.float32), name=f"w{i}") for i, g in enumerate(grads)]
    opt.apply_gradients(zip([tf.constant(g) for g in grads], ws))
    g64 = [g.astype(np.float64) for g in grads]
    if which in ("clipnorm", "both"):    # clipnorm wins over clipvalue
        want = [g * 0.5 / max(np.linalg.norm(g), 0.5) for g in g64]
    elif which == "global_clipnorm":
        norm = np.sqrt(sum(np.sum(g * g) for g in g64))
        want = [g * 0.5 / max(norm, 0.5) for g in g64]
    else:
        want = [np.clip(g, -0.5, 0.5) for g in g64]
    for w, expected in zip(ws, want):
        assert_close(backend.to_numpy(w), -expected)


@clause("OPT.WEIGHT_DECAY")
@given(seed=SEEDS, name=st.sampled_from(["SGD", "Adam", "RMSprop", "Adagrad"]))
def test_weight_decay_is_applied_before_every_optimizers_update(backend, seed, name):
    hyper = {"learning_rate": 0.1, "weight_decay": 0.3}
    check_rule(backend, name, hyper, (2, 3), seed)


@clause("OPT.WEIGHT_DECAY")
def test_variables_can_be_excluded_from_weight_decay(backend):
    tf = backend.tf
    a, b, c = (tf.Variable(2.0, name=n) for n in ("a", "b", "c_bias"))
    opt = backend.keras.optimizers.SGD(1.0, weight_decay=0.004)
    opt.exclude_from_weight_decay(var_list=[b], var_names=["bias"])
    zero = tf.constant(0.0)
    opt.apply_gradients([(zero, a), (zero, b), (zero, c)])
    assert_close([backend.to_numpy(v) for v in (a, b, c)], [1.992, 2.0, 2.0])
    with pytest.raises(ValueError, match="can only be configued before"):
        opt.exclude_from_weight_decay(var_names=["a"])


@clause("OPT.CONSTRAINTS")
def test_constraints_are_applied_after_the_update(backend):
    keras = backend.keras
    layer = keras.layers.Dense(2, kernel_constraint=keras.constraints.NonNeg(), name="d")
    layer(np.ones((1, 2), np.float32))
    layer.set_weights([np.array([[0.05, 1.0], [0.5, -0.2]], np.float32), np.zeros(2, np.float32)])
    grads = [backend.tf.constant(np.ones((2, 2), np.float32)),
             backend.tf.constant(np.ones(2, np.float32))]
    keras.optimizers.SGD(0.1).apply_gradients(zip(grads, layer.trainable_weights))
    assert_close(layer.get_weights()[0], [[0.0, 0.9], [0.4, 0.0]])
    assert_close(layer.get_weights()[1], [-0.1, -0.1])


@clause("OPT.VARIABLES")
@pytest.mark.parametrize("name, kwargs, slots", [
    ("SGD", {}, ["m/w", "m/b"]),
    ("RMSprop", {"momentum": 0.5, "centered": True},
     ["velocity/w", "velocity/b", "momentum/w", "momentum/b", "average_gradient/w",
      "average_gradient/b"]),
    ("Adam", {"amsgrad": True}, ["m/w", "v/w", "m/b", "v/b", "vhat/w", "vhat/b"]),
    ("AdamW", {}, ["m/w", "v/w", "m/b", "v/b"]),
    ("Adagrad", {}, ["accumulator/w", "accumulator/b"]),
    ("Adadelta", {}, ["accumulated_grad/w", "accumulated_delta_var/w", "accumulated_grad/b",
                      "accumulated_delta_var/b"]),
    ("Adamax", {}, ["m/w", "u/w", "m/b", "u/b"]),
    ("Nadam", {}, ["m/w", "v/w", "m/b", "v/b"]),
    ("Ftrl", {}, ["accumulator/w", "linear/w", "accumulator/b", "linear/b"]),
    ("SGD", {"use_ema": True}, ["average/w", "average/b", "m/w", "m/b"]),
])
def test_slot_variables_have_tf_keras_names_and_order(backend, name, kwargs, slots):
    tf = backend.tf
    w, b = tf.Variable(np.ones((2, 3), np.float32), name="w"), tf.Variable([1.0], name="b")
    built = getattr(backend.keras.optimizers, name)(**kwargs)
    built.build([w, b])
    assert [v.name for v in built.variables] == ["iteration:0"] + [f"{s}:0" for s in slots]
    assert built.variables() == built.variables
    applied = getattr(backend.keras.optimizers, name)(**kwargs)
    applied.apply_gradients([(tf.constant(np.ones((2, 3), np.float32)), w),
                             (tf.constant([1.0]), b)])
    assert [v.name for v in applied.variables] == (
        ["iteration:0"] + [f"{name}/{s}:0" for s in slots])
    for variable in applied.variables[1:]:
        assert not variable.trainable


@clause("OPT.VARIABLES")
def test_optimizer_state_can_be_read_and_set(backend):
    tf = backend.tf
    w = tf.Variable([1.0, 2.0], name="w")
    opt = backend.keras.optimizers.Adam(0.1)
    with pytest.raises(ValueError, match="has not yet been built"):
        opt.set_weights([np.zeros(())])
    opt.apply_gradients([(tf.constant([1.0, -1.0]), w)])
    saved = [backend.to_numpy(v).copy() for v in opt.variables]
    w_saved = backend.to_numpy(w).copy()
    opt.apply_gradients([(tf.constant([1.0, -1.0]), w)])
    after_two = backend.to_numpy(w).copy()
    w.assign(w_saved)
    opt.set_weights(saved)
    assert int(backend.to_numpy(opt.iterations)) == 1
    opt.apply_gradients([(tf.constant([1.0, -1.0]), w)])
    np.testing.assert_array_equal(backend.to_numpy(w), after_two)
    with pytest.raises(ValueError, match="not compatible with provided weight shape"):
        opt.set_weights([saved[0], np.zeros(3, np.float32), saved[2]])


@clause("OPT.CONFIG")
@pytest.mark.parametrize("name, extra", [
    ("SGD", {"momentum": 0.0, "nesterov": False}),
    ("RMSprop", {"rho": 0.9, "momentum": 0.0, "epsilon": 1e-07, "centered": False}),
    ("Adam", {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}),
    ("AdamW", {"weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
               "amsgrad": False}),
    ("Adagrad", {"initial_accumulator_value": 0.1, "epsilon": 1e-07}),
    ("Adadelta", {"rho": 0.95, "epsilon": 1e-07}),
    ("Adamax", {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}),
    ("Nadam", {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}),
    ("Ftrl", {"learning_rate_power": -0.5, "initial_accumulator_value": 0.1,
              "l1_regularization_strength": 0.0, "l2_regularization_strength": 0.0,
              "l2_shrinkage_regularization_strength": 0.0, "beta": 0.0}),
])
def test_get_config_has_tf_keras_keys_defaults_and_types(backend, name, extra):
    config = getattr(backend.keras.optimizers, name)().get_config()
    lr = 0.01 if name == "SGD" else 0.001
    base = {"name": name, "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
            "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
            "ema_overwrite_frequency": 100 if name == "RMSprop" else None,
            "jit_compile": False, "is_legacy_optimizer": False}
    base.update({"learning_rate": np.float32(lr)})
    base.update({k: v for k, v in extra.items() if k == "weight_decay"})
    expected = {**base, **extra}
    assert list(config) == list(expected)
    assert config == expected
    assert type(config["learning_rate"]) is np.float32
    assert {k: type(v) for k, v in config.items()} == {k: type(v) for k, v in expected.items()}


@clause("OPT.CONFIG")
@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta",
                                  "Adamax", "Nadam", "Ftrl"])
def test_serialize_round_trips_through_from_config_and_get(backend, name):
    optimizers = backend.keras.optimizers
    opt = getattr(optimizers, name)(learning_rate=0.25, clipvalue=2.0, name="mine")
    data = optimizers.serialize(opt)
    assert {k: data[k] for k in ("module", "class_name", "registered_name")} == {
        "module": "keras.optimizers", "class_name": name, "registered_name": None}
    assert data["config"]["learning_rate"] == 0.25
    assert type(data["config"]["learning_rate"]) is float
    for again in (optimizers.deserialize(data), optimizers.get(data),
                  type(opt).from_config(opt.get_config())):
        assert type(again) is type(opt)
        assert again.get_config() == opt.get_config()


@clause("OPT.CONFIG")
def test_a_schedule_in_the_config_is_serialized_and_restored(backend):
    optimizers = backend.keras.optimizers
    schedule = optimizers.schedules.ExponentialDecay(0.5, 10, 0.9)
    config = optimizers.SGD(learning_rate=schedule).get_config()
    assert config["learning_rate"] == {
        "module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
        "config": {"initial_learning_rate": 0.5, "decay_steps": 10, "decay_rate": 0.9,
                   "staircase": False, "name": None}, "registered_name": None}
    again = optimizers.SGD.from_config(config)
    assert type(again._learning_rate if hasattr(again, "_learning_rate") else None).__name__ == (
        "ExponentialDecay")
    assert_close(backend.to_numpy(again.learning_rate), 0.5)


@clause("OPT.STRINGS")
@pytest.mark.parametrize("identifier, name", [
    ("sgd", "SGD"), ("SGD", "SGD"), ("rmsprop", "RMSprop"), ("RMSprop", "RMSprop"),
    ("adam", "Adam"), ("Adam", "Adam"), ("ADAM", "Adam"), ("adamw", "AdamW"),
    ("adagrad", "Adagrad"), ("adadelta", "Adadelta"), ("adamax", "Adamax"), ("nadam", "Nadam"),
    ("ftrl", "Ftrl"),
])
def test_get_resolves_names_case_insensitively(backend, identifier, name):
    optimizers = backend.keras.optimizers
    opt = optimizers.get(identifier)
    assert type(opt).__name__ == name
    assert opt.get_config() == getattr(optimizers, name)().get_config()
    assert optimizers.get(opt) is opt


@clause("OPT.STRINGS")
@pytest.mark.parametrize("identifier", ["nope", "lion", "Optimizer"])
def test_unknown_names_raise_value_error_naming_them(backend, identifier):
    with pytest.raises(ValueError) as info:
        backend.keras.optimizers.get(identifier)
    assert str(info.value).startswith(f"Unknown optimizer: '{identifier}'.")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 3"):
        backend.keras.optimizers.get(3)
