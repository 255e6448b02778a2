"""KerasTensor: the symbolic tensor of the functional API.

Clauses: MODEL.FUNC.SYMBOLIC, MODEL.LOSSES.SYMBOLIC (docs/spec.md).

``keras.Input(shape=(3,))`` holds no numbers: it is a shape (batch axis ``None``),
a dtype and a history ``(layer, node_index, tensor_index)`` saying which call of
which layer made it. Calling a layer on KerasTensors records a ``Node`` and returns
new KerasTensors; ``keras.Model(inputs, outputs)`` walks these histories back from
the outputs to find the graph. Arithmetic and ``tf.*`` functions applied to a
KerasTensor become a layer of their own (``TFOpLambda``), so
``tf.reduce_sum(x) * 0.1`` is a valid symbolic loss.

Who owns what: the layer that made a KerasTensor owns its Node; the KerasTensor
only points back at it.

>>> t = KerasTensor((None, 3), "float32", name="x")
>>> t.shape, t.dtype.name
(TensorShape([None, 3]), 'float32')
"""
import numpy as np

from refkeras.framework import dtypes
from refkeras.framework.tensor_shape import TensorShape


class KerasTensor:
    __slots__ = ("_keras_history", "dtype", "name", "shape")

    def __init__(self, shape, dtype="float32", name=None, history=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name
        self._keras_history = history

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def node(self):
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def __repr__(self):
        made_by = self._keras_history[0].name if self._keras_history else None
        shape = tuple(self.shape)
        return (f"<KerasTensor: shape={shape} dtype={self.dtype.name} "
                f"(created by layer '{made_by}')>")

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            f"{self!r} is symbolic: it has no value until a model built from it is called on "
            "data. Apply Keras layers or tf.* functions to it, or call the model on arrays.")

    def __bool__(self):
        raise TypeError(f"Using a symbolic KerasTensor as a Python bool is not allowed: {self!r}.")

    __hash__ = object.__hash__

    # Arithmetic builds TFOpLambda layers, under the names tf_keras gives them.
    def _op(self, name, fn, *args):
        from refkeras.layers.core.tf_op_layer import symbolic_apply
        return symbolic_apply(name, fn, args, {})


def _operator(symbol, reflected=False):
    """``KerasTensor.__<symbol>__``: record the operator as a TFOpLambda layer.

    A reflected operator (``1 - x``) records its operands in written order, so the
    layer computes ``operator(1, x)``, as tf_keras records it.
    """
    import operator
    fn = getattr(operator, symbol)
    name = _OPERATOR_NAMES[symbol]

    def method(self, other):
        operands = (other, self) if reflected else (self, other)
        return self._op(name, fn, *operands)
    return method


_OPERATOR_NAMES = {"add": "tf.__operators__.add", "sub": "tf.math.subtract",
                   "mul": "tf.math.multiply", "truediv": "tf.math.truediv",
                   "matmul": "tf.linalg.matmul", "pow": "tf.math.pow",
                   "getitem": "tf.__operators__.getitem"}

for _symbol in ("add", "sub", "mul", "truediv", "matmul", "pow"):
    setattr(KerasTensor, f"__{_symbol}__", _operator(_symbol))
    setattr(KerasTensor, f"__r{_symbol}__", _operator(_symbol, reflected=True))
KerasTensor.__getitem__ = _operator("getitem")
KerasTensor.__neg__ = lambda self: self._op("tf.math.negative", lambda a: -a, self)
del _symbol


def is_symbolic(value):
    return isinstance(value, KerasTensor)


def placeholder_value(tensor, fill):
    """Zeros of ``tensor``'s dtype, with ``fill`` for every unknown dimension."""
    return np.zeros([fill if d is None else d for d in tensor.shape], dtype=tensor.dtype)


__all__ = ["KerasTensor", "is_symbolic", "placeholder_value"]
