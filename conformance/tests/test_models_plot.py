"""plot_model and model_to_dot: the graph drawn, its labels, the file, the missing-tool error.

Seed 000 "多输入/多输出模型的数据" ("绘制模型 ... 图中显示的 shape 是 batch shape") and
003 "函数 API 的威力：访问层连接性". These tests need pydot (``pip install pydot``) and
graphviz's ``dot`` binary, which the suite lists as test dependencies: the missing-tool
case is produced by hiding ``dot`` from ``PATH``.
"""
import importlib.util
import shutil
import sys
import types

import numpy as np
import pytest

from conformance import clause

MISSING = ("You must install pydot (`pip install pydot`) and install graphviz (see instructions "
           "at https://graphviz.gitlab.io/download/) for plot_model to work.")
IPYTHON_MARKER = "IPython.core.magics.namespace"


def ticket(keras):
    title = keras.Input(shape=(20,), name="title")
    text_body = keras.Input(shape=(20,), name="text_body")
    tags = keras.Input(shape=(5,), name="tags")
    features = keras.layers.Concatenate(name="concat")([title, text_body, tags])
    features = keras.layers.Dense(64, activation="relu", name="features")(features)
    priority = keras.layers.Dense(1, activation="sigmoid", name="priority")(features)
    department = keras.layers.Dense(4, activation="softmax", name="department")(features)
    return keras.Model([title, text_body, tags], [priority, department], name="ticket")


@pytest.fixture
def graphviz():
    """pydot and graphviz's ``dot`` program, or an `unsupported` result: on a machine
    without them the drawing clauses cannot be checked (never a pass)."""
    if shutil.which("dot") is None or importlib.util.find_spec("pydot") is None:
        pytest.skip("unsupported: this machine lacks pydot or graphviz's `dot` program "
                    "(pip install pydot; apt-get install graphviz)")


def _layer_nodes(dot):
    """The nodes that stand for layers (pydot also lists the `node [shape=record]` default)."""
    return [n for n in dot.get_nodes() if n.get_name() not in ("node", "edge", "graph")]


def _labels(dot):
    return [n.get("label") for n in _layer_nodes(dot)]


@clause("MODEL.PLOT")
def test_plot_model_writes_a_png(backend, graphviz, tmp_path):
    keras = backend.keras
    target = tmp_path / "model.png"
    result = keras.utils.plot_model(ticket(keras), to_file=str(target), show_shapes=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert type(result).__name__ == "Image"      # IPython.display.Image, IPython being installed


@clause("MODEL.PLOT")
def test_model_to_dot_labels_with_and_without_shapes(backend, graphviz):
    keras = backend.keras
    model = ticket(keras)
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert dot.get_node_defaults() == [{"shape": "record"}]
    assert dot.get("rankdir") == "TB"
    assert _labels(dot) == [
        "{title|InputLayer}|{input:|output:}|{{[(None, 20)]}|{[(None, 20)]}}",
        "{text_body|InputLayer}|{input:|output:}|{{[(None, 20)]}|{[(None, 20)]}}",
        "{tags|InputLayer}|{input:|output:}|{{[(None, 5)]}|{[(None, 5)]}}",
        ("{concat|Concatenate}|{input:|output:}|{{[(None, 20), (None, 20), (None, 5)]}|"
         "{(None, 45)}}"),
        "{features|Dense}|{input:|output:}|{{(None, 45)}|{(None, 64)}}",
        "{priority|Dense}|{input:|output:}|{{(None, 64)}|{(None, 1)}}",
        "{department|Dense}|{input:|output:}|{{(None, 64)}|{(None, 4)}}"]
    names = {n.get_name(): n.get("label").split("|")[0].strip("{") for n in _layer_nodes(dot)}
    edges = sorted((names[e.get_source()], names[e.get_destination()]) for e in dot.get_edges())
    assert edges == sorted([("title", "concat"), ("text_body", "concat"), ("tags", "concat"),
                            ("concat", "features"), ("features", "priority"),
                            ("features", "department")])
    plain = keras.utils.model_to_dot(model)
    assert _labels(plain) == ["title|InputLayer", "text_body|InputLayer", "tags|InputLayer",
                              "concat|Concatenate", "features|Dense", "priority|Dense",
                              "department|Dense"]


@clause("MODEL.PLOT")
def test_a_sequential_is_drawn_with_its_input_layer(backend, graphviz):
    keras = backend.keras
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, name="d")])
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert _labels(dot) == ["{input_1|InputLayer}|{input:|output:}|{{[(None, 3)]}|{[(None, 3)]}}",
                            "{d|Dense}|{input:|output:}|{{(None, 3)}|{(None, 2)}}"]
    assert len(dot.get_edges()) == 1


@clause("MODEL.PLOT")
def test_plot_model_of_an_unbuilt_model_raises(backend, graphviz, tmp_path):
    keras = backend.keras
    model = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError) as info:
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    assert str(info.value) == ("This model has not yet been built. Build the model first by "
                               "calling `build()` or by calling the model on a batch of data.")
    assert not (tmp_path / "m.png").exists()


@clause("MODEL.PLOT.MISSING")
def test_missing_graphviz_raises_import_error_outside_ipython(backend, tmp_path, monkeypatch):
    keras = backend.keras
    model = ticket(keras)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delitem(sys.modules, IPYTHON_MARKER, raising=False)
    with pytest.raises(ImportError) as info:
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    assert str(info.value) == MISSING
    assert not (tmp_path / "m.png").exists()


@clause("MODEL.PLOT.MISSING")
def test_missing_graphviz_raises_import_error_under_ipython(backend, tmp_path, monkeypatch):
    keras = backend.keras
    model = ticket(keras)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setitem(sys.modules, IPYTHON_MARKER, types.ModuleType(IPYTHON_MARKER))
    with pytest.raises(ImportError) as info:
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    assert str(info.value) == MISSING
    assert not (tmp_path / "m.png").exists()


@clause("MODEL.SUBCLASS.LIMITS")
def test_a_subclassed_model_is_drawn_as_one_node(backend, graphviz):
    keras = backend.keras

    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.d = keras.layers.Dense(2)

        def call(self, inputs):
            return self.d(inputs)

    model = Sub()
    model(np.ones((1, 3), np.float32))
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert _labels(dot) == ["sub"]
    assert dot.get_edges() == []
