"""``keras.utils.layer_utils``: counting weights and printing ``model.summary()``.

Clauses: MODEL.SUMMARY (docs/spec.md); the subclassed-model rows of
MODEL.SUBCLASS.LIMITS.

The rule. A summary is a table of ``line_length`` characters: ``Model: "name"``,
a ``_`` rule, the header row, a ``=`` rule, one row per layer (in ``model.layers``
order) each followed by a blank row, a ``=`` rule, the three totals and a ``_``
rule. A model whose graph is one chain (a Sequential, a subclassed model, or a
functional model in which every call has at most one input and feeds at most one
other call) has the columns ``Layer (type)``, ``Output Shape``, ``Param #`` ending
at 45%, 85% and 100% of 65 characters; any other functional model adds
``Connected to`` and the ends are 30%, 60%, 70% and 100% of 98 characters. A cell
too long for its column (its width minus 3 for the two separating spaces and the
alignment offset; the last column keeps its full width) continues on the next
line, cut right after the first ``),``, ``},``, ``],`` or ``',`` if there is one.
Sizes count 4 bytes per float32 number and step by 1024 (``906 (3.54 KB)``).

    end = [int(line_length * p) for p in positions]
    cell_width = end[col] - start[col] - (3 if col is not last else 0)

>>> readable_memory_size(906 * 4)
'3.54 KB'

Who owns what: this module only reads the model (its ``layers``, weights and the
graph that ``refkeras/models/functional.py`` keeps in ``_graph``);
``Model.summary`` (``refkeras/models/model.py``) checks that the model is built
and calls ``print_summary``.
"""
import re

import numpy as np

_LINE_BREAKS = ("),", "},", "],", "',")       # a wrapped cell ends a line after one of these
_MEMORY_UNITS = ("Byte", "KB", "MB", "GB", "TB", "PB")

# Column layouts: (default width, default right edges as fractions, header).
_CHAIN_LAYOUT = (65, (0.45, 0.85, 1.0), ["Layer (type)", "Output Shape", "Param #"])
_GRAPH_LAYOUT = (98, (0.3, 0.6, 0.70, 1.0),
                 ["Layer (type)", "Output Shape", "Param #", "Connected to"])
_TRAINABLE_COLUMN_WIDTH = 11


# ----------------------------------------------------------------- weight sizes
def _unique_shapes(weights, argument):
    """The shapes (lists, None kept) of the distinct objects in ``weights``."""
    unique = {id(w): w for w in weights}.values()     # a shared weight counts once
    shapes = []
    for weight in unique:
        if not hasattr(weight, "shape"):
            raise TypeError(f"`{argument}` must hold weights (objects with a `shape`); "
                            f"received {weight!r} of type {type(weight).__name__}.")
        shapes.append((list(weight.shape), weight))
    return shapes


def count_params(weights):
    """The number of scalars in ``weights``, each distinct weight counted once.

    An unknown dimension (None) counts as 0.

    >>> count_params([np.zeros((3, 4)), np.zeros(4)])
    16
    """
    shapes = _unique_shapes(weights, "weights")
    return int(sum(int(np.prod([d or 0 for d in shape])) for shape, _ in shapes))


def weight_memory_size(weights):
    """Bytes held by ``weights`` (distinct ones; weights of unknown shape are skipped).

    >>> weight_memory_size([np.zeros((3, 4), np.float32)])
    48
    """
    total = 0
    for shape, weight in _unique_shapes(weights, "weights"):
        if None in shape:
            continue
        total += int(np.prod(shape)) * np.dtype(weight.dtype).itemsize
    return total


def readable_memory_size(size):
    """``size`` bytes with two decimals, in the largest unit (steps of 1024) that is >= 1.

    (tf_keras 2.21 prints 2**60 bytes as "1.00 PB"; here it is "1024.00 PB".)

    >>> readable_memory_size(1020), readable_memory_size(1024), readable_memory_size(300 * 4)
    ('1020.00 Byte', '1.00 KB', '1.17 KB')
    """
    unit = 0
    while size >= 1024 and unit < len(_MEMORY_UNITS) - 1:
        size /= 1024
        unit += 1
    return f"{size:.2f} {_MEMORY_UNITS[unit]}"


# ------------------------------------------------------------------- layer range
def get_layer_index_bound_by_layer_name(model, layer_range=None):
    """``[first, last + 1]``: the slice of ``model.layers`` between two layer names."""
    return layer_index_bounds(model.layers, layer_range)


def layer_index_bounds(layers, layer_range=None):
    """``[first, last + 1]``: the slice of ``layers`` between two layer names.

    Each name is a regular expression matched (``re.match``) against the layer names:
    the slice runs from the first match of ``layer_range[0]`` to the last match of
    ``layer_range[1]``, both included. ``None`` means every layer.
    """
    if layer_range is None:
        return [0, len(layers)]
    if len(layer_range) != 2:
        raise ValueError("layer_range must be a list or tuple of length 2. Received: "
                         f"layer_range = {layer_range} of length {len(layer_range)}")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError("Passed layer_names do not match the layer names in the model. "
                         f"Received: {layer_range}")
    if min(lower) > max(upper):             # the two names given in reverse order
        return [min(upper), max(lower) + 1]
    return [min(lower), max(upper) + 1]


# ---------------------------------------------------------------- model anatomy
def _model_nodes(model):
    """The calls (Nodes) that make up a functional model's graph, Input nodes included."""
    return list(model._graph.nodes) + [tensor.node for tensor in model.inputs]


def _is_chain(model):
    """True when the summary needs no "Connected to" column.

    A Sequential and a subclassed model are always shown as a chain; a functional model
    is one when its calls form a single path: one Input, every call takes at most one
    tensor and feeds at most one other call, and no layer is called twice.
    """
    if type(model).__name__ == "Sequential" or not getattr(model, "_is_graph_network", False):
        return True
    nodes = _model_nodes(model)
    if any(len(node.keras_inputs) > 1 for node in nodes):
        return False
    if len({id(node.layer) for node in nodes}) < len(nodes):          # a shared layer
        return False
    parents = [id(node.parent_nodes[0]) for node in nodes if node.keras_inputs]
    starts = [node for node in nodes if not node.keras_inputs]
    return len(starts) == 1 and len(set(parents)) == len(parents)     # no branching


def _output_shape(layer):
    try:
        return layer.output_shape
    except AttributeError:            # never called, or called with different shapes
        return "multiple"


def _param_count(layer, chain):
    # A layer a subclassed model never called has no weights yet.
    if chain and not layer.built and not getattr(layer, "_is_graph_network", False):
        return "0 (unused)"
    return layer.count_params()


def _connections(layer, model_nodes):
    """``['dense[0][0]', ...]``: the (layer, node, tensor) that feed each call in the model."""
    entries = []
    for node in layer._inbound_nodes:
        if model_nodes and node not in model_nodes:   # a call made outside this model
            continue
        for tensor in node.keras_inputs:
            source, node_index, tensor_index = tensor._keras_history
            entries.append(f"{source.name}[{node_index}][{tensor_index}]")
    return entries


# ------------------------------------------------------------------- the table
def _column_ends(line_length, positions, fractions):
    positions = list(positions or fractions)
    if positions[-1] <= 1:                           # fractions of the width
        positions = [int(line_length * p) for p in positions]
    return positions


def _cut(text, width):
    """The part of ``text`` that goes on this line: ``width`` characters, or less at a break."""
    piece = text[:width]
    breaks = [piece.find(mark) + len(mark) for mark in _LINE_BREAKS if mark in piece]
    return piece[:min(breaks)] if breaks else piece


def _row_lines(cells, ends, nested_level=0):
    """The printed lines of one table row; long cells continue on the following lines."""
    left = [str(cell) for cell in cells]
    last = len(ends) - 1
    lines = []
    while any(left):
        line = ""
        for col, text in enumerate(left):
            start = ends[col - 1] if col > 0 else 0
            width = ends[col] - start
            if col != last:
                width -= 3                    # two separating spaces and one of alignment
            if col == 0:
                width -= nested_level
                line += "|" * nested_level + " "
            piece = _cut(text, width)
            left[col] = text[len(piece):]
            line += piece + ("  " if col != last else "")
            # the nesting bars on the right take room from the last column
            edge = ends[col] - nested_level if (nested_level and col == last) else ends[col]
            line += " " * (edge - len(line))
        lines.append(line + "|" * nested_level)
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    """Print ``model``'s summary table, one ``print_fn(line)`` call per line.

    Args:
        model: a built Model.
        line_length: the table width (default 65, or 98 with the "Connected to" column).
        positions: right edges of the columns, as fractions of the width or as characters.
        print_fn: called with each line (one string argument); default ``print``.
        expand_nested: also list the layers of nested models, framed by ``|`` bars.
        show_trainable: add a ``Trainable`` column (``Y``/``N``), 11 characters wide.
        layer_range: two layer-name patterns; only the layers between them are listed.
    """
    if print_fn is None:
        print_fn = print
    chain = _is_chain(model)
    default_length, fractions, header = _CHAIN_LAYOUT if chain else _GRAPH_LAYOUT
    line_length = line_length or default_length
    ends = _column_ends(line_length, positions, fractions)
    header = list(header)
    if show_trainable:
        line_length += _TRAINABLE_COLUMN_WIDTH
        ends.append(line_length)
        header.append("Trainable")
    model_nodes = [] if chain else _model_nodes(model)
    first, stop = get_layer_index_bound_by_layer_name(model, layer_range)

    def emit(lines):
        for line in lines:
            print_fn(line)

    def layer_cells(layer):
        cells = [f"{layer.name} ({type(layer).__name__})", _output_shape(layer)]
        if chain:
            cells.append(_param_count(layer, chain))
        else:
            cells += [layer.count_params(), _connections(layer, model_nodes)]
        if show_trainable:
            cells.append("Y" if layer.trainable else "N")
        return cells

    def show_layer(layer, level=0, is_last_nested=False):
        emit(_row_lines(layer_cells(layer), ends, level))
        inner = layer.layers if expand_nested and hasattr(layer, "layers") else []
        if inner:
            bar = "|" * (level + 1)
            emit([bar + "¯" * (line_length - 2 * level - 2) + bar])
            for index, sublayer in enumerate(inner):
                show_layer(sublayer, level + 1, index == len(inner) - 1)
            emit(["|" * level + "¯" * (line_length - 2 * level) + "|" * level])
        # A blank row follows each row, except the last row of a nested block and a
        # block's closing rule.
        elif not is_last_nested:
            emit(["|" * level + " " * (line_length - 2 * level) + "|" * level])

    emit([f'Model: "{model.name}"', "_" * line_length])
    emit(_row_lines(header, ends))
    emit(["=" * line_length])
    for layer in model.layers[first:stop]:
        show_layer(layer)
    emit(["=" * line_length])
    emit(_totals(model))
    emit(["_" * line_length])


def _totals(model):
    trainable, frozen = model.trainable_weights, model.non_trainable_weights
    trainable_count, frozen_count = count_params(trainable), count_params(frozen)
    trainable_size, frozen_size = weight_memory_size(trainable), weight_memory_size(frozen)
    total_size = readable_memory_size(trainable_size + frozen_size)
    return [
        f"Total params: {trainable_count + frozen_count} ({total_size})",
        f"Trainable params: {trainable_count} ({readable_memory_size(trainable_size)})",
        f"Non-trainable params: {frozen_count} ({readable_memory_size(frozen_size)})",
    ]


__all__ = ["count_params", "get_layer_index_bound_by_layer_name", "layer_index_bounds",
           "print_summary", "readable_memory_size", "weight_memory_size"]
