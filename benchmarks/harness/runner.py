"""Interleaved measurement: one live worker per backend, passes alternating between them.

No spec clauses. Owned by the harness. Why a process per backend: TensorFlow starts
thread pools and imports hundreds of modules; in the same process they would slow
refkeras (and refkeras's Numba threads would slow TensorFlow).

Why interleaved passes: on the 2-core VM this was built on, the throughput of 2-thread
work (BLAS) halves for stretches of several seconds, with no steal time and no other
process (the same CNN step replayed 60 times took 65-70 ms for ~50 steps, then 150-190 ms
for ~10). Timing one backend after the other lets such a stretch land on one backend
only, and ratios flipped between runs (cnn_fit tf_keras / refkeras 0.32x, then ~1.0x).
So every backend's worker is started once, loads its backend, and for each workload::

    every worker: build the workload and warm it up (untimed)
    for p in range(passes):                     # the backends take turns,
        for backend in rotate(backends, p):     # the order rotated each pass
            sleep(settle_s)                     # the last one's spinning threads go idle
            pass_rounds[backend].append(rounds timed rounds on that worker)
    kept[backend] = min(median(r) for r in pass_rounds[backend])

A slow stretch then hits every backend alike, and the least disturbed pass of each is
kept (interference only ever adds time: timeit's reasoning). Every round stays in the
JSON. A backend that fails to start, or a workload that fails on one backend, is
recorded with its error; the others still run.

>>> rotated(["a", "b", "c"], 1)
['b', 'c', 'a']
"""
import importlib.util
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.harness.machine import machine_facts
from benchmarks.harness.torch_workloads import TORCH_WORKLOADS
from benchmarks.harness.worker import job_key
from benchmarks.workloads import SIZES, summarize

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUEST_TIMEOUT_S = 1800     # one request: a backend's import, a warm-up or a pass
SETTLE_S = {"full": 0.2, "quick": 0.0}


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


def rotated(items, shift):
    shift %= max(len(items), 1)
    return list(items[shift:]) + list(items[:shift])


def _log(message):
    print(message, file=sys.stderr, flush=True)


class Worker:
    """One live ``benchmarks.harness.worker`` process, asked one JSON line at a time."""

    def __init__(self, spec, quick, timeout=REQUEST_TIMEOUT_S):
        self.spec, self.timeout, self.dead = spec, timeout, None
        # stderr to a file, not a pipe: nobody reads it until the end, and a full pipe would
        # block the worker. It lives as long as the worker, so close() closes it.
        self.stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        cmd = [sys.executable, "-m", "benchmarks.harness.worker", "--backend", spec]
        cmd += ["--quick"] if quick else []
        self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=child_env(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()   # readline with a timeout
        self.hello = self._receive()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _stderr_tail(self):
        self.stderr.seek(0)
        return " | ".join(self.stderr.read().strip().splitlines()[-3:])

    def _receive(self):
        """The next reply, or an error (and the worker marked dead) if none comes."""
        try:
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            self.proc.kill()
            self.dead = f"worker gave no answer in {self.timeout} s"
            return {"error": self.dead}
        if line is None:
            self.proc.wait()
            self.dead = f"worker exited with {self.proc.returncode}: {self._stderr_tail()}"
            return {"error": self.dead}
        return json.loads(line)

    def request(self, message):
        if self.dead:
            return {"error": self.dead}
        try:
            self.proc.stdin.write(json.dumps(message) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass                     # the worker is gone: _receive reports how
        return self._receive()

    def close(self):
        try:
            self.proc.stdin.close()  # end of input: the worker exits
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()


def _start(specs, quick):
    """Start the workers one after the other (two imports at once would slow both)."""
    workers, results = {}, {}
    for spec in specs:
        _log(f"[benchmarks] starting {spec} ...")
        start = time.perf_counter()
        worker = Worker(spec, quick)
        if "error" in worker.hello:
            worker.close()
            results[spec] = {"name": spec, "error": worker.hello["error"]}
            _log(f"[benchmarks] {spec}: {worker.hello['error']}")
            continue
        workers[spec] = worker
        results[spec] = {"name": worker.hello["name"], "version": worker.hello["version"],
                         "load_s": time.perf_counter() - start, "workloads": {}}
    return workers, results


def _prepare(workers, job, results, supports):
    """Build and warm up ``job`` on every worker that has it; the specs that are ready."""
    ready = {}
    for spec, worker in workers.items():
        if not supports(spec, job):
            continue
        reply = worker.request({"op": "prepare", "job": job})
        if "error" in reply:
            results[spec]["workloads"][job_key(job)] = {"error": reply["error"]}
        else:
            ready[spec] = reply
    return ready


def _passes(workers, key, specs, rounds, passes, settle_s):
    """The alternating passes; {spec: [[seconds per unit of each round] per pass]} or an error."""
    timings = {spec: [] for spec in specs}
    for p in range(passes):
        for spec in rotated([s for s in specs if isinstance(timings[s], list)], p):
            time.sleep(settle_s)
            reply = workers[spec].request({"op": "rounds", "key": key, "rounds": rounds})
            timings[spec] = reply if "error" in reply else timings[spec] + [reply["rounds_s"]]
    return timings


def _progress(key, entries):
    cells = []
    for spec, e in entries.items():
        lo, hi = e.get("spread_s", (None, None))
        cells.append(f"{spec} error" if "error" in e else
                     f"{spec} {e['per_unit_s'] * 1e3:.3g} ms ({lo * 1e3:.3g}..{hi * 1e3:.3g})")
    _log(f"[benchmarks] {key}: " + ", ".join(cells))


def run_interleaved(specs, jobs, quick=False, rounds=None, passes=None, supports=None):
    """Each job on every backend of ``specs`` in alternating passes; {spec: result}.

    ``supports(spec, job)`` says whether a backend has the job (default: all do).
    """
    size = SIZES["quick" if quick else "full"]
    rounds, passes = rounds or size["rounds"], passes or size["passes"]
    supports = supports or (lambda spec, job: True)
    workers, results = _start(specs, quick)
    try:
        for job in jobs:
            key = job_key(job)
            ready = _prepare(workers, job, results, supports)
            timings = _passes(workers, key, list(ready), rounds, passes,
                              SETTLE_S["quick" if quick else "full"])
            entries = {}
            for spec, header in ready.items():
                t = timings[spec]
                entries[spec] = t if isinstance(t, dict) else {
                    "unit": header["unit"], "units_per_round": header["units_per_round"],
                    "params": header["params"], **summarize(t)}
                workers[spec].request({"op": "drop", "key": key})
            for spec, entry in entries.items():
                results[spec]["workloads"][key] = entry
            _progress(key, entries)
    finally:
        for worker in workers.values():
            worker.close()
    return results


def run_backend(spec, jobs, quick=False, rounds=None, passes=None):
    """One backend alone (no interleaving partner): its result dict."""
    return run_interleaved([spec], jobs, quick, rounds, passes)[spec]


def _torch_has(spec, job):
    return spec != "torch" or job["workload"] in TORCH_WORKLOADS


def run_all(backends, names, quick=False, rounds=None, with_torch=True, passes=None):
    """Every backend (and torch, when installed) on workloads ``names``: the document."""
    jobs = [{"workload": name} for name in names]
    size = SIZES["quick" if quick else "full"]
    method = {"passes": passes or size["passes"], "rounds_per_pass": rounds or size["rounds"],
              "settle_s": SETTLE_S["quick" if quick else "full"],
              "kept": "min over passes of the pass's median seconds per unit",
              "order": "backends alternate pass by pass, the order rotated each pass"}
    specs = list(backends)
    torch_wanted = with_torch and any(_torch_has("torch", job) for job in jobs)
    if torch_wanted and torch_installed():
        specs.append("torch")
    results = run_interleaved(specs, jobs, quick, rounds, passes, supports=_torch_has)
    reference = {}
    if with_torch and not torch_installed():
        results["torch"] = {"name": "torch", "status": "not installed"}
        reference["torch"] = "not installed"
    elif "torch" in results:
        reference["torch"] = results["torch"].get("version", "error")
    doc = run_document(backends, names, quick, results, reference)
    doc["method"] = method
    return doc


def run_document(backends, names, quick, results, reference=None):
    return {"kind": "run", "machine": machine_facts(), "quick": quick, "backends": list(backends),
            "workloads": list(names), "results": results, "reference": reference or {}}


__all__ = ["REPO_ROOT", "Worker", "child_env", "rotated", "run_all", "run_backend",
           "run_document", "run_interleaved", "torch_installed"]
