"""Why the fused kernels: the kernel refkeras runs beside its numpy reference.

``refkeras`` is the kernel table refkeras uses (fused Numba where it won,
``refkeras/kernels/fast_ops.py`` says which and why), ``reference`` the plain numpy
definition, ``tf`` TensorFlow's own kernel for the same op, for scale.
(64, 512) float32 batches.
"""
import numpy as np
import pytest

import refkeras.kernels as active
from benchmarks.conftest import run_benchmark, tensorflow_or_skip
from refkeras.kernels import reference

rng = np.random.default_rng(0)
X = rng.standard_normal((64, 512)).astype(np.float32)
DY = rng.standard_normal((64, 512)).astype(np.float32)

KERNELS = {
    "softmax": (lambda k: k.softmax(X, -1), lambda tf, x, dy: tf.nn.softmax(x)),
    "sigmoid": (lambda k: k.sigmoid(X), lambda tf, x, dy: tf.sigmoid(x)),
    "relu_grad": (lambda k: k.relu_grad(X, DY),
                  lambda tf, x, dy: tf.raw_ops.ReluGrad(gradients=dy, features=x)),
    "softmax_grad": (lambda k: k.softmax_grad(X, DY, -1), None),
}


CASES = [(k, b) for k in sorted(KERNELS) for b in ("reference", "refkeras", "tf")
         if b != "tf" or KERNELS[k][1] is not None]   # softmax_grad has no single TF op


@pytest.mark.parametrize("kernel, backend", CASES)
def test_kernel(benchmark, kernel, backend):
    ours, theirs = KERNELS[kernel]
    run_benchmark(benchmark, f"kernel {kernel} 64x512", lambda: _step(ours, theirs, backend))


def _step(ours, theirs, backend):
    if backend == "tf":
        tf = tensorflow_or_skip()
        x, dy = tf.constant(X), tf.constant(DY)
        return lambda: theirs(tf, x, dy)
    module = active if backend == "refkeras" else reference
    return lambda: ours(module)
