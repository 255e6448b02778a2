"""A Functional model's graph as a config, and the graph rebuilt from one.

Clauses: SAVING.CONFIG, SAVING.CONFIG.FUNCTIONAL (docs/spec.md).

Rule (tf_keras 2.21's format). The config lists ``layers`` in model order, each
serialized (``saving/serialization_lib.py``) with its ``name`` and
``inbound_nodes``: one entry per call of the layer inside this model, each a list
of ``[layer name, node index, tensor index, call kwargs]``, one per tensor of the
call's first argument. ``input_layers`` and ``output_layers`` are
``[layer name, node index, tensor index]`` in the shape of the model's inputs and
outputs (a single one is wrapped in a list). Node indices count the calls of a
layer inside this model; a nested model's count starts at 1, because tf_keras
reserves its node 0 for the nested model's own graph.

Rebuilding creates every layer, then replays the calls: a call waits until the
layers feeding it have been called (a pass over the queue that makes no progress
means the config is broken), and ``Model(inputs, outputs)`` closes the graph.

>>> import refkeras as keras
>>> x = keras.Input((3,), name="x")
>>> model = keras.Model(x, keras.layers.Dense(2, name="d")(x))
>>> config = model.get_config()
>>> config["layers"][1]["inbound_nodes"], config["output_layers"]
([[['x', 0, 0, {}]]], [['d', 0, 0]])
"""
import inspect

from refkeras.engine.keras_tensor import KerasTensor
from refkeras.saving import serialization_lib
from refkeras.utils import nest


def first_node_offset(layer):
    """1 for a nested model (tf_keras's node 0 is its own graph), else 0."""
    from refkeras.models.functional import Functional
    return 1 if isinstance(layer, Functional) else 0


# --------------------------------------------------------------------------- to a config

def get_network_config(model):
    graph_nodes = {id(node) for node in model._graph.nodes}
    numbering = _node_numbering(model.layers, graph_nodes)
    layers = []
    for layer in model.layers:
        entry = serialization_lib.serialize_keras_object(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [_node_data(node, numbering) for node in layer._inbound_nodes
                                  if id(node) in graph_nodes and not node.is_input]
        layers.append(entry)
    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": _endpoints(model._nested_inputs, numbering),
            "output_layers": _endpoints(model._nested_outputs, numbering)}


def _node_numbering(layers, graph_nodes):
    """(id(layer), our node index) -> the node index the config uses."""
    numbering = {}
    for layer in layers:
        count = first_node_offset(layer)
        for index, node in enumerate(layer._inbound_nodes):
            if id(node) in graph_nodes:
                numbering[(id(layer), index)] = count
                count += 1
    return numbering


def _coordinates(tensor, numbering):
    layer, node_index, tensor_index = tensor._keras_history
    return [layer.name, numbering.get((id(layer), node_index), 0), tensor_index]


def _node_data(node, numbering):
    kwargs = _call_kwargs(node, numbering)
    data = nest.map_structure(lambda t: _coordinates(t, numbering) + [kwargs],
                              node.call_args[0])
    return data if nest.is_nested(node.call_args[0]) else [data]


def _call_kwargs(node, numbering):
    """Every argument but the first, by name; KerasTensors as coordinates."""
    names = list(inspect.signature(node.layer.call).parameters)[1:]
    kwargs = dict(zip(names, node.call_args[1:]))
    kwargs.update(node.call_kwargs)
    return nest.map_structure(
        lambda v: _coordinates(v, numbering) if isinstance(v, KerasTensor) else v, kwargs)


def _endpoints(structure, numbering):
    packed = nest.map_structure(lambda t: _coordinates(t, numbering), structure)
    return packed if nest.is_nested(structure) else [packed]


# --------------------------------------------------------------------------- from a config

def reconstruct_from_config(config, custom_objects=None):
    """(inputs, outputs, layers by name): the graph the config describes, rebuilt."""
    from refkeras.layers.core.input_layer import InputLayer
    created, order, queues, node_map, counts = {}, [], {}, {}, {}
    for layer_data in config["layers"]:
        layer = serialization_lib.deserialize_keras_object(layer_data, custom_objects)
        name = layer_data["name"]
        created[name], counts[name] = layer, first_node_offset(layer)
        order.append(name)
        queues[name] = list(layer_data.get("inbound_nodes", []))
        if isinstance(layer, InputLayer):
            node_map[(name, 0)] = 0
    while any(queues.values()):
        progressed = False
        for name in order:
            while queues[name] and _replay(created[name], queues[name][0], created, node_map,
                                           counts):
                queues[name].pop(0)
                progressed = True
        if not progressed:
            waiting = sorted(name for name in order if queues[name])
            raise ValueError(f"Improperly formatted model config: the calls of {waiting} refer "
                             "to layer calls that the config never makes.")
    return (_resolve(config["input_layers"], created, node_map),
            _resolve(config["output_layers"], created, node_map), created)


def _replay(layer, node_data, created, node_map, counts):
    """Call ``layer`` as ``node_data`` says, if every tensor it needs exists yet."""
    entries = _entries(node_data)
    tensors = [_tensor_at(entry, created, node_map) for entry in entries]
    kwargs = next((entry[3] for entry in entries if len(entry) == 4 and entry[3]), {})
    kwargs = _resolve_kwargs(kwargs, created, node_map)
    if any(t is None for t in tensors) or kwargs is None:
        return False
    if isinstance(node_data, dict):
        inputs = dict(zip(node_data, tensors))
    else:   # tf_keras wraps a single tensor in a list: one entry is one tensor
        inputs = tensors[0] if len(tensors) == 1 else tensors
    layer(inputs, **kwargs)
    node_map[(layer.name, counts[layer.name])] = len(layer._inbound_nodes) - 1
    counts[layer.name] += 1
    return True


def _is_entry(value):
    return (isinstance(value, (list, tuple)) and len(value) in (3, 4)
            and isinstance(value[0], str) and isinstance(value[1], int))


def _entries(node_data):
    if isinstance(node_data, dict):
        return list(node_data.values())
    if _is_entry(node_data):
        return [node_data]
    if not all(_is_entry(entry) for entry in node_data):
        raise ValueError(f"Improperly formatted model config: a node is {node_data!r}.")
    return list(node_data)


def _tensor_at(entry, created, node_map):
    """The output ``entry`` ([layer, node, tensor]) points at, or None if not made yet."""
    name, node_index, tensor_index = entry[0], entry[1], entry[2]
    if name not in created:
        raise ValueError(f"Improperly formatted model config: no layer named {name!r}.")
    ours = node_map.get((name, node_index))
    if ours is None:
        return None
    return nest.flatten(created[name]._inbound_nodes[ours].outputs)[tensor_index]


def _resolve_kwargs(kwargs, created, node_map):
    """Call kwargs with coordinates turned back into tensors; None if one is not made yet."""
    resolved = {}
    for key, value in kwargs.items():
        if _is_entry(value) and value[0] in created:
            value = _tensor_at(value, created, node_map)
            if value is None:
                return None
        resolved[key] = value
    return resolved


def _resolve(endpoints, created, node_map):
    """input_layers / output_layers back to tensors, in their structure."""
    if _is_entry(endpoints):
        return _tensor_at(endpoints, created, node_map)
    if isinstance(endpoints, dict):
        return {key: _resolve(value, created, node_map) for key, value in endpoints.items()}
    resolved = [_resolve(value, created, node_map) for value in endpoints]
    return resolved[0] if len(resolved) == 1 else resolved


__all__ = ["first_node_offset", "get_network_config", "reconstruct_from_config"]
