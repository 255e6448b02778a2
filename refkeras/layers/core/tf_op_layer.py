"""TFOpLambda: a TensorFlow function applied to KerasTensors, recorded as a layer.

Clauses: MODEL.FUNC.SYMBOLIC, MODEL.NAMES, MODEL.LOSSES.SYMBOLIC (docs/spec.md).

In the functional API, ``x + y``, ``tf.reduce_sum(x)`` or ``x[:, 0]`` on KerasTensors
cannot compute anything yet; each becomes a TFOpLambda layer that remembers the
function and its arguments, so the model replays it on values later. The layer is
named as tf_keras names it, after the function's public symbol, made unique:

    x + y            ->  "tf.__operators__.add", "tf.__operators__.add_1", ...
    x * y            ->  "tf.math.multiply"
    tf.reduce_sum(x) ->  "tf.math.reduce_sum"

``symbolic_apply(name, fn, args, kwargs)`` is the one entry point (KerasTensor
arithmetic and ``refkeras.compat.tf`` call it). ``Layer.__call__`` does the rest:
its symbolic path records a Node holding ``args`` and ``kwargs`` (KerasTensors left
in place) and finds the output shapes by running ``call`` on placeholder zeros;
``Node.run`` later calls the layer again with values, and ``call`` simply applies
the function:

    call(*args, **kwargs) == function(*args, **kwargs)

``get_config`` stores the symbol (``{"function": "math.reduce_sum", ...}``) and
``from_config`` finds it again in ``refkeras.compat.tf``. Who owns what: the
function belongs to the op library; this layer owns no weights.

>>> from refkeras.engine.keras_tensor import KerasTensor
>>> import operator
>>> y = symbolic_apply("tf.math.multiply", operator.mul, (KerasTensor((None, 3)), 2.0), {})
>>> y.shape, y._keras_history[0].get_config()["function"]
(TensorShape([None, 3]), 'math.multiply')
"""
import operator

import numpy as np

from refkeras.backend import session
from refkeras.engine.keras_tensor import KerasTensor
from refkeras.layers.layer import Layer
from refkeras.utils import nest

# Python's operators, under the symbols tf_keras gives them (tf.__operators__.*).
_OPERATORS = {"__operators__.add": operator.add, "__operators__.getitem": operator.getitem}


class TFOpLambda(Layer):
    def __init__(self, function, symbol=None, **kwargs):
        self.function = function
        self.symbol = symbol
        if kwargs.get("name") is None:
            base = "tf." + symbol if symbol else getattr(function, "__name__", "tf_op_lambda")
            kwargs["name"] = session.current().unique_name(base)
        kwargs["autocast"] = False
        super().__init__(**kwargs)

    def call(self, *args, **kwargs):
        kwargs.pop("name", None)
        # Shapes are found by running on zeros: 0 / 0 there is expected, not a warning.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return self.function(*args, **kwargs)

    def get_config(self):
        if not self.symbol:
            raise ValueError(
                f"This TF-Keras op layer was generated from {self.function}, a method that is "
                "not publicly exposed in the TensorFlow API. Only op layers produced from "
                "public TensorFlow API symbols can be serialized.")
        config = super().get_config()
        config["function"] = self.symbol
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        symbol = config.pop("function")
        return cls(_find_symbol(symbol), symbol=symbol, **config)


def symbolic_apply(name, fn, args, kwargs):
    """Apply ``fn`` to ``args``/``kwargs`` holding KerasTensors: a new TFOpLambda layer
    named ``name`` (made unique) is called on them; returns its output KerasTensors."""
    symbol = name[len("tf."):] if name.startswith("tf.") else None
    layer = TFOpLambda(fn, symbol=symbol, name=session.current().unique_name(name))
    args = (_with_shape(args[0], _first_dtype((args, kwargs))),) + tuple(args[1:]) \
        if args else args
    return layer(*args, **kwargs)


def _first_dtype(structure):
    for leaf in nest.flatten(structure):
        if isinstance(leaf, KerasTensor):
            return leaf.dtype
    return None


def _with_shape(first, dtype):
    """Python numbers in the first argument become arrays of the KerasTensors' dtype.

    ``Layer.__call__`` reads the shape of its first argument; a Python number has
    none. The number takes the dtype of the tensor it meets, as TensorFlow converts
    ``2.0 - x`` (``tf.math.subtract(2.0, x)``)."""
    def convert(leaf):
        if isinstance(leaf, (bool, int, float)) and dtype is not None:
            return np.asarray(leaf, dtype=dtype)
        return leaf
    return nest.map_structure(convert, first)


def _find_symbol(symbol):
    """``"math.reduce_sum"`` -> ``refkeras.compat.tf.math.reduce_sum``."""
    if symbol in _OPERATORS:
        return _OPERATORS[symbol]
    from refkeras.compat import tf
    found = tf
    for part in symbol.split("."):
        found = getattr(found, part, None)
        if found is None:
            raise ValueError(f"TF symbol `{symbol}` could not be found.")
    return found


__all__ = ["TFOpLambda", "symbolic_apply"]
