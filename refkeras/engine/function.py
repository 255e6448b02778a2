"""``refkeras.function``: the counterpart of ``tf.function`` (clause FUNCTION).

Rule. A decorated function gives the same results as the undecorated one: today it
*is* the undecorated one, run eagerly, so every Python statement runs on every call
(tf.function runs Python side effects only while tracing; our results do not depend
on that). Tracing a step once into a static plan and replaying it without per-op
Python is issue 9's compiled path; this decorator is where it will plug in. Usable
bare (``@function``) or with arguments (``@function(jit_compile=True)``).

>>> @function
... def double(x):
...     return x * 2
>>> double(3)
6
"""
import functools


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    if func is None:
        return functools.partial(function, input_signature=input_signature,
                                 autograph=autograph, jit_compile=jit_compile)
    return func


__all__ = ["function"]
