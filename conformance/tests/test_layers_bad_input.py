"""Layers reject inputs of the wrong rank or size before anything changes
(clauses LAYER.BAD_INPUT and LAYER.BAD_INPUT.TOO_SMALL of docs/spec.md)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import clause


def _snapshot(layer):
    return layer.built, [v.name for v in layer.weights], layer.get_weights()


def _assert_unchanged(layer, before):
    built, names, values = _snapshot(layer)
    assert (built, names) == before[:2], "the failed call changed the layer"
    for a, b in zip(values, before[2]):
        np.testing.assert_array_equal(a, b)


@clause("LAYER.BAD_INPUT")
@given(features=st.integers(1, 4), wrong=st.integers(1, 5), extra=st.sampled_from([(), (3,)]))
def test_dense_rejects_a_wrong_last_dimension_after_build(backend, features, wrong, extra):
    if wrong == features:
        wrong += 1
    layer = backend.keras.layers.Dense(2, name="dd")
    layer(np.ones((2, features), np.float32))
    before = _snapshot(layer)
    shape = (2, *extra, wrong)
    with pytest.raises(ValueError) as info:
        layer(np.ones(shape, np.float32))
    assert str(info.value) == (
        'Input 0 of layer "dd" is incompatible with the layer: expected axis -1 of input shape '
        f"to have value {features}, but received input with shape {shape}")
    _assert_unchanged(layer, before)


@clause("LAYER.BAD_INPUT")
@pytest.mark.parametrize("built", [False, True], ids=["unbuilt", "built"])
def test_dense_rejects_rank_one_input(backend, built):
    layer = backend.keras.layers.Dense(2, name="dd")
    if built:
        layer(np.ones((2, 3), np.float32))
    before = _snapshot(layer)
    with pytest.raises(ValueError) as info:
        layer(np.ones((3,), np.float32))
    assert str(info.value) == ('Input 0 of layer "dd" is incompatible with the layer: expected '
                               "min_ndim=2, found ndim=1. Full shape received: (3,)")
    _assert_unchanged(layer, before)


@clause("LAYER.BAD_INPUT")
@pytest.mark.parametrize("name, make, shape, expected", [
    ("Conv2D", lambda L: L.Conv2D(2, 3, name="cc"), (5, 5, 1), "min_ndim=4, found ndim=3"),
    ("Conv1D", lambda L: L.Conv1D(2, 3, name="cc"), (5, 1), "min_ndim=3, found ndim=2"),
    ("MaxPooling2D", lambda L: L.MaxPooling2D(name="cc"), (5, 5, 1), "ndim=4, found ndim=3"),
], ids=["Conv2D", "Conv1D", "MaxPooling2D"])
def test_spatial_layers_reject_the_wrong_rank(backend, name, make, shape, expected):
    layer = make(backend.keras.layers)
    before = _snapshot(layer)
    with pytest.raises(ValueError) as info:
        layer(np.ones(shape, np.float32))
    assert str(info.value) == ('Input 0 of layer "cc" is incompatible with the layer: expected '
                               f"{expected}. Full shape received: {shape}")
    _assert_unchanged(layer, before)


@clause("LAYER.BAD_INPUT")
def test_conv2d_rejects_other_channels_after_build(backend):
    layer = backend.keras.layers.Conv2D(2, 3, name="cc")
    layer(np.ones((1, 5, 5, 1), np.float32))
    before = _snapshot(layer)
    with pytest.raises(ValueError) as info:
        layer(np.ones((1, 5, 5, 2), np.float32))
    assert str(info.value) == ('Input 0 of layer "cc" is incompatible with the layer: expected '
                               "axis -1 of input shape to have value 1, but received input with "
                               "shape (1, 5, 5, 2)")
    _assert_unchanged(layer, before)


@clause("LAYER.BAD_INPUT")
def test_merging_layers_reject_mismatched_shapes(backend):
    layers = backend.keras.layers
    with pytest.raises(ValueError) as info:
        layers.Concatenate()([np.ones((2, 3), np.float32), np.ones((3, 3), np.float32)])
    assert str(info.value) == ("A `Concatenate` layer requires inputs with matching shapes except "
                               "for the concatenation axis. Received: input_shape=[(2, 3), (3, 3)]")
    with pytest.raises(ValueError) as info:
        layers.Add()([np.ones((2, 3), np.float32), np.ones((2, 4), np.float32)])
    assert str(info.value) == "Inputs have incompatible shapes. Received shapes (3,) and (4,)"


@clause("LAYER.BAD_INPUT")
def test_a_string_is_not_a_layer_input(backend):
    layer = backend.keras.layers.Dense(2, name="ds")
    with pytest.raises(TypeError) as info:
        layer("abc")
    assert str(info.value) == ("Inputs to a layer should be tensors. Got 'abc' (of type "
                               "<class 'str'>) as input for layer 'ds'.")
    assert not layer.built


@clause("LAYER.BAD_INPUT.TOO_SMALL")
@pytest.mark.parametrize("make, shape", [
    (lambda L: L.Conv2D(2, 3, name="cs"), (1, 2, 2, 1)),
    (lambda L: L.Conv2D(2, 3, use_bias=False, name="cs"), (1, 2, 2, 1)),
    (lambda L: L.Conv1D(2, 3, name="cs"), (1, 2, 1)),
    (lambda L: L.MaxPooling2D(3, name="cs"), (1, 2, 2, 1)),
], ids=["Conv2D", "Conv2D-no-bias", "Conv1D", "MaxPooling2D"])
def test_valid_windows_larger_than_the_input_raise_before_building(backend, make, shape):
    layer = make(backend.keras.layers)
    with pytest.raises(ValueError, match="cs"):
        layer(np.ones(shape, np.float32))
    assert not layer.built and layer.weights == []
