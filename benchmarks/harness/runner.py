"""Start one worker process per backend and collect their results into one document.

No spec clauses. Owned by the harness. Why a process per backend: TensorFlow starts
thread pools and imports hundreds of modules; in the same process they would slow
refkeras (and refkeras's Numba threads would slow TensorFlow). The rule::

    for spec in backends: results[spec] = json of `python -m benchmarks.harness.worker`
    if torch imports: results["torch"] = the PyTorch loops, else "not installed"

A backend that fails to start is recorded with its error; the others still run.

>>> sorted(run_document(["x"], [], quick=True, results={})) # doctest: +ELLIPSIS
['backends', 'kind', 'machine', 'quick', 'reference', 'results', 'workloads']
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness.machine import machine_facts
from benchmarks.harness.torch_workloads import TORCH_WORKLOADS

REPO_ROOT = Path(__file__).resolve().parents[2]


def child_env(extra=None):
    """The environment of a child: quiet TensorFlow, Keras 2, the repo importable."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("TF_USE_LEGACY_KERAS", "1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra or {})
    return env


def torch_installed():
    return importlib.util.find_spec("torch") is not None


def _failure(spec, proc):
    tail = (proc.stderr or "").strip().splitlines()[-3:]
    return {"name": spec, "error": f"worker exited with {proc.returncode}: " + " | ".join(tail)}


def run_backend(spec, jobs, quick=False, rounds=None, timeout=1800):
    """Run ``jobs`` on backend ``spec`` in a new worker process; its result dict."""
    with tempfile.TemporaryDirectory(prefix="refkeras-bench-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "benchmarks.harness.worker", "--backend", spec,
               "--jobs", json.dumps(jobs), "--out", str(out)]
        cmd += ["--quick"] if quick else []
        cmd += ["--rounds", str(rounds)] if rounds else []
        start = time.perf_counter()
        proc = subprocess.run(cmd, check=False, cwd=REPO_ROOT, env=child_env(), capture_output=True,
                              text=True, timeout=timeout)
        if proc.returncode != 0 or not out.exists():
            return _failure(spec, proc)
        result = json.loads(out.read_text())
    result["process_s"] = time.perf_counter() - start
    return result


def _log(message):
    print(message, file=sys.stderr, flush=True)


def run_all(backends, names, quick=False, rounds=None, with_torch=True):
    """Every backend (then torch, when installed) on workloads ``names``: the document."""
    jobs = [{"workload": name} for name in names]
    results = {}
    for spec in backends:
        _log(f"[benchmarks] {spec}: {', '.join(names)} ...")
        results[spec] = run_backend(spec, jobs, quick, rounds)
        _log(f"[benchmarks] {spec}: done in {results[spec].get('process_s', 0):.1f} s")
    reference = {}
    if with_torch:
        reference["torch"] = _run_torch(names, quick, rounds, results)
    return run_document(backends, names, quick, results, reference)


def _run_torch(names, quick, rounds, results):
    torch_jobs = [{"workload": n} for n in names if n in TORCH_WORKLOADS]
    if not torch_installed():
        results["torch"] = {"name": "torch", "status": "not installed"}
        return "not installed"
    if torch_jobs:
        _log("[benchmarks] torch (reference) ...")
        results["torch"] = run_backend("torch", torch_jobs, quick, rounds)
    return results.get("torch", {}).get("version", "installed")


def run_document(backends, names, quick, results, reference=None):
    return {"kind": "run", "machine": machine_facts(), "quick": quick, "backends": list(backends),
            "workloads": list(names), "results": results, "reference": reference or {}}


__all__ = ["REPO_ROOT", "child_env", "run_all", "run_backend", "run_document", "torch_installed"]
