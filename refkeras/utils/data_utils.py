"""get_file: fetch a data file once, cache it, and check its hash (``keras.utils.get_file``).

Clauses: none (the issue 6 "data a newcomer can run on" requirement; the rules below
were measured on tf_keras 2.21).

The rule, as tf_keras applies it. The cache folder's base is ``cache_dir`` or, when
that is None, ``~/.keras``; a base that cannot be written (or does not exist) is
replaced by ``/tmp/.keras``. The file lives at ``<base>/<cache_subdir>/<fname>``. If
it is there and ``file_hash`` is given, the hash is checked: a mismatch prints that
the data will be re-downloaded. The file is downloaded from ``origin`` only when it
is missing or its hash is wrong ("Downloading data from <origin>", then a progress
bar counting bytes), and a download whose hash is wrong raises ValueError. ``hash_algorithm="auto"`` means sha256 for a 64-character hash and md5
otherwise. ``KERAS_HOME`` is *not* consulted: tf_keras reads it only for its config
file (keras.json); its import creates ``~/.keras`` unless ``KERAS_HOME`` is set, and
refkeras does the same here, when the default cache is used, so both pick the same
folder.

Where refkeras differs on purpose: the download is written to a temporary file beside
the target and moved into place only once its hash is right (tf_keras writes the
target directly, leaves a corrupted download there, and deletes the stale file it
meant to replace when the download fails; refkeras leaves it alone); a failed download raises
tf_keras's message followed by how to place the file by hand (where, from which URL,
with which hash), because this is what a reader on a machine with no network needs;
an unknown ``hash_algorithm`` raises ValueError (tf_keras silently uses md5); the
arguments after ``origin`` are keyword-only. Archives (``extract``, ``untar``) and
``md5_hash`` are not supported.

Who owns what: this module owns the cache folder's files; the callers
(``refkeras.datasets.mnist``) own the URLs and hashes.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> with open(os.path.join(folder, "hello.txt"), "wb") as f:
...     _ = f.write(b"hello")
>>> hash_file(os.path.join(folder, "hello.txt"))
'2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
>>> os.makedirs(os.path.join(folder, "datasets"))
>>> os.replace(os.path.join(folder, "hello.txt"), os.path.join(folder, "datasets", "hello.txt"))
>>> path = get_file("hello.txt", origin="https://example.invalid/hello.txt", cache_dir=folder,
...                 file_hash="2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
>>> path == os.path.join(folder, "datasets", "hello.txt")    # found and valid: no download
True
"""
import hashlib
import os
import tempfile
import urllib.error
from urllib.parse import urlsplit
from urllib.request import urlopen

from refkeras.utils.progbar import Progbar

HASH_ALGORITHMS = ("auto", "sha256", "md5")
CHUNK_SIZE = 65535


def get_file(fname=None, origin=None, *, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", cache_dir=None):
    """Return the local path of ``origin``'s file, downloading it only if it is missing or stale."""
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if hash_algorithm not in HASH_ALGORITHMS:
        raise ValueError(f"Expected `hash_algorithm` to be one of {HASH_ALGORITHMS}. "
                         f"Received: hash_algorithm={hash_algorithm!r}")
    if not fname:
        fname = os.path.basename(urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'."
                             "Please specify the `fname` as the input param.")
    datadir = os.path.join(_cache_base(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    fpath = os.path.join(datadir, os.fspath(fname))
    if os.path.exists(fpath):
        if file_hash is None or validate_file(fpath, file_hash, hash_algorithm):
            return fpath
        print("A local file was found, but it seems to be incomplete or outdated because the "
              f"{hash_algorithm} file hash does not match the original value of {file_hash} "
              "so we will re-download the data.")
    _download(origin, fpath, file_hash, hash_algorithm)
    return fpath


def _cache_base(cache_dir):
    """The writable folder that holds ``cache_subdir``: ``cache_dir``, ``~/.keras`` or ``/tmp/.keras``."""
    if cache_dir is None:
        cache_dir = os.path.join(os.path.expanduser("~"), ".keras")
        # tf_keras's import makes ~/.keras (for keras.json) unless KERAS_HOME points elsewhere;
        # without this a fresh machine would cache in /tmp under refkeras and in ~ under tf_keras.
        if "KERAS_HOME" not in os.environ:
            _make_folder_if_possible(cache_dir)
    base = os.path.expanduser(cache_dir)
    if not os.access(base, os.W_OK):
        base = os.path.join("/tmp", ".keras")  # tf_keras's fixed fallback, not tempfile's
    return base


def _make_folder_if_possible(folder):
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        pass  # a read-only home: the /tmp fallback takes over, as in tf_keras


def _download(origin, fpath, file_hash, hash_algorithm):
    """Fetch ``origin`` into ``fpath`` atomically: a temp file, its hash checked, then a rename."""
    print(f"Downloading data from {origin}")
    handle, partial = tempfile.mkstemp(prefix=os.path.basename(fpath) + ".", suffix=".part",
                                       dir=os.path.dirname(fpath))
    try:
        with os.fdopen(handle, "wb") as out:
            _copy_url(origin, out, fpath, file_hash, hash_algorithm)
        if file_hash is not None and not validate_file(partial, file_hash, hash_algorithm):
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} file "
                             f"hash does not match the provided value of {file_hash}.")
        os.replace(partial, fpath)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _copy_url(origin, out, fpath, file_hash, hash_algorithm):
    try:
        with urlopen(origin) as response:
            _stream(response, out)
    except urllib.error.HTTPError as e:
        raise Exception(_fetch_failure(origin, e.code, e.msg, fpath, file_hash,  # noqa: TRY002
                                       hash_algorithm)) from e
    except urllib.error.URLError as e:
        raise Exception(_fetch_failure(origin, e.errno, e.reason, fpath, file_hash,  # noqa: TRY002
                                       hash_algorithm)) from e


def _stream(response, out):
    """Copy the response to ``out`` chunk by chunk under a progress bar (in bytes, as tf_keras)."""
    length = response.headers.get("Content-Length") if hasattr(response, "headers") else None
    total = int(length) if length else None
    bar = Progbar(total)
    done = 0
    for chunk in iter(lambda: response.read(CHUNK_SIZE), b""):
        out.write(chunk)
        done += len(chunk)
        if total is None or done < total:
            bar.update(done)
    if total is not None:
        bar.update(total)


def _fetch_failure(origin, code, reason, fpath, file_hash, hash_algorithm):
    """tf_keras's message (its first line, exactly), then how to do without the network."""
    message = (f"URL fetch failure on {origin}: {code} -- {reason}\n"
               f"To use this file without a network, download {origin} on a machine that has "
               f"one and copy it to {fpath}")
    if file_hash is not None:
        message += f" (its {_algorithm_name(hash_algorithm, file_hash)} hash must be {file_hash})"
    return message + "."


def _algorithm_name(algorithm, file_hash):
    """'auto' resolves by the hash's length: 64 hex digits is sha256, anything else md5."""
    if algorithm == "auto":
        return "sha256" if len(file_hash) == 64 else "md5"
    return algorithm


def hash_file(fpath, algorithm="sha256", chunk_size=CHUNK_SIZE):
    """The hex digest of a file, read in chunks (large files never sit in memory whole)."""
    hasher = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()  # md5: legacy hashes
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=CHUNK_SIZE):
    """Whether the file's hash equals ``file_hash`` (sha256 or md5; 'auto' picks by length)."""
    return hash_file(fpath, _algorithm_name(algorithm, str(file_hash)), chunk_size) == str(file_hash)


__all__ = ["get_file", "hash_file", "validate_file"]
