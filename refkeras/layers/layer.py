"""Layer: the unit of Keras. State (weights) plus a computation (``call``).

Clauses: LAYER.BUILD_ONCE, LAYER.ADD_WEIGHT, LAYER.WEIGHTS.ORDER, LAYER.TRAINABLE_SWITCH,
LAYER.SET_WEIGHTS, LAYER.LOSSES, LAYER.COUNT_PARAMS, LAYER.CONFIG, LAYER.IO,
LAYER.BAD_INPUT, MODEL.TRAINING_ARG, MODEL.NAMES (docs/spec.md).

What ``layer(inputs, training=...)`` does, in order:

1. **Symbolic?** If any argument is a KerasTensor (the functional API), the layer
   builds for the symbolic shapes, records a ``Node`` and returns new KerasTensors
   whose shapes come from ``compute_output_shape``. No numbers are computed.
2. **Convert.** numpy arrays and Python numbers in the first argument become
   Tensors; floating ones are cast to the layer's dtype (float32).
3. **Resolve training.** An explicit ``training=`` wins; otherwise the value of the
   enclosing call (so ``model(x, training=True)`` reaches every inner layer);
   otherwise the default of the layer's own ``call`` signature; otherwise None.
4. **Check** the inputs against ``self.input_spec`` (rank, last dimension ...),
   before anything is built or changed.
5. **Build once.** ``build(input_shape)`` runs on the first call, inside the
   layer's name scope, so its weights are named ``<scope>/<layer>/<weight>:0``.
6. **Call**, then add the activity-regularizer loss ``regularizer(outputs) / batch``.

Losses: the outermost call clears the losses its layers added during the previous
call, so ``layer.losses`` holds the latest call's ``add_loss`` values, followed by
the weight-regularizer penalties (recomputed from the weights on every read).

Who owns what: a layer owns its own weights (``_trainable_weights``,
``_non_trainable_weights``) and finds its sublayers through the attributes they
are assigned to (lists and dicts of layers included). ``weights`` lists the
trainable ones first, each group in the order the layers were assigned:

    weights == trainable_weights + non_trainable_weights
    trainable_weights == own_trainable + [w for child in sublayers for w in child.trainable_weights]
    # a layer with trainable == False has no trainable weights: all move to the other list

>>> import refkeras as keras
>>> layer = keras.layers.Dense(2)
>>> _ = layer(np.ones((4, 3)))                   # builds: kernel (3, 2), bias (2,)
>>> [w.name for w in layer.weights]
['dense/kernel:0', 'dense/bias:0']
"""
import functools
import inspect
import re

import numpy as np

from refkeras.backend import session
from refkeras.engine import call_context
from refkeras.engine.keras_tensor import KerasTensor, placeholder_value
from refkeras.engine.node import Node
from refkeras.framework import dtypes
from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.tensor import Tensor
from refkeras.framework.tensor_shape import TensorShape
from refkeras.framework.variable import Variable
from refkeras.layers.input_spec import assert_input_compatibility
from refkeras.utils import nest

# Keyword arguments every layer accepts besides name/trainable/dtype (tf_keras's list).
_LAYER_KWARGS = ("input_dim", "input_shape", "batch_input_shape", "batch_size", "weights",
                 "activity_regularizer", "autocast", "implementation", "dynamic")

# A placeholder size for unknown dimensions when a layer must run to learn its output
# shape: odd and unusual, so a real dimension is unlikely to be mistaken for it.
_PLACEHOLDER_DIM = 13


def to_snake_case(class_name):
    """``"BatchNormalization"`` -> ``"batch_normalization"``, ``"Conv2D"`` -> ``"conv2d"``."""
    words = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", class_name)
    snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()
    return snake if not snake.startswith("_") else "private" + snake


class Layer:
    """The base class of all layers and models."""

    _is_metric = False      # Metric sets it: metrics are held, not nested, by layers

    def __init__(self, trainable=True, name=None, dtype=None, dynamic=False, **kwargs):
        object.__setattr__(self, "_tracked_attributes", [])
        unknown = sorted(set(kwargs) - set(_LAYER_KWARGS))
        if unknown:
            raise TypeError(f"Keyword argument not understood: {unknown[0]!r}. "
                            f"A layer accepts name, trainable, dtype and {list(_LAYER_KWARGS)}.")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Expected `name` argument to be a string, but got: {name}")
        self._name = name if name is not None else session.current().unique_name(
            self._default_name_base())
        self._trainable = bool(trainable)
        self._dtype = dtypes.as_dtype(dtype or "float32").name
        self.dynamic = dynamic
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._trainable_weights = []
        self._non_trainable_weights = []
        self._callable_losses = []
        self._eager_losses = []
        self._metric_values = []
        self._inbound_nodes = []
        self._build_input_shape = None
        self._initial_weights = kwargs.get("weights")
        self._autocast = kwargs.get("autocast", True)   # cast floating inputs to the layer dtype
        self._activity_regularizer = None
        if kwargs.get("activity_regularizer") is not None:
            from refkeras import regularizers
            self._activity_regularizer = regularizers.get(kwargs["activity_regularizer"])
        self._set_batch_input_shape(kwargs)

    def _default_name_base(self):
        return to_snake_case(type(self).__name__)

    def _set_batch_input_shape(self, kwargs):
        """``input_shape=(3,)`` / ``input_dim=3`` / ``batch_input_shape=(None, 3)``."""
        shape = kwargs.get("batch_input_shape")
        if shape is None and (kwargs.get("input_shape") is not None
                              or kwargs.get("input_dim") is not None):
            sample = kwargs.get("input_shape")
            sample = (kwargs["input_dim"],) if sample is None else sample
            if isinstance(sample, int):
                sample = (sample,)
            shape = (kwargs.get("batch_size"),) + tuple(sample)
        if shape is not None:
            self._batch_input_shape = tuple(shape)

    # ------------------------------------------------------------------ tracking
    def __setattr__(self, name, value):
        tracked = self.__dict__.get("_tracked_attributes")
        if tracked is not None and isinstance(value, Layer) and value._is_metric:
            # A metric held by a layer is reported by `metrics`; it is not a sublayer and
            # its state is not among the layer's weights (tf_keras 2.21).
            if not any(m is value for m in self.__dict__.setdefault("_metric_objects", [])):
                self._metric_objects.append(value)
            if name not in tracked:
                tracked.append(name)
            object.__setattr__(self, name, value)
            return
        if tracked is not None and name not in tracked and _holds_layer(value):
            tracked.append(name)
        if isinstance(value, Variable) and tracked is not None:
            self._track_variable(value)
        object.__setattr__(self, name, value)

    def _track_variable(self, variable):
        own = self.__dict__.get("_trainable_weights", []) + self.__dict__.get(
            "_non_trainable_weights", [])
        if not any(v is variable for v in own):
            target = "_trainable_weights" if variable.trainable else "_non_trainable_weights"
            self.__dict__[target].append(variable)

    def _sublayers(self):
        """The layers assigned to this layer's attributes, in assignment order."""
        found, seen = [], {id(self)}
        for attribute in self._tracked_attributes:
            for layer in _layers_in(self.__dict__.get(attribute)):
                if id(layer) not in seen:
                    seen.add(id(layer))
                    found.append(layer)
        return found

    def _flatten_layers(self, include_self=True, recursive=True):
        """Depth-first: self, a child, the child's children, the next child ..."""
        if include_self:
            yield self
        seen = {id(self)}
        stack = list(reversed(self._sublayers()))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            yield layer
            if recursive:
                stack.extend(reversed(layer._sublayers()))

    # ----------------------------------------------------------------- properties
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def compute_dtype(self):
        return self._dtype

    variable_dtype = compute_dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        for layer in self._flatten_layers():
            layer._trainable = bool(value)

    @property
    def activity_regularizer(self):
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, regularizer):
        self._activity_regularizer = regularizer

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        children = [w for child in self._weight_children() for w in child.trainable_weights]
        return _dedup(self._trainable_weights + children)

    @property
    def non_trainable_weights(self):
        if self.trainable:
            children = [w for child in self._weight_children() for w in child.non_trainable_weights]
            return _dedup(self._non_trainable_weights + children)
        children = [w for child in self._weight_children() for w in child.weights]
        return _dedup(self._trainable_weights + self._non_trainable_weights + children)

    def _weight_children(self):
        """Whose weights this layer's weights include: its sublayers (a model adds the
        metrics it holds)."""
        return self._sublayers()

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def losses(self):
        collected = []
        for layer in self._flatten_layers():
            collected.extend(layer._eager_losses)
            collected.extend(penalty() for penalty in layer._callable_losses)
        return collected

    # -------------------------------------------------------------------- weights
    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, **kwargs):
        """Create a variable ``<scope>/<name>:0`` owned by this layer and return it."""
        from refkeras import constraints, initializers, regularizers
        shape = () if shape is None else tuple(shape)
        dtype = dtypes.as_dtype(dtype or self._dtype)
        if initializer is None:
            if dtype.kind not in "fiub":
                raise ValueError(f"An initializer for variable {name} of type {dtype.name} is "
                                 f"required for layer {self.name}. Received: {initializer}.")
            initializer = "glorot_uniform" if dtype.kind == "f" else "zeros"
        initializer = initializers.get(initializer)
        trainable = True if trainable is None else bool(trainable)
        value = convert_to_tensor(initializer(shape, dtype=dtype.name), dtype=dtype.name)
        variable = Variable(value, trainable=trainable, dtype=dtype.name,
                            name=self._weight_name(name or "Variable"))
        variable._constraint = constraints.get(constraint)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._callable_losses.append(functools.partial(_penalty, regularizer, variable))
        (self._trainable_weights if trainable else self._non_trainable_weights).append(variable)
        dry_run = call_context.current_call().dry_run
        if dry_run is not None:
            dry_run.append((variable, variable._value))
        return variable

    @staticmethod
    def _weight_name(name):
        """``<scope>/<name>``: inside a call the scope ends with the layer's name; a direct
        ``layer.build(shape)`` outside any call gives the bare ``<name>:0`` (as tf_keras)."""
        return "/".join((*call_context.current_call().scope, name))

    def get_weights(self):
        return [np.array(w._value) for w in self.weights]

    def set_weights(self, weights):
        """Assign all weights at once; every shape is checked before any is assigned."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f'You called `set_weights(weights)` on layer "{self.name}" with a weight list of '
                f"length {len(weights)}, but the layer was expecting {len(params)} weights. "
                f"Provided weights: {str(weights)[:50]}...")
        arrays = []
        for param, weight in zip(params, weights):
            array = np.asarray(weight, dtype=param.dtype)
            if array.shape != tuple(param.shape):
                raise ValueError(
                    f"Layer {self.name} weight shape {tuple(param.shape)} is not compatible with "
                    f"provided weight shape {array.shape}.")
            arrays.append(array)
        for param, array in zip(params, arrays):
            param.assign(array)

    def count_params(self):
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer {self.name}, but the layer isn't "
                f"built. You can build it manually via: `{self.name}.build(batch_input_shape)`.")
        return int(sum(int(np.prod(w.shape)) for w in self.weights))

    # --------------------------------------------------------------------- losses
    def add_loss(self, losses, **kwargs):
        """Add loss tensors (kept until the next outermost call) or zero-argument callables."""
        for loss in nest.flatten(losses):
            if loss is None:
                continue
            if callable(loss) and not isinstance(loss, (Tensor, KerasTensor)):
                self._callable_losses.append(loss)
            elif isinstance(loss, KerasTensor):
                self._add_symbolic_loss(loss)
            else:
                self._eager_losses.append(convert_to_tensor(loss, dtype_hint="float32"))

    def _add_symbolic_loss(self, loss):
        raise ValueError(
            f"Layer {self.name} got a symbolic loss {loss!r}: only a functional model built "
            "from that tensor's inputs can add it (model.add_loss(tensor)).")

    def _clear_losses(self):
        for layer in self._flatten_layers():
            # Plain lists, never layers: set directly, past __setattr__'s tracking checks.
            layer.__dict__["_eager_losses"] = []
            layer.__dict__["_metric_values"] = []

    @property
    def metrics(self):
        """The Metric objects held by this layer and its sublayers, in attribute order."""
        found = []
        for layer in self._flatten_layers():
            found.extend(m for m in layer.__dict__.get("_metric_objects", ())
                         if not any(m is f for f in found))
        return found

    def add_metric(self, value, name=None, aggregation=None, **kwargs):
        """Keras 2: log ``value`` under ``name``; the training loop averages it per epoch.
        ``aggregation`` is accepted and ignored (every value is averaged), as tf_keras 2.21.
        The result of calling a Metric this layer holds is logged under that metric's own
        name: the metric is already among ``metrics``."""
        if kwargs:
            raise TypeError(f"Unknown keyword arguments: {kwargs.keys()!s}. Expected "
                            "`aggregation`.")
        if any(value is getattr(m, "_last_result", None)
               for m in self.__dict__.get("_metric_objects", ())):
            return
        if name is None:
            raise ValueError("Please provide a name for your metric like "
                             "`self.add_metric(tf.reduce_sum(inputs), name='mean_activation')`")
        value = convert_to_tensor(value, dtype_hint="float32")
        self._metric_values.append((name, value))
        if call_context.current_call().dry_run is None:
            self._mean_metric(name).update_state(value)

    def _mean_metric(self, name):
        """The Mean that add_metric(value, name) feeds: one per name, logged as ``name``.
        It is updated on every call without sample weights, so an epoch's value is the
        plain mean of the per-batch values (clause ADD_METRIC)."""
        from refkeras.metrics import Mean
        held = self.__dict__.setdefault("_metric_objects", [])
        for metric in held:
            if metric.name == name:
                return metric
        metric = Mean(name=name)
        held.append(metric)
        return metric

    # ------------------------------------------------------------- build and call
    def build(self, input_shape):
        self._build_input_shape = input_shape
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def compute_output_shape(self, input_shape):
        """By default, run ``call`` on zeros of ``input_shape`` and read the result's shape."""
        leaves = _shape_leaves(input_shape)
        placeholders = [KerasTensor(s) for s in leaves]
        inputs = placeholders[0] if len(leaves) == 1 and leaves[0] is input_shape else \
            nest.pack_sequence_as(_as_structure(input_shape), placeholders)
        outputs = self._dry_run((inputs,), {})
        return shape_of(outputs)

    def __call__(self, *args, **kwargs):
        if not args:     # layer(logits=..., targets=...): call's first parameter is the inputs
            first = next(iter(inspect.signature(self.call).parameters), None)
            if first is None or first not in kwargs:
                raise ValueError("The first argument to `Layer.call` must always be passed.")
            args = (kwargs.pop(first),)
        if _has_keras_tensor(args, kwargs):
            return self._symbolic_call(args, kwargs)
        inputs = nest.map_structure(self._convert_input, args[0]) if nest.is_nested(
            args[0]) else self._convert_input(args[0])
        state = call_context.current_call()
        if not state.in_call:
            self._clear_losses()
        kwargs, training = self._resolve_training(kwargs, state)
        self._assert_inputs(inputs)
        with call_context.entered(in_call=True, training=training,
                                  scope=self._scope_for_call(state.scope)):
            if not self.built:
                self._maybe_build(nest.map_structure(_tensor_shape, inputs))
            try:
                outputs = self.call(inputs, *args[1:], **kwargs)
            except Exception as error:  # noqa: BLE001 - any error gets the call's context
                raise _annotated(error, self, (inputs, *args[1:]), kwargs) from None
            if self._activity_regularizer is not None:
                self._add_activity_loss(outputs)
        return outputs

    def _scope_for_call(self, outer):
        return outer + (self._name,)

    def _assert_inputs(self, inputs):
        """Check the call's inputs before anything is built or computed."""
        for x in nest.flatten(inputs):
            if not hasattr(x, "shape") and x is not None:
                raise TypeError(f"Inputs to a layer should be tensors. Got '{x}' (of type "
                                f"{type(x)}) as input for layer '{self.name}'.")
        assert_input_compatibility(self.input_spec, _shapes_of(inputs), self.name)

    def _convert_input(self, value):
        if isinstance(value, (Tensor, Variable)):
            tensor = value if isinstance(value, Tensor) else value.read_value()
        elif isinstance(value, (np.ndarray, float, int, list, np.generic)):
            tensor = convert_to_tensor(np.asarray(value))
        else:
            return value
        if self._autocast and tensor.dtype.kind == "f" and tensor.dtype != self._dtype:
            from refkeras.ops import cast
            tensor = cast(tensor, self._dtype)
        return tensor

    def _call_accepts(self, argument):
        return argument in _call_parameters(type(self))

    def _resolve_training(self, kwargs, state):
        """Return the call's kwargs with ``training`` set as the layer expects, and its value."""
        accepts = self._call_accepts("training")
        training = kwargs.get("training") if accepts else kwargs.pop("training", None)
        if training is None:
            training = state.training
        if training is None and accepts:
            training = _call_parameters(type(self))["training"]
        if accepts:
            kwargs = {**kwargs, "training": training}
        return kwargs, training

    def _maybe_build(self, input_shape):
        if self.built:
            return
        self._build_input_shape = input_shape
        self.build(input_shape)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _add_activity_loss(self, outputs):
        for output in nest.flatten(outputs):
            from refkeras.ops import cast, shape
            batch = cast(shape(output)[0], output.dtype)
            self.add_loss(self._activity_regularizer(output) / batch)

    # ---------------------------------------------------------------- symbolic path
    def _symbolic_call(self, args, kwargs):
        inputs = args[0]
        shapes = nest.map_structure(lambda x: x.shape, inputs) if nest.is_nested(inputs) \
            else inputs.shape
        self._assert_inputs(inputs)
        scope = self._scope_for_call(call_context.current_call().scope)
        with call_context.entered(scope=scope, training=None):
            self._maybe_build(shapes)
        outputs = self._symbolic_outputs(args, kwargs, shapes)
        Node(self, args, kwargs, outputs)
        return outputs

    def _symbolic_outputs(self, args, kwargs, shapes):
        """KerasTensors for the outputs: from compute_output_shape, or by a dry run."""
        if _overrides(type(self), "compute_output_shape") and len(args) == 1 and not kwargs:
            output_shapes = self.compute_output_shape(shapes)
            return _keras_tensors(output_shapes, self._dtype, self.name)
        return self._dry_run(args, kwargs)

    def _dry_run(self, args, kwargs):
        """Call the built layer on zeros, undo any weight change, and read the shapes.

        Unknown dimensions are filled with a placeholder size; outputs of that size
        become None again. Weights created meanwhile (sublayers built on the way)
        keep their initial values.
        """
        def placeholder(x):
            return placeholder_value(x, _PLACEHOLDER_DIM) if isinstance(x, KerasTensor) else x
        args, kwargs = nest.map_structure(placeholder, (args, kwargs))
        changed = [(w, w._value) for w in self.weights]
        state = call_context.current_call()
        with call_context.entered(dry_run=changed, in_call=True, training=None,
                                  scope=self._scope_for_call(state.scope)):
            args = (nest.map_structure(self._convert_input, args[0]),) + tuple(args[1:])
            outputs = self.call(*args, **kwargs)
        for variable, value in changed:
            variable._value = value
        for layer in self._flatten_layers():
            # What add_loss saw on placeholders is kept as symbolic losses, as tf_keras lists
            # them in `losses` until the first real call replaces them.
            layer._eager_losses = [KerasTensor(np.shape(v), v.dtype.name, name="add_loss")
                                   for v in layer._eager_losses]
            layer._metric_values = []
        return nest.map_structure(
            lambda y: KerasTensor(
                [None if d == _PLACEHOLDER_DIM else d for d in np.shape(y)],
                getattr(y, "dtype", self._dtype), name=f"{self.name}/output"), outputs)

    # ------------------------------------------------------------ graph properties
    @property
    def inbound_nodes(self):
        return self._inbound_nodes

    @property
    def input(self):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return self._inbound_nodes[0].input_tensors

    @property
    def output(self):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        return self._inbound_nodes[0].outputs

    def get_input_at(self, node_index):
        return self._node_at(node_index, "input").input_tensors

    def get_output_at(self, node_index):
        return self._node_at(node_index, "output").outputs

    def get_input_shape_at(self, node_index):
        return shape_of(self._node_at(node_index, "input_shape").input_tensors)

    def get_output_shape_at(self, node_index):
        return shape_of(self._node_at(node_index, "output_shape").outputs)

    def _node_at(self, node_index, what):
        if not self._inbound_nodes:
            raise RuntimeError(f"The layer {self.name} has never been called and thus has no "
                               f"defined {what}.")
        if not -len(self._inbound_nodes) <= node_index < len(self._inbound_nodes):
            raise ValueError(f"Asked to get {what} at node {node_index}, but the layer has only "
                             f"{len(self._inbound_nodes)} inbound nodes.")
        return self._inbound_nodes[node_index]

    @property
    def input_shape(self):
        if not self._inbound_nodes:
            raise AttributeError(
                f'The layer "{self.name}" has never been called and thus has no defined input '
                "shape. Note that the `input_shape` property is only available for Functional "
                "and Sequential models.")
        shapes = {repr(shape_of(node.input_tensors)) for node in self._inbound_nodes}
        if len(shapes) > 1:
            raise AttributeError(
                f'The layer "{self.name}" has multiple inbound nodes, with different input '
                'shapes. Hence the notion of "input shape" is ill-defined for the layer. Use '
                "`get_input_shape_at(node_index)` instead.")
        return shape_of(self._inbound_nodes[0].input_tensors)

    @property
    def output_shape(self):
        if not self._inbound_nodes:
            raise AttributeError(f'The layer "{self.name}" has never been called and thus has '
                                 "no defined output shape.")
        shapes = {repr(shape_of(node.outputs)) for node in self._inbound_nodes}
        if len(shapes) > 1:
            raise AttributeError(
                f'The layer "{self.name}" has multiple inbound nodes, with different output '
                'shapes. Hence the notion of "output shape" is ill-defined for the layer. Use '
                "`get_output_shape_at(node_index)` instead.")
        return shape_of(self._inbound_nodes[0].outputs)

    # ---------------------------------------------------------------- serialization
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype}
        if hasattr(self, "_batch_input_shape"):
            config["batch_input_shape"] = self._batch_input_shape
        return config

    def get_build_config(self):
        """The shape ``build`` was given, so a loaded layer can build (and take its weights)
        before it is called: ``{"input_shape": ...}``, or None if never built from a shape."""
        shape = getattr(self, "_build_input_shape", None)
        if not self.built or shape is None:
            return None
        return {"input_shape": _shape_config(shape)}

    def build_from_config(self, config):
        shape = config.get("input_shape")
        if shape is not None and not self.built:
            self._maybe_build(_shape_from_config(shape))

    @classmethod
    def from_config(cls, config):
        try:
            return cls(**config)
        except Exception as error:
            raise TypeError(f"Error when deserializing class '{cls.__name__}' using "
                            f"config={config}.\n\nException encountered: {error}") from error

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object at {id(self):#x}>"


# ------------------------------------------------------------------------- helpers
def _annotated(error, layer, args, kwargs):
    """The same kind of error, its message framed by the layer and the arguments it got.

    Only the innermost failing call annotates (the error is marked), as in tf_keras.
    """
    if getattr(error, "_keras_call_info_injected", False):
        return error
    signature = inspect.signature(layer.call)
    try:
        bound = signature.bind(*args, **kwargs).arguments
    except TypeError:
        return error
    where = f"layer '{layer.name}' (type {type(layer).__name__})"
    arguments = "\n".join(
        f"  \u2022 {name}={nest.map_structure(_argument_text, bound[name]) if name in bound else p.default}"
        for name, p in signature.parameters.items())
    message = error.args[0] if error.args else ""
    text = (f"Exception encountered when calling {where}.\n\n{message}\n\n"
            f"Call arguments received by {where}:\n{arguments}")
    try:
        annotated = type(error)(text, *error.args[1:])
    except Exception:  # noqa: BLE001 - an error class whose constructor wants other arguments
        annotated = RuntimeError(text)
    annotated._keras_call_info_injected = True
    return annotated.with_traceback(error.__traceback__)


def _argument_text(value):
    if isinstance(value, Tensor):
        return f"tf.Tensor(shape={value.shape}, dtype={value.dtype.name})"
    return repr(value)


def _penalty(regularizer, variable):
    return regularizer(variable.read_value())


def _holds_layer(value):
    if isinstance(value, Layer):
        return not value._is_metric
    if isinstance(value, dict):
        return any(_holds_layer(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_layer(v) for v in value)
    return False


def _held_in(value):
    """Layers and metrics in an attribute's value, in order (dicts by sorted key)."""
    if isinstance(value, Layer):
        return [value]
    if isinstance(value, dict):
        return [held for k in sorted(value) for held in _held_in(value[k])]
    if isinstance(value, (list, tuple)):
        return [held for v in value for held in _held_in(v)]
    return []


def _layers_in(value):
    if isinstance(value, Layer):
        return [] if value._is_metric else [value]
    if isinstance(value, dict):    # tracked in sorted key order, as tf_keras does
        return [layer for k in sorted(value) for layer in _layers_in(value[k])]
    if isinstance(value, (list, tuple)):
        return [layer for v in value for layer in _layers_in(v)]
    return []


def _dedup(variables):
    seen, unique = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            unique.append(v)
    return unique


@functools.cache
def _call_parameters(layer_class):
    """``{parameter: default}`` of ``layer_class.call`` (cached per class, never mutated)."""
    parameters = inspect.signature(layer_class.call).parameters
    return {name: (None if p.default is inspect.Parameter.empty else p.default)
            for name, p in parameters.items()}


def _overrides(layer_class, method):
    return getattr(layer_class, method) is not getattr(Layer, method)


def _tensor_shape(x):
    return TensorShape(x.shape) if hasattr(x, "shape") else x


def _shape_config(shape):
    """A shape (or nest of shapes) as JSON lists."""
    if _is_shape(shape):
        return [None if d is None else int(d) for d in shape]
    if isinstance(shape, dict):
        return {key: _shape_config(value) for key, value in shape.items()}
    return [_shape_config(s) for s in shape]


def _shape_from_config(config):
    """Lists back to shape tuples; a list of lists is a list of shapes."""
    if isinstance(config, dict):
        return {key: _shape_from_config(value) for key, value in config.items()}
    if all(d is None or isinstance(d, int) for d in config):
        return tuple(config)
    return [_shape_from_config(c) for c in config]


def _is_shape(shape):
    return all(d is None or isinstance(d, (int, np.integer)) for d in shape) \
        and not isinstance(shape, dict)


def _has_keras_tensor(args, kwargs):
    """Whether any call argument is symbolic (the call then builds a graph node)."""
    if len(args) == 1 and type(args[0]) is Tensor and not any(   # the eager common case
            isinstance(v, KerasTensor) or nest.is_nested(v) for v in kwargs.values()):
        return False
    return any(isinstance(x, KerasTensor) for x in nest.flatten((args, kwargs)))


def _shapes_of(inputs):
    return [tuple(x.shape) for x in nest.flatten(inputs) if hasattr(x, "shape")]


def shape_of(tensors):
    """The shape tuple of each tensor in a structure (a tuple for a single tensor)."""
    return nest.map_structure(lambda x: tuple(x.shape), tensors)


def _shape_leaves(shape):
    """The individual shapes in a shape or a nested structure of shapes."""
    if isinstance(shape, dict):
        return [s for k in sorted(shape) for s in _shape_leaves(shape[k])]
    if isinstance(shape, (list, tuple)) and shape and all(
            isinstance(s, (list, tuple, dict)) for s in shape):
        return [s for item in shape for s in _shape_leaves(item)]
    return [shape]


def _keras_tensors(shapes, dtype, layer_name):
    return nest.pack_sequence_as(
        _as_structure(shapes), [KerasTensor(s, dtype, name=f"{layer_name}/output")
                                for s in _shape_leaves(shapes)])


def _as_structure(shapes):
    leaves = _shape_leaves(shapes)
    if len(leaves) == 1 and leaves[0] is shapes:
        return 0
    return nest.pack_sequence_as(shapes, [0] * len(leaves)) if isinstance(shapes, dict) \
        else [0] * len(leaves)


__all__ = ["Layer", "shape_of", "to_snake_case"]
