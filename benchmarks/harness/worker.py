"""The worker process: one backend, a list of jobs, one JSON file of results.

No spec clauses. Owned by the harness; started by ``runner`` (never imported by the
parent, so TensorFlow is only ever imported here). The rule: load the backend once
(its adapter, or "torch" for the PyTorch reference), then for each job
``{"workload": name, "params": {...}}`` time it and record either its result or the
error it raised, so one failing workload (a student's engine without Conv2D) does not
hide the others::

    results[job_key(job)] = measure(adapter, job["workload"], quick, **job["params"])

Run by hand: ``python -m benchmarks.harness.worker --backend refkeras --quick
--jobs '[{"workload": "mlp_fit"}]' --out /tmp/r.json``.

>>> job_key({"workload": "mlp_fit_scaling", "params": {"batch": 16, "width": 64}})
'mlp_fit_scaling[batch=16,width=64]'
"""
import argparse
import json
import os
import traceback

from benchmarks import workloads


def job_key(job):
    params = job.get("params") or {}
    if not params:
        return job["workload"]
    inner = ",".join(f"{k}={v}" for k, v in sorted(params.items()))
    return f"{job['workload']}[{inner}]"


def _error(e):
    last = traceback.format_exception_only(type(e), e)[-1].strip()
    return {"error": last[:500]}


def _torch_backend(jobs, quick, rounds):
    from benchmarks.harness import torch_workloads
    size = workloads.SIZES["quick" if quick else "full"]
    results = {}
    for job in jobs:
        build = torch_workloads.TORCH_WORKLOADS.get(job["workload"])
        if build is None:
            results[job_key(job)] = {"error": "no PyTorch version of this workload"}
            continue
        try:
            results[job_key(job)] = workloads.timed_result(build(size), rounds or size["rounds"])
        except Exception as e:      # noqa: BLE001 - recorded, the next job still runs
            results[job_key(job)] = _error(e)
    return {"name": "torch", "version": torch_workloads.torch_version(), "workloads": results}


def _adapter_backend(spec, jobs, quick, rounds):
    from conformance.adapters import load_adapter
    adapter = load_adapter(spec)
    results = {}
    for job in jobs:
        try:
            results[job_key(job)] = workloads.measure(adapter, job["workload"], quick, rounds,
                                                      **(job.get("params") or {}))
        except Exception as e:      # noqa: BLE001 - recorded, the next job still runs
            results[job_key(job)] = _error(e)
    return {"name": adapter.name, "version": adapter.version, "workloads": results}


def run(spec, jobs, quick=False, rounds=None):
    if spec == "torch":
        return _torch_backend(jobs, quick, rounds)
    return _adapter_backend(spec, jobs, quick, rounds)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", required=True)
    parser.add_argument("--jobs", required=True, help="a JSON list of {workload, params}")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    result = run(args.backend, json.loads(args.jobs), args.quick, args.rounds)
    result["pid"] = os.getpid()
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
