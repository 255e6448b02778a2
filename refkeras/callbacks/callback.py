"""Callback: the base class of everything fit, evaluate and predict call back into.

Clauses: CALLBACKS.ORDER, CALLBACKS.ATTRS (docs/spec.md).

A callback overrides the hooks it cares about; every hook is a no-op here. The loops
call them through a ``CallbackList`` in this order (tf_keras 2.21, measured)::

    fit:      on_train_begin({})
              per epoch: on_epoch_begin(e, {})
                         per batch: on_train_batch_begin(b, {}); on_train_batch_end(b, running means)
                         [validation: on_test_begin ... on_test_end, the hooks of evaluate]
                         on_epoch_end(e, train logs + val_ logs)
              on_train_end(logs of the last epoch)
    evaluate: on_test_begin({}); per batch on_test_batch_begin / on_test_batch_end; on_test_end(logs)
    predict:  on_predict_begin({}); per batch on_predict_batch_begin(b, {}) /
              on_predict_batch_end(b, {"outputs": batch outputs}); on_predict_end({})

``on_batch_begin`` / ``on_batch_end`` are Keras 1 names: nothing calls them directly;
the default ``on_train_batch_begin/end`` forward to them, so they fire in fit's training
batches only, and not at all once ``on_train_batch_*`` is overridden.

Who owns what: the loops own the order; ``CallbackList`` gives every callback
``set_model(model)`` and ``set_params({'verbose', 'epochs', 'steps'})`` before the first
hook; a callback owns what it does in its hooks (setting ``self.model.stop_training =
True`` asks fit to stop after the current batch or epoch).

>>> class Count(Callback):
...     def on_batch_end(self, batch, logs=None):
...         self.last = batch
>>> c = Count()
>>> c.on_train_batch_end(3, {}); c.last
3
>>> c._implements_train_batch_hooks(), c._implements_test_batch_hooks()
(True, False)
"""

_TRAIN_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end")
_TEST_BATCH_HOOKS = ("on_test_batch_begin", "on_test_batch_end")
_PREDICT_BATCH_HOOKS = ("on_predict_batch_begin", "on_predict_batch_end")


class Callback:
    """Base class for callbacks (``keras.callbacks.Callback``).

    Attributes:
        model: the model being trained, evaluated or predicted with (None until set).
        params: ``{'verbose': v, 'epochs': E, 'steps': S}`` (absent until set).
    """

    def __init__(self):
        self.validation_data = None
        self.model = None
        self._chief_worker_only = None
        # True lets CallbackList hand this callback the trainer's logs unconverted.
        self._supports_tf_logs = False

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    # Keras 1 aliases, reached only through the default on_train_batch_* below.
    def on_batch_begin(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (fit only); ``logs`` is ``{}``."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch; ``logs`` holds the epoch's results and ``val_`` results."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before a training batch; ``logs`` is ``{}``."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after a training batch; ``logs`` holds the running means of the epoch."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before a batch of evaluate, or of fit's validation; ``logs`` is ``{}``."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after a batch of evaluate or validation; ``logs`` holds the running means."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a batch of predict; ``logs`` is ``{}``."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a batch of predict; ``logs`` is ``{'outputs': the batch's outputs}``."""

    def on_train_begin(self, logs=None):
        """Called once at the start of fit; ``logs`` is ``{}``."""

    def on_train_end(self, logs=None):
        """Called once at the end of fit; ``logs`` is the last ``on_epoch_end``'s logs."""

    def on_test_begin(self, logs=None):
        """Called at the start of evaluate or of fit's validation; ``logs`` is ``{}``."""

    def on_test_end(self, logs=None):
        """Called at the end of evaluate or validation; ``logs`` holds the final results."""

    def on_predict_begin(self, logs=None):
        """Called at the start of predict; ``logs`` is ``{}``."""

    def on_predict_end(self, logs=None):
        """Called at the end of predict; ``logs`` is ``{}``."""

    # CallbackList skips a family of batch hooks when no callback overrides any of them:
    # calling no-ops and converting logs every batch would only cost time.
    def _implements_train_batch_hooks(self):
        return any(_overrides(self, name) for name in _TRAIN_BATCH_HOOKS)

    def _implements_test_batch_hooks(self):
        return any(_overrides(self, name) for name in _TEST_BATCH_HOOKS)

    def _implements_predict_batch_hooks(self):
        return any(_overrides(self, name) for name in _PREDICT_BATCH_HOOKS)


def _overrides(callback, hook_name):
    """True if ``hook_name`` is not Callback's own no-op (a subclass or instance attribute set it)."""
    bound = getattr(callback, hook_name)
    return getattr(bound, "__func__", None) is not getattr(Callback, hook_name)


__all__ = ["Callback"]
