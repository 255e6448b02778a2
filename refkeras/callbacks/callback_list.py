"""CallbackList: one object that calls every callback's hook, in order.

Clauses: CALLBACKS.ORDER, CALLBACKS.ATTRS, PIT.HOOK_ORDER (docs/spec.md).

The rule (tf_keras 2.21, measured)::

    CallbackList(callbacks=None, add_history=False, add_progbar=False, model=None, **params)
    self.callbacks = flatten(callbacks)                # None / one callback / nested lists
    if add_history and no History among them:   append History()
    if add_progbar and no ProgbarLogger among them: append ProgbarLogger(count_mode="steps")
    if model:  model.history = the History (if any); every callback.set_model(model)
    if params: every callback.set_params(params)       # fit: {'verbose', 'epochs', 'steps'}
    each hook: logs -> a new dict of Python floats / numpy arrays (logs.py), then every
               callback's hook in list order, all sharing that dict

So user callbacks run first, then History, then ProgbarLogger: a key a user callback adds
to ``logs`` in on_epoch_end is recorded by History and printed by the bar, and during a
user's on_epoch_end History does not yet hold that epoch. fit, evaluate and predict all
build their list with ``add_history=True``, so evaluate and predict replace
``model.history`` with an empty History too. A family of batch hooks (train, test,
predict) is skipped entirely when no callback overrides any of its hooks (decided
once, here); ``on_batch_begin/end`` of the list are ``on_train_batch_begin/end``.

Who owns what: the trainer owns when each hook is called (see callback.py); this list
owns the order of the callbacks, the defaults it adds and the conversion of logs.

>>> from refkeras.callbacks.callback import Callback
>>> class Show(Callback): pass
>>> cbs = CallbackList([Show()], add_history=True, epochs=1, steps=2, verbose=0)
>>> [type(c).__name__ for c in cbs.callbacks], cbs.params
(['Show', 'History'], {'epochs': 1, 'steps': 2, 'verbose': 0})
"""
from refkeras.callbacks.history import History
from refkeras.callbacks.logs import to_python_logs
from refkeras.callbacks.progbar_logger import ProgbarLogger
from refkeras.utils import nest

_CALLBACK_METHODS = ("set_model", "set_params", "_implements_train_batch_hooks")


class CallbackList:
    """Container abstracting a list of callbacks (``keras.callbacks.CallbackList``)."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        self.callbacks = nest.flatten(callbacks) if callbacks else []
        _check_callbacks(self.callbacks)
        self._add_default_callbacks(add_history, add_progbar)
        if model:
            self.set_model(model)
        if params:
            self.set_params(params)
        self._supports_tf_logs = all(getattr(cb, "_supports_tf_logs", False) for cb in self.callbacks)
        batch_hook_users = [cb for cb in self.callbacks if _implements_batch_hooks(cb)]
        self._batch_hooks_support_tf_logs = all(getattr(cb, "_supports_tf_logs", False)
                                                for cb in batch_hook_users)
        self._should_call_train_batch_hooks = any(cb._implements_train_batch_hooks() for cb in self.callbacks)
        self._should_call_test_batch_hooks = any(cb._implements_test_batch_hooks() for cb in self.callbacks)
        self._should_call_predict_batch_hooks = any(cb._implements_predict_batch_hooks()
                                                    for cb in self.callbacks)

    def _add_default_callbacks(self, add_history, add_progbar):
        self._history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger(count_mode="steps")
            self.callbacks.append(self._progbar)

    def append(self, callback):
        # As tf_keras: the batch-hook decisions made in __init__ are not revisited.
        self.callbacks.append(callback)

    def set_params(self, params):
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model):
        self.model = model
        if self._history:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def __iter__(self):
        return iter(self.callbacks)

    # -- logs and dispatch
    def _process_logs(self, logs, is_batch_hook=False):
        if logs is None:
            return {}
        if self._supports_tf_logs or (is_batch_hook and self._batch_hooks_support_tf_logs):
            return logs
        return to_python_logs(logs)

    def _call(self, hook_name, logs):
        logs = self._process_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook_name)(logs)

    def _call_epoch(self, hook_name, epoch, logs):
        logs = self._process_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook_name)(epoch, logs)

    def _call_batch(self, hook_name, batch, logs):
        if not self.callbacks:
            return
        logs = self._process_logs(logs, is_batch_hook=True)
        for callback in self.callbacks:
            getattr(callback, hook_name)(batch, logs)

    # -- the hooks
    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call_epoch("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call_epoch("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        if self._should_call_train_batch_hooks:
            self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        if self._should_call_train_batch_hooks:
            self._call_batch("on_train_batch_end", batch, logs)

    # The list's Keras 1 names dispatch to the callbacks' on_train_batch_* hooks.
    on_batch_begin = on_train_batch_begin
    on_batch_end = on_train_batch_end

    def on_test_batch_begin(self, batch, logs=None):
        if self._should_call_test_batch_hooks:
            self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if self._should_call_test_batch_hooks:
            self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        if self._should_call_predict_batch_hooks:
            self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        if self._should_call_predict_batch_hooks:
            self._call_batch("on_predict_batch_end", batch, logs)


def _implements_batch_hooks(callback):
    return (callback._implements_train_batch_hooks() or callback._implements_test_batch_hooks()
            or callback._implements_predict_batch_hooks())


def _check_callbacks(callbacks):
    """Every entry must be a callback; raise before any model or params are touched."""
    for position, callback in enumerate(callbacks):
        missing = [name for name in _CALLBACK_METHODS if not hasattr(callback, name)]
        if missing:
            # AttributeError as tf_keras (which fails on the first missing method), with a clearer message.
            raise AttributeError(
                f"Expected every entry of `callbacks` to be a keras.callbacks.Callback; entry {position} "
                f"is {callback!r} of type {type(callback).__name__}, which lacks {missing}.")


__all__ = ["CallbackList"]
