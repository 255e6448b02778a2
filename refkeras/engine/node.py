"""Node: one call of a layer on symbolic tensors, the edge list of the layer graph.

Clauses: MODEL.FUNC.GRAPH, MODEL.FUNC.SHARED (docs/spec.md).

Each time a layer is called on KerasTensors it appends a Node to its own
``_inbound_nodes``: the call's arguments (KerasTensors left in place), and the
KerasTensors it returned. A layer called twice (a shared layer) has two Nodes; an
InputLayer has one Node with no inputs. ``Node.run`` replays the call on values:

>>> # node.run({id(kt): value for each input kt})  ->  the layer's outputs
"""
from refkeras.engine.keras_tensor import KerasTensor
from refkeras.utils import nest


class Node:
    def __init__(self, layer, call_args=(), call_kwargs=None, outputs=()):
        self.layer = layer
        self.call_args = call_args
        self.call_kwargs = call_kwargs or {}
        self.outputs = outputs
        self.keras_inputs = [x for x in nest.flatten((call_args, self.call_kwargs))
                             if isinstance(x, KerasTensor)]
        # The usual node, layer(one_keras_tensor), replays without walking structures.
        self._single_input = (len(call_args) == 1 and isinstance(call_args[0], KerasTensor)
                              and len(self.keras_inputs) == 1)
        layer._inbound_nodes.append(self)
        for index, tensor in enumerate(nest.flatten(outputs)):
            tensor._keras_history = (layer, len(layer._inbound_nodes) - 1, index)

    @property
    def is_input(self):
        return not self.keras_inputs

    @property
    def parent_nodes(self):
        return [x.node for x in self.keras_inputs]

    @property
    def inbound_layers(self):
        return [x._keras_history[0] for x in self.keras_inputs]

    @property
    def input_tensors(self):
        """The first call argument, as given (a KerasTensor or a structure of them)."""
        return self.call_args[0] if self.call_args else None

    def run(self, values):
        """Call the layer with each KerasTensor argument replaced by its value.

        ``training`` is not passed here: the model's call context carries it.
        """
        if self._single_input:
            return self.layer(values[id(self.call_args[0])], **self.call_kwargs)
        def fill(structure):
            flat = [values[id(x)] if isinstance(x, KerasTensor) else x
                    for x in nest.flatten(structure)]
            return nest.pack_sequence_as(structure, flat)
        return self.layer(*fill(self.call_args), **fill(self.call_kwargs))


__all__ = ["Node"]
