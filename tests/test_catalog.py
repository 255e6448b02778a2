"""The catalog (docs/spec.md), the tests and the expectations files agree."""
import collections
import importlib
import pathlib

import pytest

from conformance import catalog, expectations

TESTS_DIR = pathlib.Path(catalog.REPO_ROOT) / "conformance" / "tests"


def _clause_marks():
    """{"file.py::test_name": [clause ids]} for every conformance test function."""
    found = {}
    for path in sorted(TESTS_DIR.glob("test_*.py")):
        module = importlib.import_module(f"conformance.tests.{path.stem}")
        for name, fn in vars(module).items():
            if name.startswith("test_") and callable(fn):
                marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "clause"]
                found[f"{path.name}::{name}"] = [m.args[0] for m in marks]
    return found


CLAUSES = catalog.load()
MARKS = _clause_marks()


def test_every_test_pins_exactly_one_clause():
    wrong = {t: ids for t, ids in MARKS.items() if len(ids) != 1}
    assert not wrong, f"tests must carry exactly one @clause mark: {wrong}"


def test_every_named_clause_is_in_the_catalog():
    unknown = {t: ids[0] for t, ids in MARKS.items() if ids and ids[0] not in CLAUSES}
    assert not unknown, f"tests name clauses docs/spec.md lacks: {unknown}"


def test_pinned_clauses_have_tests_and_unpinned_ones_have_none():
    tested = collections.defaultdict(set)
    for test, ids in MARKS.items():
        tested[ids[0]].add(test)
    untested = [c.id for c in CLAUSES.values() if c.pinned and not tested[c.id]]
    premature = [c.id for c in CLAUSES.values() if not c.pinned and tested[c.id]]
    assert not untested, f"pinned clauses with no test: {untested}"
    assert not premature, f"clauses marked 'not yet pinned' that have tests: {premature}"


def test_catalog_lists_exactly_the_tests_that_pin_each_clause():
    tested = collections.defaultdict(set)
    for test, ids in MARKS.items():
        tested[ids[0]].add(test)
    wrong = {c.id: {"catalog": sorted(set(c.tests)), "tests": sorted(tested[c.id])}
             for c in CLAUSES.values() if set(c.tests) != tested[c.id]}
    assert not wrong, f"**Tests.** lines out of date: {wrong}"


def test_every_clause_has_a_rule_seed_and_status():
    for c in CLAUSES.values():
        assert c.rule and c.seed and c.status, c.id


@pytest.mark.parametrize("backend", ["refkeras", "tf_keras"])
def test_expectations_files_name_only_catalog_clauses(backend):
    entries = expectations.load(expectations.DIRECTORY / f"{backend}.toml", CLAUSES)
    if backend == "refkeras":
        assert all(e["status"] == "pending" for e in entries.values()), \
            "refkeras lists only clauses it does not implement yet (pending)"
    else:
        assert all(e["status"] == "diverges" for e in entries.values())


def test_refkeras_lists_every_unpinned_clause_as_pending():
    entries = expectations.load(expectations.DIRECTORY / "refkeras.toml", CLAUSES)
    unpinned = {c.id for c in CLAUSES.values() if not c.pinned}
    assert unpinned <= set(entries), f"unpinned but not pending: {sorted(unpinned - set(entries))}"
