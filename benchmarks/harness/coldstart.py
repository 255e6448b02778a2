"""Cold start: a new process per backend imports it, builds the MLP and fits 20 steps.

No spec clauses. Owned by the harness. What a user waits for the first time they run a
script. The parent measures the child's whole wall time and its peak resident memory
(``os.wait4`` gives the rusage of that one child; ``ru_maxrss`` is in KiB on Linux); the
child reports its own phases (import, build, fit). Each backend runs twice in a row
with ``NUMBA_CACHE_DIR`` pointing at a new empty folder: run 1 compiles every Numba
kernel it meets and saves it, run 2 should load them all. Python's bytecode gets the
same treatment, for every backend alike: ``PYTHONPYCACHEPREFIX`` is a new empty folder
and ``PYTHONDONTWRITEBYTECODE`` is dropped, so run 2 compiles no module either (this
machine sets it, which would make refkeras, an editable checkout without .pyc files,
recompile its 200-odd modules in every process while an installed TensorFlow loads
the .pyc files pip wrote). The compiled-files check::

    before = {file: (size, mtime) for the *.nbi / *.nbc files of the cache folder}
    run 2
    compiled_in_run_2 = files of the folder that are new or changed since ``before``

>>> cache_changes({"a.nbi": (1, 1)}, {"a.nbi": (1, 1), "a.1.nbc": (5, 2)})
{'new': 1, 'changed': 0}

Run the child by hand: ``python -m benchmarks.harness.coldstart --backend refkeras``.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE_SUFFIXES = (".nbi", ".nbc")


def cache_snapshot(folder):
    """{relative path: (size, mtime_ns)} of the Numba cache files under ``folder``."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.suffix in CACHE_SUFFIXES}


def cache_changes(before, after):
    new = sum(1 for f in after if f not in before)
    changed = sum(1 for f in after if f in before and after[f] != before[f])
    return {"new": new, "changed": changed}


def _spawn(backend, steps, cache_dir, workdir):
    """Run the child once; (wall s, peak RSS MiB, its own JSON report or None, rc)."""
    from benchmarks.harness.runner import REPO_ROOT, child_env
    env = child_env({"NUMBA_CACHE_DIR": str(cache_dir),
                     "PYTHONPYCACHEPREFIX": str(Path(cache_dir) / "pycache")})
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [sys.executable, "-m", "benchmarks.harness.coldstart", "--backend", backend,
           "--steps", str(steps)]
    out_path, err_path = Path(workdir) / "out.txt", Path(workdir) / "err.txt"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = out_path.read_text().strip().splitlines()
    report = json.loads(lines[-1]) if proc.returncode == 0 and lines else None
    if report is None:
        report = {"error": " | ".join(err_path.read_text().strip().splitlines()[-3:])}
    wall -= report.get("inspect_s", 0.0)     # the Numba inspection after the fit is not timed
    return wall, usage.ru_maxrss / 1024, report, proc.returncode


def measure_backend(backend, steps=20, runs=2):
    """``runs`` cold-start processes in a row sharing one new Numba cache folder."""
    records = []
    with tempfile.TemporaryDirectory(prefix="refkeras-numba-cache-") as cache_dir, \
            tempfile.TemporaryDirectory(prefix="refkeras-coldstart-") as workdir:
        for run in range(1, runs + 1):
            before = cache_snapshot(cache_dir)
            wall, rss, report, rc = _spawn(backend, steps, cache_dir, workdir)
            after = cache_snapshot(cache_dir)
            records.append({"backend": backend, "run": run, "wall_s": wall, "peak_rss_mib": rss,
                            "returncode": rc, "child": report,
                            "numba_cache_files": len(after),
                            "numba_cache_changes": cache_changes(before, after)})
            print(f"[coldstart] {backend} run {run}: {wall:.2f} s, {rss:.0f} MiB",
                  file=sys.stderr, flush=True)
    return records


def run_coldstart(backends, steps=20, runs=2):
    from benchmarks.harness.machine import machine_facts
    records = [r for b in backends for r in measure_backend(b, steps, runs)]
    return {"kind": "coldstart", "machine": machine_facts(), "backends": list(backends),
            "steps": steps, "runs": records}


def _compiled_text(record):
    """Cache files the run wrote, and what its dispatchers compiled vs loaded."""
    ch = record["numba_cache_changes"]
    files = f"{ch['new']} new, {ch['changed']} changed"
    nb = record["child"].get("numba")
    if nb is None:
        return "Numba not imported"
    compiled = nb["cache_misses"] + nb["uncached"]
    verdict = "compiled nothing" if compiled == 0 and ch["new"] + ch["changed"] == 0 else \
        f"compiled {nb['cache_misses']} cached-kind + {nb['uncached']} uncached signatures"
    return f"{files}; loaded {nb['cache_hits']}: {verdict}"


def _row(record):
    child = record["child"]
    phases = [f"{child[k]:.2f}" if k in child else "error" for k in ("import_s", "build_s", "fit_s")]
    label = "1 (empty cache)" if record["run"] == 1 else f"{record['run']} (cache warm)"
    return [record["backend"], label, f"{record['wall_s']:.2f}", f"{record['peak_rss_mib']:.0f}",
            *phases, _compiled_text(record)]


def ratio_lines(doc):
    """Last run of each backend against the last run of the first backend."""
    last = {r["backend"]: r for r in doc["runs"]}
    first = doc["backends"][0]
    lines = []
    for b in doc["backends"][1:]:
        wall = last[b]["wall_s"] / last[first]["wall_s"]
        rss = last[b]["peak_rss_mib"] / last[first]["peak_rss_mib"]
        lines.append(f"{b} / {first} (last runs): wall time {wall:.2f}x, peak RSS {rss:.2f}x "
                     f"(above 1: {first} is lighter)")
    return lines


def format_table(doc, markdown=False):
    header = ["backend", "run", "wall s", "peak RSS MiB", "import s", "build s",
              f"fit {doc['steps']} steps s", "Numba: cache files written; signatures loaded / compiled"]
    rows = [_row(r) for r in doc["runs"]]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header] + rows]
    errors = [f"{r['backend']} run {r['run']}: {r['child']['error']}" for r in doc["runs"]
              if "error" in r["child"]]
    return "\n".join(lines + [""] + ratio_lines(doc) + errors)


def child_main(argv=None):
    """The measured process: import the backend, build the guide's MLP, fit ``steps`` steps."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", required=True)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    from conformance.adapters import load_adapter
    adapter = load_adapter(args.backend)
    t1 = time.perf_counter()
    from benchmarks.workloads import BATCH, guide_mlp, random_data
    adapter.reset(0)
    model = guide_mlp(adapter.keras)
    x, y = random_data(args.steps * BATCH, (784,))
    t2 = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    t3 = time.perf_counter()
    report = {"import_s": t1 - t0, "build_s": t2 - t1, "fit_s": t3 - t2,
              "version": adapter.version, "numba": numba_compiles()}
    report["inspect_s"] = time.perf_counter() - t3
    print(json.dumps(report))


def numba_compiles():
    """What this process's Numba dispatchers compiled vs loaded from the disk cache.

    None when the backend never imported Numba. ``uncached`` counts signatures of
    functions without ``cache=True`` (compiled in every process, whatever the cache).
    """
    if "numba" not in sys.modules:
        return None
    import gc

    from numba.core.dispatcher import Dispatcher
    counts = {"functions": 0, "cache_hits": 0, "cache_misses": 0, "uncached": 0,
              "uncached_names": []}
    for d in (o for o in gc.get_objects() if isinstance(o, Dispatcher)):
        if not d.signatures:
            continue
        counts["functions"] += 1
        counts["cache_hits"] += sum(d.stats.cache_hits.values())
        counts["cache_misses"] += sum(d.stats.cache_misses.values())
        if type(d._cache).__name__ == "NullCache":
            counts["uncached"] += len(d.signatures)
            counts["uncached_names"].append(d.py_func.__qualname__)
    return counts


__all__ = ["cache_changes", "cache_snapshot", "format_table", "measure_backend", "run_coldstart"]

if __name__ == "__main__":
    child_main()
