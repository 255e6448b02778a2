"""Pooling layers: values against a float64 numpy oracle, shapes, configs, errors."""
import numpy as np
import pytest

from refkeras.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AvgPool2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool1D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool1D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
)


def pool2d_oracle(x, pool, strides, padding, reduce):
    """Windows by explicit slicing, padding cells excluded (never max, never counted)."""
    x = np.asarray(x, np.float64)
    bounds = []
    for size, k, s in zip(x.shape[1:3], pool, strides):
        if padding == "same":
            out = -(-size // s)
            before = max((out - 1) * s + k - size, 0) // 2
        else:
            out, before = (size - k) // s + 1, 0
        bounds.append([(max(i * s - before, 0), min(i * s - before + k, size)) for i in range(out)])
    y = np.empty((x.shape[0], len(bounds[0]), len(bounds[1]), x.shape[3]))
    for i, (r0, r1) in enumerate(bounds[0]):
        for j, (c0, c1) in enumerate(bounds[1]):
            y[:, i, j] = reduce(x[:, r0:r1, c0:c1], axis=(1, 2))
    return y


CASES = [((2, 2), None, "valid"), ((3, 3), (2, 2), "same"), ((3, 2), (1, 2), "valid"),
         ((2, 3), (3, 1), "same")]


@pytest.mark.parametrize("pool,strides,padding", CASES)
@pytest.mark.parametrize("layer_class,reduce", [(MaxPooling2D, np.max), (AveragePooling2D, np.mean)])
def test_pooling2d_matches_the_oracle(layer_class, reduce, pool, strides, padding):
    x = np.random.default_rng(0).normal(size=(2, 7, 6, 3)).astype("float32")
    layer = layer_class(pool, strides, padding)
    y = layer(x)
    expected = pool2d_oracle(x, pool, strides or pool, padding, reduce)
    assert y.dtype == np.float32 and tuple(y.shape) == expected.shape
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-6, atol=1e-6)
    assert layer.compute_output_shape((None, 7, 6, 3)) == (None,) + expected.shape[1:]


@pytest.mark.parametrize("layer_class,reduce", [(MaxPooling1D, np.max), (AveragePooling1D, np.mean)])
def test_pooling1d_matches_the_oracle(layer_class, reduce):
    x = np.random.default_rng(1).normal(size=(2, 9, 3)).astype("float32")
    layer = layer_class(3, 2, "same")
    expected = pool2d_oracle(x[:, :, None], (3, 1), (2, 1), "same", reduce)[:, :, 0]
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6, atol=1e-6)
    assert layer.compute_output_shape((None, 9, 3)) == (None, 5, 3)
    assert layer.compute_output_shape((None, None, 3)) == (None, None, 3)


def test_same_average_pooling_divides_by_the_real_cells():
    y = AveragePooling2D(2, 2, "same")(np.ones((1, 3, 3, 1), np.float32)).numpy()
    np.testing.assert_array_equal(y, np.ones((1, 2, 2, 1)))


@pytest.mark.parametrize("layer_class,reduce,rank", [
    (GlobalMaxPooling1D, np.max, 1), (GlobalAveragePooling1D, np.mean, 1),
    (GlobalMaxPooling2D, np.max, 2), (GlobalAveragePooling2D, np.mean, 2)])
def test_global_pooling(layer_class, reduce, rank):
    x = np.random.default_rng(2).normal(size=(2,) + (4,) * rank + (3,)).astype("float32")
    axes = tuple(range(1, rank + 1))
    np.testing.assert_allclose(layer_class()(x).numpy(), reduce(x, axis=axes), rtol=1e-6)
    kept = layer_class(keepdims=True)
    np.testing.assert_allclose(kept(x).numpy(), reduce(x, axis=axes, keepdims=True), rtol=1e-6)
    assert kept.compute_output_shape((None,) + (4,) * rank + (3,)) == (None,) + (1,) * rank + (3,)
    assert layer_class().compute_output_shape((None,) + (4,) * rank + (3,)) == (None, 3)


def test_global_average_pooling1d_ignores_masked_steps():
    x = np.arange(12, dtype=np.float32).reshape(1, 4, 3)
    mask = np.array([[True, True, False, False]])
    np.testing.assert_allclose(GlobalAveragePooling1D()(x, mask=mask).numpy(), [[1.5, 2.5, 3.5]])


def test_configs_have_tf_keras_keys():
    assert MaxPooling2D().get_config() | {"name": None} == {
        "name": None, "trainable": True, "dtype": "float32", "pool_size": (2, 2),
        "padding": "valid", "strides": (2, 2), "data_format": "channels_last"}
    assert AveragePooling1D().get_config() | {"name": None} == {
        "name": None, "trainable": True, "dtype": "float32", "strides": (2,), "pool_size": (2,),
        "padding": "valid", "data_format": "channels_last"}
    assert GlobalAveragePooling1D().get_config() | {"name": None} == {
        "name": None, "trainable": True, "dtype": "float32", "data_format": "channels_last",
        "keepdims": False}
    config = MaxPooling2D(3, 1, "same").get_config()
    assert MaxPooling2D.from_config(config).get_config()["pool_size"] == (3, 3)


def test_aliases():
    assert MaxPool2D is MaxPooling2D and MaxPool1D is MaxPooling1D and AvgPool2D is AveragePooling2D
    assert GlobalMaxPool2D is GlobalMaxPooling2D and GlobalAvgPool1D is GlobalAveragePooling1D


def test_errors():
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        MaxPooling2D()(np.ones((4, 4, 1), np.float32))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        GlobalAveragePooling1D()(np.ones((1, 4, 4, 1), np.float32))
    with pytest.raises(ValueError, match="The `padding` argument must be"):
        MaxPooling2D(padding="causal")
    with pytest.raises(ValueError, match="`pool_size` argument must be a tuple of 2"):
        MaxPooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match="channels_first"):
        AveragePooling2D(data_format="channels_first")
