"""TerminateOnNaN: stop fit at the first training batch whose loss is NaN or infinite.

Clauses: CALLBACKS.TERMINATE_ON_NAN (docs/spec.md).

The rule (tf_keras 2.21, measured). After every training batch (the hook is the Keras 1
``on_batch_end``, reached through the default ``on_train_batch_end``, so evaluate and
predict never check) the batch logs' ``loss`` (the running mean of the epoch) is read;
NaN, +inf or -inf prints ``Batch {batch}: Invalid loss, terminating training`` (0-based
batch index, no leading newline) and sets ``model.stop_training``. That batch's update
has already happened; the rest of the epoch is skipped, validation and on_epoch_end
still run (so History holds the epoch, with nan), and no further epoch starts. Logs
without ``loss`` (a custom train_step) are left alone.

The decision, per training batch (runnable as written, given the names)::

    loss = logs.get("loss")
    if loss is not None and (np.isnan(loss) or np.isinf(loss)):
        print(f"Batch {batch}: Invalid loss, terminating training")
        model.stop_training = True

Where refkeras departs from tf_keras: a loss with more than one value raises a
ValueError naming the shape (tf_keras: numpy's "truth value of an array ... is
ambiguous").

Who owns what: this callback decides to stop; the trainer (``trainers/trainer.py``)
owns what stopping means (the end of the batch loop, then of the epoch loop).

>>> cb = TerminateOnNaN()
>>> class _Model: stop_training = False
>>> cb.set_model(_Model())
>>> cb.on_train_batch_end(0, {"loss": 0.5}); cb.model.stop_training
False
>>> cb.on_train_batch_end(3, {"loss": float("inf")}); cb.model.stop_training
Batch 3: Invalid loss, terminating training
True
"""
import numpy as np

from refkeras.callbacks.callback import Callback
from refkeras.callbacks.logs import to_python_value
from refkeras.utils.progbar import print_msg


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite (``keras.callbacks.TerminateOnNaN``)."""

    def __init__(self):
        super().__init__()
        # Only "loss" is read, and converted here: the other logs need no conversion.
        self._supports_tf_logs = True

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = np.asarray(to_python_value(loss))
        if loss.size != 1:
            raise ValueError(f"TerminateOnNaN needs a single loss value per batch; logs['loss'] "
                             f"has shape {loss.shape}.")
        if not np.isfinite(loss.item()):
            print_msg(f"Batch {batch}: Invalid loss, terminating training\n")
            self.model.stop_training = True


__all__ = ["TerminateOnNaN"]
