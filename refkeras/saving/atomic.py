"""Atomic file writes: a crash mid-save leaves the previous file intact (clause SAVING.SAFETY).

Rule. Every file refkeras saves is written to a temporary file in the same folder,
flushed to disk, and only then renamed over the target. A rename within one file
system is atomic, so a reader (or a process restarted after a crash) sees either
the old complete file or the new complete one, never a half-written one. If the
writer raises, the temporary file is removed and the target is untouched.

    with atomic_write("w.h5") as tmp:   # tmp: "./.w.h5.<random>.tmp"
        write_everything_to(tmp)
    # here "w.h5" is the new file; on an exception it is the old one (or absent)

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> target = os.path.join(folder, "note.txt")
>>> with atomic_write(target) as tmp:
...     _ = open(tmp, "w").write("saved")
>>> open(target).read(), os.listdir(folder)
('saved', ['note.txt'])
"""
import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_write(path):
    """Yield a temporary path beside ``path``; on success move it over ``path``."""
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes 0600; a saved file gets the usual mode
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _umask():
    mask = os.umask(0)     # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def _fsync(path):
    # Without it the rename can reach the disk before the data does (a power cut
    # would then leave an empty file under the final name).
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


__all__ = ["atomic_write"]
