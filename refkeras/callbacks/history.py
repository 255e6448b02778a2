"""History: the record of a fit, which fit returns and stores as ``model.history``.

Clauses: CALLBACKS.HISTORY (docs/spec.md).

The rule (tf_keras 2.21)::

    on_train_begin:        self.epoch = []            # history itself is NOT cleared
    on_epoch_end(e, logs): self.epoch.append(e)
                           for k, v in logs.items(): self.history.setdefault(k, []).append(v)
                           self.model.history = self

fit builds a new History per call (``CallbackList(add_history=True)``), so each fit's
History holds that fit's epochs only. A History passed in ``callbacks=`` is used instead,
and reused across fits it keeps accumulating ``history`` while ``epoch`` restarts.
Values are what the logs held at on_epoch_end (Python floats from the trainer; a numpy
value a callback put there stays numpy). Keys follow the logs' order: loss, metrics,
``val_`` keys, then keys added by callbacks that ran before History.

Who owns what: History owns these two containers; CallbackList places it after the
user's callbacks and sets ``model.history``.

>>> h = History()
>>> class _Model: pass
>>> h.set_model(_Model())
>>> h.on_train_begin(); h.on_epoch_end(0, {"loss": 0.5}); h.on_epoch_end(1, {"loss": 0.25})
>>> h.epoch, h.history, h.model.history is h
([0, 1], {'loss': [0.5, 0.25]}, True)
"""
from refkeras.callbacks.callback import Callback


class History(Callback):
    """Records every epoch's logs into ``self.history`` (``keras.callbacks.History``)."""

    def __init__(self):
        super().__init__()
        self.history = {}

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        # Set at every epoch end, so model.history is current even while fit runs.
        self.model.history = self


__all__ = ["History"]
