"""refkeras.utils.vis_utils: model_to_dot's nodes, labels and edges; plot_model's file.

Labels and edge sets are tf_keras 2.21's for the same models (captured with
``model_to_dot``; node ids are ``str(id(layer))`` on both sides, so edges are compared
by layer name). Needs pydot and graphviz's ``dot`` (``pip install pydot``; the
missing-tool cases hide them with monkeypatch).
"""
import os
import sys
import types

import numpy as np
import pytest

import refkeras as keras
from refkeras.compat import tf
from refkeras.utils import vis_utils

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MISSING = ("You must install pydot (`pip install pydot`) and install graphviz (see instructions "
           "at https://graphviz.gitlab.io/download/) for plot_model to work.")


class Join(keras.layers.Layer):
    def call(self, inputs):
        return tf.concat(inputs, axis=-1)


def ticket():
    title = keras.Input(shape=(20,), name="title")
    body = keras.Input(shape=(20,), name="body")
    tags = keras.Input(shape=(5,), name="tags")
    joined = Join(name="join")([title, body, tags])
    hidden = keras.layers.Dense(8, activation="relu", name="hidden")(joined)
    priority = keras.layers.Dense(1, name="priority")(hidden)
    department = keras.layers.Dense(4, name="department")(hidden)
    return keras.Model([title, body, tags], [priority, department], name="ticket")


def layer_nodes(graph):
    """The nodes standing for layers (pydot also lists the `node [shape=record]` default)."""
    return [n for n in graph.get_nodes() if n.get_name() not in ("node", "edge", "graph")]


def labels(graph):
    return [n.get("label") for n in layer_nodes(graph)]


def named_edges(graph, model_layers):
    name = {str(id(layer)): layer.name for layer in model_layers}
    return sorted((name[e.get_source()], name[e.get_destination()]) for e in graph.get_edges())


def files_in(folder):
    return sorted(os.listdir(folder))


# ------------------------------------------------------------------ model_to_dot
def test_graph_attributes():
    dot = keras.utils.model_to_dot(ticket(), rankdir="LR", dpi=50)
    assert dot.get_type() == "digraph"
    assert dot.get_attributes() == {"rankdir": "LR", "concentrate": True, "dpi": 50}
    assert dot.get_node_defaults() == [{"shape": "record"}]


def test_one_node_per_layer_and_one_edge_per_connection():
    model = ticket()
    dot = keras.utils.model_to_dot(model)
    assert [n.get_name() for n in layer_nodes(dot)] == [str(id(x)) for x in model.layers]
    assert labels(dot) == ["title|InputLayer", "body|InputLayer", "tags|InputLayer",
                           "join|Join", "hidden|Dense", "priority|Dense", "department|Dense"]
    assert named_edges(dot, model.layers) == sorted([
        ("title", "join"), ("body", "join"), ("tags", "join"), ("join", "hidden"),
        ("hidden", "priority"), ("hidden", "department")])


def test_labels_with_shapes():
    dot = keras.utils.model_to_dot(ticket(), show_shapes=True)
    assert labels(dot)[3:] == [
        "{join|Join}|{input:|output:}|{{[(None, 20), (None, 20), (None, 5)]}|{(None, 45)}}",
        "{hidden|Dense}|{input:|output:}|{{(None, 45)}|{(None, 8)}}",
        "{priority|Dense}|{input:|output:}|{{(None, 8)}|{(None, 1)}}",
        "{department|Dense}|{input:|output:}|{{(None, 8)}|{(None, 4)}}"]


def test_input_layer_shapes_are_lists():
    dot = keras.utils.model_to_dot(ticket(), show_shapes=True)
    assert labels(dot)[:3] == [
        "{title|InputLayer}|{input:|output:}|{{[(None, 20)]}|{[(None, 20)]}}",
        "{body|InputLayer}|{input:|output:}|{{[(None, 20)]}|{[(None, 20)]}}",
        "{tags|InputLayer}|{input:|output:}|{{[(None, 5)]}|{[(None, 5)]}}"]


def test_every_label_option_at_once():
    dot = keras.utils.model_to_dot(ticket(), show_shapes=True, show_dtype=True,
                                   show_layer_activations=True, show_trainable=True)
    assert labels(dot)[4] == ("T|{hidden|{Dense|relu}|float32}|{input:|output:}|"
                              "{{(None, 45)}|{(None, 8)}}")
    plain = keras.utils.model_to_dot(ticket(), show_layer_names=False,
                                     show_layer_activations=True)
    assert labels(plain)[3:5] == ["Join", "{Dense|relu}"]


def test_a_sequential_is_drawn_with_its_input_layer():
    model = keras.Sequential([keras.layers.Dense(64, name="d1"), keras.layers.Dense(10, name="d2")])
    model.build((None, 3))
    dot = keras.utils.model_to_dot(model)
    assert labels(dot) == ["d1_input|InputLayer", "d1|Dense", "d2|Dense"]
    assert len(dot.get_edges()) == 2


def test_a_shared_layer_has_one_node_and_no_duplicate_edges():
    a = keras.Input(shape=(3,), name="a")
    shared = keras.layers.Dense(2, name="shared")
    model = keras.Model(a, Join(name="join")([shared(a), shared(a)]), name="twice")
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert labels(dot)[1:] == ["{shared|Dense}|{input:|output:}|{{(None, 3)}|{(None, 2)}}",
                               "{join|Join}|{input:|output:}|{{[(None, 2), (None, 2)]}|{(None, 4)}}"]
    assert named_edges(dot, model.layers) == [("a", "shared"), ("shared", "join")]


def test_layer_range_drops_the_edges_into_its_first_layer():
    model = ticket()
    dot = keras.utils.model_to_dot(model, layer_range=["join", "priority"])
    assert labels(dot) == ["join|Join", "hidden|Dense", "priority|Dense"]
    assert named_edges(dot, model.layers) == [("hidden", "priority"), ("join", "hidden")]
    with pytest.raises(ValueError) as info:
        keras.utils.model_to_dot(model, layer_range=["join"])
    assert str(info.value) == ("layer_range must be of shape (2,). Received: "
                               "layer_range = ['join'] of length 1")


def test_expand_nested_draws_a_cluster():
    inner_input = keras.Input(shape=(3,), name="ii")
    inner = keras.Model(inner_input, keras.layers.Dense(2, name="idense")(inner_input),
                        name="inner")
    outer_input = keras.Input(shape=(3,), name="oi")
    outer = keras.Model(outer_input, keras.layers.Dense(1, name="odense")(inner(outer_input)),
                        name="outer")
    dot = keras.utils.model_to_dot(outer, expand_nested=True)
    assert labels(dot) == ["oi|InputLayer", "odense|Dense"]
    [cluster] = dot.get_subgraphs()
    assert cluster.get_name() == "cluster_inner"
    assert cluster.get_attributes() == {"style": "dashed", "label": "inner", "labeljust": "l"}
    assert labels(cluster) == ["ii|InputLayer", "idense|Dense"]
    every_layer = outer.layers + inner.layers
    assert named_edges(dot, every_layer) == [("idense", "odense"), ("oi", "ii")]
    assert named_edges(cluster, every_layer) == [("ii", "idense")]


def test_a_subclassed_model_is_one_node():
    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.dense = keras.layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    model = Sub()
    model(np.ones((1, 3), np.float32))
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert [(n.get_name(), n.get("label")) for n in layer_nodes(dot)] == [(str(id(model)), "sub")]
    assert dot.get_edges() == []


def test_unbuilt_model_raises_before_anything():
    model = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError) as info:
        keras.utils.model_to_dot(model)
    assert str(info.value) == vis_utils.NOT_BUILT


def test_bad_rankdir():
    with pytest.raises(ValueError, match="`rankdir` must be one of"):
        keras.utils.model_to_dot(ticket(), rankdir="sideways")


# -------------------------------------------------------------------- plot_model
def test_plot_model_writes_a_png_and_returns_an_image(tmp_path):
    target = tmp_path / "model.png"
    result = keras.utils.plot_model(ticket(), to_file=str(target), show_shapes=True)
    assert target.read_bytes()[:8] == PNG_MAGIC
    assert type(result).__name__ == "Image"        # IPython.display.Image (IPython is installed)
    assert files_in(tmp_path) == ["model.png"]      # no temporary file left


def test_without_ipython_plot_model_returns_the_path(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)
    target = tmp_path / "model.png"
    assert keras.utils.plot_model(ticket(), to_file=target) == str(target)   # PathLike accepted
    assert target.read_bytes()[:8] == PNG_MAGIC


def test_format_comes_from_the_extension(tmp_path):
    svg = tmp_path / "model.svg"
    assert keras.utils.plot_model(ticket(), to_file=str(svg)) == str(svg)
    assert b"<svg" in svg.read_bytes()
    bare = tmp_path / "model"
    keras.utils.plot_model(ticket(), to_file=str(bare))
    assert bare.read_bytes()[:8] == PNG_MAGIC


def test_an_existing_file_is_replaced(tmp_path):
    target = tmp_path / "model.png"
    target.write_bytes(b"old")
    keras.utils.plot_model(ticket(), to_file=str(target))
    assert target.read_bytes()[:8] == PNG_MAGIC


def test_plot_model_of_an_unbuilt_model_raises(tmp_path):
    model = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError) as info:
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    assert str(info.value) == vis_utils.NOT_BUILT
    assert files_in(tmp_path) == []


def test_missing_dot_program_raises_import_error_even_in_a_notebook(tmp_path, monkeypatch):
    model = ticket()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    # tf_keras would print and return None here; refkeras always raises.
    monkeypatch.setitem(sys.modules, "IPython.core.magics.namespace",
                        types.ModuleType("IPython.core.magics.namespace"))
    with pytest.raises(ImportError) as info:
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    assert str(info.value) == MISSING
    assert files_in(tmp_path) == []


def test_missing_pydot_raises_import_error(tmp_path, monkeypatch):
    model = ticket()
    for name in ("pydot_ng", "pydotplus", "pydot"):
        monkeypatch.setitem(sys.modules, name, None)     # `import name` now fails
    with pytest.raises(ImportError) as info:
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    assert str(info.value) == MISSING
    with pytest.raises(ImportError) as info:
        keras.utils.model_to_dot(model)
    assert str(info.value) == "You must install pydot (`pip install pydot`) for model_to_dot to work."
    assert files_in(tmp_path) == []


def test_an_unknown_format_leaves_no_file(tmp_path):
    with pytest.raises(ValueError, match="graphviz could not write the format 'bogus'"):
        keras.utils.plot_model(ticket(), to_file=str(tmp_path / "m.bogus"))
    assert files_in(tmp_path) == []


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    def broken_replace(source, destination):
        raise OSError("disk full")
    monkeypatch.setattr(vis_utils.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        keras.utils.plot_model(ticket(), to_file=str(tmp_path / "m.png"))
    assert files_in(tmp_path) == []


def test_bad_to_file(tmp_path):
    with pytest.raises(TypeError, match="`to_file` must be a file path"):
        keras.utils.plot_model(ticket(), to_file=3)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        keras.utils.plot_model(ticket(), to_file=str(tmp_path / "missing" / "m.png"))
    assert files_in(tmp_path) == []
