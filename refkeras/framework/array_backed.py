"""What a Tensor and a Variable share: a numpy array, and how Python sees it.

Both classes keep their value in ``self._value``, a numpy array that is never
written in place (a Variable's ``assign`` binds a new array), so a Tensor that
was read from a Variable keeps the value it was read with (clause TAPE.SNAPSHOT).

The Python operators (``+``, ``*``, ``@``, ``[]`` ...) are not defined here: the
ops package binds them to its ops (``refkeras/ops/operators.py``), as TensorFlow's
math_ops does for ``tf.Tensor``.
"""
import numpy as np

from refkeras.framework.tensor_shape import TensorShape


def numpy_text(value):
    """How TensorFlow shows a value in a repr: ``12.0`` for scalars, ``array([...])`` otherwise."""
    return str(value[()]) if value.ndim == 0 else repr(value)


class Reference:
    """A hashable handle on a Tensor or Variable (``x.ref()``): dict keys by identity."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj


class ArrayBacked:
    __slots__ = ()
    # numpy must hand `ndarray * tensor` to our __rmul__, not broadcast over objects.
    __array_priority__ = 100

    @property
    def shape(self):
        # numpy's shape is already a tuple of ints: skip TensorShape's per-dimension check
        return tuple.__new__(TensorShape, self._value.shape)

    def get_shape(self):
        return self.shape

    @property
    def dtype(self):
        return self._value.dtype

    @property
    def ndim(self):
        return self._value.ndim

    def _read_in_python(self):
        """Python is about to see this value (a branch, a float, a numpy array): while the
        compiler traces, that makes the trace unreplayable if the value was computed in
        the step, because the plan would freeze what Python did with it."""
        from refkeras.autodiff import tape_stack  # autodiff imports this module
        tracer = tape_stack.tracer()
        if tracer is not None:
            tracer._value_read(self)

    def numpy(self):
        """A copy of the value as a numpy array (a numpy scalar for rank 0)."""
        self._read_in_python()
        v = self._value.copy()
        return v[()] if v.ndim == 0 else v

    def __array__(self, dtype=None, copy=None):
        """``np.array(t)`` copies; ``np.asarray(t)`` is a read-only view, so numpy code can
        never change a Tensor's value in place (a Tensor is immutable)."""
        self._read_in_python()
        if copy:
            return np.array(self._value, dtype=dtype, copy=True)
        if dtype is not None and np.dtype(dtype) != self._value.dtype:
            return self._value.astype(dtype)      # a new array: the caller's to change
        view = self._value.view()
        view.flags.writeable = False
        return view

    def __float__(self):
        self._read_in_python()
        return float(self._value)

    def __int__(self):
        self._read_in_python()
        return int(self._value)

    def __index__(self):
        if self._value.dtype.kind not in "iu":
            raise TypeError(f"Only integer tensors can be used as an index, not {self._value.dtype.name}.")
        self._read_in_python()
        return int(self._value)

    def __bool__(self):
        self._read_in_python()
        return bool(self._value)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __format__(self, spec):
        return format(self._value[()] if self._value.ndim == 0 else self._value, spec)

    def __hash__(self):
        raise TypeError(f"{type(self).__name__} is unhashable. Instead, use {type(self).__name__.lower()}.ref() as the key.")

    def ref(self):
        return Reference(self)


__all__ = ["ArrayBacked", "Reference", "numpy_text"]
