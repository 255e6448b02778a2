"""``keras.utils.plot_model`` and ``keras.utils.model_to_dot``: a model drawn by graphviz.

Clauses: MODEL.PLOT (docs/spec.md); the one-node drawing of MODEL.SUBCLASS.LIMITS.

The rule. ``model_to_dot`` turns a built model into a ``pydot.Dot`` graph: one
record-shaped node per layer (id ``str(id(layer))``, InputLayers included, in
``model.layers`` order) and one edge per (inbound layer, layer) pair of each call
that belongs to the model. A node's label is built outwards from the class name:

    label = Class                                    # {Class|activation} if asked
    label = f"{name}|{label}"                        # show_layer_names
    label = f"{label}|{dtype}"                       # show_dtype
    label = "{" + label + "}|{input:|output:}|{{" + in_shape + "}|{" + out_shape + "}}"
    label = f"{'T' if trainable else 'NT'}|{label}"  # show_trainable

>>> _shape_text([(None, 20)])
'[(None, 20)]'

A subclassed model has no graph: it is drawn as one node labelled with its name.
``plot_model`` renders that graph with the ``dot`` program in the format named by
``to_file``'s extension (PNG without one) and writes the file atomically.
refkeras differs from tf_keras 2.21 in small teaching-grade ways: a missing pydot
or ``dot`` is always an ImportError (tf_keras only prints the message when
IPython's namespace magics are loaded); ``plot_model`` returns ``to_file`` as a
string whenever it cannot return an ``IPython.display.Image`` (tf_keras returns
None, or fails for formats IPython cannot embed); and bad ``to_file``/``rankdir``
values or a format graphviz rejects raise a ValueError/TypeError/FileNotFoundError
naming the argument, before any file is touched (tf_keras lets pydot fail).

Who owns what: this module only reads the model (``layers``, ``_is_graph_network``
and the graph ``refkeras/models/functional.py`` keeps in ``_graph``); pydot builds
the DOT text and runs graphviz.
"""
import importlib
import os
import uuid

from refkeras.utils.layer_utils import layer_index_bounds

PLOT_REQUIREMENTS = ("You must install pydot (`pip install pydot`) and install graphviz "
                     "(see instructions at https://graphviz.gitlab.io/download/) "
                     "for plot_model to work.")
DOT_REQUIREMENTS = "You must install pydot (`pip install pydot`) for model_to_dot to work."
NOT_BUILT = ("This model has not yet been built. Build the model first by calling `build()` "
             "or by calling the model on a batch of data.")
# tf_keras tries the pydot forks first: pydot_ng, then pydotplus, then pydot itself.
_PYDOT_MODULES = ("pydot_ng", "pydotplus", "pydot")
_RANKDIRS = ("TB", "LR", "BT", "RL")
_EMBEDDABLE = ("png", "jpg", "jpeg", "gif")       # what IPython.display.Image can show


# ------------------------------------------------------------------ requirements
def _import_pydot():
    """The first importable pydot flavour, or None."""
    for module_name in _PYDOT_MODULES:
        try:
            return importlib.import_module(module_name)
        except ImportError:
            continue
    return None


def _graphviz_runs(pydot):
    """True when ``dot`` can render an empty graph."""
    # No `dot` on PATH is an OSError; a failing `dot` is pydot's AssertionError
    # (pydot_ng raises its own InvocationException).
    failures = (OSError, AssertionError, getattr(pydot, "InvocationException", OSError))
    try:
        pydot.Dot.create(pydot.Dot())
    except failures:
        return False
    return True


def _require_built(model):
    if not model.built:
        raise ValueError(NOT_BUILT)


# ----------------------------------------------------------------------- labels
def _shape_text(shape):
    """A shape as printed in a label; braces are escaped because records use them."""
    return str(shape).replace("{", r"\{").replace("}", r"\}")


def _activation_name(activation):
    if hasattr(activation, "name"):
        return activation.name
    if hasattr(activation, "__name__"):
        return activation.__name__
    return str(activation)


def _layer_label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations,
                 show_trainable):
    label = type(layer).__name__
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        label = f"{{{label}|{_activation_name(activation)}}}"
    if show_layer_names:
        label = f"{layer.name}|{label}"
    if show_dtype:
        label = f"{label}|{'?' if layer.dtype is None else layer.dtype}"
    if show_shapes:
        label = (f"{{{label}}}|{{input:|output:}}|"
                 f"{{{{{_known_shape(layer, 'input_shape')}}}|"
                 f"{{{_known_shape(layer, 'output_shape')}}}}}")
    if show_trainable:
        label = f"{'T' if layer.trainable else 'NT'}|{label}"
    return label


def _known_shape(layer, attribute):
    try:
        return _shape_text(getattr(layer, attribute))
    except AttributeError:         # never called, or called with different shapes
        return "?"


# ------------------------------------------------------------------------ graph
def _drawn_layers(model):
    """The layers drawn: the graph's layers, so a Sequential's InputLayer is included."""
    return list(model._graph.layers)


def _layer_slice(layers, layer_range):
    """``[first, stop)`` over ``layers``; None (every layer) when ``layer_range`` is None.

    The names are looked up in the drawn layers (tf_keras looks them up in
    ``model.layers``, which for a Sequential is off by one: it lacks the InputLayer).
    """
    if layer_range is None:
        return None
    if len(layer_range) != 2:
        raise ValueError("layer_range must be of shape (2,). Received: "
                         f"layer_range = {layer_range} of length {len(layer_range)}")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    return layer_index_bounds(layers, layer_range)


def _is_functional(layer):
    from refkeras.models.functional import Functional
    return isinstance(layer, Functional)


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=96, subgraph=False, layer_range=None,
                 show_layer_activations=False, show_trainable=False):
    """A ``pydot.Dot`` (or, with ``subgraph=True``, a ``pydot.Cluster``) drawing ``model``.

    Raises ValueError for an unbuilt model and ImportError when pydot is missing.
    """
    _require_built(model)
    pydot = _import_pydot()
    if pydot is None:
        raise ImportError(DOT_REQUIREMENTS)
    if rankdir not in _RANKDIRS:
        raise ValueError(f"`rankdir` must be one of {list(_RANKDIRS)}. Received: "
                         f"rankdir={rankdir!r}")
    dot = _empty_graph(pydot, model, rankdir, dpi, subgraph)
    if not getattr(model, "_is_graph_network", False):
        dot.add_node(pydot.Node(str(id(model)), label=model.name))
        return dot

    layers = _drawn_layers(model)
    bounds = _layer_slice(layers, layer_range) or [0, len(layers)]
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype,
               "show_layer_names": show_layer_names,
               "show_layer_activations": show_layer_activations, "show_trainable": show_trainable}
    ends = _add_layer_nodes(pydot, dot, layers[bounds[0]:bounds[1]], rankdir, expand_nested,
                            options)
    # tf_keras leaves out the edges into the first layer of a layer_range.
    first = bounds[0] + 1 if layer_range is not None else 0
    _add_edges(pydot, dot, layers[first:bounds[1]], set(model._graph.nodes), ends)
    return dot


def _add_layer_nodes(pydot, dot, layers, rankdir, expand_nested, options):
    """Add a node (or, for an expanded nested model, a cluster) per layer.

    Returns ``{id(layer): (first node name, last node name)}``: where edges into and
    out of each drawn layer attach (a cluster's first and last nodes).
    """
    ends = {}
    for layer in layers:
        if expand_nested and _is_functional(layer):
            cluster = model_to_dot(layer, rankdir=rankdir, expand_nested=True, subgraph=True,
                                   **options)
            nodes = cluster.get_nodes()
            ends[id(layer)] = (nodes[0].get_name(), nodes[-1].get_name())
            dot.add_subgraph(cluster)
        else:
            dot.add_node(pydot.Node(str(id(layer)), label=_layer_label(layer, **options)))
            ends[id(layer)] = (str(id(layer)), str(id(layer)))
    return ends


def _add_edges(pydot, dot, layers, model_nodes, ends):
    """One edge per (inbound layer, layer) pair of the calls in ``model_nodes``."""
    for layer in layers:
        for node in layer._inbound_nodes:
            if node not in model_nodes:          # a call made outside this model
                continue
            for source in node.inbound_layers:
                if id(source) not in ends or id(layer) not in ends:   # outside layer_range
                    continue
                tail, head = ends[id(source)][1], ends[id(layer)][0]
                if not dot.get_edge(tail, head):
                    dot.add_edge(pydot.Edge(tail, head))


def _empty_graph(pydot, model, rankdir, dpi, subgraph):
    if subgraph:
        cluster = pydot.Cluster(style="dashed", graph_name=model.name)
        cluster.set("label", model.name)
        cluster.set("labeljust", "l")
        return cluster
    dot = pydot.Dot()
    dot.set("rankdir", rankdir)
    dot.set("concentrate", True)
    dot.set("dpi", dpi)
    dot.set_node_defaults(shape="record")
    return dot


# ------------------------------------------------------------------------- file
def _target_path(to_file):
    if not isinstance(to_file, (str, os.PathLike)):
        raise TypeError("`to_file` must be a file path (str or os.PathLike). Received: "
                        f"to_file={to_file!r} of type {type(to_file).__name__}")
    path = os.fspath(to_file)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot write to_file={path!r}: the folder {folder!r} does "
                                "not exist.")
    return path


def _render(dot, path, image_format):
    """The image bytes; nothing is written if graphviz rejects the format."""
    try:
        return dot.create(prog="dot", format=image_format)
    except AssertionError as error:          # pydot reports a failed `dot` run this way
        raise ValueError(f"graphviz could not write the format {image_format!r} taken from "
                         f"to_file={path!r}: {error}") from error


def _write_atomically(path, data):
    """Write ``data`` to a new file beside ``path``, then rename it over ``path``.

    A reader never sees a half-written image, and a failure leaves no file behind.
    """
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _result(path, image_format):
    """An IPython Image of the file when IPython can show it (as tf_keras), else the path."""
    if image_format.lower() not in _EMBEDDABLE:
        return path
    try:
        from IPython import display
    except ImportError:
        return path
    return display.Image(filename=path, format=image_format)


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=96,
               layer_range=None, show_layer_activations=False, show_trainable=False):
    """Draw ``model`` with graphviz into ``to_file``; the format is the file's extension.

    Returns an ``IPython.display.Image`` of the file when IPython is importable and the
    format is PNG, JPEG or GIF; otherwise the path written, as a string.
    Raises ValueError for an unbuilt model and ImportError when pydot or graphviz's
    ``dot`` program is missing, before any file is touched.
    """
    _require_built(model)
    pydot = _import_pydot()
    if pydot is None or not _graphviz_runs(pydot):
        raise ImportError(PLOT_REQUIREMENTS)
    path = _target_path(to_file)
    extension = os.path.splitext(path)[1]
    image_format = extension[1:] if extension else "png"
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi, layer_range=layer_range,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable)
    _write_atomically(path, _render(dot, path, image_format))
    return _result(path, image_format)


__all__ = ["model_to_dot", "plot_model"]
