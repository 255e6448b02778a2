"""CSVLogger: one CSV row per epoch, written while fit runs.

Clauses: CALLBACKS.CSV_LOGGER, PIT.LR_IN_LOGS (docs/spec.md).

The rule (tf_keras 2.21, measured). The columns are frozen at the first epoch end the
callback ever sees: ``epoch``, then the sorted keys of that epoch's logs, and, when none
of them starts with ``val_``, a ``val_<key>`` column for every key (so a
``validation_freq`` that skips epoch 0 still gets its columns). A later key is not
written; a missing one is written ``NA``. The columns stay frozen for a second fit
with the same callback, as in tf_keras. Each fit writes the header first, except with
``append=True`` when the file already holds something. A value is written by the
``csv`` module (so ``str``: ``0.4025990962982178``, ``nan``, ``inf``, None as an empty
field, a field holding the separator or ``"`` quoted); a string as it is; any other
iterable, except a 0-d array, as the text ``"[a, b]"``, quotes included, which the
``csv`` module then quotes again (``\"\"\"[1.5, 2]\"\"\"``). Rows end with ``\\r\\n``.

The decision, per epoch end (runnable as written, given the names)::

    if keys is None:
        keys = sorted(logs)
        if not any(k.startswith("val_") for k in keys):
            keys += ["val_" + k for k in keys]
    if first row of this fit and header wanted:      # append=False, or an empty file
        write_row(["epoch"] + keys)
    write_row([epoch] + [shown(logs.get(k, "NA")) for k in keys])

where ``shown(v)`` is ``v`` for a str or a 0-d array, ``f'"[{", ".join(map(str, v))}]"'``
for another iterable, and ``v`` otherwise.

Where refkeras departs from tf_keras (each raises where tf_keras goes on): a separator
that is not a 1-character string raises at construction (tf_keras: TypeError
``"delimiter" must be a 1-character string`` at the first epoch end); a filename that is
not a str or path-like, or an ``append`` that is not a bool, raise at construction; the
file is opened at on_train_begin (tf_keras creates it at the first row), so a missing
folder raises FileNotFoundError before any training (tf_keras: NotFoundError after the
first epoch). Whether the header is written is decided from the file at every
on_train_begin (tf_keras keeps the previous fit's answer when the file has gone).

Who owns what: this callback owns the columns, the header and the text of each value;
the ``csv`` module owns the quoting; CallbackList decides which keys are in ``logs``
(a key a later callback adds, such as ``lr``, is not seen: PIT.LR_IN_LOGS).

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
>>> logger = CSVLogger(path)
>>> logger.on_train_begin()
>>> logger.on_epoch_end(0, {"loss": 0.5, "mae": float("nan")})
>>> logger.on_epoch_end(1, {"loss": 0.25, "extra": 1.0})
>>> logger.on_train_end()
>>> open(path, newline="").read()
'epoch,loss,mae,val_loss,val_mae\\r\\n0,0.5,nan,NA,NA\\r\\n1,0.25,NA,NA,NA\\r\\n'
"""
import collections.abc
import csv
import os

import numpy as np

from refkeras.callbacks.callback import Callback


class CSVLogger(Callback):
    """Streams every epoch's logs to a CSV file (``keras.callbacks.CSVLogger``).

    Args:
        filename: str or path-like, the CSV file, e.g. ``"run/log.csv"``.
        separator: the 1-character string between fields.
        append: True appends to an existing file (the header only if it is empty);
            False overwrites it.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = _check_separator(separator)
        self.filename = _check_filename(filename)
        self.append = _check_append(append)
        self.writer = None
        self.csv_file = None
        # Frozen at the first epoch end ever seen, and kept across fits, as in tf_keras.
        self.keys = None
        self.append_header = True

    def on_train_begin(self, logs=None):
        if self.append:
            self.append_header = _is_empty_or_missing(self.filename)
        # newline="" hands the csv module's "\r\n" to the file unchanged, as tf_keras's GFile.
        # The file stays open across hooks (closed in on_train_end): no context manager.
        self.csv_file = open(self.filename, "a" if self.append else "w",  # noqa: SIM115
                             newline="", encoding="utf-8")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = _columns(logs)
        if self.writer is None:
            self.writer = csv.writer(self.csv_file, delimiter=self.sep)
            if self.append_header:
                self.writer.writerow(["epoch", *self.keys])
        self.writer.writerow([epoch, *(_shown(logs.get(key, "NA")) for key in self.keys)])
        # Flushed per row, so the file is readable (and survives a crash) while fit runs.
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.writer = None


def _columns(logs):
    """Sorted keys, plus ``val_`` twins when the first epoch has no validation keys."""
    keys = sorted(logs)
    if not any(key.startswith("val_") for key in keys):
        # The first epoch may lack validation (validation_freq > 1): reserve its columns.
        keys += [f"val_{key}" for key in keys]
    return keys


def _shown(value):
    """What tf_keras hands the csv writer for one value."""
    if isinstance(value, str) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return value
    if isinstance(value, collections.abc.Iterable):
        # The quotes are part of the text, so the csv module doubles them: """[1, 2]""".
        return f"\"[{', '.join(map(str, value))}]\""
    return value


def _is_empty_or_missing(filename):
    return not os.path.exists(filename) or os.path.getsize(filename) == 0


# -- construction checks
def _check_separator(separator):
    if not isinstance(separator, str) or len(separator) != 1:
        raise TypeError(f"CSVLogger: `separator` must be a 1-character string. "
                        f"Received: separator={separator!r}")
    return separator


def _check_filename(filename):
    if not isinstance(filename, (str, os.PathLike)):
        raise TypeError(f"CSVLogger: `filename` must be a str or a path-like object. "
                        f"Received: filename={filename!r} (of type {type(filename).__name__})")
    return os.fspath(filename)


def _check_append(append):
    # A string such as "no" is truthy: it would append where the caller meant to overwrite.
    if not isinstance(append, (bool, np.bool_)):
        raise TypeError(f"CSVLogger: `append` must be True or False. Received: append={append!r}")
    return bool(append)


__all__ = ["CSVLogger"]
