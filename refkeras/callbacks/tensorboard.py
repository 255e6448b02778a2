"""TensorBoard: write the training curves, weight histograms and model config as event files.

Clauses: TENSORBOARD (docs/spec.md).

The rule (tf_keras 2.21, measured). ``log_dir/train/`` and ``log_dir/validation/`` each
get one event file per fit (a new file every time the callback list is configured),
created lazily: train/ when the model is set with ``write_graph`` or when training
begins, validation/ when an evaluation begins. What goes in them:

* ``keras`` (train/, step 0, plugin ``graph_keras_model``, content ``b"1"``): the
  model's ``to_json()`` as a string tensor, written when the model is set, if
  ``write_graph`` and the model is Sequential or functional (never for a subclassed
  one). evaluate() with a TensorBoard callback writes it too.
* ``epoch_<key>`` at step = epoch: train keys to train/, ``val_<key>`` to validation/
  without the prefix. train/ then gets ``epoch_learning_rate`` (a LearningRateSchedule
  evaluated at the optimizer's iteration count) and ``epoch_steps_per_second``.
* ``evaluation_<key>_vs_iterations`` (validation/) at every evaluation end, at step =
  optimizer.iterations.
* ``<weight name with ":" -> "_">/histogram`` (train/) for every layer weight every
  ``histogram_freq`` epochs (``epoch % histogram_freq == 0``), 30 buckets.
* ``<weight name with ":" -> "_">/image`` (train/, plugin ``images``), with
  ``write_images``, right after each weight's histogram (so never without
  ``histogram_freq``): the squeezed weight as a batch of grey images, see
  ``weight_as_images``; ``tf.summary.image`` keeps the first 3 and maps a float w to
  ``uint8(clip(w * 255.5, 0, 255))`` (negative weights are black).
* ``batch_<key>`` at step = iterations after the update, when ``update_freq`` is an
  integer (``"batch"`` is 1) and iterations % update_freq == 0, ONLY if train-batch
  hooks run: this callback asks for them only with ``write_steps_per_second`` (then
  ``batch_steps_per_second`` comes first); another callback overriding a train-batch
  hook also makes them run.

The decision at an epoch end (runnable as written, given the names)::

    train = {k: v for k, v in logs.items() if not k.startswith("val_")}
    val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
    if schedule: train["learning_rate"] = schedule(iterations)
    for k, v in train.items(): scalar(train_dir, "epoch_" + k, v, step=epoch)
    for k, v in val.items(): scalar(val_dir, "epoch_" + k, v, step=epoch)
    if histogram_freq and epoch % histogram_freq == 0:
        for weight in weights:
            histogram(train_dir, tag(weight) + "/histogram", weight, step=epoch)
            if write_images and weight_as_images(weight) is not None:
                image(train_dir, tag(weight) + "/image", weight_as_images(weight),
                      step=epoch, max_outputs=3)

The files are written with the ``tensorboard`` package (its RecordWriter, Event and
Summary protos and its ``scalar_pb`` / ``histogram_pb`` helpers), not with its
EventFileWriter: that one resolves ``tf.io.gfile`` and so imports TensorFlow when it is
installed. The PNGs are Pillow's (``refkeras.summary``): same pixels, same IHDR and
IDAT length as TensorFlow's libpng ones, but the zlib header differs (libpng shrinks
the window field for small images: ``08 99``, Pillow ``78 9c``) and so, in some
images, does the deflate stream (not investigated; likely a row-filter choice), so the bytes are not identical.
Not supported (ValueError at construction): ``embeddings_freq`` (tf_keras saves a
TensorFlow checkpoint of the embeddings for the projector plugin, which refkeras
cannot write) and profiling (``profile_batch`` other than 0); tf_keras's op graph
of the train function has no refkeras counterpart and is never written.

Who owns what: the trainer calls the hooks (train-batch hooks only when some callback
implements them); ``refkeras.summary`` owns the event files themselves.

>>> import os, tempfile, numpy as np, refkeras as keras
>>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
>>> model.compile(keras.optimizers.SGD(0.1), "mse")
>>> folder = tempfile.mkdtemp()
>>> _ = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0,
...               validation_data=(np.ones((2, 1)), np.ones((2, 1))),
...               callbacks=[TensorBoard(folder)])
>>> sorted(os.listdir(folder))
['train', 'validation']
>>> weight_as_images(np.zeros((20, 5))).shape    # a Dense kernel, transposed
(1, 5, 20, 1)
"""
import os
import time

import numpy as np

from refkeras.callbacks.callback import Callback
from refkeras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule

_LEGACY_KWARGS = ("write_grads", "embeddings_layer_names", "embeddings_data", "batch_size")


def _profile_range(profile_batch):
    """tf_keras's accepted forms: an int >= 0, "a,b" or a pair with 0 <= a <= b."""
    message = ("profile_batch must be a non-negative integer or 2-tuple of positive integers. "
               "A pair of positive integers signifies a range of batches to profile. "
               f"Found: {profile_batch}")
    value = profile_batch
    if isinstance(value, str):
        value = [int(part) for part in value.split(",")]
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise ValueError(message)
    start, stop = value
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


def weight_as_images(weight):
    """The [k, h, w, c] image batch tf_keras makes of one weight, or None (not drawn).

    The weight is squeezed first (size-1 axes dropped), then by rank: 1 (a bias) is one
    [1, n, 1, 1] column; 2 (a Dense kernel) one grey image, transposed when it has more
    rows than columns; 3 (a Conv kernel with one input channel) one image per output
    channel, [c, h, w, 1]. A 4-D weight is drawn as it is when its last axis is 1, 3 or
    4 (tf_keras's rule: a Conv2D kernel with 3 filters gives kh RGB images of
    [kw, in, 3]); anything else, and a weight squeezed to a scalar, is not drawn.
    """
    image = np.squeeze(np.asarray(weight))
    if image.ndim == 1:
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, *image.shape, 1)
    elif image.ndim == 3:
        # channels_last (refkeras's only layout): one image per output channel.
        image = np.transpose(image, (2, 0, 1))[..., np.newaxis]
    if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
        return image
    return None


class TensorBoard(Callback):
    """Writes TensorBoard event files during fit and evaluate (``keras.callbacks.TensorBoard``).

    Args:
        log_dir: the folder holding ``train/`` and ``validation/``.
        histogram_freq: every how many epochs weight histograms are written (0: never).
        write_graph: write the model's config (``keras`` tag) when the model is set.
        write_images: with histograms, also write each weight as images (``/image``).
        write_steps_per_second: add ``epoch_steps_per_second`` (and per batch).
        update_freq: "epoch", or "batch" / an integer N: ``batch_<key>`` every N steps.
        profile_batch: 0 (profiling is not supported; other valid values raise).
        embeddings_freq: 0 (the projector's TensorFlow checkpoint cannot be written).
        embeddings_metadata: accepted and unused.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None, **kwargs):
        super().__init__()
        unknown = set(kwargs) - set(_LEGACY_KWARGS)
        if unknown:
            raise ValueError(f"Unrecognized arguments in `TensorBoard` Callback: {unknown}. "
                             f"Supported kwargs are: {set(_LEGACY_KWARGS)}")
        if not isinstance(histogram_freq, int) or histogram_freq < 0:
            raise ValueError(f"histogram_freq must be an integer >= 0, got {histogram_freq!r}")
        if update_freq != "epoch" and update_freq != "batch" and not (
                isinstance(update_freq, int) and update_freq > 0):
            raise ValueError(f'update_freq must be "epoch", "batch" or an integer > 0, '
                             f"got {update_freq!r}")
        if _profile_range(profile_batch) != (0, 0):
            raise ValueError(f"profile_batch: profiling is not supported by refkeras, "
                             f"got {profile_batch!r} (use 0)")
        if embeddings_freq:
            # tf_keras saves a TensorFlow checkpoint of the embedding layers for the
            # projector plugin; refkeras has no TensorFlow checkpoint writer.
            raise ValueError(f"embeddings_freq: embeddings are not supported by refkeras "
                             f"(the projector needs a TensorFlow checkpoint), "
                             f"got {embeddings_freq!r}")
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}

    # ------------------------------------------------------------------ writers
    def _writer(self, run):
        """The run's writer, created (with its file) on first use, as tf_keras does."""
        if run not in self._writers:
            from refkeras.summary import create_file_writer
            self._writers[run] = create_file_writer(os.path.join(self.log_dir, run))
        return self._writers[run]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _iterations(self):
        return int(np.asarray(self.model.optimizer.iterations.numpy()))

    # ------------------------------------------------------------------ hooks
    def set_model(self, model):
        self.model = model
        self._writers = {}      # tf_keras resets its writers here: a new file per fit
        if self.write_graph and getattr(model, "_is_graph_network", False):
            writer = self._writer("train")
            writer.text_tensor("keras", model.to_json(), step=0,
                               plugin_name="graph_keras_model", content=b"1")
            writer.flush()   # evaluate() never closes its writers

    def on_train_begin(self, logs=None):
        self._writer("train")

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_test_begin(self, logs=None):
        self._writer("validation")

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return
        writer = self._writer("validation")
        for name, value in (logs or {}).items():
            writer.scalar(f"evaluation_{name}_vs_iterations", value, step=self._iterations())
        writer.flush()

    def _implements_train_batch_hooks(self):
        return bool(self.write_steps_per_second)

    def on_train_batch_begin(self, batch, logs=None):
        self._batch_start = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch":
            return   # tf_keras has no default writer then: nothing is recorded
        step = self._iterations()
        if step % self.update_freq:
            return
        writer = self._writer("train")
        if self.write_steps_per_second:
            elapsed = time.time() - getattr(self, "_batch_start", time.time())
            writer.scalar("batch_steps_per_second", 1.0 / max(elapsed, 1e-12), step=step)
        for name, value in (logs or {}).items():
            writer.scalar("batch_" + name, value, step=step)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = time.time()
            self._epoch_start_iterations = self._iterations()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs or {})
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    # ------------------------------------------------------------------ epoch summaries
    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train = {key: value for key, value in logs.items() if not key.startswith("val_")}
        val = {key[4:]: value for key, value in logs.items() if key.startswith("val_")}
        schedule = getattr(self.model.optimizer, "_learning_rate", None)
        if isinstance(schedule, LearningRateSchedule):
            train["learning_rate"] = schedule(self.model.optimizer.iterations)
        if self.write_steps_per_second:
            elapsed = time.time() - self._epoch_start
            steps = self._iterations() - self._epoch_start_iterations
            train["steps_per_second"] = steps / max(elapsed, 1e-12)
        for run, values in (("train", train), ("validation", val)):
            if values:
                writer = self._writer(run)
                for name, value in values.items():
                    writer.scalar("epoch_" + name, value, step=epoch)
                writer.flush()

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                tag = weight.name.replace(":", "_")
                value = np.asarray(weight.numpy())
                writer.histogram(tag + "/histogram", value, step=epoch)
                images = weight_as_images(value) if self.write_images else None
                if images is not None:
                    writer.image(tag + "/image", images, step=epoch, max_outputs=3)
        writer.flush()
