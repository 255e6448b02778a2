"""Conv1D and Conv2D: values against a float64 numpy oracle, shapes, configs, errors."""
import numpy as np
import pytest

import refkeras as keras
from refkeras.layers.convolutional import Conv1D, Conv2D, Convolution2D


def conv2d_oracle(x, w, strides, padding, dilation=(1, 1)):
    """Direct loops in float64: y[n,i,j,o] = sum x_pad[n, i*s + a*d, j*s + b*d, c] w[a,b,c,o]."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    kh, kw, _, o = w.shape
    pads = []
    for size, k, s, d in zip(x.shape[1:3], (kh, kw), strides, dilation):
        eff = (k - 1) * d + 1
        if padding == "same":
            out = -(-size // s)
            total = max((out - 1) * s + eff - size, 0)
            pads.append((total // 2, total - total // 2, out))
        else:
            pads.append((0, 0, (size - eff) // s + 1))
    xp = np.pad(x, ((0, 0), pads[0][:2], pads[1][:2], (0, 0)))
    y = np.zeros((x.shape[0], pads[0][2], pads[1][2], o))
    for i in range(y.shape[1]):
        for j in range(y.shape[2]):
            for a in range(kh):
                for b in range(kw):
                    cell = xp[:, i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1], :]
                    y[:, i, j, :] += cell @ w[a, b]
    return y


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides,dilation", [((1, 1), (1, 1)), ((2, 2), (1, 1)), ((2, 1), (1, 1)),
                                              ((1, 1), (2, 2))])
def test_conv2d_matches_the_oracle(padding, strides, dilation):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 7, 6, 3)).astype("float32")
    layer = Conv2D(4, (3, 2), strides=strides, padding=padding, dilation_rate=dilation,
                   bias_initializer="random_normal")
    y = layer(x)
    kernel, bias = layer.get_weights()
    expected = conv2d_oracle(x, kernel, strides, padding, dilation) + bias
    assert y.dtype == np.float32 and tuple(y.shape) == expected.shape
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)
    assert layer.compute_output_shape((None, 7, 6, 3)) == (None,) + expected.shape[1:]


def test_conv1d_causal_sees_only_the_past():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 9, 2)).astype("float32")
    layer = Conv1D(3, 3, padding="causal", dilation_rate=2, use_bias=False)
    y = layer(x).numpy()
    (kernel,) = layer.get_weights()
    padded = np.pad(x.astype(np.float64), ((0, 0), (4, 0), (0, 0)))   # (3 - 1) * 2 zeros left
    expected = conv2d_oracle(padded[:, None], kernel[None], (1, 1), "valid", (1, 2))[:, 0]
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)
    x2 = x.copy()
    x2[:, 5:] += 1.0    # changing the future leaves earlier outputs alone
    np.testing.assert_array_equal(layer(x2).numpy()[:, :5], y[:, :5])


def test_conv1d_strides_and_same_padding_shapes():
    layer = Conv1D(5, 4, strides=3, padding="same", activation="relu")
    y = layer(np.ones((2, 11, 3), np.float32))
    assert tuple(y.shape) == (2, 4, 5) and layer.compute_output_shape((None, 11, 3)) == (None, 4, 5)
    assert np.all(y.numpy() >= 0)
    assert layer.compute_output_shape((None, None, 3)) == (None, None, 5)


def test_weights_names_and_shapes():
    layer = Conv2D(8, 3, name="c")
    layer(np.ones((1, 5, 5, 2), np.float32))
    assert [w.name for w in layer.weights] == ["c/kernel:0", "c/bias:0"]
    assert [tuple(w.shape) for w in layer.weights] == [(3, 3, 2, 8), (8,)]
    assert layer.count_params() == 3 * 3 * 2 * 8 + 8
    assert len(Conv2D(8, 3, use_bias=False, name="d")(np.ones((1, 5, 5, 2))).shape) == 4


def test_extra_batch_axes_are_folded():
    layer = Conv2D(2, 3, padding="same")
    x = np.random.default_rng(2).normal(size=(2, 3, 5, 5, 1)).astype("float32")
    y = layer(x)
    assert tuple(y.shape) == (2, 3, 5, 5, 2)
    np.testing.assert_allclose(y.numpy()[1], layer(x[1]).numpy(), rtol=1e-6, atol=1e-6)


def test_get_config_has_tf_keras_keys_and_round_trips():
    layer = Conv2D(3, 3, strides=2, padding="same", activation="relu")
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "filters", "kernel_size", "strides",
                           "padding", "data_format", "dilation_rate", "groups", "activation",
                           "use_bias", "kernel_initializer", "bias_initializer",
                           "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                           "kernel_constraint", "bias_constraint"}
    assert config["kernel_size"] == (3, 3) and config["strides"] == (2, 2)
    assert config["padding"] == "same" and config["data_format"] == "channels_last"
    assert config["groups"] == 1 and config["activation"] == "relu"
    assert Conv2D.from_config(config).get_config()["strides"] == (2, 2)
    assert Conv1D(2, 3).get_config()["kernel_size"] == (3,)
    assert Convolution2D is Conv2D


def test_gradients_flow_to_kernel_bias_and_inputs():
    layer = Conv2D(2, 3, padding="same")
    x = keras.ops.constant(np.random.default_rng(3).normal(size=(1, 4, 4, 2)).astype("float32"))
    with keras.GradientTape() as tape:
        tape.watch(x)
        loss = keras.ops.reduce_sum(layer(x))
    grads = tape.gradient(loss, [x] + layer.trainable_weights)
    assert [tuple(g.shape) for g in grads] == [(1, 4, 4, 2), (3, 3, 2, 2), (2,)]
    np.testing.assert_allclose(grads[2].numpy(), [16.0, 16.0])   # d sum / d bias = pixels


@pytest.mark.parametrize("kwargs,message", [
    ({"filters": 0, "kernel_size": 3}, "Expected a strictly positive value"),
    ({"filters": 2, "kernel_size": (3, 3, 3)}, "`kernel_size` argument must be a tuple of 2"),
    ({"filters": 2, "kernel_size": 0}, "does not satisfy the requirement `> 0`"),
    ({"filters": 2, "kernel_size": 3, "padding": "full"}, "The `padding` argument must be"),
    ({"filters": 2, "kernel_size": 3, "padding": "causal"}, "Causal padding is only supported"),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, "`strides > 1` not supported"),
    ({"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, "channels_first"),
    ({"filters": 2, "kernel_size": 3, "groups": 2}, "groups"),
])
def test_bad_arguments_raise_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2D(**kwargs)


def test_wrong_rank_and_too_small_inputs_are_refused():
    with pytest.raises(ValueError, match="expected min_ndim=4, found ndim=3"):
        Conv2D(2, 3)(np.ones((5, 5, 1), np.float32))
    with pytest.raises(ValueError, match="expected min_ndim=3, found ndim=2"):
        Conv1D(2, 3)(np.ones((5, 1), np.float32))
    with pytest.raises(ValueError, match="One of the dimensions in the output is <= 0"):
        Conv2D(2, 5)(np.ones((1, 3, 3, 1), np.float32))
    layer = Conv2D(2, 3)
    layer(np.ones((1, 5, 5, 2), np.float32))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 2"):
        layer(np.ones((1, 5, 5, 3), np.float32))
