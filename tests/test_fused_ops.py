"""fused_matmul gives bit-identical values and gradients to MatMul + AddV2 (+ Relu),
and Dense uses it for 2-D inputs with a bias."""
import numpy as np
import pytest

import refkeras as keras
from refkeras import GradientTape, ops
from refkeras.framework.errors import InvalidArgumentError


def _both(x, w, b, activation):
    xs, ws, bs = (ops.constant(v) for v in (x, w, b))
    results = []
    for fused in (True, False):
        with GradientTape() as tape:
            tape.watch([xs, ws, bs])
            if fused:
                y = ops.fused_matmul(xs, ws, bs, activation)
            else:
                y = ops.matmul(xs, ws) + bs
                y = ops.nn.relu(y) if activation == "relu" else y
            loss = ops.reduce_sum(y * y)
        results.append([y.numpy()] + [g.numpy() for g in tape.gradient(loss, [xs, ws, bs])])
    return results


@pytest.mark.parametrize("activation", [None, "relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_matmul_is_bit_identical_to_the_ops_it_fuses(activation, dtype):
    rng = np.random.default_rng(0)
    x, w, b = (rng.normal(size=s).astype(dtype) for s in ((64, 33), (33, 17), (17,)))
    fused, plain = _both(x, w, b, activation)
    for f, p in zip(fused, plain):
        assert f.dtype == p.dtype and np.array_equal(f, p)


def test_dense_records_one_fused_op_for_matmul_bias_and_relu():
    layer = keras.layers.Dense(3, activation="relu")
    x = ops.ones((2, 4))
    layer(x)
    with GradientTape() as tape:
        layer(x)
    assert [r.op for r in tape._records] == ["ReadVariableOp", "ReadVariableOp", "FusedMatMul"]


def test_fused_matmul_checks_its_operands():
    with pytest.raises(ValueError, match="fuses activation None or 'relu'"):
        ops.fused_matmul(ops.ones((2, 3)), ops.ones((3, 2)), ops.ones((2,)), "tanh")
    with pytest.raises(InvalidArgumentError, match="needs x"):
        ops.fused_matmul(ops.ones((2, 3)), ops.ones((4, 2)), ops.ones((2,)))
