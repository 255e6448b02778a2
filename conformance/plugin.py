"""The pytest plugin behind the suite: backend, clause marks, statuses, report.

Who owns what: pytest runs the tests; this plugin picks the backend
(``--backend``, or ``CONFORMANCE_BACKEND``), keeps only the tests of the selected
clauses (``--clauses GLOB``), turns the failures a backend's expectations file
announces into expected failures, and at the end computes each clause's status
(``report.py``), prints the matrix and writes the report (``--report FILE``).
It is loaded by ``conformance/tests/conftest.py``.

Every test must carry exactly one ``@clause("ID")`` naming a clause of the catalog;
anything else stops the run at collection, so the catalog and the tests agree.
"""
import fnmatch
import os
import shlex

import pytest

from conformance import catalog as catalog_module
from conformance import expectations as expectations_module
from conformance import (
    profiles,  # noqa: F401 - registers the hypothesis profiles
    report,
)
from conformance.adapters import load_adapter

STATE = pytest.StashKey()


class RunState:
    """What one run knows: the backend, the catalog, the expectations, the outcomes."""

    def __init__(self, config):
        self.backend_spec = config.getoption("backend")
        self.adapter = load_adapter(self.backend_spec)
        self.catalog = catalog_module.load(config.getoption("catalog"))
        self.expectations = expectations_module.load(
            expectations_module.path_for(self.adapter), self.catalog)
        globs = config.getoption("clauses") or []
        env = os.environ.get("CONFORMANCE_CLAUSES")
        self.globs = [g for spec in globs + ([env] if env and not globs else [])
                      for g in spec.split(",") if g]
        self.selected = {c for c in self.catalog
                         if not self.globs or any(fnmatch.fnmatchcase(c, g) for g in self.globs)}
        self.clause_of = {}     # nodeid -> clause id
        self.outcomes = {}      # clause id -> {nodeid: "pass" | "fail" | "unsupported"}
        self.statuses = {}

    def note(self, nodeid, outcome):
        cid = self.clause_of[nodeid]
        tests = self.outcomes.setdefault(cid, {})
        if tests.get(nodeid) != "fail":       # a teardown error cannot undo a failure
            tests[nodeid] = outcome

    def reproduction(self, item, cid):
        clause = self.catalog[cid]
        path = item.nodeid
        return "\n".join([
            f"clause {cid}: {clause.rule[:300]}",
            f"seed source: {clause.seed or '-'}",
            ("reproduce: python -m conformance run --backend "
            f"{shlex.quote(self.backend_spec)} --clauses {shlex.quote(cid)}"),
            (f"      or: python -m pytest {shlex.quote(path)} --backend "
            f"{shlex.quote(self.backend_spec)}"),
            ("(hypothesis prints the falsifying example above, and a @reproduce_failure "
            "line that replays it exactly)"),
        ])


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption("--backend", default=os.environ.get("CONFORMANCE_BACKEND", "refkeras"),
                    help="refkeras, tf_keras, or package.module:attr naming an adapter")
    group.addoption("--clauses", action="append", default=[],
                    help="run only clauses whose id matches this glob (repeatable)")
    group.addoption("--report", default=None,
                    help="write FILE.json and FILE.md with this run's clause statuses")
    group.addoption("--catalog", default=str(catalog_module.DEFAULT_CATALOG),
                    help="the clause catalog (default: docs/spec.md)")


def pytest_configure(config):
    config.addinivalue_line("markers", "clause(id, requires=()): the spec clause a test pins")
    config.stash[STATE] = RunState(config)


@pytest.fixture(scope="session")
def backend(request):
    """The adapter of the backend under test."""
    return request.config.stash[STATE].adapter


@pytest.fixture(autouse=True)
def _fresh_session(backend):
    """Every test starts from a cleared session with seeded random generators."""
    backend.reset(0)


def pytest_collection_modifyitems(session, config, items):
    state = config.stash[STATE]
    keep, drop = [], []
    for item in items:
        marks = list(item.iter_markers("clause"))
        if len(marks) != 1:
            raise pytest.UsageError(f"{item.nodeid} must pin exactly one clause with "
                                    f"@clause('ID'); it has {len(marks)}.")
        cid = marks[0].args[0]
        if cid not in state.catalog:
            raise pytest.UsageError(f"{item.nodeid} pins clause {cid!r}, which docs/spec.md lacks.")
        if not state.catalog[cid].pinned:
            raise pytest.UsageError(f"{item.nodeid} pins {cid}, which docs/spec.md marks "
                                    "'not yet pinned': change its status to pinned and list the test.")
        if cid not in state.selected:
            drop.append(item)
            continue
        state.clause_of[item.nodeid] = cid
        missing = set(marks[0].kwargs.get("requires", ())) - set(state.adapter.capabilities)
        if missing:
            item.add_marker(pytest.mark.skip(
                reason=f"unsupported: {state.adapter.name} lacks {sorted(missing)}"))
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    result = yield
    rep = result.get_result()
    state = item.config.stash[STATE]
    cid = state.clause_of.get(item.nodeid)
    if cid is None or (rep.when != "call" and rep.passed):
        return
    if rep.skipped:
        unsupported = str(rep.longrepr).find("unsupported:") >= 0
        state.note(item.nodeid, "unsupported" if unsupported else "fail")
        if not unsupported:   # a skip that is not an unsupported capability is never a pass
            rep.outcome = "failed"
        return
    if rep.passed:
        state.note(item.nodeid, "pass")
        return
    state.note(item.nodeid, "fail")
    expected = state.expectations.get(cid)
    if expected:
        rep.outcome = "skipped"
        rep.wasxfail = f"{cid} {expected['status']}: {expected['reason']}"
    else:
        rep.sections.append(("conformance", state.reproduction(item, cid)))


def pytest_sessionfinish(session, exitstatus):
    state = session.config.stash[STATE]
    state.statuses = report.clause_statuses(state.catalog, state.outcomes, state.expectations,
                                            state.selected)
    target = session.config.getoption("report")
    if target:
        one = report.backend_report(state.adapter.name, state.adapter.version, state.catalog,
                                    state.statuses, state.outcomes, state.expectations)
        report.write(target, report.merge([one]), [one])
    if any(s in report.UNEXPECTED for s in state.statuses.values()) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    state = config.stash[STATE]
    if not state.statuses:
        return
    tr = terminalreporter
    tr.section(f"conformance: {state.adapter.name} ({state.adapter.version})")
    one = report.backend_report(state.adapter.name, state.adapter.version, state.catalog,
                                state.statuses, state.outcomes, state.expectations)
    tr.write_line(report.text_matrix(report.merge([one])))
    for cid, status in state.statuses.items():
        if status == "unexpected pass":
            tr.write_line(f"UNEXPECTED PASS: {cid} is listed as "
                          f"{state.expectations[cid]['status']} in "
                          f"{expectations_module.path_for(state.adapter)} but all its tests pass; "
                          "remove the entry.")
        elif status == "blocked":
            deps = [d for d in state.catalog[cid].depends if state.statuses.get(d) in ("fail", "blocked")]
            tr.write_line(f"BLOCKED: {cid} fails, and so does {', '.join(deps)}, which it depends on; "
                          "fix that first.")
    tr.write_line(report.summary_line(state.adapter.name, state.statuses))
