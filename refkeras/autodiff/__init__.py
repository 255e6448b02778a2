"""Reverse-mode automatic differentiation: tapes, records, the gradient table.

Module map (read in this order):

* ``tape_stack.py``  which tapes are recording now
* ``record.py``       a record: (op, inputs, outputs, attrs), offered to the tapes
* ``gradient_registry.py``  op name -> gradient rule (rules live beside their ops)
* ``backprop.py``    the reverse sweep over records
* ``gradient_tape.py``  GradientTape, the user-facing recorder
* ``custom_gradient.py``  replacing a function's gradient
"""
from refkeras.autodiff.custom_gradient import custom_gradient
from refkeras.autodiff.gradient_registry import (
    gradient_rule,
    register_gradient,
    registered_ops,
)
from refkeras.autodiff.gradient_tape import GradientTape, UnconnectedGradients
from refkeras.autodiff.record import TapeRecord, record

__all__ = [
    "GradientTape",
    "TapeRecord",
    "UnconnectedGradients",
    "custom_gradient",
    "gradient_rule",
    "record",
    "register_gradient",
    "registered_ops",
]
