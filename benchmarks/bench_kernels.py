"""Why the fused kernels: each Numba kernel beside its numpy reference.

Softmax and the activation gradients on a (64, 512) float32 batch: numpy needs
several passes and temporaries, the fused loop one pass. The ``tf`` column is
TensorFlow's own kernel for the same op, for scale.
"""
import numpy as np
import pytest

from benchmarks.conftest import tensorflow_or_skip
from refkeras.kernels import fast_ops, reference

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


CASES = [(k, b) for k in sorted(KERNELS) for b in ("reference", "numba", "tf")
         if b != "tf" or KERNELS[k][1] is not None]   # softmax_grad has no single TF op


@pytest.mark.parametrize("kernel, backend", CASES)
def test_kernel(benchmark, kernel, backend):
    benchmark.group = f"kernel {kernel} 64x512"
    ours, theirs = KERNELS[kernel]
    if backend == "tf":
        tf = tensorflow_or_skip()
        x, dy = tf.constant(X), tf.constant(DY)
        benchmark(lambda: theirs(tf, x, dy))
    else:
        module = fast_ops if backend == "numba" else reference
        ours(module)
        benchmark(lambda: ours(module))
