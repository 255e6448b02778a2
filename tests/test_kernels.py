"""The fused Numba kernels compute what the reference numpy kernels compute."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from refkeras.kernels import fast_ops, reference


def _arrays(dtype, shape=None, low=-30.0, high=30.0):
    shape = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5) if shape is None else shape
    width = np.dtype(dtype).itemsize * 8
    return hnp.arrays(dtype, shape, elements=st.floats(low, high, width=width, allow_subnormal=False))


TOL = {np.float32: dict(rtol=2e-6, atol=1e-6), np.float64: dict(rtol=1e-13, atol=1e-13)}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["sigmoid"])
@given(data=st.data())
def test_fused_unary_kernels_match_reference(name, dtype, data):
    x = data.draw(_arrays(dtype))
    fused, ref = getattr(fast_ops, name)(x), getattr(reference, name)(x)
    assert fused.dtype == ref.dtype == dtype and fused.shape == ref.shape == x.shape
    np.testing.assert_allclose(fused, ref, **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["relu_grad", "sigmoid_grad", "tanh_grad"])
@given(data=st.data())
def test_fused_gradient_kernels_match_reference(name, dtype, data):
    a = data.draw(_arrays(dtype))
    dy = data.draw(_arrays(dtype, a.shape))
    fused, ref = getattr(fast_ops, name)(a, dy), getattr(reference, name)(a, dy)
    assert fused.dtype == dtype and fused.shape == a.shape
    np.testing.assert_allclose(fused, ref, **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["softmax_grad"])
@given(data=st.data())
def test_fused_softmax_kernels_match_reference_along_any_axis(name, dtype, data):
    shape = hnp.array_shapes(min_dims=1, max_dims=3, max_side=5)
    if name == "softmax_grad":   # y is a softmax output (in [0, 1]), dy a moderate gradient
        x = data.draw(_arrays(dtype, shape, 0.0, 1.0))
        args = (x, data.draw(_arrays(dtype, x.shape, -3.0, 3.0)))
    else:
        x = data.draw(_arrays(dtype, shape))
        args = (x,)
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    fused, ref = getattr(fast_ops, name)(*args, axis), getattr(reference, name)(*args, axis)
    assert fused.shape == x.shape
    np.testing.assert_allclose(fused, ref, **TOL[dtype])


def test_fused_kernels_handle_non_contiguous_and_empty_inputs():
    x = np.arange(12, dtype=np.float32).reshape(3, 4).T   # a transposed view
    np.testing.assert_allclose(fast_ops.sigmoid(x), reference.sigmoid(x), rtol=2e-6)
    np.testing.assert_allclose(fast_ops.softmax_grad(x, x, 0), reference.softmax_grad(x, x, 0),
                               rtol=2e-6)
    empty = np.zeros((0, 3), np.float32)
    assert fast_ops.softmax_grad(empty, empty, -1).shape == (0, 3)
    assert fast_ops.sigmoid(empty).shape == (0, 3)


def test_sigmoid_does_not_overflow():
    x = np.array([-1000.0, 1000.0], np.float32)
    np.testing.assert_array_equal(fast_ops.sigmoid(x), [0.0, 1.0])
    np.testing.assert_array_equal(reference.sigmoid(x), [0.0, 1.0])


def test_a_second_process_loads_compiled_kernels_from_the_cache(tmp_path):
    import os
    import subprocess
    import sys
    calls = ("import numpy as np; from refkeras.kernels import fast_ops as f;"
             "x = np.ones((2, 3), np.float32);"
             + "".join(f"f.{name}(x, x);" for name in ("relu_grad", "sigmoid_grad", "tanh_grad"))
             + "f.sigmoid(x); f.softmax_grad(x, x, -1)")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), NUMBA_DEBUG_CACHE="1")
    runs = [subprocess.run([sys.executable, "-c", calls], env=env, capture_output=True,
                           text=True, check=True).stdout for _ in range(2)]
    compiled = len(fast_ops.FUSED)
    assert runs[0].count("data saved") == compiled
    assert runs[1].count("data loaded") == compiled and "data saved" not in runs[1]


def test_reference_switch_runs_every_kernel_in_numpy(tmp_path):
    import subprocess
    import sys
    code = ("import refkeras.kernels as k, refkeras.kernels.reference as r;"
            "assert k.implementation == 'reference';"
            "assert k.softmax_grad is r.softmax_grad and k.sigmoid is r.sigmoid;"
            "import sys; assert 'numba' not in sys.modules")
    env = {"REFKERAS_KERNELS": "reference", "PATH": "/usr/bin:/bin"}
    import os
    env.update({k: v for k, v in os.environ.items() if k.startswith(("PYTHON", "HOME"))})
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
