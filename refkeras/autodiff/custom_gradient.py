"""custom_gradient: replace the gradient of a function with your own.

Clauses: CUSTOM_GRADIENT, CUSTOM_GRADIENT.ARGS, CUSTOM_GRADIENT.VARIABLES,
CUSTOM_GRADIENT.SHAPE (docs/spec.md).

The decorated function returns ``(outputs, grad_fn)``. refkeras runs it *without*
recording its ops (a watcher only notes the Variables it reads), then records one
``"CustomGradient"`` op whose inputs are the positional arguments (converted to
Tensors) plus those Variables, and whose gradient rule calls ``grad_fn``:

    grad_fn(*upstream)                      -> one gradient per positional argument
    grad_fn(*upstream, variables=[v, ...])  -> (argument gradients, variable gradients)

The seed's example clips the incoming gradient and gives the norm no gradient:

>>> from refkeras import ops, GradientTape
>>> @custom_gradient
... def clip_gradient_by_norm(x, norm):
...     y = ops.identity(x)
...     def grad_fn(dresult):
...         return [ops.clip_by_norm(dresult, norm), None]
...     return y, grad_fn
>>> x = ops.constant([3.0, 4.0])
>>> with GradientTape() as tape:
...     tape.watch(x)
...     y = clip_gradient_by_norm(x, 1.0) * 10.0
>>> tape.gradient(y, x).numpy()
array([0.70710677, 0.70710677], dtype=float32)
"""
import functools
import inspect

from refkeras.autodiff import tape_stack
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.autodiff.record import record
from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.tensor import Tensor
from refkeras.utils import nest


class _VariableWatcher:
    """A stand-in tape that records nothing and remembers the variables read."""

    def __init__(self):
        self.variables = {}

    def _record(self, entry):
        pass

    def _variable_accessed(self, variable):
        if variable.trainable:
            self.variables.setdefault(id(variable), variable)


def custom_gradient(f):
    @functools.wraps(f)
    def decorated(*args, **kwargs):
        args = tuple(convert_to_tensor(a) for a in args)
        watcher = _VariableWatcher()
        with tape_stack.replaced([watcher]):
            result, grad_fn = f(*args, **kwargs)
        variables = tuple(watcher.variables.values())
        if variables and not _accepts_variables(grad_fn):
            raise TypeError(
                "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since "
                f"function uses variables: {list(variables)}. Define it as "
                "`def grad_fn(*upstream, variables=None)` returning "
                "(argument gradients, variable gradients).")
        flat = [convert_to_tensor(r) for r in nest.flatten(result)]
        # Fresh output Tensors: the record's outputs must be new values even when
        # f returns one of its inputs unchanged.
        outputs = tuple(Tensor(r._value) for r in flat)
        for tape in tape_stack.active():
            for v in variables:
                tape._variable_accessed(v)
        record("CustomGradient", args + variables, outputs,
               {"grad_fn": grad_fn, "num_args": len(args)})
        return nest.pack_sequence_as(result, outputs)
    return decorated


def _accepts_variables(fn):
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.name == "variables" or p.kind is p.VAR_KEYWORD for p in parameters)


@register_gradient("CustomGradient")
def _custom_gradient_grad(op, *upstream):
    grad_fn, num_args = op.attrs["grad_fn"], op.attrs["num_args"]
    variables = list(op.inputs[num_args:])
    if variables:
        arg_grads, var_grads = grad_fn(*upstream, variables=variables)
        var_grads = list(var_grads)
    else:
        arg_grads, var_grads = grad_fn(*upstream), []
    arg_grads = list(arg_grads) if isinstance(arg_grads, (list, tuple)) else [arg_grads]
    if len(arg_grads) != num_args:
        raise ValueError(f"custom_gradient function expected to return {num_args} gradients, but "
                         f"returned {len(arg_grads)} instead.")
    if len(var_grads) != len(variables):
        raise ValueError(f"custom_gradient grad_fn must return {len(variables)} variable gradients "
                         f"(one per variable used), but returned {len(var_grads)}.")
    return tuple(None if g is None else convert_to_tensor(g) for g in arg_grads + var_grads)


__all__ = ["custom_gradient"]
