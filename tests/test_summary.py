"""refkeras.utils.layer_utils: model.summary() text, totals, widths and print_fn.

Every expected table below is tf_keras 2.21's output for the same model, captured
with ``model.summary(print_fn=lines.append)`` (trailing spaces kept: rows are padded
to the full width). Layer and model names are explicit so the text does not depend
on name counters. ``Join`` and ``Scale`` are defined identically on both sides.
"""
import numpy as np
import pytest

import refkeras as keras
from refkeras.compat import tf
from refkeras.utils import layer_utils


class Join(keras.layers.Layer):
    def call(self, inputs):
        return tf.concat(inputs, axis=-1)


class Scale(keras.layers.Layer):
    """A weight per feature, and a frozen running mean beside it."""

    def build(self, input_shape):
        self.gain = self.add_weight(name="gain", shape=(input_shape[-1],), initializer="ones")
        self.mean = self.add_weight(name="mean", shape=(input_shape[-1],), initializer="zeros",
                                    trainable=False)

    def call(self, inputs):
        return inputs * self.gain - self.mean


class Sub(keras.Model):
    def __init__(self):
        super().__init__(name="sub")
        self.first = keras.layers.Dense(4, name="first")
        self.second = keras.layers.Dense(2, name="second")
        self.spare = keras.layers.Dense(3, name="spare")

    def call(self, inputs):
        return self.second(self.first(inputs))


def sequential():
    model = keras.Sequential([keras.layers.Dense(64, activation="relu", name="d1"),
                              keras.layers.Dense(10, activation="softmax", name="d2")],
                             name="seq")
    model.build((None, 3))
    return model


def multi_input():
    title = keras.Input(shape=(20,), name="title")
    body = keras.Input(shape=(20,), name="body")
    tags = keras.Input(shape=(5,), name="tags")
    joined = Join(name="join")([title, body, tags])
    hidden = keras.layers.Dense(8, name="hidden")(joined)
    shared = keras.layers.Dense(2, name="shared")
    out = Join(name="heads")([shared(hidden), shared(hidden)])
    return keras.Model([title, body, tags], out, name="multi")


def frozen():
    x = keras.Input(shape=(3,), name="x")
    hidden = keras.layers.Dense(4, name="d")(x)
    return keras.Model(x, Scale(name="scale")(hidden), name="frozen")


def nested():
    inner_input = keras.Input(shape=(3,), name="ii")
    inner = keras.Model(inner_input, keras.layers.Dense(2, name="idense")(inner_input),
                        name="inner")
    outer_input = keras.Input(shape=(3,), name="oi")
    return keras.Model(outer_input, keras.layers.Dense(1, name="odense")(inner(outer_input)),
                       name="outer")


def long_names():
    x = keras.Input(shape=(3,), name="a_really_long_input_layer_name_here")
    y = keras.layers.Dense(2, name="a_really_long_dense_layer_name_that_wraps")(x)
    return keras.Model(x, y, name="long")


def lines(model, **kwargs):
    out = []
    model.summary(print_fn=out.append, **kwargs)
    return out


SEQUENTIAL = [
    'Model: "seq"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' d1 (Dense)                  (None, 64)                256       ',
    '                                                                 ',
    ' d2 (Dense)                  (None, 10)                650       ',
    '                                                                 ',
    '=================================================================',
    'Total params: 906 (3.54 KB)',
    'Trainable params: 906 (3.54 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
]
SEQUENTIAL_80_TRAINABLE = [
    'Model: "seq"',
    '___________________________________________________________________________________________',
    ' Layer (type)                       Output Shape                    Param #     Trainable  ',
    '===========================================================================================',
    ' d1 (Dense)                         (None, 64)                      256         Y          ',
    '                                                                                           ',
    ' d2 (Dense)                         (None, 10)                      650         Y          ',
    '                                                                                           ',
    '===========================================================================================',
    'Total params: 906 (3.54 KB)',
    'Trainable params: 906 (3.54 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '___________________________________________________________________________________________',
]
MULTI_INPUT = [
    'Model: "multi"',
    '__________________________________________________________________________________________________',
    ' Layer (type)                Output Shape                 Param #   Connected to                  ',
    '==================================================================================================',
    ' title (InputLayer)          [(None, 20)]                 0         []                            ',
    '                                                                                                  ',
    ' body (InputLayer)           [(None, 20)]                 0         []                            ',
    '                                                                                                  ',
    ' tags (InputLayer)           [(None, 5)]                  0         []                            ',
    '                                                                                                  ',
    " join (Join)                 (None, 45)                   0         ['title[0][0]',               ",
    "                                                                     'body[0][0]',                ",
    "                                                                     'tags[0][0]']                ",
    '                                                                                                  ',
    " hidden (Dense)              (None, 8)                    368       ['join[0][0]']                ",
    '                                                                                                  ',
    " shared (Dense)              (None, 2)                    18        ['hidden[0][0]',              ",
    "                                                                     'hidden[0][0]']              ",
    '                                                                                                  ',
    " heads (Join)                (None, 4)                    0         ['shared[0][0]',              ",
    "                                                                     'shared[1][0]']              ",
    '                                                                                                  ',
    '==================================================================================================',
    'Total params: 386 (1.51 KB)',
    'Trainable params: 386 (1.51 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '__________________________________________________________________________________________________',
]
MULTI_INPUT_RANGE = [
    'Model: "multi"',
    '__________________________________________________________________________________________________',
    ' Layer (type)                Output Shape                 Param #   Connected to                  ',
    '==================================================================================================',
    " join (Join)                 (None, 45)                   0         ['title[0][0]',               ",
    "                                                                     'body[0][0]',                ",
    "                                                                     'tags[0][0]']                ",
    '                                                                                                  ',
    " hidden (Dense)              (None, 8)                    368       ['join[0][0]']                ",
    '                                                                                                  ',
    '==================================================================================================',
    'Total params: 386 (1.51 KB)',
    'Trainable params: 386 (1.51 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '__________________________________________________________________________________________________',
]
FROZEN = [
    'Model: "frozen"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' x (InputLayer)              [(None, 3)]               0         ',
    '                                                                 ',
    ' d (Dense)                   (None, 4)                 16        ',
    '                                                                 ',
    ' scale (Scale)               (None, 4)                 8         ',
    '                                                                 ',
    '=================================================================',
    'Total params: 24 (96.00 Byte)',
    'Trainable params: 20 (80.00 Byte)',
    'Non-trainable params: 4 (16.00 Byte)',
    '_________________________________________________________________',
]
SUBCLASSED = [
    'Model: "sub"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' first (Dense)               multiple                  16        ',
    '                                                                 ',
    ' second (Dense)              multiple                  10        ',
    '                                                                 ',
    ' spare (Dense)               multiple                  0 (unused)',
    '                                                                 ',
    '=================================================================',
    'Total params: 26 (104.00 Byte)',
    'Trainable params: 26 (104.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
]
NESTED_EXPANDED = [
    'Model: "outer"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' oi (InputLayer)             [(None, 3)]               0         ',
    '                                                                 ',
    ' inner (Functional)          (None, 2)                 8         ',
    '|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|',
    '| ii (InputLayer)            [(None, 3)]               0        |',
    '|                                                               |',
    '| idense (Dense)             (None, 2)                 8        |',
    '¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯',
    ' odense (Dense)              (None, 1)                 3         ',
    '                                                                 ',
    '=================================================================',
    'Total params: 11 (44.00 Byte)',
    'Trainable params: 11 (44.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
]
LONG_NAMES = [
    'Model: "long"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' a_really_long_input_layer_  [(None, 3)]               0         ',
    ' name_here (InputLayer)                                          ',
    '                                                                 ',
    ' a_really_long_dense_layer_  (None, 2)                 8         ',
    ' name_that_wraps (Dense)                                         ',
    '                                                                 ',
    '=================================================================',
    'Total params: 8 (32.00 Byte)',
    'Trainable params: 8 (32.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
]


def test_sequential_text():
    assert lines(sequential()) == SEQUENTIAL


def test_print_fn_gets_one_string_per_line():
    calls = []
    sequential().summary(print_fn=lambda *args, **kwargs: calls.append((args, kwargs)))
    assert [args for args, _ in calls] == [(line,) for line in SEQUENTIAL]
    assert all(kwargs == {} for _, kwargs in calls)


def test_default_print_fn_is_print(capsys):
    sequential().summary()
    assert capsys.readouterr().out == "".join(line + "\n" for line in SEQUENTIAL)


def test_line_length_scales_the_columns_and_show_trainable_adds_one():
    assert lines(sequential(), line_length=80, show_trainable=True) == SEQUENTIAL_80_TRAINABLE


def test_absolute_positions():
    table = lines(sequential(), positions=[20, 40, 60])
    assert table[2] == " Layer (type)       Output Shape        Param #             "
    assert table[4] == " d1 (Dense)         (None, 64)          256                 "
    assert table[5] == " " * 65      # blank rows keep the full line length


def test_branching_model_shows_connected_to():
    assert lines(multi_input()) == MULTI_INPUT


def test_layer_range_keeps_the_layers_between_two_names():
    model = multi_input()
    assert lines(model, layer_range=["join", "hidden"]) == MULTI_INPUT_RANGE
    assert lines(model, layer_range=["hidden", "join"]) == MULTI_INPUT_RANGE   # either order


@pytest.mark.parametrize("layer_range,message", [
    (["join"], ("layer_range must be a list or tuple of length 2. Received: "
               "layer_range = ['join'] of length 1")),
    ([1, 2], "layer_range should contain string type only. Received: [1, 2]"),
    (["nope", "join"], ("Passed layer_names do not match the layer names in the model. "
                       "Received: ['nope', 'join']")),
])
def test_bad_layer_range(layer_range, message):
    with pytest.raises(ValueError) as info:
        lines(multi_input(), layer_range=layer_range)
    assert str(info.value) == message


def test_non_trainable_weights_in_the_totals():
    assert lines(frozen()) == FROZEN


def test_subclassed_model_shows_multiple_and_unused():
    model = Sub()
    model(np.ones((1, 3), np.float32))
    assert lines(model) == SUBCLASSED


def test_expand_nested_frames_the_inner_layers():
    assert lines(nested(), expand_nested=True) == NESTED_EXPANDED


def test_long_names_continue_on_the_next_line():
    assert lines(long_names()) == LONG_NAMES


def test_unbuilt_model_raises():
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="This model has not yet been built"):
        model.summary()


# ------------------------------------------------------------------ helpers
def test_count_params_counts_each_weight_once_and_unknown_dims_as_zero():
    w = np.zeros((3, 4), np.float32)
    assert layer_utils.count_params([w, w, np.zeros(4)]) == 16
    assert layer_utils.count_params([keras.Input(shape=(5,), name="unknown_batch")]) == 0
    assert layer_utils.count_params(sequential().weights) == 906


def test_count_params_rejects_non_weights():
    with pytest.raises(TypeError, match="`weights` must hold weights"):
        layer_utils.count_params([3.0])


@pytest.mark.parametrize("size,text", [   # measured with tf_keras 2.21's readable_memory_size
    (0, "0.00 Byte"), (1023, "1023.00 Byte"), (1024, "1.00 KB"), (3624, "3.54 KB"),
    (1048575, "1024.00 KB"), (1048576, "1.00 MB"), (2 ** 50, "1.00 PB")])
def test_readable_memory_size(size, text):
    assert layer_utils.readable_memory_size(size) == text


def test_weight_memory_size_uses_the_dtype():
    assert layer_utils.weight_memory_size([np.zeros((2, 3), np.float64),
                                           np.zeros(5, np.float32)]) == 68
