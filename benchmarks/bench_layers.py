"""Layer workloads of the seed guides, forward + gradient, refkeras beside tf_keras.

* a Dense stack: the guide's MNIST MLP (784 -> 64 relu -> 64 relu -> 10 softmax),
  batch 64;
* Conv2D: the seed's 32x32x3 image input, 32 filters 3x3, relu, batch 64;
* BatchNormalization in training mode on the Conv2D's output shape.

Each step runs ``model(x, training=True)`` under a GradientTape and takes the
gradient of the mean output with respect to every trainable weight. "tf" is
tf_keras run eagerly, as in a custom training loop; "tf_function" is the same step
inside ``tf.function`` (the compiled path ``fit`` uses; refkeras's own compiled
step comes with issue 9).
"""
import numpy as np
import pytest

from benchmarks.conftest import run_benchmark, tensorflow_or_skip

BATCH = 64
rng = np.random.default_rng(0)


def _keras(backend):
    if backend == "refkeras":
        import refkeras
        from refkeras.compat import tf
        return refkeras, tf
    tf = tensorflow_or_skip()
    import tf_keras
    return tf_keras, tf


def _mlp(keras):
    return keras.Sequential([keras.Input(shape=(784,)),
                             keras.layers.Dense(64, activation="relu"),
                             keras.layers.Dense(64, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")]), (BATCH, 784)


def _conv(keras):
    return keras.Sequential([keras.Input(shape=(32, 32, 3)),
                             keras.layers.Conv2D(32, 3, activation="relu")]), (BATCH, 32, 32, 3)


def _batch_norm(keras):
    return keras.Sequential([keras.Input(shape=(30, 30, 32)),
                             keras.layers.BatchNormalization()]), (BATCH, 30, 30, 32)


def _step(backend, make_model):
    keras, tf = _keras("refkeras" if backend == "refkeras" else "tf")
    model, shape = make_model(keras)
    x = tf.constant(rng.standard_normal(shape).astype(np.float32))

    def run():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(x, training=True))
        return tape.gradient(loss, model.trainable_weights)
    return tf.function(run) if backend == "tf_function" else run


BACKENDS = ["refkeras", "tf", "tf_function"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dense_stack(benchmark, backend):
    run_benchmark(benchmark, "mlp 784-64-64-10 b64", lambda: _step(backend, _mlp))


@pytest.mark.parametrize("backend", BACKENDS)
def test_conv2d(benchmark, backend):
    run_benchmark(benchmark, "conv2d 32x32x3->32 b64", lambda: _step(backend, _conv))


@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_normalization(benchmark, backend):
    run_benchmark(benchmark, "batchnorm 30x30x32 b64", lambda: _step(backend, _batch_norm))
