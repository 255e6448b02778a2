"""Learning rate schedules: values at every step, config, bad input (clauses SCHEDULE.*
of docs/spec.md). Values are compared with the float64 oracles of
conformance/oracles/schedules.py under the float32 tolerance."""
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance import clause
from conformance.numerics import assert_close
from conformance.oracles import schedules as oracle

RATES = st.floats(0.05, 0.999)
LRS = st.floats(1e-4, 1.0)
DECAY_STEPS = st.integers(1, 5000)


def steps(decay_steps):
    """Step 0, the decay boundaries, steps between and past them, and a big step."""
    return st.lists(st.one_of(st.integers(0, 4 * decay_steps), st.integers(0, 2**31 - 1)),
                    max_size=4).map(lambda more: [0, decay_steps, 2 * decay_steps, *more])


def check(backend, schedule, step, expected):
    value = schedule(step)
    assert backend.to_numpy(value).dtype == np.float32
    assert_close(backend.to_numpy(value), np.float64(expected), message=f"step {step}")


def step_kinds(backend, step):
    tf = backend.tf
    return [step, np.int64(step), tf.constant(step, dtype="int64"),
            tf.constant(float(step)), tf.Variable(step, dtype="int64", trainable=False)]


# ------------------------------------------------------------- SCHEDULE.VALUES


@clause("SCHEDULE.VALUES")
def test_the_observed_values_of_the_four_seed_schedules(backend):
    S = backend.keras.optimizers.schedules
    cases = [
        (S.ExponentialDecay(0.1, 10, 0.5), [0, 5, 10, 15], [0.1, 0.070711, 0.05, 0.035355]),
        (S.ExponentialDecay(0.1, 10, 0.5, staircase=True), [0, 5, 9, 10, 15, 20],
         [0.1, 0.1, 0.1, 0.05, 0.05, 0.025]),
        (S.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), [0, 10, 11, 20, 21],
         [1, 1, .5, .5, .1]),
        (S.PolynomialDecay(0.1, 10, 0.01), [0, 5, 10, 20], [.1, .055, .01, .01]),
        (S.PolynomialDecay(0.1, 10, 0.01, cycle=True), [15], [.0325]),
        (S.InverseTimeDecay(0.1, 10, 0.5), [0, 5, 10, 20], [.1, .08, 0.0666667, .05]),
    ]
    for schedule, at, expected in cases:
        got = [float(backend.to_numpy(schedule(s))) for s in at]
        np.testing.assert_allclose(got, expected, rtol=1e-5, err_msg=type(schedule).__name__)


@clause("SCHEDULE.VALUES")
@pytest.mark.parametrize("name, make", [
    ("ExponentialDecay", lambda S: S.ExponentialDecay(0.1, 7, 0.5)),
    ("PiecewiseConstantDecay", lambda S: S.PiecewiseConstantDecay([3, 9], [1.0, 0.5, 0.1])),
    ("PolynomialDecay", lambda S: S.PolynomialDecay(0.1, 7, cycle=True)),
    ("InverseTimeDecay", lambda S: S.InverseTimeDecay(0.1, 7, 0.5, staircase=True)),
    ("CosineDecay", lambda S: S.CosineDecay(0.1, 7, warmup_target=0.2, warmup_steps=3)),
    ("CosineDecayRestarts", lambda S: S.CosineDecayRestarts(0.1, 7)),
], ids=lambda v: v if isinstance(v, str) else "")
def test_every_kind_of_step_gives_the_same_float32_scalar(backend, name, make):
    schedule = make(backend.keras.optimizers.schedules)
    for step in (0, 5, 9, 30):
        values = [backend.to_numpy(schedule(s)) for s in step_kinds(backend, step)]
        for value in values:
            assert value.shape == () and value.dtype == np.float32
            assert value.tobytes() == values[0].tobytes(), f"{name} at step {step}"


# ---------------------------------------------------------- one clause a schedule


@clause("SCHEDULE.EXPONENTIAL")
@given(lr=LRS, decay_steps=DECAY_STEPS, rate=RATES, staircase=st.booleans(), data=st.data())
def test_exponential_decay_follows_its_formula(backend, lr, decay_steps, rate, staircase, data):
    schedule = backend.keras.optimizers.schedules.ExponentialDecay(lr, decay_steps, rate,
                                                                   staircase=staircase)
    for step in data.draw(steps(decay_steps)):
        check(backend, schedule, step, oracle.exponential(lr, decay_steps, rate, staircase, step))


@clause("SCHEDULE.INVERSE_TIME")
@given(lr=LRS, decay_steps=DECAY_STEPS, rate=st.floats(0.0, 5.0), staircase=st.booleans(),
       data=st.data())
def test_inverse_time_decay_follows_its_formula(backend, lr, decay_steps, rate, staircase, data):
    schedule = backend.keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps, rate,
                                                                   staircase=staircase)
    for step in data.draw(steps(decay_steps)):
        check(backend, schedule, step, oracle.inverse_time(lr, decay_steps, rate, staircase, step))


@clause("SCHEDULE.PIECEWISE")
@given(bounds=st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True),
       data=st.data())
def test_piecewise_constant_decay_picks_the_interval(backend, bounds, data):
    bounds = sorted(bounds)
    values = data.draw(st.lists(LRS, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    schedule = backend.keras.optimizers.schedules.PiecewiseConstantDecay(bounds, values)
    at = [0, *bounds, *(b + 1 for b in bounds), data.draw(st.integers(0, 2 * 10**6))]
    for step in at:
        value = backend.to_numpy(schedule(step))
        assert value.dtype == np.float32
        assert value == np.float32(oracle.piecewise(bounds, values, step)), f"step {step}"


@clause("SCHEDULE.POLYNOMIAL")
@given(lr=LRS, end=st.floats(0.0, 1e-3), decay_steps=DECAY_STEPS, power=st.floats(0.1, 3.0),
       cycle=st.booleans(), data=st.data())
def test_polynomial_decay_follows_its_formula(backend, lr, end, decay_steps, power, cycle, data):
    schedule = backend.keras.optimizers.schedules.PolynomialDecay(lr, decay_steps, end, power=power,
                                                                  cycle=cycle)
    for step in data.draw(steps(decay_steps)):
        check(backend, schedule, step, oracle.polynomial(lr, decay_steps, end, power, cycle, step))


@clause("SCHEDULE.COSINE")
@given(lr=LRS, decay_steps=DECAY_STEPS, alpha=st.floats(0.0, 0.5),
       warmup=st.one_of(st.none(), st.tuples(st.floats(1e-3, 2.0), st.integers(0, 1000))),
       data=st.data())
def test_cosine_decay_follows_its_formula(backend, lr, decay_steps, alpha, warmup, data):
    target, warmup_steps = warmup or (None, 0)
    schedule = backend.keras.optimizers.schedules.CosineDecay(
        lr, decay_steps, alpha=alpha, warmup_target=target, warmup_steps=warmup_steps)
    at = data.draw(steps(decay_steps)) + [warmup_steps, warmup_steps + decay_steps]
    for step in at:
        check(backend, schedule, step,
              oracle.cosine(lr, decay_steps, alpha, target, warmup_steps, step))


@clause("SCHEDULE.COSINE_RESTARTS")
@given(lr=LRS, decay_steps=st.integers(1, 1000), t_mul=st.one_of(st.just(1.0), st.just(2.0),
       st.floats(1.05, 3.0)), m_mul=st.floats(0.3, 1.0), alpha=st.floats(0.0, 0.5), data=st.data())
def test_cosine_decay_restarts_follows_its_formula(backend, lr, decay_steps, t_mul, m_mul, alpha,
                                                   data):
    schedule = backend.keras.optimizers.schedules.CosineDecayRestarts(
        lr, decay_steps, t_mul=t_mul, m_mul=m_mul, alpha=alpha)
    at = data.draw(st.lists(st.integers(0, 50 * decay_steps), min_size=1, max_size=5))
    if t_mul in (1.0, 2.0):    # restarts at exact steps whose float32 logs are exact
        at += [0, decay_steps, 3 * decay_steps]
    for step in at:
        if t_mul not in (1.0, 2.0) and oracle.near_restart(decay_steps, t_mul, step):
            continue        # the float32 period is pinned by the test below
        check(backend, schedule, step,
              oracle.cosine_restarts(lr, decay_steps, t_mul, m_mul, alpha, step))


@clause("SCHEDULE.FLOAT32")
def test_the_float32_logs_decide_the_period_at_a_restart(backend):
    # t_mul=1.1: the second restart is at step 10 * (1 + 1.1) = 21. In float32,
    # log(1.21) / log(1.1) is 1.9999999, so step 21 is the *end* of period 1
    # (alpha * lr), not the start of period 2 (lr); the exact oracle says lr.
    schedule = backend.keras.optimizers.schedules.CosineDecayRestarts(1.0, 10, t_mul=1.1,
                                                                      alpha=0.25)
    assert float(backend.to_numpy(schedule(21))) == pytest.approx(0.25, abs=1e-6)
    assert oracle.cosine_restarts(1.0, 10, 1.1, 1.0, 0.25, 21) == pytest.approx(1.0)
    assert float(backend.to_numpy(schedule(20))) == pytest.approx(
        oracle.cosine_restarts(1.0, 10, 1.1, 1.0, 0.25, 20), rel=1e-5)


# ------------------------------------------------------------ SCHEDULE.OPTIMIZER


@clause("SCHEDULE.OPTIMIZER")
def test_update_k_uses_the_schedule_at_k_minus_1(backend):
    keras, tf = backend.keras, backend.tf
    seen = []

    class Recording(keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            seen.append(int(backend.to_numpy(step)))
            return tf.constant(1.0) / tf.cast(2 ** tf.cast(step, "int32"), "float32")

        def get_config(self):
            return {}

    var = tf.Variable(0.0)
    optimizer = keras.optimizers.SGD(learning_rate=Recording())
    before = []
    for _ in range(3):
        before.append(float(backend.to_numpy(var)))
        optimizer.apply_gradients([(tf.constant(-1.0), var)])
    deltas = np.diff([*before, float(backend.to_numpy(var))])
    np.testing.assert_allclose(deltas, [1.0, 0.5, 0.25])
    assert seen[-3:] == [0, 1, 2]
    with pytest.raises(TypeError, match="not settable"):
        optimizer.learning_rate = 0.1


# ------------------------------------------------------------- SCHEDULE.CONFIG


CONFIGS = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
                              "staircase": True, "name": "e"}),
    ("PiecewiseConstantDecay", {"boundaries": [1, 2], "values": [1.0, 0.5, 0.1], "name": None}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.001,
                             "power": 2.0, "cycle": True, "name": None}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
                              "staircase": False, "name": None}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "alpha": 0.1, "name": None,
                         "warmup_target": 0.2, "warmup_steps": 5}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10, "t_mul": 2.0,
                                 "m_mul": 0.5, "alpha": 0.0, "name": None}),
]


@clause("SCHEDULE.CONFIG")
@pytest.mark.parametrize("class_name, config", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_config_and_serialization_round_trip(backend, class_name, config):
    S = backend.keras.optimizers.schedules
    schedule = getattr(S, class_name)(**config)
    assert schedule.get_config() == config
    assert S.serialize(schedule) == {"module": "keras.optimizers.schedules",
                                     "class_name": class_name, "config": config,
                                     "registered_name": None}
    assert S.serialize(schedule, use_legacy_format=True) == {"class_name": class_name,
                                                             "config": config}
    for copy in (getattr(S, class_name).from_config(config), S.deserialize(S.serialize(schedule)),
                 S.deserialize({"class_name": class_name, "config": config})):
        assert type(copy) is type(schedule) and copy.get_config() == config
        for step in (0, 7, 25):
            assert backend.to_numpy(copy(step)) == backend.to_numpy(schedule(step))


@clause("SCHEDULE.CONFIG")
def test_user_schedules_subclass_the_base_and_serialize_by_name(backend):
    S = backend.keras.optimizers.schedules

    class Halving(S.LearningRateSchedule):
        def __init__(self, start):
            self.start = start

        def __call__(self, step):
            return self.start / 2 ** step

        def get_config(self):
            return {"start": self.start}

    assert Halving(1.0)(3) == 0.125
    assert S.serialize(Halving(1.0)) == {"module": __name__, "class_name": "Halving",
                                         "config": {"start": 1.0}, "registered_name": "Halving"}
    copy = S.deserialize(S.serialize(Halving(1.0)), custom_objects={"Halving": Halving})
    assert type(copy) is Halving and copy.start == 1.0
    base = S.LearningRateSchedule()
    with pytest.raises(NotImplementedError) as info:
        base(1)
    assert str(info.value) == ("Learning rate schedule 'LearningRateSchedule' must override "
                               "`__call__(self, step)`.")
    with pytest.raises(NotImplementedError, match="must override `get_config\\(\\)` in order"):
        base.get_config()


# ---------------------------------------------------------- SCHEDULE.BAD_INPUT


@clause("SCHEDULE.BAD_INPUT")
@given(n_bounds=st.integers(0, 4), n_values=st.integers(0, 6))
def test_piecewise_needs_one_more_value_than_boundaries(backend, n_bounds, n_values):
    assume(n_values != n_bounds + 1)
    bounds, values = list(range(1, n_bounds + 1)), [0.5] * n_values
    with pytest.raises(ValueError) as info:
        backend.keras.optimizers.schedules.PiecewiseConstantDecay(bounds, values)
    assert str(info.value) == (
        "The length of boundaries should be 1 less than the length of values. Received: "
        f"boundaries={bounds} of length {n_bounds}, and values={values} of length {n_values}.")


@clause("SCHEDULE.BAD_INPUT.EARLY")
@pytest.mark.parametrize("make", [
    lambda S: S.ExponentialDecay(0.1, 0, 0.5),
    lambda S: S.ExponentialDecay(0.1, -10, 0.5),
    lambda S: S.ExponentialDecay(0.1, 10, -0.5),
    lambda S: S.ExponentialDecay(math.nan, 10, 0.5),
    lambda S: S.InverseTimeDecay(0.1, 0, 0.5),
    lambda S: S.PolynomialDecay(0.1, 0),
    lambda S: S.PolynomialDecay(0.1, 10, power=-1.0),
    lambda S: S.CosineDecay(0.1, 0),
    lambda S: S.CosineDecay(0.1, 10, alpha=math.inf),
    lambda S: S.CosineDecayRestarts(0.1, 0),
    lambda S: S.CosineDecayRestarts(0.1, 10, t_mul=0.0),
    lambda S: S.PiecewiseConstantDecay([5, 2], [1.0, 0.5, 0.1]),
    lambda S: S.PiecewiseConstantDecay([], [1.0]),
    lambda S: S.PiecewiseConstantDecay([1], [1.0, math.nan]),
], ids=["exp-steps-0", "exp-steps-negative", "exp-rate-negative", "exp-lr-nan", "inv-steps-0",
        "poly-steps-0", "poly-power-negative", "cos-steps-0", "cos-alpha-inf", "sgdr-steps-0",
        "sgdr-t_mul-0", "piecewise-decreasing", "piecewise-empty", "piecewise-nan"])
def test_nonsense_hyper_parameters_are_rejected_when_the_schedule_is_made(backend, make):
    with pytest.raises(ValueError):
        make(backend.keras.optimizers.schedules)(1)


@clause("SCHEDULE.BAD_INPUT.EARLY")
@pytest.mark.parametrize("step", [-1, [1, 2], math.inf], ids=["negative", "vector", "inf"])
def test_a_step_must_be_a_finite_non_negative_scalar(backend, step):
    schedule = backend.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    with pytest.raises(ValueError, match="step"):
        schedule(step)
