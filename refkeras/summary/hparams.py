"""TensorBoard's HParams for refkeras: ``from refkeras.summary import hparams as hp``.

Clauses: HPARAMS (docs/spec.md).

The seed's tuning example does ``from tensorboard.plugins.hparams import api as hp``;
this module is that ``hp`` for refkeras, so the example runs with only its import
lines changed. The hyperparameter descriptions (``HParam``, ``Discrete``,
``IntInterval``, ``RealInterval``, ``Metric``) ARE tensorboard's own classes, and the
Summary protos are built by tensorboard's ``summary_v2.hparams_pb`` /
``hparams_config_pb`` and ``metadata`` helpers, none of which import TensorFlow. What
tensorboard does with ``tf.summary`` (writing the protos, the Keras callback) is done
here with ``refkeras.summary`` writers.

The rule (tensorboard 2.x with tf_keras 2.21, measured). Every hparams summary is one
Event at step 0 whose value has the tag ``_hparams_/experiment``,
``_hparams_/session_start_info`` or ``_hparams_/session_end_info``, plugin
``hparams``, an ``HParamsPluginData`` (version 0) as plugin content and an empty
float tensor of shape (0,):

* ``hparams_config(hparams, metrics)``: the experiment (each HParam's name, type and
  domain, each Metric), to the default writer.
* ``hparams(values, trial_id=None)``: a session start: each value under its
  hyperparameter's name, ``group_name`` = ``trial_id`` or the SHA-256 of the values
  as sorted compact JSON, ``start_time_secs`` = now.
* ``KerasCallback(writer_or_logdir, values)``: a session start at train begin and a
  session end (``STATUS_SUCCESS``, ``end_time_secs`` = now) at train end, into its
  own writer: a logdir makes a new event file there at construction. One fit only:
  a second raises RuntimeError, as tensorboard's callback does.

Both module functions return False and write nothing without a default writer. The
decision of KerasCallback (runnable pseudo-Python, given the names)::

    on_train_begin: with writer.as_default(): hparams(values, trial_id)
    on_train_end:   writer.write_summary(session_end(STATUS_SUCCESS), step=0)
                    writer = None        # the next on_train_begin raises

Divergence: tensorboard's callback never closes a writer it made from a logdir (the
file is closed when the writer is garbage collected); refkeras closes it at train end.

>>> import os, tempfile, numpy as np, refkeras as keras
>>> folder = tempfile.mkdtemp()
>>> units = HParam("units", Discrete([2, 4]))
>>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2)])
>>> model.compile("sgd", "mse")
>>> _ = model.fit(np.ones((4, 1)), np.ones((4, 2)), verbose=0,
...               callbacks=[KerasCallback(folder, {units: 2})])
>>> len(os.listdir(folder))
1
>>> hparams({units: 2})
False
"""
import os
import time

from refkeras import summary as _summary
from refkeras.callbacks.callback import Callback

try:
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.plugins.hparams import (
        api_pb2,
        metadata,
        plugin_data_pb2,
        summary_v2,
    )
    from tensorboard.plugins.hparams.summary_v2 import (
        Discrete,
        Domain,
        HParam,
        IntInterval,
        Metric,
        RealInterval,
    )
except ImportError as error:  # tensorboard is an optional extra
    raise ImportError("refkeras.summary.hparams needs the `tensorboard` package: "
                      "pip install tensorboard") from error


def _write(summary_pb):
    """Write one hparams Summary at step 0 to the default writer; False when there is none."""
    if not _summary._default:
        return False
    _summary._default[-1].write_summary(summary_pb, step=0)
    return True


def hparams_config(hparams, metrics, time_created_secs=None):
    """Write the experiment: the hyperparameters (HParam list) and the metrics (Metric list)."""
    return _write(summary_v2.hparams_config_pb(hparams, metrics,
                                               time_created_secs=time_created_secs))


def hparams(hparams, trial_id=None, start_time_secs=None):
    """Write a session start: the values of one trial (keys HParam objects or names)."""
    return _write(summary_v2.hparams_pb(hparams, trial_id=trial_id,
                                        start_time_secs=start_time_secs))


def session_end_pb(status=api_pb2.STATUS_SUCCESS, end_time_secs=None):
    """The session-end Summary (tensorboard builds it in its TensorFlow-importing summary.py)."""
    end = plugin_data_pb2.SessionEndInfo(
        status=status, end_time_secs=time.time() if end_time_secs is None else end_time_secs)
    summary_pb = summary_pb2.Summary()
    summary_pb.value.add(tag=metadata.SESSION_END_INFO_TAG,
                         metadata=metadata.create_summary_metadata(
                             plugin_data_pb2.HParamsPluginData(session_end_info=end)),
                         tensor=metadata.NULL_TENSOR)
    return summary_pb


class KerasCallback(Callback):
    """Log one trial's hyperparameters: session start at train begin, end at train end."""

    def __init__(self, writer, hparams, trial_id=None):
        super().__init__()
        self._hparams = dict(hparams)
        self._trial_id = trial_id
        # A dry run now, so that bad values or a bad trial_id fail here, not in fit.
        summary_v2.hparams_pb(self._hparams, trial_id=trial_id)
        if writer is None:
            raise TypeError("writer must be a `SummaryWriter` or `str`, not None")
        self._owns_writer = isinstance(writer, (str, os.PathLike))
        self._writer = _summary.create_file_writer(writer) if self._owns_writer else writer

    def _get_writer(self):
        if self._writer is None:
            raise RuntimeError("hparams Keras callback cannot be reused across training sessions")
        return self._writer

    def on_train_begin(self, logs=None):
        with self._get_writer().as_default():
            hparams(self._hparams, trial_id=self._trial_id)

    def on_train_end(self, logs=None):
        writer = self._get_writer()
        writer.write_summary(session_end_pb(api_pb2.STATUS_SUCCESS), step=0)
        if self._owns_writer:
            writer.close()
        else:
            writer.flush()
        self._writer = None


__all__ = ["Discrete", "Domain", "HParam", "IntInterval", "KerasCallback", "Metric",
           "RealInterval", "hparams", "hparams_config", "session_end_pb"]
