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


TOL = {np.float32: {"rtol": 2e-6, "atol": 1e-6}, np.float64: {"rtol": 1e-13, "atol": 1e-13}}


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
@pytest.mark.parametrize("name", ["softmax_grad", "softmax", "log_softmax"])
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
    np.testing.assert_allclose(fast_ops.softmax(x, 0), reference.softmax(x, 0), rtol=2e-6)
    big = np.linspace(-5, 5, 2 * fast_ops._SMALL_SOFTMAX, dtype=np.float32).reshape(2, -1)
    np.testing.assert_allclose(fast_ops.log_softmax(big), reference.log_softmax(big), rtol=2e-6)
    empty = np.zeros((0, 3), np.float32)
    assert fast_ops.softmax(empty).shape == (0, 3)
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
             + "f.sigmoid(x); f.softmax_grad(x, x, -1); f.softmax(x); f.log_softmax(x);"
             # the window and normalization kernels, once each
             "im = np.ones((1, 4, 4, 2), np.float32); w = np.ones((2, 2, 2, 3), np.float32);"
             "g = (1, 1); p = (0, 1, 0, 1); y = f.conv2d(im, w, g, p, g);"
             "f.conv2d_backprop_input(im.shape, w, y, g, p, g);"
             "f.conv2d_backprop_filter(im, w.shape, y, g, p, g);"
             "k = (2, 2); m = f.max_pool(im, k, g, p); f.max_pool_grad(im, m, k, g, p);"
             "f.max_pool_grad_grad(im, im, k, g, p); a = f.avg_pool(im, k, g, p);"
             "f.avg_pool_grad(im.shape, a, k, g, p); c = np.ones(3, np.float32);"
             "f.batch_norm_training(x, c, c, 1e-3); f.batch_norm_training_grad(x, x, c, c, c, 1e-3);"
             "f.layer_norm(x, c, c, 1e-3); f.layer_norm_grad(x, x, c, 1e-3);"
             # every compiled (function, signature) pair is one cache entry
             "print('compiled', sum(len(v.signatures) for v in vars(f).values()"
             " if hasattr(v, 'signatures')))")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), NUMBA_DEBUG_CACHE="1")
    runs = [subprocess.run([sys.executable, "-c", calls], env=env, capture_output=True,
                           text=True, check=True).stdout for _ in range(2)]
    compiled = int(runs[0].rsplit("compiled", 1)[1])
    assert compiled >= len(fast_ops.FUSED) - 5   # some kernels share a compiled loop
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


# -- sliding windows and normalization ---------------------------------------------------

@st.composite
def _window_args(draw, dtype):
    """An NHWC image, a kernel size, strides, dilations and (top, bottom, left, right) pads."""
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilations = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    pads = tuple(draw(st.integers(0, 2)) for _ in range(4))
    hw = tuple(draw(st.integers(max(1, (ki - 1) * d + 1 - p0 - p1), 6))
               for ki, d, p0, p1 in zip(k, dilations, pads[0::2], pads[1::2]))
    x = draw(_arrays(dtype, (draw(st.integers(0, 2)),) + hw + (draw(st.integers(1, 3)),), -3, 3))
    return x, k, strides, dilations, pads


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(data=st.data())
def test_fused_convolution_kernels_match_reference(dtype, data):
    x, k, strides, dilations, pads = data.draw(_window_args(dtype))
    w = data.draw(_arrays(dtype, k + (x.shape[3], data.draw(st.integers(1, 3))), -3, 3))
    y = reference.conv2d(x, w, strides, pads, dilations)
    np.testing.assert_allclose(fast_ops.conv2d(x, w, strides, pads, dilations), y, **TOL[dtype])
    dy = data.draw(_arrays(dtype, y.shape, -3, 3))
    for name, args in (("conv2d_backprop_input", (x.shape, w, dy)),
                       ("conv2d_backprop_filter", (x, w.shape, dy))):
        fused = getattr(fast_ops, name)(*args, strides, pads, dilations)
        ref = getattr(reference, name)(*args, strides, pads, dilations)
        assert fused.dtype == ref.dtype == dtype and fused.shape == ref.shape
        np.testing.assert_allclose(fused, ref, rtol=TOL[dtype]["rtol"], atol=50 * TOL[dtype]["atol"],
                                   err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(data=st.data())
def test_fused_pooling_kernels_match_reference(dtype, data):
    x, k, strides, _, pads = data.draw(_window_args(dtype))
    pads = tuple(min(p, kk - 1) for p, kk in zip(pads, (k[0], k[0], k[1], k[1])))  # a window
    if any(s + p0 + p1 < kk for s, kk, p0, p1 in zip(x.shape[1:3], k, pads[0::2], pads[1::2])):
        x = np.zeros((x.shape[0], max(x.shape[1], k[0]), max(x.shape[2], k[1]), x.shape[3]), dtype)
    x = x + np.arange(x.size, dtype=dtype).reshape(x.shape) % 3   # ties, to check the routing
    y = reference.max_pool(x, k, strides, pads)
    dy = data.draw(_arrays(dtype, y.shape, -3, 3))
    checks = {
        "max_pool": (x, k, strides, pads),
        "max_pool_grad": (x, dy, k, strides, pads),
        "max_pool_grad_grad": (x, x * 2, k, strides, pads),
        "avg_pool": (x, k, strides, pads),
        "avg_pool_grad": (x.shape, dy, k, strides, pads),
    }
    for name, args in checks.items():
        fused, ref = getattr(fast_ops, name)(*args), getattr(reference, name)(*args)
        assert fused.dtype == ref.dtype == dtype and fused.shape == ref.shape, name
        np.testing.assert_allclose(fused, ref, **TOL[dtype], err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(data=st.data())
def test_fused_normalization_kernels_match_reference(dtype, data):
    rows, cols = data.draw(st.integers(2, 30)), data.draw(st.integers(1, 6))
    x = data.draw(_arrays(dtype, (rows, cols), -3, 3)) + np.arange(rows * cols, dtype=dtype).reshape(
        rows, cols) * dtype(0.01)   # no constant column or row
    dy = data.draw(_arrays(dtype, (rows, cols), -3, 3))
    vectors = [data.draw(_arrays(dtype, (cols,), -3, 3)) for _ in range(4)]
    tol = {np.float32: {"rtol": 1e-4, "atol": 1e-4}, np.float64: {"rtol": 1e-10, "atol": 1e-10}}[dtype]
    checks = {
        "batch_norm_training": (x, vectors[0], vectors[1], 1e-3),
        "batch_norm_training_grad": (dy, x, vectors[0], vectors[2], vectors[3], 1e-3),
        "layer_norm": (x, vectors[0], vectors[1], 1e-3),
        "layer_norm_grad": (dy, x, vectors[0], 1e-3),
    }
    for name, args in checks.items():
        fused, ref = getattr(fast_ops, name)(*args), getattr(reference, name)(*args)
        # The values are checked against the reference run in float64: in float32 the
        # reference itself rounds (x - mean) * inv, and a row of near-equal values
        # (inv ~ 30) turns that rounding into errors of 1e-4 where the truth is 0.
        exact = getattr(reference, name)(*(np.asarray(a, np.float64) if isinstance(a, np.ndarray)
                                            else a for a in args))
        pairs = zip(*((fused, ref, exact) if isinstance(ref, tuple) else ((fused,), (ref,), (exact,))))
        for f, r, e in pairs:
            assert f.dtype == r.dtype == dtype and f.shape == r.shape, name
            np.testing.assert_allclose(f, e.astype(dtype), **tol, err_msg=name)


def test_max_pool_gradient_goes_to_the_first_maximum_of_each_window():
    """Measured on TensorFlow: ties route to the first maximum in row-major window order."""
    x = np.array([[0, 1, 1], [1, 1, 0], [0, 0, 0]], np.float32).reshape(1, 3, 3, 1)
    dy = np.ones((1, 3, 3, 1), np.float32)
    expected = [[0, 2, 1], [1, 1, 1], [1, 1, 1]]   # tf.nn.max_pool2d(x, 2, 1, "SAME")'s gradient
    for kernels in (fast_ops, reference):
        dx = kernels.max_pool_grad(x, dy, (2, 2), (1, 1), (0, 1, 0, 1))
        np.testing.assert_array_equal(dx[0, :, :, 0], expected)
