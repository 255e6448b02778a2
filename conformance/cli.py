"""``python -m conformance``: run the suite on backends, merge reports, check the catalog.

    python -m conformance run --backend refkeras [--backend tf_keras ...]
                              [--clauses 'TAPE.*' ...] [--report FILE] [--jobs N]
                              [--profile ci] [--profile keras3=bounded] [-- PYTEST-ARGS]
    python -m conformance merge A.json B.json [--output docs/conformance.md]
    python -m conformance catalog [--check]
    python -m conformance diff --backend tf_keras --backend keras3 [--output FILE]
                               [--from-report FILE.json ...]

``run`` runs each backend in its own pytest process (so one backend's imports
cannot affect another's), prints each backend's matrix, then the merged matrix and
one summary line per backend; the last line is a summary. It exits with 0 exactly
when every result on every backend is what that backend's expectations file says.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

from conformance import catalog as catalog_module
from conformance import report

TESTS_DIR = pathlib.Path(__file__).resolve().parent / "tests"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m conformance")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the suite against one or more backends")
    run.add_argument("--backend", action="append", required=True,
                     help="refkeras, tf_keras or package.module:attr (repeatable)")
    run.add_argument("--clauses", action="append", default=[], help="clause id glob (repeatable)")
    run.add_argument("--report", help="write FILE.json and FILE.md (the merged matrix)")
    run.add_argument("--profile", action="append", default=[],
                     help="hypothesis profile (dev, ci, thorough, bounded) for every backend, or "
                          "BACKEND=PROFILE for one (repeatable)")
    run.add_argument("--jobs", type=int, default=1,
                     help="run this many backends at once (each in its own process; "
                          "their output is printed when each finishes)")
    run.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    merge = sub.add_parser("merge", help="merge report JSON files into one matrix")
    merge.add_argument("reports", nargs="+")
    merge.add_argument("--output", default="docs/conformance.md")
    diff = sub.add_parser("diff", help="run two backends and write their divergence report")
    diff.add_argument("--backend", action="append", required=True, help="exactly two backends")
    diff.add_argument("--output", default="docs/keras2-to-keras3.md")
    diff.add_argument("--profile", default="bounded", help="hypothesis profile (default bounded)")
    diff.add_argument("--from-report", action="append", default=[],
                      help="use these runs' reports (--report FILE.json, repeatable) instead of "
                           "running the suite")
    cat = sub.add_parser("catalog", help="list the clauses of docs/spec.md")
    cat.add_argument("--catalog", default=str(catalog_module.DEFAULT_CATALOG))
    args = parser.parse_args(argv)
    return {"run": _run, "merge": _merge, "catalog": _catalog, "diff": _diff}[args.command](args)


def _run(args):
    reports, codes = _run_backends(args)
    if not reports:
        return 2
    merged = report.merge(reports)
    if len(reports) > 1:
        print("\n== conformance matrix ==")
        print(report.text_matrix(merged))
    if args.report:
        report.write(args.report, merged, reports)
        print(f"report: {args.report}.json, {args.report}.md")
    for r in reports:
        statuses = {cid: entry["status"] for cid, entry in r["clauses"].items()}
        print(report.summary_line(r["backend"], statuses))
    return 0 if all(c == 0 for c in codes) and len(reports) == len(args.backend) else 1


def _diff(args):
    """The divergence report of two backends (conformance/divergence.py)."""
    from conformance import divergence
    if len(args.backend) != 2:
        print(f"diff needs exactly two --backend options, got {args.backend}")
        return 2
    if args.from_report:
        reports = [r for path in args.from_report for r in report.read(path)]
        reports = [r for r in reports if r["backend"] in args.backend]
    else:
        args.clauses, args.pytest_args, args.profile, args.jobs = [], [], [args.profile], 1
        reports, _ = _run_backends(args)
    names = [r["backend"] for r in reports]
    if sorted(names) != sorted(args.backend):
        print(f"diff: reports for {names}, expected {args.backend}")
        return 2
    text = divergence.markdown(reports, *args.backend)
    pathlib.Path(args.output).write_text(text + "\n", encoding="utf-8")
    print("\n".join(text.splitlines()[:10]))
    print(f"wrote {args.output}")
    return 0


def _run_backends(args):
    """Each backend in its own pytest process: (their reports, pytest exit codes).

    With ``--jobs 1`` the output streams; with more, up to that many processes run at
    once, each writing to a file printed when it ends (so outputs never interleave)."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = [_Run(backend, pathlib.Path(tmp) / f"backend{i}", args)
                for i, backend in enumerate(args.backend)]
        if args.jobs <= 1:
            for run in runs:
                print(f"== conformance: {run.backend} ==", flush=True)
                run.code = subprocess.call(run.command)
        else:
            _run_concurrently(runs, args.jobs)
        reports = []
        for run in runs:
            if run.json.exists():
                reports.extend(report.read(run.json))
            else:
                print(f"{run.backend}: the run produced no report (pytest exit code {run.code})")
    return reports, [run.code for run in runs]


class _Run:
    """One backend's pytest process: its command, its report file, its exit code."""

    def __init__(self, backend, base, args):
        self.backend, self.json, self.log, self.code = backend, base.with_suffix(".json"), \
            base.with_suffix(".log"), None
        self.command = [sys.executable, "-m", "pytest", str(TESTS_DIR), "--backend", backend,
                        "--report", str(base), "-q", "-p", "no:cacheprovider"]
        self.command += [f"--clauses={g}" for g in args.clauses]
        profile = _profile_for(backend, args.profile)
        if profile:
            self.command.append(f"--hypothesis-profile={profile}")
        self.command += args.pytest_args


def _profile_for(backend, profiles):
    """The last ``BACKEND=NAME`` naming this backend, else the last plain NAME, else None."""
    chosen = [p.split("=", 1)[1] for p in profiles if p.startswith(f"{backend}=")]
    chosen = chosen or [p for p in profiles if "=" not in p]
    return chosen[-1] if chosen else None


def _run_concurrently(runs, jobs):
    waiting, running = list(runs), []
    while waiting or running:
        while waiting and len(running) < jobs:
            run = waiting.pop(0)
            run.output = run.log.open("w")
            run.process = subprocess.Popen(run.command, stdout=run.output, stderr=subprocess.STDOUT)
            running.append(run)
        done = _wait_any(running)
        running.remove(done)
        done.output.close()
        print(f"== conformance: {done.backend} ==\n{done.log.read_text()}", flush=True)


def _wait_any(running):
    while True:
        for run in running:
            code = run.process.poll()
            if code is not None:
                run.code = code
                return run
        time.sleep(0.5)


def _merge(args):
    reports = [r for path in args.reports for r in report.read(path)]
    merged = report.merge(reports)
    pathlib.Path(args.output).write_text(report.markdown(merged), encoding="utf-8")
    print(f"wrote {args.output} ({len(merged['rows'])} clauses x {len(reports)} backends)")
    return 0


def _catalog(args):
    clauses = catalog_module.load(args.catalog)
    for c in clauses.values():
        print(f"{c.id:40s} {c.status}")
    pinned = sum(c.pinned for c in clauses.values())
    print(f"{len(clauses)} clauses, {pinned} pinned, {len(clauses) - pinned} not yet pinned")
    return 0


__all__ = ["main"]
