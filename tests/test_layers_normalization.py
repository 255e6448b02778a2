"""BatchNormalization and LayerNormalization: values against a float64 numpy oracle,
the moving-statistics update rule (measured on tf_keras), modes, configs, errors."""
import numpy as np
import pytest

import refkeras as keras
from refkeras.layers.normalization import BatchNormalization, LayerNormalization


def normalize(x, axes, gamma=1.0, beta=0.0, epsilon=1e-3):
    x = np.asarray(x, np.float64)
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta


def _data(shape, seed=0):
    return (np.random.default_rng(seed).normal(size=shape) * 2 + 1).astype("float32")


@pytest.mark.parametrize("shape,axis", [((8, 3), -1), ((4, 5, 3), 1), ((2, 4, 4, 3), -1),
                                        ((2, 3, 4, 4), 1), ((2, 4, 4, 3), 2)])
def test_batch_norm_training_uses_batch_statistics(shape, axis):
    x = _data(shape)
    layer = BatchNormalization(axis=axis, gamma_initializer="random_normal",
                               beta_initializer="random_normal")
    y = layer(x, training=True)
    gamma, beta = layer.get_weights()[:2]
    a = axis % len(shape)
    reduce = tuple(i for i in range(len(shape)) if i != a)
    bshape = [1] * len(shape)
    bshape[a] = shape[a]
    expected = normalize(x, reduce, gamma.reshape(bshape), beta.reshape(bshape))
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape,unbiased", [((8, 3), False), ((4, 5, 3), False),
                                            ((2, 4, 4, 3), True), ((2, 3, 2, 2, 3), True)])
def test_moving_statistics_update_rule(shape, unbiased):
    """tf_keras: 4-D and 5-D inputs (its fused kernel) update the moving variance with the
    unbiased batch variance, other ranks with the biased one."""
    x = _data(shape, 1)
    layer = BatchNormalization(momentum=0.9)
    layer(x, training=True)
    axes = tuple(range(len(shape) - 1))
    n = x.size // shape[-1]
    var = x.astype(np.float64).var(axis=axes) * (n / (n - 1) if unbiased else 1)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.1 * x.astype(np.float64).mean(axis=axes),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.9 + 0.1 * var, rtol=1e-5)


def test_inference_uses_moving_statistics_and_leaves_them():
    x = _data((6, 3), 2)
    layer = BatchNormalization()
    layer.build(x.shape)
    layer.set_weights([np.full(3, 2.0), np.full(3, 0.5), np.array([1.0, 2.0, 3.0]),
                       np.array([4.0, 1.0, 0.25])])
    before = [w.copy() for w in layer.get_weights()]
    expected = (x - [1.0, 2.0, 3.0]) / np.sqrt(np.array([4.0, 1.0, 0.25]) + 1e-3) * 2 + 0.5
    for training in (False, None):
        np.testing.assert_allclose(layer(x, training=training).numpy(), expected, rtol=1e-5)
    assert all(np.array_equal(a, b) for a, b in zip(before, layer.get_weights()))


def test_frozen_layer_runs_in_inference_mode_even_when_training():
    x = _data((6, 3), 3)
    layer = BatchNormalization()
    layer(x)
    layer.trainable = False
    y = layer(x, training=True)
    np.testing.assert_allclose(y.numpy(), x / np.sqrt(1 + 1e-3), rtol=1e-6)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(3))


def test_weights_order_and_trainability():
    layer = BatchNormalization(name="bn")
    layer(np.ones((2, 3), np.float32))
    assert [w.name for w in layer.weights] == ["bn/gamma:0", "bn/beta:0", "bn/moving_mean:0",
                                               "bn/moving_variance:0"]
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 2
    bare = BatchNormalization(center=False, scale=False)
    bare(np.ones((2, 3), np.float32))
    assert len(bare.weights) == 2 and not bare.trainable_weights


def test_batch_norm_gradient_matches_finite_differences():
    x = keras.ops.constant(_data((5, 2), 4).astype(np.float64))
    layer = BatchNormalization(dtype="float64")
    weights = np.random.default_rng(5).normal(size=(5, 2))

    def loss(v):
        return float(np.sum(layer(v, training=True).numpy() * weights))
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = keras.ops.reduce_sum(layer(x, training=True) * weights)
    g = tape.gradient(y, x).numpy()
    fd = np.zeros_like(g)
    base = x.numpy()
    for i in np.ndindex(base.shape):
        up, down = base.copy(), base.copy()
        up[i] += 1e-6
        down[i] -= 1e-6
        fd[i] = (loss(up) - loss(down)) / 2e-6
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-7)


def test_batch_norm_config_and_errors():
    config = BatchNormalization().get_config()
    assert set(config) == {"name", "trainable", "dtype", "axis", "momentum", "epsilon", "center",
                           "scale", "beta_initializer", "gamma_initializer",
                           "moving_mean_initializer", "moving_variance_initializer",
                           "beta_regularizer", "gamma_regularizer", "beta_constraint",
                           "gamma_constraint"}
    assert (config["axis"], config["momentum"], config["epsilon"]) == (-1, 0.99, 1e-3)
    layer = BatchNormalization()
    layer(np.ones((2, 3), np.float32))
    assert layer.get_config()["axis"] == [1]
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints"):
        BatchNormalization(axis="channels")
    with pytest.raises(ValueError, match="Invalid value for `axis` argument"):
        BatchNormalization(axis=3)(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 3"):
        layer(np.ones((2, 4), np.float32))
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layer(np.ones((2, 1, 3), np.float32))


@pytest.mark.parametrize("axis", [-1, [1, 2], 1])
def test_layer_norm_matches_the_oracle(axis):
    x = _data((3, 4, 5), 6)
    layer = LayerNormalization(axis=axis, gamma_initializer="random_normal",
                               beta_initializer="random_normal")
    y = layer(x)
    axes = tuple(a % 3 for a in (axis if isinstance(axis, list) else [axis]))
    gamma, beta = layer.get_weights()
    shape = [x.shape[a] if a in axes else 1 for a in range(3)]
    expected = normalize(x, axes, gamma.reshape(shape), beta.reshape(shape))
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)
    assert layer.compute_output_shape((None, 4, 5)) == (None, 4, 5)


def test_layer_norm_weights_config_and_errors():
    layer = LayerNormalization(axis=[1, 2], name="ln")
    layer(np.ones((2, 3, 4), np.float32))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [("ln/gamma:0", (3, 4)),
                                                                 ("ln/beta:0", (3, 4))]
    config = layer.get_config()
    assert config["axis"] == [1, 2] and config["epsilon"] == 1e-3
    assert set(config) == {"name", "trainable", "dtype", "axis", "epsilon", "center", "scale",
                           "beta_initializer", "gamma_initializer", "beta_regularizer",
                           "gamma_regularizer", "beta_constraint", "gamma_constraint"}
    assert LayerNormalization(center=False, scale=False)(np.ones((2, 3))).shape == (2, 3)
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints"):
        LayerNormalization(axis=1.0)
    with pytest.raises(ValueError, match="Duplicate axis"):
        LayerNormalization(axis=[1, -1])(np.ones((2, 3), np.float32))
