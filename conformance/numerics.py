"""The tolerance policy: how close a backend's numbers must be to an oracle.

float32 results are compared with a tolerance of a few float32 ulps scaled by the
magnitude (``rtol``) plus a floor for values near zero (``atol``); float64 results
tighter. Gradients compared with an analytic float64 oracle get a looser rtol,
because the backend computes them in float32 through several ops. Nothing is ever
compared with a tolerance that would hide a wrong formula (no ``atol=1``).
"""
import numpy as np

TOLERANCE = {
    ("float32", "value"): {"rtol": 1e-5, "atol": 2e-5},
    ("float32", "gradient"): {"rtol": 1e-4, "atol": 1e-4},
    ("float64", "value"): {"rtol": 1e-12, "atol": 1e-12},
    ("float64", "gradient"): {"rtol": 1e-9, "atol": 1e-10},
}


def assert_close(actual, expected, *, kind="value", dtype=None, message=""):
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    dtype = dtype or actual.dtype.name
    tol = TOLERANCE.get((dtype, kind), TOLERANCE[("float32", kind)])
    assert actual.shape == expected.shape, (
        f"{message} shape {actual.shape} != expected {expected.shape}")
    np.testing.assert_allclose(actual, expected, err_msg=message, **tol)


def finite_difference(f, arrays, index, step=1e-6):
    """d f / d arrays[index] for a scalar function ``f(list of arrays)``, by central
    differences in float64 (the oracle for gradients)."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    x = arrays[index]
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        h = step * max(1.0, abs(x[i]))
        up, down = [a.copy() for a in arrays], [a.copy() for a in arrays]
        up[index][i] += h
        down[index][i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


__all__ = ["TOLERANCE", "assert_close", "finite_difference"]
