"""EpochIterator: the batches of one epoch after another, for fit, evaluate and predict.

Clauses: FIT.BATCHING, FIT.SHUFFLE, FIT.DATASET, FIT.STEPS_PER_EPOCH, FIT.SEQUENCE,
FIT.OTHER_INPUTS, FIT.VALIDATION.STEPS, WEIGHTING.CLASS, WEIGHTING.DATASET,
PIT.CLASS_WEIGHT_ONE_HOT, PIT.CLASS_AND_SAMPLE_WEIGHT, PIT.STEPS_RUN_OUT (docs/spec.md).

Rule. Everything is checked when the iterator is made (so fit fails before any state
changes): the arguments, the data's kind and sample counts, the class weights.
``num_batches`` is ``steps_per_epoch`` if given, else the adapter's count, else None
(a generator or a dataset of unknown length: the first epoch finds it by running to
the end). One epoch::

    if purpose == "fit": keep the adapter's stream, or start a new one if the adapter
                         recreates per epoch (Datasets without steps, Sequences)
    else:                start a new stream (every evaluation sees the same batches)
    for step in 0, 1, ...: stop after num_batches batches;
        if the stream ends first:
            num_batches unknown -> now num_batches = step (no warning)
            otherwise           -> ran_out = True and tf_keras's warning, once:
                                   "Your input ran out of data; interrupting training. ..."

Once ``ran_out`` is set, later epochs yield nothing (tf_keras's ``_insufficient_data``).
For evaluate and predict a completed pass also calls the data's ``on_epoch_end`` (a
Sequence's); for fit the trainer calls ``on_epoch_end()`` after each epoch.
Each batch is packed as ``train_step`` receives it: ``x``, ``(x,)``, ``(x, y)`` or
``(x, y, sample_weight)`` with numpy leaves; ``class_weight`` becomes (or multiplies)
the sample weight.

Who owns what: the adapters (``data_adapters/``) own how batches are cut; this class
owns epochs, steps and running out; the trainer owns the loop and the callbacks.

>>> import numpy as np
>>> it = EpochIterator(np.arange(5.0), np.arange(5.0), batch_size=2)
>>> it.num_batches, [(step, batch[0].tolist()) for step, batch in it.enumerate_epoch()]
(3, [(0, [0.0, 1.0]), (1, [2.0, 3.0]), (2, [4.0])])
"""
import logging
import numbers

import numpy as np

from refkeras.trainers.data_adapters import ArrayDataAdapter, get_data_adapter
from refkeras.trainers.data_adapters.data_adapter_utils import (
    make_class_weighter,
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)

logger = logging.getLogger("refkeras")

PURPOSES = ("fit", "evaluate", "predict")


class EpochIterator:
    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                 shuffle=False, class_weight=None, steps_per_execution=1, purpose="fit",
                 epochs=1, initial_epoch=0):
        _check_arguments(batch_size, steps_per_epoch, steps_per_execution, purpose, epochs,
                         initial_epoch)
        self._passes = max(epochs - initial_epoch, 1)     # tf_keras's `epochs - initial_epoch`
        self._adapter = get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch,
            shuffle=_check_shuffle(shuffle), epochs=self._passes, class_weight=class_weight)
        self._weigh = None
        if class_weight and not isinstance(self._adapter, ArrayDataAdapter):
            self._weigh = make_class_weighter(class_weight)     # arrays fold it in themselves
        self.num_batches = _infer_num_batches(steps_per_epoch, self._adapter)
        if self.num_batches == 0:
            raise ValueError("Expected input data to be non-empty.")
        if steps_per_execution > 1 and self.num_batches is None:
            raise ValueError("Could not infer the size of the data. With `steps_per_execution "
                             "> 1`, you must specify the number of steps to run.")
        self.batch_size = getattr(self._adapter, "batch_size", None)
        self.steps_per_execution = steps_per_execution
        self.ran_out = False
        self._purpose = purpose
        self._stream = None

    def enumerate_epoch(self):
        """Yield ``(step, batch)`` for one epoch (see the module docstring)."""
        if self.ran_out:
            return
        if self._stream is None or self._purpose != "fit" \
                or self._adapter.should_recreate_iterator():
            self._stream = self._adapter.make_iterator()
        step = 0
        while self.num_batches is None or step < self.num_batches:
            try:
                data = next(self._stream)
            except StopIteration:
                self._stream_ended(step)
                break
            yield step, self._weighted(data)
            step += 1
        if self._purpose != "fit":
            # evaluate and predict are one epoch: the data hears of its end right here
            # (fit's trainer calls on_epoch_end itself, after its epoch-end callbacks).
            self._adapter.on_epoch_end()

    def on_epoch_end(self):
        """Tell the data an epoch ended (a Sequence's ``on_epoch_end``)."""
        self._adapter.on_epoch_end()

    def _weighted(self, data):
        if self._weigh is None:
            return data
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        return pack_x_y_sample_weight(x, y, self._weigh(y, sample_weight))

    def _stream_ended(self, step):
        if self.num_batches is None:
            self.num_batches = step           # the first full pass measured the epoch
            return
        self.ran_out = True
        logger.warning(
            "Your input ran out of data; interrupting training. Make sure that your dataset or "
            "generator can generate at least `steps_per_epoch * epochs` batches (in this case, "
            f"{self._passes * self.num_batches} batches). You may need to use the repeat() "
            "function when building your dataset.")


def _infer_num_batches(steps_per_epoch, adapter):
    if steps_per_epoch == -1:
        logger.warning("The training loop will run indefinitely since you have set "
                       "`steps_per_epoch=-1`. Please use batch-level callbacks to save "
                       "checkpoints or log training progress, etc")
        return None
    if steps_per_epoch is not None:
        return steps_per_epoch
    return adapter.num_batches


def _check_arguments(batch_size, steps_per_epoch, steps_per_execution, purpose, epochs,
                     initial_epoch):
    if purpose not in PURPOSES:
        raise ValueError(f"`purpose` must be one of {PURPOSES}. Received: purpose={purpose!r}")
    if batch_size is not None:
        _check_positive("batch_size", batch_size)
    if steps_per_epoch is not None:
        _check_integer("steps_per_epoch", steps_per_epoch)
        if steps_per_epoch != -1 and steps_per_epoch <= 0:
            raise ValueError("steps_per_epoch must be positive, None or -1. Received "
                             f"{steps_per_epoch}. See `Model.fit`.")
    _check_positive("steps_per_execution", steps_per_execution)
    _check_positive("epochs", epochs)
    _check_integer("initial_epoch", initial_epoch)
    if initial_epoch < 0:
        raise ValueError(f"Expected initial_epoch to be non-negative. Received is {initial_epoch}.")


def _check_integer(name, value):
    # tf_keras lets a float batch size reach a TensorFlow op (TypeError from Slice).
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Expected {name} to be an integer. Received: {name}={value!r} "
                        f"of type {type(value).__name__}")


def _check_positive(name, value):
    _check_integer(name, value)
    if value <= 0:
        raise ValueError(f"Expected {name} to be positive. Received is {value}.")


def _check_shuffle(shuffle):
    """True, False (or None) or "batch" (any case); tf_keras treats other strings as True."""
    if isinstance(shuffle, str) and shuffle.lower() == "batch":
        return "batch"
    if shuffle is None or isinstance(shuffle, (bool, np.bool_)):
        return bool(shuffle)
    raise ValueError('`shuffle` must be True, False or "batch". '
                     f"Received: shuffle={shuffle!r}")


__all__ = ["EpochIterator"]
