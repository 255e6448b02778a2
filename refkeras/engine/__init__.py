"""The engine: what turns layers into models.

* ``call_context.py``  the state of the call in progress (training flag, name scope)
* ``keras_tensor.py``  KerasTensor, the symbolic tensor of the functional API
* ``node.py``          Node, one call of a layer on symbolic tensors
"""
from refkeras.engine.call_context import CallState, current_call, entered
from refkeras.engine.keras_tensor import KerasTensor
from refkeras.engine.node import Node

__all__ = ["CallState", "KerasTensor", "Node", "current_call", "entered"]
