"""Model: a Layer that groups layers, and the door to the three ways of building one.

Clauses: MODEL.SUBCLASS, MODEL.SUBCLASS.LIMITS, MODEL.SUBCLASS.TRACKING, MODEL.FUNC.GRAPH
(get_layer), MODEL.NAMES (docs/spec.md).

* ``keras.Model(inputs, outputs)`` returns a ``Functional`` model (``functional.py``);
* ``keras.Sequential([...])`` is a Functional model grown one layer at a time;
* ``class MyModel(keras.Model)`` with its own ``call`` is a *subclassed* model: its
  layers are whatever its attributes hold, its weights appear on the first call, and
  it has no layer graph (``inputs``/``outputs`` are None, ``summary()`` shows
  ``multiple`` for shapes).

Who owns what: the Model owns naming (``my_model/dense/kernel:0`` for layers built
inside its call), ``get_layer`` and ``summary``; the training loop
(compile/fit/evaluate/predict) arrives in issue 6.

>>> import refkeras as keras
>>> class Two(keras.Model):
...     def __init__(self):
...         super().__init__()
...         self.hidden = keras.layers.Dense(4)
...     def call(self, x):
...         return self.hidden(x)
>>> m = Two()
>>> m.built, [layer.name for layer in m.layers]
(False, ['dense'])
"""
import functools
import inspect
import warnings

from refkeras.layers.layer import Layer, _dedup, _held_in, to_snake_case
from refkeras.trainers.trainer import Trainer


class Model(Trainer, Layer):
    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from refkeras.models.functional import Functional
            return super().__new__(Functional)    # Python then runs Functional.__init__
        model = super().__new__(cls)
        model.__dict__["_init_arguments"] = _plain_arguments(cls, args, kwargs)
        return model

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            # A subclass given inputs/outputs (to override train_step, say) becomes a
            # Functional model of its own class, as tf_keras does.
            from refkeras.models.functional import Functional
            self.__class__ = _with_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        super().__init__(**kwargs)
        self._is_graph_network = False
        self.inputs = None
        self.outputs = None

    def _default_name_base(self):
        return "model" if type(self) is Model else super()._default_name_base()

    @property
    def layers(self):
        return list(self._flatten_layers(include_self=False, recursive=False))

    def _weight_children(self):
        """A model's weights also hold the state of the metrics it holds (a custom
        train_step's loss tracker), in attribute order among its layers, as tf_keras."""
        held = [child for attribute in self._tracked_attributes
                for child in _held_in(self.__dict__.get(attribute))]
        graph = [layer for layer in self._sublayers() if not any(layer is h for h in held)]
        return _dedup_objects(graph + held)

    @property
    def weights(self):
        """Each child's weights in turn, then the model's own: unlike a layer's, not all
        trainable weights first (tf_keras's order, which get_weights and saving follow)."""
        children = [w for child in self._weight_children() for w in child.weights]
        return _dedup(children + self._trainable_weights + self._non_trainable_weights)

    variables = weights

    # ------------------------------------------------------------------ weights files
    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):
        """Write every weight to ``filepath`` (refkeras/saving/weights.py: which layout)."""
        from refkeras.saving import weights
        weights.save_weights(self, filepath, overwrite, save_format, options)

    def save(self, filepath, overwrite=True, save_format=None, **kwargs):
        """The whole model (architecture, weights, compile config, optimizer state) in one
        file; refkeras/saving/model_files.py says which format a path gets."""
        from refkeras.saving import model_files
        model_files.save_model(self, filepath, overwrite, save_format, **kwargs)

    def load_weights(self, filepath, by_name=False, skip_mismatch=False, options=None):
        """Read weights saved by ``save_weights`` (here or in tf_keras); all or nothing."""
        from refkeras.saving import weights
        weights.load_weights(self, filepath, by_name, skip_mismatch, options)

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or the layer at position ``index`` of ``layers``."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(layers)} layers.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def _maybe_build(self, input_shape):
        if type(self).build is Model.build:   # no custom build: the first call creates weights
            self._build_input_shape = input_shape
            self.built = True
        else:
            super()._maybe_build(input_shape)

    def build(self, input_shape=None):
        """Build a subclassed model by calling it once on zeros of ``input_shape``."""
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        from refkeras.engine.keras_tensor import KerasTensor
        from refkeras.utils import nest
        placeholder = nest.map_structure(KerasTensor, _as_shape_structure(input_shape))
        self.built = True
        self._build_input_shape = input_shape
        self._dry_run((placeholder,), {})

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by "
                             "calling `build()` or by calling the model on a batch of data.")
        from refkeras.utils.layer_utils import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)

    @property
    def input(self):
        if self.inputs is None:
            return super().input
        return self._nested_inputs

    @property
    def output(self):
        if self.outputs is None:
            return super().output
        return self._nested_outputs

    # ------------------------------------------------------------------ configs
    def get_config(self):
        """A subclassed model's config, as tf_keras infers it: the arguments its constructor
        was given (not the defaults), after name/trainable/dtype when the constructor takes
        ``**kwargs``. Arguments that are not plain values give {} with a warning: override
        ``get_config`` then."""
        arguments = self.__dict__.get("_init_arguments")
        if arguments is None:
            warnings.warn("Model's `__init__()` arguments contain non-serializable objects. "
                          "Please implement a `get_config()` method in the subclassed Model "
                          "for proper saving and loading. Defaulting to empty config.",
                          stacklevel=2)
            return {}
        config = {}
        if _takes_var_keywords(type(self).__init__):
            config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype}
        config.update(arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if "layers" in config and "input_layers" in config:    # a functional model's graph
            from refkeras.models.functional import Functional
            functional_class = cls if issubclass(cls, Functional) else Functional
            return functional_class.from_config(config, custom_objects)
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(f"Unable to revive model from config. When overriding the "
                            f"`get_config()` method, make sure that the returned config contains "
                            f"all items used as arguments in the constructor to {cls}, which is "
                            f"the default behavior. Error: {error}") from None

    def to_json(self, **kwargs):
        """``{"class_name", "config", "keras_version", "backend"}`` as a JSON string."""
        import json

        from refkeras.saving.legacy_h5_format import LAYOUT_KERAS_VERSION
        from refkeras.saving.serialization_lib import serialize_keras_object
        config = {"class_name": type(self).__name__, "config": serialize_keras_object(
            self.get_config()), "keras_version": LAYOUT_KERAS_VERSION, "backend": "refkeras"}
        return json.dumps(config, **kwargs)


def _plain_arguments(cls, args, kwargs):
    """The constructor's arguments by name, if all are plain values; else None."""
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:
        return None
    arguments = {}
    for name, value in list(bound.arguments.items())[1:]:          # [0] is self
        kind = bound.signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            if value:
                return None            # unnamed extra arguments cannot become a config
        elif kind is inspect.Parameter.VAR_KEYWORD:
            arguments.update(value)
        else:
            arguments[name] = value
    return arguments if _is_plain(arguments) else None


def _takes_var_keywords(function):
    return any(p.kind is inspect.Parameter.VAR_KEYWORD
               for p in inspect.signature(function).parameters.values())


def _is_plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


@functools.cache
def _with_functional(model_class):
    """``model_class`` with Functional mixed in: its methods first, then the graph's."""
    from refkeras.models.functional import Functional
    if issubclass(model_class, Functional):
        return model_class
    name = model_class.__name__
    return type(name, (model_class, Functional), {
        "__module__": model_class.__module__,
        "_default_name_base": lambda self: to_snake_case(name)})


def _as_shape_structure(input_shape):
    """``(None, 3)`` -> a TensorShape; a list/dict of shapes -> the same of TensorShapes."""
    from refkeras.framework.tensor_shape import TensorShape
    if isinstance(input_shape, dict):
        return {k: TensorShape(v) for k, v in input_shape.items()}
    if isinstance(input_shape, (list, tuple)) and input_shape and all(
            isinstance(s, (list, tuple)) for s in input_shape):
        return [TensorShape(s) for s in input_shape]
    return TensorShape(input_shape)



def _dedup_objects(objects):
    unique = []
    for obj in objects:
        if not any(obj is u for u in unique):
            unique.append(obj)
    return unique


__all__ = ["Model"]
