"""The machine a measurement came from: CPU, cores, memory, versions, date.

No spec clauses. Owned by the harness. Versions are read from the installed
distributions' metadata, never by importing them, so the parent process stays free
of TensorFlow::

    facts = {"cpu": first "model name" of /proc/cpuinfo, "cores": os.cpu_count(), ...,
             "source": {"commit": git HEAD, "refkeras_modified": uncommitted changes?}}

>>> "cpu" in machine_facts() and machine_facts()["cores"] >= 1
True
"""
import datetime
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMBA_NUM_THREADS", "REFKERAS_KERNELS")
PACKAGES = ("numpy", "numba", "refkeras", "tensorflow-cpu", "tensorflow", "tf_keras", "keras",
            "torch", "matplotlib")


def _proc_field(path, field):
    """The first ``field: value`` of a /proc file, or "unknown" (not Linux)."""
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == field:
                    return value.strip()
    except OSError:
        pass
    return "unknown"


def package_version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def source_state():
    """The repository's commit and whether refkeras/ has uncommitted changes (read-only git)."""
    root = Path(__file__).resolve().parents[2]

    def git(*args):
        proc = subprocess.run(["git", "-C", str(root), *args], check=False, capture_output=True,
                              text=True)
        return proc.stdout.strip() if proc.returncode == 0 else None
    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "refkeras")
    except OSError:                  # no git on this machine
        return {"commit": None, "refkeras_modified": None}
    return {"commit": commit, "refkeras_modified": bool(dirty) if dirty is not None else None}


def machine_facts():
    """A JSON-able dict of the machine, its load and the package versions."""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    versions = {name: package_version(name) for name in PACKAGES}
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "cores_usable": affinity,
        "memory": _proc_field("/proc/meminfo", "MemTotal"),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {k: v for k, v in versions.items() if v is not None},
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "source": source_state(),
        "thread_env": {k: os.environ[k] for k in THREAD_VARIABLES if k in os.environ},
    }


def describe(facts):
    """One line for the top of a table."""
    v = facts["versions"]
    tf = v.get("tensorflow-cpu") or v.get("tensorflow") or "not installed"
    return (f"{facts['cpu']}, {facts['cores']} cores, python {facts['python']}, "
            f"numpy {v.get('numpy')}, numba {v.get('numba')}, tensorflow {tf}, "
            f"load {facts['load_average'][0]:.2f}, {facts['date']}, source {_source_text(facts)}")


def _source_text(facts):
    src = facts.get("source") or {}
    return f"{src.get('commit')}{' + uncommitted refkeras/ changes' if src.get('refkeras_modified') else ''}"


__all__ = ["describe", "machine_facts", "package_version", "source_state"]
