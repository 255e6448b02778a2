"""Lambda: a Python function used as a layer.

Clauses: LAYER.NUMERIC.LAMBDA, LAYER.CONFIG, MODEL.TRAINING_ARG (docs/spec.md).

``Lambda(function, output_shape=None, mask=None, arguments=None)`` calls
``function(inputs, **arguments)``, adding ``training=`` and ``mask=`` only when the
function names them among its (positional-or-keyword) parameters:

    kwargs = dict(arguments) | ({"mask": mask} if "mask" in params) | ({"training": training} if ...)
    outputs = function(inputs, **kwargs)

Shapes: called on KerasTensors the function runs on placeholder zeros and the
output shape is read from the result, so ``output_shape`` is not consulted there
(tf_keras traces the function the same way). ``compute_output_shape`` uses it:
a callable gets the whole input shape; a tuple is the shape without the batch
axis, which is taken from the first input.

Serialization: ``get_config`` has tf_keras's keys, but the function is stored by
**name only** (``"<lambda>"`` for a lambda) with ``function_type`` "lambda" for
Python functions, "function" for other callables. refkeras never stores code
(tf_keras marshals the bytecode), so ``from_config`` finds a named function in
``custom_objects`` or in its (already imported) module, and raises a ValueError for
an anonymous lambda. Who owns what: the function is the user's; the layer has no
weights.

>>> import numpy as np
>>> Lambda(lambda x, k: x * k, arguments={"k": 3.0})(np.array([[1.0, 2.0]])).numpy()
array([[3., 6.]], dtype=float32)
"""
import inspect
import sys
import types

from refkeras.engine.keras_tensor import KerasTensor
from refkeras.framework.tensor_shape import TensorShape
from refkeras.layers.layer import Layer
from refkeras.utils import nest


class Lambda(Layer):
    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        parameters = _positional_parameters(function)
        self.arguments = arguments or {}
        self.function = function
        if mask is not None:
            self.supports_masking = True
        self.mask = mask
        self._output_shape = output_shape
        self._fn_expects_training_arg = "training" in parameters
        self._fn_expects_mask_arg = "mask" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def _symbolic_outputs(self, args, kwargs, shapes):
        # tf_keras traces the function on symbolic inputs: the shapes come from running
        # it, never from `output_shape`. A dry run on placeholder zeros does the same.
        return self._dry_run(args, kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:   # run the function on zeros of that shape
            shapes = [TensorShape(s) for s in input_shape] if _is_nested_shape(input_shape) \
                else TensorShape(input_shape)
            outputs = self._dry_run((nest.map_structure(KerasTensor, shapes),), {})
            return nest.map_structure(lambda kt: tuple(kt.shape), outputs)
        if callable(self._output_shape):
            return _as_tuples(self._output_shape(input_shape))
        first = input_shape[0] if _is_nested_shape(input_shape) else input_shape
        batch = first[0] if first else None
        if _is_nested_shape(self._output_shape):
            return [(batch,) + tuple(s) for s in self._output_shape]
        return (batch,) + tuple(self._output_shape)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = super().get_config()
        function, function_type, module = _function_to_config(self.function)
        shape, shape_type, shape_module = _function_to_config(self._output_shape, allow_raw=True)
        config.update({"function": function, "function_type": function_type, "module": module,
                       "output_shape": shape, "output_shape_type": shape_type,
                       "output_shape_module": shape_module})
        if self.mask is not None:
            mask, mask_type, mask_module = _function_to_config(self.mask)
            config.update({"mask": mask, "mask_type": mask_type, "mask_module": mask_module})
        config["arguments"] = self.arguments
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["function"] = _function_from_config(config, "function", "module",
                                                   "function_type", custom_objects)
        config["output_shape"] = _function_from_config(config, "output_shape",
                                                       "output_shape_module",
                                                       "output_shape_type", custom_objects)
        if "mask" in config:
            config["mask"] = _function_from_config(config, "mask", "mask_module", "mask_type",
                                                   custom_objects)
        return cls(**config)


def _positional_parameters(function):
    if not callable(function):
        raise TypeError(f"unsupported callable: Lambda expects `function` to be callable. "
                        f"Received: function={function!r}")
    try:
        return inspect.getfullargspec(function).args
    except TypeError:
        raise TypeError(f"unsupported callable: the signature of `function` cannot be read. "
                        f"Received: function={function!r}") from None


def _function_to_config(value, allow_raw=False):
    """``(stored value, type, module)``: a function by its name, anything else as it is."""
    if isinstance(value, types.LambdaType):
        return value.__name__, "lambda", value.__module__
    if callable(value):
        return getattr(value, "__name__", type(value).__name__), "function", \
            getattr(value, "__module__", None)
    if allow_raw:
        return value, "raw", None
    raise ValueError(f"Invalid input for serialization, type: {type(value)} ")


def _function_from_config(config, key, module_key, type_key, custom_objects):
    """Find a stored function again by name: in custom_objects, then in its module."""
    module = config.pop(module_key, None)
    stored_type = config.pop(type_key)
    value = config[key]
    if stored_type == "raw":
        return value
    if stored_type == "lambda" and isinstance(value, (list, tuple)):
        # tf_keras stores Python functions as marshalled bytecode: code, loaded only when the
        # caller passed safe_mode=False to load_model.
        from refkeras.saving.serialization_lib import load_function_code
        return load_function_code(value)
    if stored_type not in ("function", "lambda"):
        raise TypeError("Unsupported value for `function_type` argument. Received: "
                        f"function_type={stored_type}. Expected one of "
                        "['function', 'lambda', 'raw']")
    if value == "<lambda>":
        raise ValueError(
            f"Cannot rebuild the Lambda layer {config.get('name')!r}: its `{key}` was an "
            "anonymous Python lambda, and refkeras stores functions by name only, never as "
            "code. Use a named function (found again through `custom_objects` or its "
            "module), or create the layer in code.")
    if custom_objects and value in custom_objects:
        return custom_objects[value]
    found = getattr(sys.modules.get(module), value, None) if module else None
    if found is None:
        raise ValueError(f"Cannot rebuild the Lambda layer {config.get('name')!r}: the `{key}` "
                         f"named {value!r} (module {module!r}) was not found. Pass it in "
                         "`custom_objects`, or import its module first.")
    return found


def _is_nested_shape(shape):
    return isinstance(shape, (list, tuple)) and bool(shape) and all(
        isinstance(s, (list, tuple)) or s is None for s in shape)


def _as_tuples(shapes):
    if _is_nested_shape(shapes):
        return [None if s is None else tuple(s) for s in shapes]
    return tuple(shapes)


__all__ = ["Lambda"]
