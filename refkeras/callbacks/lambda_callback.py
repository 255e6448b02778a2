"""LambdaCallback: a callback made of plain functions, one per hook.

Clauses: CALLBACKS.LAMBDA (docs/spec.md).

The rule (tf_keras 2.21, measured). ``LambdaCallback(on_epoch_begin, on_epoch_end,
on_batch_begin, on_batch_end, on_train_begin, on_train_end, **other_hooks)`` (the six
also positionally, in that order) makes each function given that hook of the instance;
a hook not given stays Callback's no-op. Any other hook goes by keyword
(``on_test_begin=``, ``on_train_batch_end=``, ``on_predict_batch_end=``, ...). The
functions are called as the hooks are: ``f(epoch, logs)``, ``f(batch, logs)``,
``f(logs)``, except ``on_batch_begin`` / ``on_batch_end``, which the default
``on_train_batch_begin`` / ``on_train_batch_end`` call as ``f(batch, logs=logs)``: their
second parameter must be named ``logs``. They fire for fit's training batches only
(not for validation, evaluate or predict), and not at all when ``on_train_batch_begin``
/ ``on_train_batch_end`` are given too. Fit with validation, one epoch of two batches:
``tb, eb 0, bb 0, be 0, bb 1, be 1, ee 0, te``.

The decision, at construction (runnable as written, given the names)::

    for name, function in given_hooks.items():
        if function is not None:
            setattr(self, name, function)        # an instance attribute replaces the method

Where refkeras departs from tf_keras (each raises at construction where tf_keras goes on):
a keyword that is not a hook name (tf_keras stores ``foo=3`` as the attribute
``self.foo``); a hook that is not callable, or whose parameters cannot take the call
the hook gets (tf_keras fails when the hook fires, e.g. ``TypeError: <lambda>() got an
unexpected keyword argument 'logs'`` for ``on_batch_end=lambda b, l: ...``, or
``'int' object is not callable``). A keyword hook given as None is left out, as the
six named ones are (tf_keras stores None and fails when it fires).

Who owns what: this class only attaches the functions; CallbackList decides which
hooks run (it skips a family of batch hooks no callback implements) and in what order.

>>> seen = []
>>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, logs["loss"])),
...                     on_test_begin=lambda logs: seen.append("validation"))
>>> cb.on_epoch_end(0, {"loss": 0.5}); cb.on_test_begin({}); cb.on_train_begin({})
>>> seen
[(0, 0.5), 'validation']
>>> cb._implements_train_batch_hooks()
False
"""
import inspect

from refkeras.callbacks.callback import Callback

# How each hook is called, so a function given for it must accept that call.
# Callback's default on_train_batch_* call the Keras 1 on_batch_* with logs by keyword.
_CALL_SHAPES = {
    "batch alias": ((0,), {"logs": {}}, "f(batch, logs=logs)"),
    "batch": ((0, {}), {}, "f(batch, logs)"),
    "epoch": ((0, {}), {}, "f(epoch, logs)"),
    "logs": (({},), {}, "f(logs)"),
}
_HOOKS = {
    "on_batch_begin": "batch alias", "on_batch_end": "batch alias",
    "on_epoch_begin": "epoch", "on_epoch_end": "epoch",
    "on_train_batch_begin": "batch", "on_train_batch_end": "batch",
    "on_test_batch_begin": "batch", "on_test_batch_end": "batch",
    "on_predict_batch_begin": "batch", "on_predict_batch_end": "batch",
    "on_train_begin": "logs", "on_train_end": "logs",
    "on_test_begin": "logs", "on_test_end": "logs",
    "on_predict_begin": "logs", "on_predict_end": "logs",
}


class LambdaCallback(Callback):
    """A callback built from functions (``keras.callbacks.LambdaCallback``).

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_batch_begin, on_batch_end: ``f(batch, logs)``, the second parameter named
            ``logs`` (it is passed by keyword); training batches only.
        on_train_begin, on_train_end: ``f(logs)``.
        **other_hooks: any other hook of Callback, by name (``on_test_begin=f``, ...).
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **other_hooks):
        super().__init__()
        _check_hook_names(other_hooks)
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_batch_begin": on_batch_begin, "on_batch_end": on_batch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end, **other_hooks}
        for name, function in hooks.items():
            if function is not None:
                _check_function(name, function)
                setattr(self, name, function)


def _check_hook_names(other_hooks):
    unknown = sorted(set(other_hooks) - set(_HOOKS))
    if unknown:
        raise TypeError(f"LambdaCallback got unexpected keyword argument(s) {unknown}; the "
                        f"hooks it accepts are {sorted(_HOOKS)}.")


def _check_function(name, function):
    if not callable(function):
        raise TypeError(f"LambdaCallback: `{name}` must be a function. "
                        f"Received: {name}={function!r}")
    args, kwargs, shown = _CALL_SHAPES[_HOOKS[name]]
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return                                  # no signature to read (some builtins)
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        hint = " (name its second parameter `logs`)" if "logs" in kwargs else ""
        raise TypeError(f"LambdaCallback: `{name}` is called as {shown}, which a function with "
                        f"the parameters {signature} cannot take{hint}.") from None


__all__ = ["LambdaCallback"]
