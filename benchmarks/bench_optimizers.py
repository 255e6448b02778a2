"""One optimizer step on 1M parameters, refkeras beside tf_keras.

Each workload is ``apply_gradients`` of one (1000, 1000) float32 gradient to one
(1000, 1000) variable, with every optimizer at its defaults (SGD with momentum 0.9),
after one untimed step that builds the slots. refkeras runs its fused Numba kernel
(``refkeras/kernels/fast_ops.py``; ``REFKERAS_KERNELS=reference`` times the numpy
reference instead); "tf" is tf_keras eager, "tf_function" the same call inside
``tf.function``.
"""
import numpy as np
import pytest

from benchmarks.conftest import run_benchmark, tensorflow_or_skip

SHAPE = (1000, 1000)
OPTIMIZERS = {"SGD": {"momentum": 0.9}, "RMSprop": {}, "Adam": {}, "AdamW": {}, "Adagrad": {},
              "Adadelta": {}, "Adamax": {}, "Nadam": {}, "Ftrl": {}}
BACKENDS = ["refkeras", "tf", "tf_function"]


def _step(backend, name):
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(SHAPE).astype(np.float32)
    g0 = (rng.standard_normal(SHAPE) * 0.01).astype(np.float32)
    if backend == "refkeras":
        import refkeras as keras
        from refkeras.compat import tf
    else:
        tf = tensorflow_or_skip()
        import tf_keras as keras
    w, g = tf.Variable(w0, name="w"), tf.constant(g0)
    opt = getattr(keras.optimizers, name)(**OPTIMIZERS[name])

    def run():
        opt.apply_gradients([(g, w)])
    return tf.function(run) if backend == "tf_function" else run


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_one_step_on_a_million_parameters(benchmark, backend, name):
    run_benchmark(benchmark, f"{name} step 1000x1000", lambda: _step(backend, name))
