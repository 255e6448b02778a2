"""A Dense-sized step: relu(x @ W + b) -> mean, forward and gradient w.r.t. W and b.

x is (64, 784), W (784, 64): the first layer of the guide's MNIST MLP at batch 64.
numpy is the hand-written forward and backward (the floor an engine can reach
without fusing); refkeras and TensorFlow go through their GradientTape.
"""
import numpy as np
import pytest

from benchmarks.conftest import refkeras_tf, run_benchmark, tensorflow_or_skip

rng = np.random.default_rng(0)
X = rng.standard_normal((64, 784)).astype(np.float32)
W = (rng.standard_normal((784, 64)) * 0.05).astype(np.float32)
B = np.zeros(64, np.float32)


def _numpy():
    def run():
        h = X @ W + B
        y = np.maximum(h, 0)
        loss = y.mean()
        dy = np.full_like(y, 1.0 / y.size)
        dh = np.where(h > 0, dy, 0)
        return loss, X.T @ dh, dh.sum(0)
    return run


def _dense(tf):
    """The workload through a tf namespace (refkeras's compat.tf or TensorFlow)."""
    w, b, x = tf.Variable(W), tf.Variable(B), tf.constant(X)
    def run():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.relu(tf.matmul(x, w) + b))
        return tape.gradient(loss, [w, b])
    return run


BUILD = {
    "numpy": _numpy,
    "refkeras": lambda: _dense(refkeras_tf()),
    "tf": lambda: _dense(tensorflow_or_skip()),
}


@pytest.mark.parametrize("backend", ["numpy", "refkeras", "tf"])
def test_dense_forward_and_gradient(benchmark, backend):
    run_benchmark(benchmark, "dense 64x784x64 fwd+grad", BUILD[backend])


def test_refkeras_dense_gradient_matches_numpy():
    """Not a timing: the three implementations above compute the same gradient."""
    _loss, dw, db = _numpy()()
    gw, gb = _dense(refkeras_tf())()
    np.testing.assert_allclose(np.asarray(gw), dw, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(np.asarray(gb), db, rtol=1e-5, atol=1e-7)
