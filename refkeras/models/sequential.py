"""Sequential: a plain stack of layers, each feeding the next.

Clauses: MODEL.SEQ.ADD, MODEL.SEQ.UNBUILT, MODEL.SEQ.BUILD, MODEL.SEQ.INPUT,
MODEL.SEQ.POP, MODEL.NAMES (docs/spec.md).

A Sequential model is a Functional model whose graph is a chain. It has a graph as
soon as it knows its input shape, from any of:

* an ``keras.Input(shape=...)`` as the first entry (the InputLayer is not listed
  in ``model.layers``);
* ``input_shape=`` (or ``batch_input_shape=``/``input_dim=``) on the first layer,
  which makes an Input named ``<first layer>_input``;
* ``model.build(input_shape=(None, 3))``;
* the first call on data (the batch size is forgotten: the graph starts at
  ``(None, ...)``).

Until then it is *deferred*: ``weights`` and ``summary()`` raise ValueError, and
``inputs``/``outputs`` are None. Once it has a graph, ``add()`` calls the new layer
on the last output at once, so the new weights exist right away.

    outputs = layers[-1](... layers[1](layers[0](inputs)))
"""
from refkeras.engine import call_context
from refkeras.engine.keras_tensor import KerasTensor
from refkeras.layers.core.input_layer import Input, InputLayer
from refkeras.layers.layer import Layer
from refkeras.models.functional import Functional


class Sequential(Functional):
    def __init__(self, layers=None, name=None, trainable=True):
        Layer.__init__(self, name=name, trainable=trainable)
        self._is_graph_network = True
        self._layers = []
        self._input_layer = None
        self._input_specs = []
        self._built_from_data = False     # True when the first call's data shaped the graph
        self.inputs = self.outputs = None
        self._extra_outputs = []
        if layers is not None and not isinstance(layers, (list, tuple)):
            layers = [layers]       # Sequential(Dense(1)) is a one-layer stack
        for layer in layers or []:
            self.add(layer)

    def _default_name_base(self):
        return "sequential"

    @property
    def layers(self):
        return list(self._layers)

    # ------------------------------------------------------------ growing the stack
    def add(self, layer):
        if isinstance(layer, KerasTensor) and layer.node.is_input:
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise TypeError("The added layer must be an instance of class Layer. "
                            f"Received: layer={layer} of type {type(layer)}.")
        self._check_unique_name(layer)
        if isinstance(layer, InputLayer):
            if self._layers or self._input_layer is not None:
                raise ValueError("An InputLayer can only be the first layer of a Sequential "
                                 f"model; {self.name} already has layers {self._layer_names()}.")
            self._input_layer = layer
            self._connect(layer.output, [])
            return
        if self.outputs is not None:
            self._connect(self.inputs[0], self._layers + [layer])
        elif not self._layers and getattr(layer, "_batch_input_shape", None) is not None:
            input_layer = Input(batch_shape=layer._batch_input_shape,
                                name=f"{layer.name}_input")._keras_history[0]
            self._connect(input_layer.output, [layer])
            self._input_layer = input_layer
        else:
            self._layers.append(layer)

    def pop(self):
        if not self._layers:
            raise TypeError("There are no layers in the model.")
        layer = self._layers.pop()
        if self.outputs is None:
            return layer
        if self._layers:
            self._connect(self.inputs[0], self._layers)
        else:     # the stack is empty again: back to a deferred model
            self._input_layer = None
            self.inputs = self.outputs = None
            self.built = False
        return layer

    def _check_unique_name(self, layer):
        if layer.name in self._layer_names():
            raise ValueError(
                "All layers added to a Sequential model should have unique names. Name "
                f'"{layer.name}" is already the name of a layer in this model. Update the `name` '
                "argument to pass a unique name.")

    def _layer_names(self):
        names = [layer.name for layer in self._layers]
        return names + ([self._input_layer.name] if self._input_layer is not None else [])

    def _connect(self, input_tensor, layers):
        """(Re)build the chain graph: call each layer, in order, on the previous output.

        Raises before changing the model when a layer rejects its input shape.
        """
        output = input_tensor
        with call_context.entered(scope=()):     # weights are named <layer>/<weight>:0
            for layer in layers:
                output = layer(output)
        if isinstance(output, (list, tuple, dict)):
            raise ValueError(  # noqa: TRY004 -- tf_keras's type for it
                "All layers in a Sequential model should have a single output tensor. For "
                f"multi-output layers, use the functional API. Layer {layers[-1].name} returned "
                f"{output}.")
        self._nested_inputs, self._nested_outputs = input_tensor, output
        self.inputs, self.outputs = [input_tensor], [output]
        self._rebuild_graph()
        self._layers = [x for x in self._graph.layers if not isinstance(x, InputLayer)]
        self.built = True

    def build(self, input_shape=None):
        """Give the model a graph from ``input_shape``; the layers check the data themselves."""
        if input_shape is None and self._input_layer is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if self.outputs is None:
            shape = tuple(input_shape)
            self._input_layer = Input(batch_shape=shape, name=self._input_name())._keras_history[0]
            self._checks_input_shapes = False    # the layers check the data themselves
            self._connect(self._input_layer.output, self._layers)

    def _input_name(self):
        return f"{self._layers[0].name}_input" if self._layers else None

    # ------------------------------------------------------------------ running
    def _maybe_build(self, input_shape):
        """Nothing here: a deferred model builds inside ``call``, from the data's shape."""

    def call(self, inputs, training=None, mask=None):
        if self.outputs is None:
            self._build_from_data(tuple(inputs.shape))
        elif self._built_from_data and tuple(inputs.shape) != tuple(self.inputs[0].shape):
            self._build_from_data(_relaxed(tuple(self.inputs[0].shape), tuple(inputs.shape)))
        return super().call(inputs, training=training, mask=mask)

    def _build_from_data(self, shape):
        """The graph for data of ``shape`` (batch size included, as tf_keras keeps it)."""
        self._input_layer = Input(batch_shape=shape, name=self._input_name())._keras_history[0]
        self._checks_input_shapes = False
        self._connect(self._input_layer.output, self._layers)
        self._built_from_data = True

    def compute_output_shape(self, input_shape):
        if self.outputs is None:
            self._build_from_data(tuple(input_shape))
        return super().compute_output_shape(input_shape)

    def __call__(self, *args, **kwargs):
        if not self._layers and self._input_layer is None:
            raise ValueError(f"The Sequential model {self.name} has no layers: add some with "
                             "model.add(layer) before calling it.")
        return super().__call__(*args, **kwargs)

    # ------------------------------------------------------- deferred-build guards
    def _require_built(self):
        if not self.built:
            raise ValueError(
                f"Weights for model '{self.name}' have not yet been created. Weights are created "
                "when the model is first called on inputs or `build()` is called with an "
                "`input_shape`.")

    @property
    def trainable_weights(self):
        self._require_built()
        return super().trainable_weights

    @property
    def non_trainable_weights(self):
        self._require_built()
        return super().non_trainable_weights

    @property
    def weights(self):
        self._require_built()
        return super().weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    # ------------------------------------------------------------------ configs
    def get_config(self):
        """``{"name", "layers"}``: the InputLayer first when the stack was given its input."""
        from refkeras.saving.serialization_lib import serialize_keras_object
        layers = list(self._layers)
        if self._input_layer is not None:
            layers.insert(0, self._input_layer)
        return {"name": self.name, "layers": [serialize_keras_object(x) for x in layers]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from refkeras.saving.serialization_lib import deserialize_keras_object
        model = cls(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(deserialize_keras_object(layer_config, custom_objects))
        return model

    def get_build_config(self):
        if self.outputs is None:
            return None
        return {"input_shape": list(self.inputs[0].shape)}

    def build_from_config(self, config):
        if self.outputs is None and config.get("input_shape") is not None:
            self.build(tuple(config["input_shape"]))

def _relaxed(old, new):
    """The shape both fit: dimensions that differ become None (``(2, 3), (5, 3) -> (None, 3)``)."""
    if len(old) != len(new):
        return (None,) * len(new)
    return tuple(a if a == b else None for a, b in zip(old, new))


__all__ = ["Sequential"]
