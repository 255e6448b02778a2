"""Regularization layers: Dropout and ActivityRegularization.

Dropout: the identity unless training is True; then each value is kept with
probability 1 - rate and scaled by float32(1 / (1 - rate)), the gradient flows
through the kept values only, and the session seed makes runs repeatable.
ActivityRegularization: the identity plus (l1 * sum|y| + l2 * sum y^2) / batch.
"""
import numpy as np
import pytest

from refkeras import GradientTape, ops
from refkeras.backend import session
from refkeras.framework.errors import InvalidArgumentError
from refkeras.layers import ActivityRegularization, Dropout, Input
from refkeras.utils import set_random_seed

RNG = np.random.default_rng(17)


# -------------------------------------------------------------------------------- Dropout

@pytest.mark.parametrize("training", [None, False])
def test_dropout_is_the_identity_unless_training(training):
    x = RNG.standard_normal((4, 5)).astype(np.float32)
    kwargs = {} if training is None else {"training": training}
    np.testing.assert_array_equal(Dropout(0.5)(x, **kwargs).numpy(), x)


def test_dropout_keeps_and_scales_when_training():
    x = RNG.standard_normal((200, 50)).astype(np.float32)
    out = Dropout(0.3)(x, training=True).numpy()
    kept = out != 0
    np.testing.assert_array_equal(out[kept], (x * np.float32(1 / 0.7))[kept])
    assert 0.67 < kept.mean() < 0.73          # 10000 draws, keep probability 0.7


def test_dropout_gradient_flows_through_kept_values_only():
    x = ops.constant(RNG.standard_normal((6, 8)).astype(np.float32))
    with GradientTape() as tape:
        tape.watch(x)
        y = Dropout(0.5)(x, training=True)
        target = ops.reduce_sum(y)
    grad = tape.gradient(target, x).numpy()
    kept = y.numpy() != 0
    np.testing.assert_array_equal(grad, np.where(kept, np.float32(2.0), np.float32(0.0)))


def test_dropout_is_repeatable_with_the_session_seed():
    x = np.ones((4, 6), np.float32)
    set_random_seed(42)
    first = [Dropout(0.5)(x, training=True).numpy() for _ in range(2)]
    set_random_seed(42)
    second = [Dropout(0.5)(x, training=True).numpy() for _ in range(2)]
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first[0], first[1])   # the stream advances between calls


def test_dropout_with_its_own_seed():
    x = np.ones((4, 6), np.float32)
    session.set_seed(1)
    layer = Dropout(0.5, seed=3)
    a, b = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    session.set_seed(1)
    again = Dropout(0.5, seed=3)
    np.testing.assert_array_equal(again(x, training=True).numpy(), a)
    assert not np.array_equal(a, b)


def test_dropout_noise_shape_shares_the_mask():
    out = Dropout(0.5, noise_shape=(None, 1))(np.ones((20, 3)), training=True).numpy()
    assert all(len(set(row)) == 1 for row in out.tolist())
    with pytest.raises(InvalidArgumentError, match=r"condition \[4,2\], then \[4,3\], and else "
                                                   r"\[\] must be broadcastable"):
        Dropout(0.5, noise_shape=(None, 2))(np.ones((4, 3)), training=True)


def test_dropout_rate_zero_and_one():
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(Dropout(0.0)(x, training=True).numpy(), x)
    np.testing.assert_array_equal(Dropout(1.0)(x).numpy(), x)
    with pytest.raises(ValueError, match=r"`rate` must be a scalar tensor or a float in the "
                                         r"range \[0, 1\). Received: rate=1.0"):
        Dropout(1.0)(x, training=True)


@pytest.mark.parametrize("rate", [1.5, -0.1])
def test_dropout_rate_validation(rate):
    with pytest.raises(ValueError, match=f"Invalid value {rate} received for `rate`, expected a "
                                         "value between 0 and 1."):
        Dropout(rate)


def test_dropout_needs_floating_inputs_when_training():
    with pytest.raises(ValueError, match="`x.dtype` must be a floating point tensor as `x` will "
                                         "be scaled. Received: x_dtype=<dtype: 'int32'>"):
        Dropout(0.5)(np.ones((4, 3), np.int32), training=True)


def test_dropout_config_and_shape():
    assert Dropout(0.5, noise_shape=(None, 1), seed=3, name="d").get_config() == {
        "name": "d", "trainable": True, "dtype": "float32", "rate": 0.5,
        "noise_shape": (None, 1), "seed": 3}
    assert Dropout.from_config(Dropout(0.25).get_config()).rate == 0.25
    assert Dropout(0.5)(Input((3,))).shape == (None, 3)


# ----------------------------------------------------------------- ActivityRegularization

@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.1, 0.0), (0.0, 0.2), (0.1, 0.2)])
def test_activity_regularization_loss(l1, l2):
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    layer = ActivityRegularization(l1=l1, l2=l2)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    (loss,) = layer.losses
    x64 = x.astype(np.float64)
    expected = (l1 * np.abs(x64).sum() + l2 * np.square(x64).sum()) / 3
    np.testing.assert_allclose(float(loss), expected, rtol=1e-6, atol=1e-7)


def test_activity_regularization_latest_call_only():
    layer = ActivityRegularization(l1=1.0)
    layer(np.ones((2, 2)))
    layer(np.full((1, 2), 3.0))
    assert [float(v) for v in layer.losses] == [6.0]


def test_activity_regularization_config():
    config = ActivityRegularization(l1=0.1, l2=2, name="ar").get_config()
    assert config == {"name": "ar", "trainable": True, "dtype": "float32", "l1": 0.1, "l2": 2}
    again = ActivityRegularization.from_config(config)
    assert (again.l1, again.l2) == (0.1, 2)
    assert ActivityRegularization()(Input((3,))).shape == (None, 3)
