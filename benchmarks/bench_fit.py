"""The training loop on the guide's MNIST MLP, refkeras beside tf_keras.

The model is the guide's first end-to-end example: 784 -> 64 relu -> 64 relu -> 10
softmax, compiled with RMSprop, sparse categorical crossentropy and sparse categorical
accuracy. The data is MNIST-shaped: 50,000 random samples of 784 float32 features with
labels 0..9 (the guide's training set after its 10,000-sample validation split).

* fit: one epoch at batch 64, ``verbose=0``: 782 steps, so a step takes the median / 782;
* predict: 50,000 samples at predict's default batch size (32), ``verbose=0``:
  the throughput is 50,000 / the median.

"tf" is tf_keras's own ``fit``/``predict`` (compiled with ``tf.function``, its default);
"tf_eager" is the same with ``run_eagerly=True`` (every op dispatched from Python, as
refkeras does today; its traced, fused step is issue 9). Each backend is warmed up with
one untimed call, so tf_keras's tracing is not counted. A model keeps training from
round to round: the speed of a step does not depend on the weights.
"""
import numpy as np
import pytest

from benchmarks.conftest import tensorflow_or_skip

SAMPLES = 50_000
WARM_UP = 2_000
BATCH = 64
ROUNDS = 3
BACKENDS = ["refkeras", "tf", "tf_eager"]

rng = np.random.default_rng(0)
X = rng.random((SAMPLES, 784), dtype=np.float32)
Y = rng.integers(0, 10, SAMPLES).astype(np.float32)


def _keras(backend):
    if backend == "refkeras":
        import refkeras
        return refkeras
    tensorflow_or_skip()
    import tf_keras
    return tf_keras


def _guide_model(backend):
    keras = _keras(backend)
    inputs = keras.Input(shape=(784,), name="digits")
    x = keras.layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = keras.layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()],
                  run_eagerly=True if backend == "tf_eager" else None)
    return model


def _time(benchmark, group, run):
    """Warm up on the first 2,000 samples, then time ``ROUNDS`` calls on all 50,000.

    The warm-up compiles what each backend compiles once (tf_keras traces its step,
    refkeras's Numba kernels compile); 2,000 ends on a partial batch (at 64 and at 32)
    as 50,000 does, so no shape is met for the first time while the clock runs.
    """
    benchmark.group = group
    run(WARM_UP)
    # smoke mode (--benchmark-disable) only checks that the workload runs: the short slice
    samples = WARM_UP if benchmark.disabled else SAMPLES
    benchmark.pedantic(run, args=(samples,), rounds=ROUNDS, iterations=1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_fit_one_epoch(benchmark, backend):
    model = _guide_model(backend)
    _time(benchmark, f"fit 784-64-64-10 b{BATCH}, 782 steps",
          lambda n: model.fit(X[:n], Y[:n], batch_size=BATCH, epochs=1, verbose=0))


@pytest.mark.parametrize("backend", BACKENDS)
def test_predict_50k(benchmark, backend):
    model = _guide_model(backend)
    _time(benchmark, "predict 784-64-64-10, 50k samples",
          lambda n: model.predict(X[:n], verbose=0))
