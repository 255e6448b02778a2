"""The benchmark workloads, built only through a conformance adapter's ``keras``.

No spec clauses: this is the measuring harness of issue 9, owned by the benchmarks
(the engine under test owns nothing here). A workload receives ``adapter.keras``
(refkeras, tf_keras, a Keras 3 adapter or a student's engine: see
conformance/adapters/base.py) and sizes, and returns a :class:`Timed`: an untimed
``warm_up`` (tf_keras traces its step, refkeras's Numba kernels compile) and a
``run_round`` that does ``units`` units of work (fit steps or predict calls). The
worker (benchmarks/harness/worker.py) warms up once and times rounds on request; the
runner groups them into passes and :func:`summarize` keeps, per backend::

    per_unit = min(median(time(run_round) / units for each round of the pass)
                   for each pass)

>>> from conformance.adapters import load_adapter          # doctest: +SKIP
>>> timed = build(load_adapter("refkeras"), "mlp_fit", quick=True)   # doctest: +SKIP
>>> timed.warm_up(); timed.run_round()                     # doctest: +SKIP

Workloads:

* ``mlp_fit``: the guide's MLP (784 -> 64 relu -> 64 relu -> 10 softmax, RMSprop,
  SparseCategoricalCrossentropy, SparseCategoricalAccuracy), one epoch at batch 64,
  ``verbose=0``; unit = one step (epoch time / steps).
* ``mlp_predict``: ``predict`` on 50,000 samples at the default batch size; unit = one call.
* ``cnn_fit``: the seed 004 CNN (Conv2D 32 5x5 valid relu on 28x28x1, Conv2D 32 5x5 same
  relu, MaxPooling2D 2x2, Dropout 0.5, Flatten, Dense 10 softmax; the seed's compile:
  Adam, categorical crossentropy, accuracy), batch 64; unit = one step.
* ``mlp_fit_scaling``: ``mlp_fit`` with a given ``batch`` and hidden ``width`` (both
  hidden layers), on as many steps as fit a time budget (wide layers get fewer).

Data: random float32 from ``numpy.random.default_rng(0)``, labels 0..9.
"""
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

BATCH = 64
SCALING_SAMPLES = 40_000      # at most this many samples of data per scaling point

# Sizes of the full run and of the quick smoke mode (--quick: seconds in all). A pass
# is ``rounds`` rounds of one backend in a row; the runner alternates ``passes`` passes
# between the backends (see benchmarks/harness/runner.py).
SIZES = {
    "full": {"fit_samples": 50_000, "predict_samples": 50_000, "cnn_samples": 1_280,
             "rounds": 3, "passes": 5, "budget_s": 0.6},
    "quick": {"fit_samples": 320, "predict_samples": 500, "cnn_samples": 128,
              "rounds": 1, "passes": 1, "budget_s": 0.02},
}


@dataclass
class Timed:
    """One prepared workload: ``warm_up()`` untimed, then ``run_round()`` per round."""
    unit: str                       # "step" or "call"
    units: int                      # units of work in one round
    warm_up: Callable[[], None]
    run_round: Callable[[], None]
    params: dict


def random_data(samples, shape, classes=10, seed=0):
    """float32 features uniform in [0, 1) and int32 labels 0..classes-1."""
    rng = np.random.default_rng(seed)
    x = rng.random((samples, *shape), dtype=np.float32)
    y = rng.integers(0, classes, samples).astype(np.int32)
    return x, y


def warm_up_count(samples, batch):
    """A few full batches plus ``samples``'s own last partial batch: every shape the
    timed run meets (tf_keras retraces on a new batch shape) is met while warming up."""
    return min(samples, 3 * batch + samples % batch)


def guide_mlp(keras, width=64):
    """The guide's MLP, compiled as in the guide (``width`` = both hidden layers)."""
    inputs = keras.Input(shape=(784,), name="digits")
    x = keras.layers.Dense(width, activation="relu", name="dense_1")(inputs)
    x = keras.layers.Dense(width, activation="relu", name="dense_2")(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    return model


def seed004_cnn(keras):
    """The seed 004 Sequential CNN, compiled as the seed does (adam, categorical CE)."""
    layers = keras.layers
    model = keras.Sequential([
        layers.Conv2D(filters=32, kernel_size=(5, 5), padding="valid", activation="relu",
                      input_shape=(28, 28, 1)),
        layers.Conv2D(filters=32, kernel_size=(5, 5), padding="same", activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Dropout(0.5),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(),
                  loss=keras.losses.CategoricalCrossentropy(),
                  metrics=["accuracy"])
    return model


def fit_epoch(model, x, y, batch):
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)


def steps_of(samples, batch):
    return -(-samples // batch)


def mlp_fit(keras, size):
    samples = size["fit_samples"]
    x, y = random_data(samples, (784,))
    model = guide_mlp(keras)
    w = warm_up_count(samples, BATCH)
    return Timed("step", steps_of(samples, BATCH),
                 lambda: fit_epoch(model, x[:w], y[:w], BATCH),
                 lambda: fit_epoch(model, x, y, BATCH),
                 {"samples": samples, "batch": BATCH})


def mlp_predict(keras, size):
    samples = size["predict_samples"]
    x, _ = random_data(samples, (784,))
    model = guide_mlp(keras)
    w = warm_up_count(samples, 32)       # predict's default batch size is 32
    return Timed("call", 1,
                 lambda: model.predict(x[:w], verbose=0),
                 lambda: model.predict(x, verbose=0),
                 {"samples": samples, "batch": "default (32)"})


def cnn_fit(keras, size):
    samples = size["cnn_samples"]
    x, labels = random_data(samples, (28, 28, 1))
    y = np.eye(10, dtype=np.float32)[labels]          # one-hot for categorical CE
    model = seed004_cnn(keras)
    w = warm_up_count(samples, BATCH)
    return Timed("step", steps_of(samples, BATCH),
                 lambda: fit_epoch(model, x[:w], y[:w], BATCH),
                 lambda: fit_epoch(model, x, y, BATCH),
                 {"samples": samples, "batch": BATCH})


def calibrated_steps(run_steps, budget_s, low=3, high=200):
    """Steps that fill ``budget_s``, from one timed probe of ``low`` steps."""
    start = time.perf_counter()
    run_steps(low)
    per_step = (time.perf_counter() - start) / low
    return int(min(high, max(low, budget_s / per_step)))


def mlp_fit_scaling(keras, size, batch=BATCH, width=64):
    """Full batches only (no partial last batch), so every step has the same shape."""
    model = guide_mlp(keras, width)
    most = max(3, min(1000, SCALING_SAMPLES // batch))    # bounds the data's memory
    x, y = random_data(most * batch, (784,))

    def run_steps(steps):
        fit_epoch(model, x[:steps * batch], y[:steps * batch], batch)

    run_steps(1)                               # traces / compiles: untimed
    steps = calibrated_steps(run_steps, size["budget_s"], high=most)
    return Timed("step", steps, lambda: None, lambda: run_steps(steps),   # warmed above
                 {"batch": batch, "width": width, "steps": steps})


WORKLOADS = {
    "mlp_fit": mlp_fit,
    "mlp_predict": mlp_predict,
    "cnn_fit": cnn_fit,
    "mlp_fit_scaling": mlp_fit_scaling,
}

# What ``python -m benchmarks run`` measures when no --workload is given.
DEFAULT_WORKLOADS = ("mlp_fit", "mlp_predict", "cnn_fit")


def build(adapter, name, quick=False, **params):
    """Workload ``name`` built with ``adapter.keras`` at the full or quick sizes (not warm)."""
    if name not in WORKLOADS:
        raise ValueError(f"Unknown workload {name!r}: expected one of {sorted(WORKLOADS)}.")
    adapter.reset(0)
    return WORKLOADS[name](adapter.keras, SIZES["quick" if quick else "full"], **params)


def summarize(passes):
    """The kept time of a workload from its passes (each a list of seconds per unit).

    Interference on a shared machine only ever adds time, so the least disturbed pass
    is the best estimate (timeit's reasoning): the minimum over passes of each pass's
    median. Every round is kept, so the spread stays visible.

    >>> summarize([[3.0, 1.0, 2.0], [5.0, 4.0, 6.0]])["per_unit_s"]
    2.0
    """
    medians = [statistics.median(p) for p in passes]
    return {"per_unit_s": min(medians), "pass_medians_s": medians,
            "spread_s": [min(medians), max(medians)], "passes_s": passes,
            "rounds_s": [t for p in passes for t in p]}


__all__ = ["BATCH", "DEFAULT_WORKLOADS", "SIZES", "WORKLOADS", "Timed", "build", "guide_mlp",
           "random_data", "seed004_cnn", "summarize"]
