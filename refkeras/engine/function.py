"""``refkeras.function``: the counterpart of ``tf.function`` (clauses FUNCTION,
COMPILE.TRACED_STEP).

Rule. A decorated function gives the same results as the undecorated one. It is
traced per input signature and replayed as a plan once two traces agree
(``refkeras/compiler/traced_function.py``); a function that cannot be replayed
stays eager. As with ``tf.function``, Python side effects inside it (``print``,
appending to a list) happen only while it traces. Usable bare (``@function``), with
arguments (``@function(jit_compile=True)``, accepted and ignored) and on methods.

>>> import refkeras.ops as ops
>>> @function
... def double(x):
...     return x * 2.0
>>> [float(double(ops.constant(3.0))) for _ in range(3)]
[6.0, 6.0, 6.0]
>>> double.replays
1
"""
import functools

from refkeras.compiler import TracedFunction


class Function(TracedFunction):
    """A TracedFunction that keeps the function's name and docstring and binds as a method."""

    def __init__(self, fn):
        super().__init__(fn)
        functools.update_wrapper(self, fn)
        self._bound = {}

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        # One traced function per instance: `self` is part of the signature anyway.
        key = id(instance)
        if key not in self._bound:
            self._bound[key] = Function(functools.partial(self._fn, instance))
        return self._bound[key]


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    if func is None:
        return functools.partial(function, input_signature=input_signature,
                                 autograph=autograph, jit_compile=jit_compile)
    return Function(func)


__all__ = ["Function", "function"]
