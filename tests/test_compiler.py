"""The compiled path gives the eager path's numbers (COMPILE.TRACED_STEP).

Every test trains or runs the same thing twice from the same seed: once with
``run_eagerly=True`` (each op dispatched from Python, the reference) and once replaying
traced plans, and asserts the results are *identical* (weights bit for bit, logs
equal), and that plans really were replayed (so no test passes by silently staying
eager).
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import refkeras as keras
from refkeras.compat import tf
from refkeras.compiler import TracedFunction

ACTIVATIONS = [None, "relu", "sigmoid", "tanh", "softmax", "elu", "softplus"]


def _train(spec, eager, x, y, epochs=2, callbacks=None):
    keras.backend.clear_session()      # the same layer and metric names in both runs
    keras.utils.set_random_seed(spec["seed"])
    model = _model(spec)
    metrics = [m() if isinstance(m, type) else m for m in spec["metrics"]]  # fresh per run
    model.compile(optimizer=_optimizer(spec["optimizer"]), loss=spec["loss"],
                  metrics=metrics, run_eagerly=eager)
    history = model.fit(x, y, batch_size=spec["batch"], epochs=epochs, verbose=0,
                        shuffle=spec["shuffle"], callbacks=callbacks)
    return model, history


def _model(spec):
    layers = [keras.Input(shape=(spec["features"],))]
    for units, activation, dropout in spec["hidden"]:
        layers.append(keras.layers.Dense(units, activation=activation))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    if spec["batch_norm"]:
        layers.append(keras.layers.BatchNormalization())
    layers.append(keras.layers.Dense(spec["classes"], activation=spec["head"]))
    return keras.Sequential(layers)


def _optimizer(name):
    return {"sgd": lambda: keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
            "rmsprop": lambda: keras.optimizers.RMSprop(0.01),
            "adam": lambda: keras.optimizers.Adam(0.01, amsgrad=True),
            "adagrad": lambda: keras.optimizers.Adagrad(0.1)}[name]()


LOSSES = {
    "sparse_categorical_crossentropy": ("softmax", ["accuracy"]),
    "categorical_crossentropy": ("softmax", ["accuracy", keras.metrics.CategoricalCrossentropy]),
    "mse": (None, ["mae"]),
    "binary_crossentropy": ("sigmoid", ["accuracy"]),
}


@st.composite
def specs(draw):
    loss = draw(st.sampled_from(sorted(LOSSES)))
    head, metrics = LOSSES[loss]
    return {
        "seed": draw(st.integers(0, 1000)),
        "features": draw(st.integers(1, 6)),
        "classes": draw(st.integers(2, 4)),
        "hidden": draw(st.lists(st.tuples(st.integers(1, 8), st.sampled_from(ACTIVATIONS),
                                          st.sampled_from([0.0, 0.3])), max_size=2)),
        "batch_norm": draw(st.booleans()),
        "head": head,
        "loss": loss,
        "metrics": metrics,
        "optimizer": draw(st.sampled_from(["sgd", "rmsprop", "adam", "adagrad"])),
        "batch": draw(st.sampled_from([4, 7, 16])),
        "shuffle": draw(st.booleans()),
        "samples": draw(st.integers(12, 30)),
    }


def _data(spec):
    rng = np.random.default_rng(spec["seed"])
    x = rng.normal(size=(spec["samples"], spec["features"])).astype(np.float32)
    labels = rng.integers(0, spec["classes"], spec["samples"])
    if spec["loss"] == "sparse_categorical_crossentropy":
        y = labels.astype(np.float32)
    elif spec["loss"] == "binary_crossentropy":
        y = (rng.random((spec["samples"], spec["classes"])) > 0.5).astype(np.float32)
    elif spec["loss"] == "mse":
        y = rng.normal(size=(spec["samples"], spec["classes"])).astype(np.float32)
    else:
        y = np.eye(spec["classes"], dtype=np.float32)[labels]
    return x, y


def _assert_same_training(eager, traced):
    (m1, h1), (m2, h2) = eager, traced
    assert h1.history == h2.history
    for a, b in zip(m1.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(m1.optimizer.variables, m2.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def _replayed(model, kind="train"):
    traced = model.__dict__["_traced_steps"][kind]
    assert not traced.eager_reasons, traced.eager_reasons
    return traced.replays


@settings(max_examples=60, deadline=None)
@given(specs())
def test_fit_replays_give_the_eager_numbers(spec):
    x, y = _data(spec)
    eager = _train(spec, True, x, y, epochs=3)
    traced = _train(spec, False, x, y, epochs=3)
    _assert_same_training(eager, traced)
    assert _replayed(traced[0]) > 0
    np.testing.assert_array_equal(eager[0].predict(x, verbose=0), traced[0].predict(x, verbose=0))
    assert eager[0].evaluate(x, y, verbose=0) == traced[0].evaluate(x, y, verbose=0)


def _mlp_spec(**changes):
    spec = {"seed": 3, "features": 5, "classes": 3, "hidden": [(8, "relu", 0.0)],
            "batch_norm": False, "head": "softmax", "loss": "sparse_categorical_crossentropy",
            "metrics": ["accuracy"], "optimizer": "rmsprop", "batch": 4, "shuffle": True,
            "samples": 24}
    spec.update(changes)
    return spec


def test_learning_rate_changed_by_a_callback_is_read_at_every_replay():
    spec = _mlp_spec()
    x, y = _data(spec)

    def schedule(epoch, lr):
        return lr * 0.5
    runs = [_train(spec, eager, x, y, epochs=4,
                   callbacks=[keras.callbacks.LearningRateScheduler(schedule)])
            for eager in (True, False)]
    _assert_same_training(*runs)
    np.testing.assert_allclose(runs[1][1].history["lr"], [0.005, 0.0025, 0.00125, 0.000625])


def test_weights_set_between_fits_are_read_by_the_plan():
    spec = _mlp_spec()
    x, y = _data(spec)
    runs = []
    for eager in (True, False):
        model, _ = _train(spec, eager, x, y)
        model.set_weights([np.full_like(w, 0.1) for w in model.get_weights()])
        runs.append((model, model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)))
    _assert_same_training(*runs)


def test_a_bad_label_in_a_replayed_step_raises_as_eagerly():
    spec = _mlp_spec(shuffle=False)
    x, y = _data(spec)
    model, _ = _train(spec, False, x, y)
    assert _replayed(model) > 0
    y_bad = y.copy()
    y_bad[-1] = 7            # the last batch: long after the plan is trusted
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(tf.errors.InvalidArgumentError, match="label value of 7"):
        model.fit(x, y_bad, batch_size=4, epochs=1, verbose=0, shuffle=False)
    assert _replayed(model) > 0
    # the batches before it trained, as eagerly: only the failing step changed nothing
    assert any((a != b).any() for a, b in zip(before, model.get_weights()))


def test_a_step_that_reads_the_data_in_python_stays_eager():
    """A Python float computed from the batch would be frozen into a plan; the second
    trace sees it change, and the signature stays eager (with the reason)."""
    def scaled_sum(x):
        return keras.ops.reduce_sum(x) * float(np.asarray(x).max())
    traced = TracedFunction(scaled_sum)
    rng = np.random.default_rng(0)
    batches = [rng.random(3).astype(np.float32) for _ in range(4)]
    results = [float(traced(b)) for b in batches]
    assert results == [float(scaled_sum(b)) for b in batches]
    assert traced.replays == 0
    (reason,) = traced.eager_reasons.values()
    assert "changed from" in reason


def test_refkeras_function_runs_the_seed_style_step_like_eager():
    def run(decorate):
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                                  keras.layers.Dense(2)])
        optimizer = keras.optimizers.SGD(0.1)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        metric = keras.metrics.SparseCategoricalAccuracy()

        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = model(x, training=True)
                loss = loss_fn(y, logits)
            grads = tape.gradient(loss, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            metric.update_state(y, logits)
            return loss
        step = tf.function(train_step) if decorate else train_step
        rng = np.random.default_rng(0)
        losses = [float(step(rng.random((5, 3)).astype(np.float32),
                             rng.integers(0, 2, 5))) for _ in range(6)]
        return losses, model.get_weights(), float(metric.result()), step
    eager, traced = run(False), run(True)
    assert eager[0] == traced[0] and eager[2] == traced[2]
    for a, b in zip(eager[1], traced[1]):
        np.testing.assert_array_equal(a, b)
    assert traced[3].replays == 4


def test_run_eagerly_never_traces():
    spec = _mlp_spec()
    x, y = _data(spec)
    model, _ = _train(spec, True, x, y)
    assert "train" not in model.__dict__["_traced_steps"]


def test_a_python_branch_on_a_computed_value_is_never_replayed():
    """Both traces take the same branch (the first two batches are positive), so comparing
    traces alone would trust a plan that is wrong for the negative batch after them: a
    value the step computed and handed to Python makes the signature eager at once."""
    def relu_of_sum(x):
        total = keras.ops.reduce_sum(x)
        return total if total > 0 else total * 0.0
    traced = TracedFunction(relu_of_sum)
    batches = [np.full(2, v, np.float32) for v in (1.0, 2.0, -3.0, 4.0)]
    assert [float(traced(b)) for b in batches] == [2.0, 4.0, 0.0, 8.0]
    assert traced.replays == 0
    (reason,) = traced.eager_reasons.values()
    assert "hands values it computed to Python" in reason and "Greater" in reason
