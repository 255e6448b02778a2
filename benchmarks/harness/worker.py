"""The worker process: one backend, kept alive, driven one request at a time over a pipe.

No spec clauses. Owned by the harness; started by ``runner`` (never imported by the
parent, so TensorFlow is only ever imported here). The worker loads its backend once
(its adapter, or "torch" for the PyTorch reference) and answers, one JSON line each,
the requests the parent writes to its stdin, one JSON line each::

    -> (on start)                                   <- {"name", "version"} or {"error"}
    -> {"op": "prepare", "job": {"workload", "params"}}
                              build it, warm it up  <- {"key", "unit", "units_per_round", "params"}
    -> {"op": "rounds", "key": key, "rounds": n}    <- {"rounds_s": [seconds per unit, ...]}
    -> {"op": "drop", "key": key}                   <- {"dropped": key}
    -> end of input                                    the worker exits

A request that raises is answered with ``{"error": "..."}`` and the worker goes on, so
one failing workload (a student's engine without Conv2D) does not hide the others. The
parent alternates ``rounds`` requests between the workers of several backends (see
``runner``): the workers stay loaded and warm, so a pass costs only its rounds.

Anything the backend prints (TensorFlow writes to fd 1 and 2 from C++) goes to stderr:
the protocol has a private copy of the original stdout.

Run by hand::

    echo '{"op": "prepare", "job": {"workload": "mlp_fit"}}' |
        python -m benchmarks.harness.worker --backend refkeras --quick

>>> job_key({"workload": "mlp_fit_scaling", "params": {"batch": 16, "width": 64}})
'mlp_fit_scaling[batch=16,width=64]'
"""
import argparse
import json
import os
import sys
import time
import traceback

from benchmarks import workloads


def job_key(job):
    params = job.get("params") or {}
    if not params:
        return job["workload"]
    inner = ",".join(f"{k}={v}" for k, v in sorted(params.items()))
    return f"{job['workload']}[{inner}]"


def error_text(e):
    last = traceback.format_exception_only(type(e), e)[-1].strip()
    return last[:500]


def time_rounds(timed, rounds):
    """Seconds per unit of each of ``rounds`` rounds (the workload is already warm)."""
    per_unit = []
    for _ in range(rounds):
        start = time.perf_counter()
        timed.run_round()
        per_unit.append((time.perf_counter() - start) / timed.units)
    return per_unit


class AdapterBackend:
    """A Keras backend reached through its conformance adapter."""

    def __init__(self, spec):
        from conformance.adapters import load_adapter
        self.adapter = load_adapter(spec)
        self.name, self.version = self.adapter.name, self.adapter.version

    def build(self, job, quick):
        return workloads.build(self.adapter, job["workload"], quick, **(job.get("params") or {}))


class TorchBackend:
    """The PyTorch reference loops (benchmarks/harness/torch_workloads.py)."""

    def __init__(self):
        from benchmarks.harness import torch_workloads
        self.workloads = torch_workloads
        self.name, self.version = "torch", torch_workloads.torch_version()

    def build(self, job, quick):
        build = self.workloads.TORCH_WORKLOADS.get(job["workload"])
        if build is None:
            raise ValueError(f"No PyTorch version of workload {job['workload']!r}.")
        return build(workloads.SIZES["quick" if quick else "full"])


def load_backend(spec):
    return TorchBackend() if spec == "torch" else AdapterBackend(spec)


class Session:
    """The prepared (built and warmed-up) workloads of one worker, by job key."""

    def __init__(self, backend, quick):
        self.backend, self.quick, self.prepared = backend, quick, {}

    def prepare(self, job):
        timed = self.backend.build(job, self.quick)
        timed.warm_up()
        key = job_key(job)
        self.prepared[key] = timed
        return {"key": key, "unit": timed.unit, "units_per_round": timed.units,
                "params": timed.params}

    def rounds(self, key, rounds):
        return {"rounds_s": time_rounds(self.prepared[key], rounds)}

    def drop(self, key):
        self.prepared.pop(key, None)
        return {"dropped": key}

    def answer(self, request):
        """The reply to one request; an exception becomes {"error": ...}."""
        op = request.get("op")
        try:
            if op == "prepare":
                return self.prepare(request["job"])
            elif op == "rounds":
                return self.rounds(request["key"], int(request["rounds"]))
            elif op == "drop":
                return self.drop(request["key"])
            return {"error": f"unknown op {op!r}: expected 'prepare', 'rounds' or 'drop'"}
        except Exception as e:      # noqa: BLE001 - answered, the next request still runs
            return {"error": error_text(e)}


def private_stdout():
    """A copy of fd 1 for the protocol; fd 1 itself (and sys.stdout) then go to stderr."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


def serve(spec, quick, lines, out):
    """Load ``spec``, then answer each request line of ``lines`` on ``out``."""
    def send(message):
        out.write(json.dumps(message) + "\n")
        out.flush()
    try:
        backend = load_backend(spec)
    except Exception as e:          # noqa: BLE001 - reported to the parent, then exit
        send({"error": error_text(e)})
        return 1
    send({"name": backend.name, "version": backend.version, "pid": os.getpid()})
    session = Session(backend, quick)
    for line in lines:
        if line.strip():
            send(session.answer(json.loads(line)))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", required=True, help="an adapter spec, or 'torch'")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    out = private_stdout()
    return serve(args.backend, args.quick, sys.stdin, out)


__all__ = ["AdapterBackend", "Session", "TorchBackend", "job_key", "load_backend", "serve",
           "time_rounds"]

if __name__ == "__main__":
    sys.exit(main())
