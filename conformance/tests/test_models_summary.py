"""Model.summary(): the exact text, its columns, totals and widths.

Seed 003 "7.2.1 Sequential 模型" and "7.2.2 函数式 API" (summary() of the Sequential and
the ticket model); 003 "7.4.1 训练与推断" (non-trainable parameters). The expected
lines are tf_keras 2.21's output, with each line's trailing spaces stripped; layer and
model names are explicit so the text does not depend on name counters.
"""
import numpy as np
import pytest

from conformance import clause

SEQUENTIAL = [
    'Model: "seq"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #',
    '=================================================================',
    ' d1 (Dense)                  (None, 64)                256',
    '',
    ' d2 (Dense)                  (None, 10)                650',
    '',
    '=================================================================',
    'Total params: 906 (3.54 KB)',
    'Trainable params: 906 (3.54 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
]

SEQUENTIAL_50 = [
'Model: "seq"',
    '__________________________________________________',
    ' Layer (type)         Output Shape        Param #',
    '==================================================',
    ' d1 (Dense)           (None, 64)          256',
    '',
    ' d2 (Dense)           (None, 10)          650',
    '',
    '==================================================',
    'Total params: 906 (3.54 KB)',
    'Trainable params: 906 (3.54 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '__________________________________________________',
]

TICKET = [
'Model: "ticket"',
    '__________________________________________________________________________________________________',
    ' Layer (type)                Output Shape                 Param #   Connected to',
    '==================================================================================================',
    ' title (InputLayer)          [(None, 20)]                 0         []',
    '',
    ' text_body (InputLayer)      [(None, 20)]                 0         []',
    '',
    ' tags (InputLayer)           [(None, 5)]                  0         []',
    '',
    " concat (Concatenate)        (None, 45)                   0         ['title[0][0]',",
    "                                                                     'text_body[0][0]',",
    "                                                                     'tags[0][0]']",
    '',
    " features (Dense)            (None, 64)                   2944      ['concat[0][0]']",
    '',
    " priority (Dense)            (None, 1)                    65        ['features[0][0]']",
    '',
    " department (Dense)          (None, 4)                    260       ['features[0][0]']",
    '',
    '==================================================================================================',
    'Total params: 3269 (12.77 KB)',
    'Trainable params: 3269 (12.77 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '__________________________________________________________________________________________________',
]

TICKET_120 = [
'Model: "ticket"',
    '________________________________________________________________________________________________________________________',
    ' Layer (type)                       Output Shape                        Param #     Connected to',
    '========================================================================================================================',
    ' title (InputLayer)                 [(None, 20)]                        0           []',
    '',
    ' text_body (InputLayer)             [(None, 20)]                        0           []',
    '',
    ' tags (InputLayer)                  [(None, 5)]                         0           []',
    '',
    " concat (Concatenate)               (None, 45)                          0           ['title[0][0]',",
    "                                                                                     'text_body[0][0]',",
    "                                                                                     'tags[0][0]']",
    '',
    " features (Dense)                   (None, 64)                          2944        ['concat[0][0]']",
    '',
    " priority (Dense)                   (None, 1)                           65          ['features[0][0]']",
    '',
    " department (Dense)                 (None, 4)                           260         ['features[0][0]']",
    '',
    '========================================================================================================================',
    'Total params: 3269 (12.77 KB)',
    'Trainable params: 3269 (12.77 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '________________________________________________________________________________________________________________________',
]

BATCH_NORM = [
'Model: "bnm"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #',
    '=================================================================',
    ' x (InputLayer)              [(None, 3)]               0',
    '',
    ' d (Dense)                   (None, 4)                 16',
    '',
    ' bn (BatchNormalization)     (None, 4)                 16',
    '',
    '=================================================================',
    'Total params: 32 (128.00 Byte)',
    'Trainable params: 24 (96.00 Byte)',
    'Non-trainable params: 8 (32.00 Byte)',
    '_________________________________________________________________',
]


def _lines(model, **kwargs):
    lines = []
    model.summary(print_fn=lambda line: lines.append(line), **kwargs)
    return lines


def sequential(keras):
    model = keras.Sequential([keras.layers.Dense(64, activation="relu", name="d1"),
                              keras.layers.Dense(10, activation="softmax", name="d2")], name="seq")
    model.build((None, 3))
    return model


def ticket(keras):
    title = keras.Input(shape=(20,), name="title")
    text_body = keras.Input(shape=(20,), name="text_body")
    tags = keras.Input(shape=(5,), name="tags")
    features = keras.layers.Concatenate(name="concat")([title, text_body, tags])
    features = keras.layers.Dense(64, activation="relu", name="features")(features)
    priority = keras.layers.Dense(1, activation="sigmoid", name="priority")(features)
    department = keras.layers.Dense(4, activation="softmax", name="department")(features)
    return keras.Model([title, text_body, tags], [priority, department], name="ticket")


def batch_norm(keras):
    inputs = keras.Input(shape=(3,), name="x")
    hidden = keras.layers.Dense(4, name="d")(inputs)
    return keras.Model(inputs, keras.layers.BatchNormalization(name="bn")(hidden), name="bnm")


def _check(lines, expected, width):
    assert [line.rstrip() for line in lines] == expected
    assert all(isinstance(line, str) for line in lines)
    # rows (header, layers, blank separators) are padded to the full width
    rows = [line for line in lines if line.startswith(" ") or line == ""]
    assert rows and all(len(line) == width for line in rows)


@clause("MODEL.SUMMARY")
def test_sequential_summary_text(backend, capsys):
    model = sequential(backend.keras)
    _check(_lines(model), SEQUENTIAL, 65)
    capsys.readouterr()
    model.summary()
    printed = capsys.readouterr().out
    assert [line.rstrip() for line in printed.splitlines()] == SEQUENTIAL


@clause("MODEL.SUMMARY")
def test_line_length_sets_the_width_and_the_column_positions(backend):
    model = sequential(backend.keras)
    _check(_lines(model, line_length=50), SEQUENTIAL_50, 50)
    _check(_lines(ticket(backend.keras), line_length=120), TICKET_120, 120)


@clause("MODEL.SUMMARY")
def test_a_branching_functional_model_shows_connected_to(backend):
    model = ticket(backend.keras)
    _check(_lines(model), TICKET, 98)


@clause("MODEL.SUMMARY")
def test_non_trainable_weights_in_the_totals_and_a_chain_has_no_connected_to(backend):
    model = batch_norm(backend.keras)
    _check(_lines(model), BATCH_NORM, 65)


@clause("MODEL.SUMMARY")
@pytest.mark.parametrize("units,expected", [(1, "Total params: 1 (4.00 Byte)"),
                                            (255, "Total params: 255 (1020.00 Byte)"),
                                            (256, "Total params: 256 (1.00 KB)"),
                                            (300, "Total params: 300 (1.17 KB)"),
                                            (262144, "Total params: 262144 (1.00 MB)")])
def test_memory_sizes_use_1024_steps_and_two_decimals(backend, units, expected):
    keras = backend.keras
    model = keras.Sequential([keras.Input(shape=(1,)),
                              keras.layers.Dense(units, use_bias=False, name="d")])
    assert expected in _lines(model)
    assert int(np.sum([np.prod(w.shape) for w in model.weights])) == units
