"""Tape overhead per recorded op: 100 scalar multiply-adds under a GradientTape,
then the gradient. numpy (no tape, just the arithmetic) is the floor."""
import numpy as np
import pytest

from benchmarks.conftest import refkeras_tf, run_benchmark, tensorflow_or_skip

N_OPS = 100


def _numpy():
    x = np.float32(1.0001)
    def run():
        y = x
        for _ in range(N_OPS // 2):
            y = y * x + x
        return y
    return run


def _tape(tf):
    """The workload through a tf namespace (refkeras's compat.tf or TensorFlow)."""
    x = tf.constant(1.0001)
    def run():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in range(N_OPS // 2):
                y = y * x + x
        return tape.gradient(y, x)
    return run


BUILD = {
    "numpy": _numpy,
    "refkeras": lambda: _tape(refkeras_tf()),
    "tf": lambda: _tape(tensorflow_or_skip()),
}


@pytest.mark.parametrize("backend", ["numpy", "refkeras", "tf"])
def test_tape_overhead_100_ops(benchmark, backend):
    run_benchmark(benchmark, "tape: 100 ops + gradient", BUILD[backend])
