"""HDF5 files sealed with a SHA-256 of their bytes, checked before HDF5 reads them.

Clause: SAVING.SAFETY (docs/spec.md).

Why: HDF5 keeps no checksum of its data, and the library trusts its own metadata:
a flipped byte can load as a wrong weight without a word, or crash the process
(a segmentation fault reading a damaged attribute). So every HDF5 file refkeras
writes starts with a 512-byte *user block*, a region the HDF5 format reserves for
the application and skips when reading (tf_keras and h5py open these files as
usual)::

    bytes 0..15    MAGIC                      b"refkeras-sealed\\n"
    bytes 16..79   sha256(bytes 80..end)      64 hex digits
    bytes 80..511  zeros; the HDF5 file proper starts at byte 512

``verify(path)`` recomputes the digest before h5py opens the file, so any damaged
byte, anywhere, is reported as a damaged file instead of reaching HDF5. A file
without the seal (written by tf_keras) must start with HDF5's own signature and is
read unchecked; anything else is rejected.

>>> import os, tempfile, h5py
>>> path = os.path.join(tempfile.mkdtemp(), "w.h5")
>>> with h5py.File(path, "w", userblock_size=USER_BLOCK) as f:
...     f["x"] = [1.0, 2.0]
>>> seal(path); verify(path)
'sealed'
"""
import hashlib

MAGIC = b"refkeras-sealed\n"
USER_BLOCK = 512                     # the smallest user block HDF5 allows
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_DIGEST_AT = len(MAGIC)
_DIGEST_END = _DIGEST_AT + 64
_CHUNK = 1 << 20


class DamagedFile(OSError):
    """The file's bytes are not those that were written."""


def seal(path):
    """Write the magic and the digest into the user block of a freshly written file."""
    with open(path, "r+b") as f:
        f.seek(_DIGEST_END)
        digest = _sha256(f)
        f.seek(0)
        f.write(MAGIC + digest.encode("ascii"))


def verify(path):
    """'sealed' if the seal matches, 'unsealed' for a plain HDF5 file; else DamagedFile."""
    with open(path, "rb") as f:
        head = f.read(_DIGEST_END)
        if head.startswith(HDF5_SIGNATURE):
            return "unsealed"
        if not head.startswith(MAGIC) or len(head) < _DIGEST_END:
            raise DamagedFile(f"{path!r} is neither a refkeras weights file nor an HDF5 file "
                              f"(it starts with {head[:16]!r})")
        stored = head[_DIGEST_AT:_DIGEST_END].decode("ascii", errors="replace")
        if _sha256(f) != stored:
            raise DamagedFile(f"{path!r} is damaged: its SHA-256 does not match the one written "
                              "with it (a byte changed, or the file was cut short)")
    return "sealed"


def _sha256(f):
    digest = hashlib.sha256()
    while block := f.read(_CHUNK):
        digest.update(block)
    return digest.hexdigest()



def h5_file(name, mode, **kwargs):
    """``h5py.File(name, mode, **kwargs)``. h5py is imported here, when a file is read or
    written, not when refkeras is: it adds ~40 ms to every process's start."""
    import h5py
    return h5py.File(name, mode, **kwargs)

__all__ = ["USER_BLOCK", "DamagedFile", "h5_file", "seal", "verify"]
