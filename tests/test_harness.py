"""The conformance harness: statuses, strict expectations, and whole runs."""
import pathlib
import subprocess
import sys

import pytest

from conformance import catalog, expectations, report

REPO = pathlib.Path(catalog.REPO_ROOT)


def _catalog(*specs):
    return {cid: catalog.Clause(cid, "area", rule="r", status=status, depends=deps)
            for cid, status, deps in specs}


CAT = _catalog(("A", "pinned", ()), ("B", "pinned", ("A",)), ("C", "pinned", ()),
               ("D", "not yet pinned (issue 9)", ()), ("E", "pinned", ()))


@pytest.mark.parametrize("outcomes, expected_status, expected", [
    ({"A": {"t": "pass"}}, {}, "pass"),
    ({"A": {"t": "pass", "u": "fail"}}, {}, "fail"),
    ({"A": {"t": "fail"}}, {"A": "pending"}, "pending"),
    ({"A": {"t": "fail"}}, {"A": "diverges"}, "diverges"),
    ({"A": {"t": "pass"}}, {"A": "pending"}, "unexpected pass"),
    ({"A": {"t": "unsupported"}}, {}, "unsupported"),
])
def test_status_of_a_clause(outcomes, expected_status, expected):
    exp = {k: {"status": v, "reason": "r"} for k, v in expected_status.items()}
    assert report.clause_statuses(CAT, outcomes, exp, {"A"})["A"] == expected


def test_failure_below_a_failed_dependency_is_blocked():
    statuses = report.clause_statuses(CAT, {"A": {"t": "fail"}, "B": {"t": "fail"}}, {}, {"A", "B"})
    assert statuses == {"A": "fail", "B": "blocked"}


def test_unpinned_clause_is_pending_when_listed_and_unpinned_otherwise():
    exp = {"D": {"status": "pending", "reason": "r"}}
    assert report.clause_statuses(CAT, {}, exp, {"D"}) == {"D": "pending"}
    assert report.clause_statuses(CAT, {}, {}, {"D"}) == {"D": "unpinned"}


def test_pinned_clause_that_did_not_run_is_left_out():
    assert report.clause_statuses(CAT, {}, {}, {"E"}) == {}


def test_summary_line():
    line = report.summary_line("x", {"A": "pass", "B": "blocked", "D": "pending"})
    assert line == "x: 1 pass, 0 fail, 1 pending, 0 diverges, 0 unsupported, 0 unpinned, 1 blocked"


@pytest.mark.parametrize("text, message", [
    ('["NO.SUCH"]\nstatus = "pending"\nreason = "r"\n', "names no clause"),
    ('["A"]\nstatus = "maybe"\nreason = "r"\n', "status"),
    ('["A"]\nstatus = "pending"\n', "needs a reason"),
])
def test_expectations_are_strict(tmp_path, text, message):
    path = tmp_path / "x.toml"
    path.write_text(text)
    with pytest.raises(expectations.ExpectationsError, match=message):
        expectations.load(path, CAT)


def test_catalog_rejects_a_clause_without_a_rule(tmp_path):
    path = tmp_path / "spec.md"
    path.write_text("## Area\n\n### X.Y\n**Status.** pinned\n")
    with pytest.raises(catalog.CatalogError, match="no \\*\\*Rule"):
        catalog.load(path)


def _run(backend, *clauses, extra=()):
    command = [sys.executable, "-m", "conformance", "run", "--backend", backend, "--profile", "ci"]
    command += [f"--clauses={c}" for c in clauses] + list(extra)
    done = subprocess.run(command, check=False, cwd=REPO, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


def test_a_wrong_backend_fails_blocks_dependents_and_says_how_to_reproduce():
    code, out = _run("tests.fixtures.adapters:broken", "TAPE.BASIC", "TAPE.NONTRAINABLE")
    assert code == 1
    last = out.strip().splitlines()[-1]
    assert last.startswith("broken: 0 pass, 1 fail") and "1 blocked" in last, last
    assert "reproduce: python -m conformance run --backend tests.fixtures.adapters:broken" in out
    assert "Falsifying example" in out


def test_a_missing_capability_is_unsupported_not_a_failure():
    code, out = _run("tests.fixtures.adapters:limited", "CUSTOM_GRADIENT*")
    assert code == 0, out
    assert out.strip().splitlines()[-1].startswith("limited: 0 pass, 0 fail, 0 pending, 0 diverges, 6 unsupported")


def test_a_listed_clause_that_passes_fails_the_run():
    code, out = _run("tests.fixtures.adapters:listed", "TAPE.BASIC")
    assert code == 1
    assert "UNEXPECTED PASS: TAPE.BASIC" in out
    assert "1 unexpected pass" in out.strip().splitlines()[-1]


def test_report_files_hold_the_matrix(tmp_path):
    code, out = _run("refkeras", "TAPE.ONCE", extra=["--report", str(tmp_path / "r")])
    assert code == 0, out
    md = (tmp_path / "r.md").read_text()
    assert "| [TAPE.ONCE](spec.md#tapeonce) | pass |" in md
    assert '"TAPE.ONCE"' in (tmp_path / "r.json").read_text()


def _backend(name, statuses, reasons=None, migrations=None):
    reasons, migrations = reasons or {}, migrations or {}
    return {"backend": name, "version": f"{name} 1.0", "clauses": {
        cid: {"area": "Training", "status": status, "reason": reasons.get(cid, ""),
              "migration": migrations.get(cid, "")} for cid, status in statuses.items()}}


def test_the_divergence_report_counts_and_lines_up_the_two_rules():
    from conformance import divergence
    clauses = catalog.load()
    ids = list(clauses)[:4]
    first = _backend("k2", dict.fromkeys(ids, "pass"))
    second = _backend("k3", dict(zip(ids, ["pass", "diverges", "unsupported", "fail"])),
                      reasons={ids[1]: "Keras 3 logs it as `x`."},
                      migrations={ids[1]: "Read `x` instead."})
    text = divergence.markdown([first, second], "k2", "k3", clauses)
    assert "- **1** clauses behave the same" in text
    assert "- **1** clauses recorded divergences" in text
    assert "- **1** clauses fail with no recorded rule yet" in text
    assert f"### {ids[0]}" not in text                    # the same on both: not listed
    block = text.split(f"### {ids[1]} (diverges)")[1].split("###")[0]
    assert "**k3:** Keras 3 logs it as `x`." in block
    assert "**Migration:** Read `x` instead." in block
    assert clauses[ids[1]].rule.split()[0] in block      # the Keras 2 rule, from the catalog


def test_expectations_keep_a_migration_note(tmp_path):
    clauses = catalog.load()
    cid = next(iter(clauses))
    path = tmp_path / "k3.toml"
    path.write_text(f'["{cid}"]\nstatus = "diverges"\nreason = "r"\nmigration = "m"\n')
    assert expectations.load(path, clauses)[cid] == {"status": "diverges", "reason": "r",
                                                      "migration": "m"}


def test_a_backend_gets_its_own_profile_else_the_common_one():
    from conformance.cli import _profile_for
    profiles = ["ci", "keras3=bounded"]
    assert _profile_for("keras3", profiles) == "bounded"
    assert _profile_for("tf_keras", profiles) == "ci"
    assert _profile_for("refkeras", ["keras3=bounded"]) is None
    assert _profile_for("refkeras", []) is None
