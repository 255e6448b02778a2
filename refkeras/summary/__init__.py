"""``tf.summary`` for refkeras: write TensorBoard event files without TensorFlow.

Clauses: TENSORBOARD (docs/spec.md; the TensorBoard callback writes through this module).

The rule. ``create_file_writer(logdir)`` makes ``logdir`` and opens a new event file in
it, ``events.out.tfevents.<10-digit time>.<host>.<pid>.<n>.v2`` as TensorFlow names
them, whose first record is the ``brain.Event:2`` version event. Each summary is one
``Event(wall_time, step, summary)`` record. The records, the Event / Summary protos
and the summary payloads are all the ``tensorboard`` package's own: its RecordWriter
(TFRecord framing with masked CRC32C), ``scalar_pb`` (a float32 0-d tensor, plugin
"scalars"), ``histogram_pb`` (a [buckets, 3] float64 tensor of left edge, right edge,
count; 30 buckets, as ``tf.summary.histogram``) and ``text_pb`` (plugin "text").
``image`` writes what ``tf.summary.image`` writes (measured, TF 2.21): plugin "images",
a string tensor ``[width, height, png_1, ..., png_k]`` for the first ``max_outputs``
images of a [k, h, w, c] batch, c in 1 (grey), 3 (RGB), 4 (RGBA) kept as PNG channels;
floats become uint8 as ``tf.image.convert_image_dtype(saturate=True)`` does, by
``clip(x * 255.5, 0, 255)`` truncated (so 0.0345 -> 8, 1.2 -> 255, -0.5 -> 0).
Divergence: integer images other than uint8 raise ValueError naming ``data``
(TensorFlow rescales them to uint8).
tensorboard's EventFileWriter is not used because it imports TensorFlow when it is
installed (through ``tf.io.gfile``); the records are written synchronously instead.

The module-level ``scalar`` / ``histogram`` / ``text`` write to the default writer,
set by ``writer.as_default()`` (a context) or ``writer.set_as_default()``; with no
default writer they write nothing and return False, as ``tf.summary`` does. ``step``
defaults to the one given to ``as_default(step)``; a missing step raises ValueError.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> writer = create_file_writer(folder)
>>> with writer.as_default():
...     scalar("loss", 0.5, step=1)
True
>>> writer.close()
>>> [name.startswith("events.out.tfevents.") for name in os.listdir(folder)]
[True]
>>> scalar("loss", 0.5, step=2)
False
"""
import contextlib
import itertools
import os
import socket
import time

import numpy as np

_file_number = itertools.count()
_default = []   # the stack of default writers (as_default nests)


def _protos():
    """tensorboard's pieces, imported on first use (tensorboard is an optional extra)."""
    try:
        from tensorboard.compat.proto import event_pb2, summary_pb2
        from tensorboard.plugins.histogram.summary_v2 import histogram_pb
        from tensorboard.plugins.image import metadata as image_metadata
        from tensorboard.plugins.scalar.summary_v2 import scalar_pb
        from tensorboard.plugins.text.summary_v2 import text_pb
        from tensorboard.summary.writer.record_writer import RecordWriter
        from tensorboard.util import tensor_util
    except ImportError as error:
        raise ImportError("refkeras.summary needs the `tensorboard` package: "
                          "pip install tensorboard") from error
    return {"event_pb2": event_pb2, "summary_pb2": summary_pb2, "histogram_pb": histogram_pb,
            "scalar_pb": scalar_pb, "text_pb": text_pb, "RecordWriter": RecordWriter,
            "tensor_util": tensor_util, "image_metadata": image_metadata}


def _number(value):
    """A log value (Python number, numpy value or refkeras Tensor) as a numpy array."""
    if hasattr(value, "numpy") and not isinstance(value, (np.ndarray, np.generic)):
        value = value.numpy()
    return np.asarray(value)


class SummaryWriter:
    """One event file in ``logdir`` (``tf.summary.create_file_writer``)."""

    def __init__(self, logdir):
        self._pb = _protos()
        self.logdir = os.fspath(logdir)
        os.makedirs(self.logdir, exist_ok=True)
        name = (f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}."
                f"{os.getpid()}.{next(_file_number)}.v2")
        self.path = os.path.join(self.logdir, name)
        self._file = open(self.path, "wb")  # noqa: SIM115 -- open until close()
        self._records = self._pb["RecordWriter"](self._file)
        self._step = None
        self._add(self._pb["event_pb2"].Event(wall_time=time.time(), file_version="brain.Event:2"))
        self.flush()

    @property
    def closed(self):
        return self._file.closed

    def _add(self, event):
        if self.closed:
            raise RuntimeError(f"the summary writer of {self.logdir!r} is closed")
        self._records.write(event.SerializeToString())

    def _step_or_default(self, step):
        step = self._step if step is None else step
        if step is None:
            raise ValueError("step: no step given and none set by as_default(step), got None")
        return int(_number(step))

    def write_summary(self, summary, step):
        """One Event record holding the Summary proto ``summary`` at ``step``."""
        self._add(self._pb["event_pb2"].Event(wall_time=time.time(),
                                              step=self._step_or_default(step), summary=summary))

    def scalar(self, tag, value, step=None):
        self.write_summary(self._pb["scalar_pb"](tag, _number(value)), step)

    def histogram(self, tag, data, step=None, buckets=None):
        self.write_summary(self._pb["histogram_pb"](tag, _number(data), buckets=buckets), step)

    def text(self, tag, data, step=None):
        self.write_summary(self._pb["text_pb"](tag, data), step)

    def image(self, tag, data, step=None, max_outputs=3):
        """The first ``max_outputs`` images of a [k, h, w, c] batch as PNGs (plugin "images")."""
        images = _uint8_images(_number(data))[:max_outputs]
        height, width = images.shape[1:3]
        encoded = [str(width).encode(), str(height).encode()] + [_png(image) for image in images]
        summary = self._pb["summary_pb2"].Summary()
        value = summary.value.add(tag=tag)
        value.metadata.CopyFrom(self._pb["image_metadata"].create_summary_metadata(
            display_name="", description=""))
        value.tensor.CopyFrom(self._pb["tensor_util"].make_tensor_proto(
            np.array(encoded, dtype=object)))
        self.write_summary(summary, step)

    def text_tensor(self, tag, text, step=None, plugin_name="text", content=b""):
        """A string tensor under any plugin: the Keras model config is one (graph_keras_model)."""
        summary = self._pb["summary_pb2"].Summary()
        value = summary.value.add(tag=tag)
        value.metadata.plugin_data.plugin_name = plugin_name
        value.metadata.plugin_data.content = content
        value.tensor.CopyFrom(self._pb["tensor_util"].make_tensor_proto(
            np.array(text.encode("utf-8") if isinstance(text, str) else text, dtype=object)))
        self.write_summary(summary, step)

    def flush(self):
        if not self.closed:
            self._records.flush()

    def close(self):
        if not self.closed:
            self._records.close()

    @contextlib.contextmanager
    def as_default(self, step=None):
        """Make this the default writer (and ``step`` the default step) inside the block."""
        previous = self._step
        if step is not None:
            self._step = step
        _default.append(self)
        try:
            yield self
        finally:
            _default.remove(self)
            self._step = previous
            self.flush()

    def set_as_default(self, step=None):
        """Make this the default writer until another is set."""
        if step is not None:
            self._step = step
        _default[:] = [self]


def _uint8_images(data):
    """A [k, h, w, c] batch (c = 1, 3 or 4) as uint8, floats scaled as TensorFlow does."""
    if data.ndim != 4 or data.shape[-1] not in (1, 3, 4):
        raise ValueError("data: images must be a 4-D [k, h, w, c] batch with c = 1, 3 or 4, "
                         f"got shape {data.shape}")
    if data.dtype == np.uint8:
        return data
    if not np.issubdtype(data.dtype, np.floating):
        raise ValueError(f"data: images must be uint8 or floats in [0, 1], got dtype {data.dtype}")
    # convert_image_dtype(saturate=True): scale by 255.5, clamp, then truncate.
    return np.clip(data * 255.5, 0, 255).astype(np.uint8)


def _png(image):
    """One [h, w, c] uint8 image as PNG bytes, keeping its channels (matplotlib's Pillow)."""
    import io

    from PIL import Image
    buffer = io.BytesIO()
    # Pillow infers the mode: [h, w] uint8 is "L", [h, w, 3] "RGB", [h, w, 4] "RGBA".
    Image.fromarray(image[..., 0] if image.shape[-1] == 1 else image).save(buffer, "PNG")
    return buffer.getvalue()


def create_file_writer(logdir):
    """A new SummaryWriter: a new event file in ``logdir`` (made if missing)."""
    return SummaryWriter(logdir)


def _write(method, *args, step=None, **kwargs):
    if not _default:
        return False
    getattr(_default[-1], method)(*args, step=step, **kwargs)
    return True


def scalar(name, data, step=None):
    """Write a scalar to the default writer; False when there is none."""
    return _write("scalar", name, data, step=step)


def histogram(name, data, step=None, buckets=None):
    """Write a histogram (30 buckets unless told) to the default writer."""
    return _write("histogram", name, data, step=step, buckets=buckets)


def text(name, data, step=None):
    """Write a string (or array of strings) to the default writer."""
    return _write("text", name, data, step=step)


def image(name, data, step=None, max_outputs=3):
    """Write up to ``max_outputs`` images of a [k, h, w, c] batch to the default writer."""
    return _write("image", name, data, step=step, max_outputs=max_outputs)


__all__ = ["SummaryWriter", "create_file_writer", "histogram", "image", "scalar", "text"]
