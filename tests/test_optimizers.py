"""Unit tests of the optimizer internals: the fused update kernels against the numpy
reference kernels, and the Variable invariants the updates keep."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkeras import optimizers
from refkeras.framework import Variable
from refkeras.kernels import fast_ops, reference

S = np.float32


def _kernel_args(name, rng, shape):
    def a(positive=False):
        x = rng.standard_normal(shape).astype(np.float32)
        return np.abs(x) + S(0.1) if positive else x
    var, grad = a(), a()
    table = {
        "weight_decay_update": (var, S(0.004), S(0.1)),
        "sgd_update": (var, grad, a(), S(0.1), S(0.9), True),
        "rmsprop_update": (var, grad, a(True), a(), a() * S(0.01), S(0.1), S(0.9), S(0.1), S(0.5),
                           S(1e-7)),
        "adam_update": (var, grad, a(), a(True), a(True), S(0.01), S(0.1), S(0.001), S(1e-7)),
        "adagrad_update": (var, grad, a(True), S(0.1), S(1e-7)),
        "adadelta_update": (var, grad, a(True), a(True), S(0.1), S(0.95), S(0.05), S(1e-7)),
        "adamax_update": (var, grad, a(), a(True), S(0.1), S(0.1), S(0.999), S(0.1), S(1e-7)),
        "nadam_update": (var, grad, a(), a(True), S(0.1), S(0.1), S(0.001), S(0.9), S(0.2), S(0.3),
                         S(0.4), S(0.5), S(1e-7)),
        "ftrl_update": (var, grad, a(True), a(), S(0.1), S(0.5), S(0.2), S(0.1), S(0.3)),
    }
    return table[name]


@pytest.mark.parametrize("name", fast_ops.OPTIMIZER_UPDATES)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(), (1,), (7,), (3, 5), (2, 0)]))
def test_fused_updates_match_the_reference_kernels(name, seed, shape):
    args = _kernel_args(name, np.random.default_rng(seed), shape)
    snapshot = [np.copy(a) for a in args if isinstance(a, np.ndarray)]
    fast, ref = getattr(fast_ops, name)(*args), getattr(reference, name)(*args)
    fast = fast if isinstance(fast, tuple) else (fast,)
    ref = ref if isinstance(ref, tuple) else (ref,)
    assert len(fast) == len(ref)
    for got, want in zip(fast, ref):
        assert got.shape == want.shape and got.dtype == want.dtype
        if name == "ftrl_update":       # numpy's and the C library's powf may differ by an ulp
            np.testing.assert_allclose(got, want, rtol=4e-7, atol=1e-7)
        else:
            np.testing.assert_array_equal(got, want)
    for before, after in zip(snapshot, [a for a in args if isinstance(a, np.ndarray)]):
        np.testing.assert_array_equal(before, after)       # inputs are never written


def test_absent_slots_come_back_as_none():
    x = np.ones(3, np.float32)
    for module in (fast_ops, reference):
        out = module.rmsprop_update(x, x, x, None, None, S(0.1), S(0.9), S(0.1), S(0), S(1e-7))
        assert out[2] is None and out[3] is None
        assert module.adam_update(x, x, x, x, None, S(0.1), S(0.1), S(0.1), S(1e-7))[3] is None


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta",
                                  "Adamax", "Nadam", "Ftrl"])
def test_a_tensor_read_before_a_step_keeps_its_value(name):
    w = Variable(np.ones((2, 3), np.float32), name="w")
    opt = getattr(optimizers, name)(learning_rate=0.1, momentum=0.5) if name == "SGD" else \
        getattr(optimizers, name)(learning_rate=0.1)
    opt.apply_gradients([(np.ones((2, 3), np.float32), w)])
    read = w.read_value()
    slots = [v.read_value() for v in opt.variables[1:]]
    before = [read.numpy()] + [s.numpy() for s in slots]
    opt.apply_gradients([(np.full((2, 3), 2.0, np.float32), w)])
    for tensor, value in zip([read] + slots, before):
        np.testing.assert_array_equal(tensor.numpy(), value)
    assert not np.array_equal(w.numpy(), before[0])


def test_float64_variables_update_in_float64():
    w = Variable(np.ones(3), name="w", dtype="float64")
    opt = optimizers.Adam(0.1)
    opt.apply_gradients([(np.array([1.0, -1.0, 0.5]), w)])
    assert w.dtype == np.float64 and opt.variables[1].dtype == np.float64
    np.testing.assert_allclose(w.numpy(), [0.9, 1.1, 0.9], rtol=1e-6)


def test_the_nadam_momentum_product_is_not_an_optimizer_variable():
    w = Variable([1.0], name="w")
    opt = optimizers.Nadam()
    opt.apply_gradients([([1.0], w)])
    assert all(v is not opt._u_product for v in opt.variables)
    np.testing.assert_allclose(float(opt._u_product.numpy()), 0.9 * (1 - 0.5 * 0.96), rtol=1e-6)


def test_a_kernel_returning_an_array_scalar_still_leaves_an_ndarray_in_the_variable():
    # numpy arithmetic on 0-d arrays returns np.float32 scalars (the reference kernels do)
    from refkeras.optimizers.optimizer import store
    v = Variable(np.float32(1.0))
    store(v, np.float32(0.5))
    assert isinstance(v._value, np.ndarray) and v._value.shape == ()
    assert np.asarray(v) == np.float32(0.5)
