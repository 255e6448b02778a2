"""Kernels: the numeric work behind every op, on numpy arrays.

Two implementations of one interface:

* ``reference.py``  plain numpy: every kernel, written to be read;
* ``fast_ops.py``   fused Numba loops for the kernels listed in its ``FUSED`` and
                    ``OPTIMIZER_UPDATES`` (one optimizer step per variable).

The table below starts from the reference kernels and, unless the environment says
``REFKERAS_KERNELS=reference``, swaps in the fused ones. It is decided once, at
import; ops call ``kernels.<name>(...)`` and never know which one runs. To debug a
suspected kernel, run with ``REFKERAS_KERNELS=reference`` (or numba's own
``NUMBA_DISABLE_JIT=1``, which runs the fused loops as plain Python).

>>> from refkeras import kernels
>>> kernels.implementation in ("numba", "reference")
True
"""
import os
import sys
import warnings

from refkeras.kernels import reference as _reference

# TensorFlow computes exp(1000) = inf without a word; numpy would warn. Silence the
# floating-point warnings numpy raises while refkeras computes, never the user's own.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"refkeras\.")

def _keep_freed_memory():
    """Ask glibc's malloc to keep freed blocks for reuse instead of returning them to the OS.

    Every op allocates its output afresh; for a (64, 30, 30, 32) activation that is
    7 MB. By default glibc serves blocks that large with mmap and unmaps them when
    freed, so the next op pays ~1800 page faults to get the same memory back: on the
    seed's Conv2D step that was 40% of the time. TensorFlow avoids it with its own
    caching allocator; refkeras sets malloc's thresholds instead (256 MB), so
    large blocks come from, and return to, the process heap. Linux/glibc only;
    ``REFKERAS_MALLOC_TUNING=0`` leaves malloc alone.
    """
    if os.environ.get("REFKERAS_MALLOC_TUNING", "1") == "0" or not sys.platform.startswith("linux"):
        return
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    libc.mallopt(m_mmap_threshold, 256 * 2**20)
    libc.mallopt(m_trim_threshold, 512 * 2**20)
    libc.mallopt(m_top_pad, 64 * 2**20)        # grow the heap in large steps


_keep_freed_memory()

_CHOICES = ("numba", "reference")
implementation = os.environ.get("REFKERAS_KERNELS", "numba")
if implementation not in _CHOICES:
    raise ValueError(f"REFKERAS_KERNELS={implementation!r}; expected one of {_CHOICES}.")

_table = {name: getattr(_reference, name) for name in dir(_reference) if not name.startswith("_")
          and callable(getattr(_reference, name))}
if implementation == "numba":
    from refkeras.kernels import fast_ops as _fast_ops
    _table.update({name: getattr(_fast_ops, name)
                   for name in _fast_ops.FUSED + _fast_ops.OPTIMIZER_UPDATES})
globals().update(_table)
del _table
