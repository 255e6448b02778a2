"""InputLayer and ``keras.Input``: where a functional graph starts.

Clauses: MODEL.FUNC.SYMBOLIC, MODEL.SEQ.INPUT (docs/spec.md).

``keras.Input(shape=(3,))`` makes an InputLayer and returns its only output, a
KerasTensor of shape ``(batch_size, 3)`` (``batch_size`` defaults to None). The
layer has one Node with no inputs, so every walk back through a graph ends at an
InputLayer. Default names are one-based: ``input_1``, ``input_2`` ...

>>> x = Input(shape=(3,), name="features")
>>> x.shape, x.dtype.name, x.name
(TensorShape([None, 3]), 'float32', 'features')
"""
from refkeras.backend import session
from refkeras.engine.keras_tensor import KerasTensor
from refkeras.engine.node import Node
from refkeras.layers.layer import Layer


class InputLayer(Layer):
    def __init__(self, input_shape=None, batch_size=None, dtype=None, input_tensor=None,
                 sparse=None, name=None, ragged=None, batch_input_shape=None, optional=False,
                 **kwargs):
        if name is None:
            name = session.current().unique_name("input", zero_based=False)
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError("Please provide to Input a `shape` or a `tensor` or a "
                                 "`type_spec` argument. Note that `shape` does not include the "
                                 "batch dimension.")
            input_shape = (input_shape,) if isinstance(input_shape, int) else input_shape
            batch_input_shape = (batch_size,) + tuple(input_shape)
        if sparse or ragged or optional:
            raise ValueError(f"InputLayer {name}: sparse, ragged and optional inputs are not "
                             "supported by refkeras; pass dense arrays.")
        super().__init__(name=name, dtype=dtype or "float32", **kwargs)
        self._batch_input_shape = tuple(batch_input_shape)
        self.built = True
        tensor = KerasTensor(self._batch_input_shape, self._dtype, name=name)
        Node(self, (), {}, tensor)

    def get_config(self):
        return {"batch_input_shape": self._batch_input_shape, "dtype": self._dtype,
                "sparse": False, "ragged": False, "name": self.name, "optional": False}

    @property
    def output(self):
        return self._inbound_nodes[0].outputs

    @property
    def input_shape(self):
        """``[batch_input_shape]``: tf_keras shows an InputLayer's shapes as a one-item list."""
        return [tuple(self._batch_input_shape)]

    output_shape = input_shape


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=None, tensor=None,
          ragged=None, type_spec=None, batch_shape=None, **kwargs):
    """A symbolic input: the KerasTensor output of a new InputLayer."""
    if shape is None and batch_shape is None:
        raise ValueError("Please provide to Input a `shape` or a `tensor` or a `type_spec` "
                         "argument. Note that `shape` does not include the batch dimension.")
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype,
                       sparse=sparse, ragged=ragged, batch_input_shape=batch_shape, **kwargs)
    return layer.output


__all__ = ["Input", "InputLayer"]
