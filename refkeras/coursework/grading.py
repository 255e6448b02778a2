"""Grading a starter with the conformance suite, and proving each unit gradable.

``grade(directory, clauses)`` runs ``python -m conformance run --backend DIRECTORY``
on the clauses in a child process (the suite is a separate tool; refkeras never
imports it) and returns each clause's status and each failing test's message.

``prove(unit)`` is what CI runs for every unit: write the unit's starter, grade it on
the unit's clauses plus its smoke clauses, and check that

- every clause an exercise names fails (or is blocked: fails after a clause it
  depends on failed), and at least one failing test of each says
  ``Exercise U.N`` (the message points the student at the code to write);
- every smoke clause passes (the rest of the engine still works).

That the reference passes the unit's clauses is the main conformance run's job.
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import typing
from xml.etree import ElementTree

from refkeras.coursework import starter
from refkeras.coursework.units import unit as find_unit


def grade(directory, clauses, profile="bounded"):
    """``{clause: Graded(status, failure messages)}`` of the starter in ``directory``."""
    with tempfile.TemporaryDirectory() as work:
        report, junit = pathlib.Path(work) / "grade", pathlib.Path(work) / "junit.xml"
        command = [sys.executable, "-m", "conformance", "run", "--backend", str(directory),
                   "--profile", profile, "--report", str(report)]
        command += [f"--clauses={c}" for c in clauses]
        command += ["--", f"--junitxml={junit}"]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if not report.with_suffix(".json").exists():
            raise RuntimeError(f"grading produced no report; run by hand to see why:\n  {' '.join(command)}")
        (backend_report,) = json.loads(report.with_suffix(".json").read_text())["reports"]
        messages = _failure_messages(junit)
    return {cid: Graded(entry["status"], [messages[_junit_id(t)] for t in entry["tests"]
                                          if _junit_id(t) in messages])
            for cid, entry in backend_report["clauses"].items()}


class Graded(typing.NamedTuple):
    """One clause's grade: its status and the messages of its failing tests."""
    status: str
    messages: list


def _junit_id(nodeid):
    """``conformance/tests/test_x.py::test_y[1]`` as JUnit names it: ``conformance.tests.test_x.test_y[1]``."""
    path, _, name = nodeid.partition("::")
    return path.removesuffix(".py").replace("/", ".") + "." + name


def _failure_messages(junit):
    messages = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if failure is not None:
            messages[f"{case.get('classname')}.{case.get('name')}"] = (
                failure.get("message", "") + "\n" + (failure.text or ""))
    return messages


def prove(unit_number):
    """Problems that keep unit ``unit_number`` from being gradable ([] when it is)."""
    chosen = find_unit(unit_number)
    with tempfile.TemporaryDirectory() as work:
        directory = pathlib.Path(work) / f"unit{chosen.number}"
        exercises = starter.new(chosen.number, directory)
        graded = starter.graded_clauses(exercises)
        grades = grade(directory, graded + list(chosen.smoke))
    missing = Graded("not run", [])
    problems = []
    for clause in graded:
        status, messages = grades.get(clause, missing)
        if status not in ("fail", "blocked"):    # blocked: fails, and so does a clause it needs
            problems.append(f"{clause}: {status} on the starter; it must fail")
        elif not any("Exercise " in m and "is yours to write" in m for m in messages):
            problems.append(f"{clause}: fails, but no failing test's message names an exercise")
    problems += [f"smoke clause {c}: {grades.get(c, missing).status} on the starter; it must pass"
                 for c in chosen.smoke if grades.get(c, missing).status != "pass"]
    return problems


__all__ = ["grade", "prove"]
