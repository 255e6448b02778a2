"""TF functions applied to KerasTensors become layers (tf_keras's ``TFOpLambda``).

Clauses: MODEL.LOSSES.SYMBOLIC (docs/spec.md).

In a functional model, ``tf.reduce_sum(x1) * 0.1`` with ``x1`` a KerasTensor has no
value to compute yet. As tf_keras does, each function of this namespace checks its
arguments: if any is a KerasTensor, the call is recorded as a layer named after the
function's canonical TF name (``tf.math.reduce_sum``) and a KerasTensor is
returned; otherwise the op runs as usual.

>>> # wrapped = symbolic_aware(reduce_sum, "tf.math.reduce_sum")
>>> # wrapped(keras_tensor)  ->  KerasTensor made by layer 'tf.math.reduce_sum'
"""
import functools

from refkeras.engine.keras_tensor import KerasTensor


def symbolic_aware(fn, tf_name):
    @functools.wraps(fn)
    def dispatch(*args, **kwargs):
        if _has_symbolic(args) or (kwargs and _has_symbolic(kwargs.values())):
            from refkeras.layers.core.tf_op_layer import symbolic_apply
            return symbolic_apply(tf_name, fn, args, kwargs)
        return fn(*args, **kwargs)
    dispatch.__wrapped_op__ = fn
    return dispatch


def _has_symbolic(values):
    """A KerasTensor among ``values`` or inside a list/tuple of them (``tf.concat([a, b])``).

    Checked on every eager op call, so kept to one shallow pass.
    """
    for value in values:
        if isinstance(value, KerasTensor):
            return True
        if isinstance(value, (list, tuple)) and any(isinstance(x, KerasTensor) for x in value):
            return True
    return False


def wrap_namespace(namespace, names, canonical):
    """Replace each function ``names`` in ``namespace`` by its symbolic-aware wrapper.

    ``canonical(name)`` gives the TF name the layer is called after.
    """
    for name in names:
        fn = namespace[name]
        if callable(fn) and not isinstance(fn, type) and not hasattr(fn, "__wrapped_op__"):
            namespace[name] = symbolic_aware(fn, canonical(name))


__all__ = ["symbolic_aware", "wrap_namespace"]
