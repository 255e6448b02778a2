"""Variable: a named, mutable value whose reads a GradientTape can follow.

Clauses: TAPE.BASIC (trainable variables are watched when read), TAPE.ACCESSED,
TAPE.SNAPSHOT, VARIABLE.ASSIGN (docs/spec.md).

Who owns what: a Variable owns its current value and its ``trainable`` flag; the
tape owns the decision to watch it. Every read of a Variable by an op goes through
``read_value()``, which makes a new Tensor holding the current array and records
a ``ReadVariableOp`` (input: the Variable, output: that Tensor). A recording tape
with ``watch_accessed_variables=True`` starts watching a *trainable* Variable at
that moment, so ``tape.gradient(loss, variable)`` can flow back through the read.

``assign`` binds a new array instead of writing into the old one: a Tensor read
before the assignment keeps the old value, and gradients computed later use the
values the forward pass really saw (as in TensorFlow).

While the compiler traces a step (``refkeras/compiler/``), reads record their
``ReadVariableOp`` and assignments record ``AssignVariableOp`` /
``AssignAddVariableOp`` / ``AssignSubVariableOp`` (inputs: the Variable, the new
value), each with its kernel below, so a replayed plan reads and moves the
Variable as the eager step did. Outside tracing, assignments record nothing.

>>> v = Variable(2.0, name="w")
>>> v
<tf.Variable 'w:0' shape=() dtype=float32, numpy=2.0>
>>> float(v.assign_add(1.0)), v.trainable
(3.0, True)
"""
import numpy as np

from refkeras.autodiff import tape_stack
from refkeras.autodiff.record import record
from refkeras.framework.array_backed import ArrayBacked, numpy_text
from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.tensor import Tensor


class Variable(ArrayBacked):
    __slots__ = ("_constraint", "_name", "_trainable", "_value")

    def __init__(self, initial_value, trainable=True, name=None, dtype=None, shape=None):
        if callable(initial_value):
            initial_value = initial_value()
        value = convert_to_tensor(initial_value, dtype=dtype)._value.copy()
        if shape is not None and tuple(shape) != value.shape:
            raise ValueError(
                f"In this `tf.Variable` creation, the initial value's shape ({value.shape}) is not "
                f"compatible with the explicitly supplied `shape` argument ({tuple(shape)}).")
        self._value = value
        self._name = f"{name or 'Variable'}:0"
        self._trainable = bool(trainable)
        self._constraint = None     # set by Layer.add_weight; optimizers apply it after updates

    @property
    def name(self):
        return self._name

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    def read_value(self):
        """The current value as a Tensor; recorded on tapes (see the module docstring)."""
        tensor = Tensor(self._value)
        tapes = tape_stack.active()
        if tapes:
            for tape in tapes:
                tape._variable_accessed(self)
            record("ReadVariableOp", (self,), (tensor,), kernel=read_variable)
        return tensor

    value = read_value
    _as_tensor = read_value

    def assign(self, value, read_value=True):
        self._update("AssignVariableOp", assign_variable, self._checked(value, "assign"))
        return self if read_value else None

    def assign_add(self, delta, read_value=True):
        self._update("AssignAddVariableOp", assign_add_variable,
                     self._checked(delta, "assign_add"))
        return self if read_value else None

    def assign_sub(self, delta, read_value=True):
        self._update("AssignSubVariableOp", assign_sub_variable,
                     self._checked(delta, "assign_sub"))
        return self if read_value else None

    def _update(self, op, kernel, array):
        if tape_stack.tracer() is not None:
            record(op, (self, Tensor(array)), (), kernel=kernel)
        kernel(self, array)

    def _checked(self, value, method):
        """``value`` as an array of this variable's dtype and shape, or a clear error."""
        array = convert_to_tensor(value, dtype=self._value.dtype)._value
        if array.shape != self._value.shape:
            raise ValueError(
                f"Cannot {method} value to variable '{self._name}': Shape mismatch. The variable "
                f"shape {self._value.shape}, and the assigned value shape {array.shape} are incompatible.")
        return array

    def __repr__(self):
        return (f"<tf.Variable '{self._name}' shape={tuple(self._value.shape)} "
                f"dtype={self._value.dtype.name}, numpy={numpy_text(self._value)}>")

    def __iter__(self):
        return iter(self.read_value())



# -- the kernels of the variable ops: the Variable itself is their first input -------------

def read_variable(variable):
    return variable._value


def assign_variable(variable, value):
    variable._value = value


def assign_add_variable(variable, delta):
    variable._value = np.asarray(variable._value + delta)


def assign_sub_variable(variable, delta):
    variable._value = np.asarray(variable._value - delta)


__all__ = ["Variable", "assign_add_variable", "assign_sub_variable", "assign_variable",
           "read_variable"]
