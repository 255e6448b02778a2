"""Benchmarks: refkeras beside plain numpy and TensorFlow, side by side in one run.

Run: ``python -m pytest benchmarks`` (add ``--benchmark-disable`` for the quick
smoke mode CI uses: every benchmark runs once, untimed). Each benchmark belongs to
a group (one workload) and has a ``backend`` parameter; at the end a table gives
each backend's median time and its ratio to TensorFlow's in the same group.
"""
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")


def tensorflow_or_skip():
    try:
        import tensorflow as tf
    except ImportError:
        pytest.skip("tensorflow is not installed (pip install -e '.[tf]')")
    return tf


def run_benchmark(benchmark, group, build):
    """Time ``build()``'s step function (built, and run once to warm up, untimed)."""
    benchmark.group = group
    step = build()
    step()
    benchmark(step)


def refkeras_tf():
    from refkeras.compat import tf
    return tf


def pytest_terminal_summary(terminalreporter, config):
    session = getattr(config, "_benchmarksession", None)
    if session is None or session.disabled or not session.benchmarks:
        return
    groups = {}
    for bench in session.benchmarks:
        backend = bench.param or bench.name
        groups.setdefault(bench.group or bench.name, {})[backend] = bench.stats.median
    tr = terminalreporter
    tr.section("refkeras vs TensorFlow (median; ratio = tf time / backend time, > 1 is faster)")
    for group, times in groups.items():
        base = times.get("tf")
        cells = []
        for backend, t in sorted(times.items(), key=lambda kv: kv[1]):
            ratio = f" ({base / t:.1f}x)" if base else ""
            cells.append(f"{backend} {t * 1e6:.1f}us{ratio}")
        tr.write_line(f"{group:28s} " + " | ".join(cells))
