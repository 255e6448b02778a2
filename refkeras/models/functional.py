"""Functional: a model that is a graph of layer calls, from Inputs to outputs.

Clauses: MODEL.FUNC.SYMBOLIC, MODEL.FUNC.MULTI_IO, MODEL.FUNC.GRAPH, MODEL.FUNC.REUSE,
MODEL.FUNC.NESTED, MODEL.FUNC.SHARED, MODEL.FUNC.ERRORS, MODEL.LOSSES.SYMBOLIC,
MODEL.MIX (docs/spec.md).

``keras.Model(inputs, outputs)`` walks back from ``outputs`` through each
KerasTensor's history (layer, node) to the Inputs and keeps the graph:

1. **Depths.** An output's node has depth 0; a node's parents are at least one
   deeper: ``depth(parent) = max(depth(parent), depth(child) + 1)``. A layer takes
   the largest depth of its nodes.
2. **Layer order.** ``model.layers`` lists layers by decreasing depth; layers of
   equal depth keep the order in which a depth-first walk from the outputs first
   met them. So Inputs usually come first, but an Input that feeds the last
   layer directly comes late.
3. **Checks.** Every tensor a node needs must be computable from ``inputs`` (else
   "Graph disconnected"), and layer names must be unique.
4. **Running.** ``call`` visits the nodes deepest first, replaying each layer call
   on values (``Node.run``): a node's inputs are always ready, because its parents
   are deeper.

A Functional model is itself a layer: calling it on KerasTensors makes it one node
of a bigger graph, and ``keras.Model(model.inputs, model.layers[4].output)``
re-uses the same layer objects (and weights) to extract intermediate features.

    values = {inputs}
    for node in nodes, deepest first:
        values[node.outputs] = node.layer(values[node.inputs])
    return values[outputs]
"""
import warnings
from collections import namedtuple

from refkeras import ops
from refkeras.engine import call_context
from refkeras.engine.keras_tensor import KerasTensor
from refkeras.framework.convert import convert_to_tensor
from refkeras.layers.input_spec import InputSpec, assert_input_compatibility
from refkeras.layers.layer import Layer, shape_of
from refkeras.models.model import Model
from refkeras.utils import nest

Graph = namedtuple("Graph", ["nodes", "layers"])   # nodes: deepest first; layers: model order


class Functional(Model):
    _checks_input_shapes = True      # a call's inputs must match the Inputs' shapes
    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        self._is_graph_network = True
        self._init_graph(inputs, outputs)

    def _default_name_base(self):
        return "model"

    def _init_graph(self, inputs, outputs):
        _check_inputs(inputs)
        _check_outputs(outputs)
        inputs, outputs = start_graph_at(inputs, outputs)
        self._nested_inputs = inputs
        self._nested_outputs = outputs
        self.inputs = nest.flatten(inputs)
        self.outputs = nest.flatten(outputs)
        self._extra_outputs = []      # outputs of AddLoss / AddMetric layers
        self._symbolic_losses = []    # what `losses` shows before the first run
        self._ran = False
        self._rebuild_graph()
        self.built = True

    def _rebuild_graph(self):
        """The graph to the outputs, then the nodes and layers only the extra outputs need."""
        graph = map_graph_network(self.inputs, self.outputs)
        nodes, layers = list(graph.nodes), list(graph.layers)
        for tensor in self._extra_outputs:
            extra = map_graph_network(self.inputs, [tensor])
            nodes += [n for n in extra.nodes if n not in nodes]
            layers += [x for x in extra.layers if x not in layers]
        _check_unique_names(layers)
        object.__setattr__(self, "_graph", Graph(nodes, layers))   # plain data, not tracked
        self._layers = layers
        self._input_specs = [InputSpec(shape=x.shape, allow_last_axis_squeeze=True)
                             for x in self.inputs] \
            if self._checks_input_shapes else []

    @property
    def layers(self):
        return list(self._layers)

    @property
    def input_names(self):
        return [x._keras_history[0].name for x in self.inputs]

    @property
    def output_names(self):
        return [x._keras_history[0].name for x in self.outputs]

    @property
    def input_shape(self):
        return shape_of(self._nested_inputs)

    @property
    def output_shape(self):
        return shape_of(self._nested_outputs)

    def compute_output_shape(self, input_shape):
        """The output shapes of the graph, when called on inputs shaped like its Inputs."""
        given = [tuple(s) for s in nest.flatten(input_shape)] if nest.is_nested(input_shape) \
            else [tuple(input_shape)]
        if self._input_specs:
            assert_input_compatibility(self._input_specs, given, self.name)
        return shape_of(self._nested_outputs)

    def _scope_for_call(self, outer):
        return outer   # its layers were built with their own names at construction

    # ------------------------------------------------------------------ running
    def call(self, inputs, training=None, mask=None):
        self._ran = True
        values = {}
        for tensor, value in zip(self.inputs, self._flatten_inputs(inputs)):
            values[id(tensor)] = value
        for node in self._graph.nodes:
            outputs = node.run(values)
            for tensor, value in zip(nest.flatten(node.outputs), nest.flatten(outputs)):
                values[id(tensor)] = value
        return nest.pack_sequence_as(self._nested_outputs,
                                     [values[id(t)] for t in self.outputs])

    def _assert_inputs(self, inputs):
        super()._assert_inputs(inputs)
        if not self._input_specs:
            return
        flat = self._ordered_inputs(inputs)
        assert_input_compatibility(self._input_specs, [tuple(x.shape) for x in flat], self.name)

    def _flatten_inputs(self, inputs):
        """The call's inputs in ``self.inputs`` order, each of its Input's dtype."""
        flat = self._ordered_inputs(inputs)
        return [_as_dtype(_conform_rank(value, tensor.shape), tensor.dtype)
                for value, tensor in zip(flat, self.inputs)]

    def _ordered_inputs(self, inputs):
        if isinstance(inputs, dict) and not isinstance(self._nested_inputs, dict):
            inputs = self._inputs_by_name(inputs)
        elif isinstance(self._nested_inputs, dict) and not isinstance(inputs, dict):
            inputs = dict(zip(sorted(self._nested_inputs), nest.flatten(inputs)))
        return nest.flatten(inputs)

    def _inputs_by_name(self, inputs):
        names = self.input_names
        missing = [n for n in names if n not in inputs]
        if missing:
            raise ValueError(f'Missing data for input "{missing[0]}". You passed a data '
                             f"dictionary with keys {list(inputs)}. Expected the following keys: "
                             f"{names}")
        extra = [key for key in inputs if key not in names]
        if extra:
            warnings.warn(f"Input dict contained keys {extra} which did not match any model "
                          "input. They will be ignored by the model.", stacklevel=2)
        return [inputs[n] for n in names]

    # -------------------------------------------------------- symbolic add_loss
    def _add_symbolic_loss(self, loss):
        """``model.add_loss(tensor)``: an AddLoss layer joins the graph after the outputs."""
        from refkeras.layers.core.add_loss import AddLoss
        self._extend_graph(AddLoss(unconditional=False), loss, "add_loss")
        self._symbolic_losses.append(loss)

    def add_loss(self, losses, **kwargs):
        """Outside a call, only symbolic tensors of this graph (or callables) can be added."""
        if not call_context.current_call().in_call:
            for loss in nest.flatten(losses):
                if loss is not None and not callable(loss) and not isinstance(loss, KerasTensor):
                    raise ValueError("Expected a symbolic Tensors or a callable for the loss "
                                     "value. Please wrap your loss computation in a zero "
                                     "argument `lambda`.")
        super().add_loss(losses, **kwargs)

    @property
    def losses(self):
        """Before the model has run, the symbolic losses given to ``add_loss``."""
        if not self._ran and self._symbolic_losses:
            return list(self._symbolic_losses)
        return super().losses

    def add_metric(self, value, name=None, aggregation=None, **kwargs):
        if not isinstance(value, KerasTensor):
            if not call_context.current_call().in_call:
                raise ValueError("Expected a symbolic Tensor for the metric value, received: "
                                 f"{value}")
            return super().add_metric(value, name=name, aggregation=aggregation, **kwargs)
        from refkeras.layers.core.add_loss import AddMetric
        if name is None or kwargs:
            super().add_metric(0.0, name=name, **kwargs)   # raises tf_keras's error
        self._extend_graph(AddMetric(aggregation=aggregation, metric_name=name), value,
                           "add_metric")

    def _extend_graph(self, layer, tensor, method):
        try:
            map_graph_network(self.inputs, [tensor])
        except ValueError as error:
            raise ValueError(f"model.{method}() got a tensor that is not computable from the "
                             f"inputs of model {self.name}: {error}") from None
        self._extra_outputs.append(layer(tensor))
        self._rebuild_graph()

    # ------------------------------------------------------------------ configs
    def get_config(self):
        """The graph as tf_keras writes it (functional_config.py)."""
        from refkeras.models import functional_config
        return functional_config.get_network_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from refkeras.models import functional_config
        from refkeras.saving.object_registration import maybe_scope
        with maybe_scope(custom_objects):
            inputs, outputs, _ = functional_config.reconstruct_from_config(config, custom_objects)
        return cls(inputs=inputs, outputs=outputs, name=config.get("name"),
                   trainable=config.get("trainable", True))


# ------------------------------------------------------------------ graph helpers
def map_graph_network(inputs, outputs):
    """The nodes (deepest first) and the layers (model order) between inputs and outputs."""
    order, first_seen = _depth_first(outputs)
    node_depth, layer_depth = {}, {}
    for node in reversed(order):            # from the outputs back to the inputs
        depth = max(node_depth.setdefault(node, 0), layer_depth.get(node.layer, 0))
        node_depth[node] = layer_depth[node.layer] = depth
        for parent in node.parent_nodes:
            node_depth[parent] = max(node_depth.get(parent, 0), depth + 1)
    for tensor in inputs:                   # an Input that feeds nothing still belongs
        layer = tensor._keras_history[0]
        if layer not in layer_depth:
            layer_depth[layer], first_seen[layer] = 0, -1
            node_depth[tensor.node] = 0
    layers = sorted(layer_depth, key=lambda layer: (-layer_depth[layer], first_seen[layer]))
    nodes = sorted(node_depth, key=lambda node: -node_depth[node])
    _check_computable(inputs, nodes)
    _check_unique_names(layers)
    return Graph([n for n in nodes if not n.is_input], layers)


def _depth_first(outputs):
    """Nodes in dependency order (inputs first) and each layer's first-visit index."""
    order, first_seen, finished, in_progress = [], {}, set(), set()

    def visit(tensor):
        node = tensor.node
        if node in finished:
            return
        if node in in_progress:
            raise ValueError(f'Tensor {tensor} from layer "{node.layer.name}" is part of a cycle.')
        first_seen.setdefault(node.layer, len(first_seen))
        in_progress.add(node)
        for parent_tensor in node.keras_inputs:
            visit(parent_tensor)
        in_progress.discard(node)
        finished.add(node)
        order.append(node)

    for tensor in outputs:
        visit(tensor)
    return order, first_seen


def _conform_rank(value, reference):
    """(N,) data for an Input of shape (None, 1) gains the last axis, (N, ..., 1) data for
    (None, ...) loses it, as tf_keras's functional models do."""
    shape, rank = getattr(value, "shape", None), len(reference)
    if shape is None:
        return value
    if len(shape) == rank + 1 and shape[-1] == 1:
        return ops.squeeze(value, axis=-1)
    if len(shape) == rank - 1 and reference[-1] == 1:
        return ops.expand_dims(value, -1)
    return value


def _check_computable(inputs, nodes):
    computable = {id(x) for x in inputs}
    reached = []
    for node in nodes:
        if node.is_input:
            continue
        for tensor in node.keras_inputs:
            if id(tensor) not in computable:
                raise ValueError(
                    f'Graph disconnected: cannot obtain value for tensor {tensor} at layer '
                    f'"{node.layer.name}". The following previous layers were accessed without '
                    f"issue: {reached}")
        computable.update(id(t) for t in nest.flatten(node.outputs))
        reached.append(node.layer.name)


def _check_unique_names(layers):
    names = [layer.name for layer in layers]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(f'The name "{name}" is used {names.count(name)} times in the model. '
                             "All layer names should be unique.")


def _check_inputs(inputs):
    for tensor in nest.flatten(inputs):
        if not isinstance(tensor, KerasTensor):
            raise ValueError(  # noqa: TRY004 - tf_keras raises ValueError here
                "Found unexpected instance while processing input tensors for keras functional "
                "model. Expecting KerasTensor which is from tf.keras.Input() or output from keras "
                f"layer call(). Got: {tensor}")


def _check_outputs(outputs):
    for tensor in nest.flatten(outputs):
        if not isinstance(tensor, KerasTensor):
            raise ValueError(  # noqa: TRY004 - tf_keras raises ValueError here
                "Output tensors of a Functional model must be the output of a "
                             "TensorFlow `Layer` (thus holding past layer metadata). Found: "
                             f"{tensor}")


def start_graph_at(inputs, outputs):
    """Give every input that is not an Input its own new Input, and replay the graph from it.

    ``keras.Model(hidden, out)`` with ``hidden`` an intermediate tensor: the layers
    between ``hidden`` and ``out`` are called again (new nodes, same layers and
    weights) on a fresh Input of ``hidden``'s shape.
    """
    from refkeras.layers.core.input_layer import Input
    fresh = {id(t): Input(batch_shape=t.shape, dtype=t.dtype.name)
             for t in nest.flatten(inputs) if not t.node.is_input}
    if not fresh:
        return inputs, outputs
    memo = dict(fresh)

    def rebuilt(tensor):
        if id(tensor) not in memo:
            node = tensor.node
            if node.is_input:
                return tensor
            args, kwargs = nest.map_structure(
                lambda x: rebuilt(x) if isinstance(x, KerasTensor) else x,
                (node.call_args, node.call_kwargs))
            new_outputs = node.layer(*args, **kwargs)
            for old, new in zip(nest.flatten(node.outputs), nest.flatten(new_outputs)):
                memo[id(old)] = new
        return memo[id(tensor)]

    return nest.map_structure(rebuilt, inputs), nest.map_structure(rebuilt, outputs)


def _as_dtype(value, dtype):
    tensor = convert_to_tensor(value)
    if tensor.dtype != dtype:
        from refkeras.ops import cast
        tensor = cast(tensor, dtype)
    return tensor


__all__ = ["Functional", "map_graph_network"]
