"""The coursework tooling: exercise markers, starters, and what grading reads."""
import ast
import pathlib

import pytest

from conformance import catalog
from conformance.adapters import load_adapter
from refkeras.coursework import UNITS, MarkerError, grading, markers, starter

SPEC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "spec.md"


def test_every_unit_has_exercises_naming_real_clauses():
    clauses = catalog.load(SPEC)
    exercises = starter.all_exercises()
    for number in UNITS:
        mine = [e for e in exercises if e.unit == number]
        assert mine, f"unit {number} has no exercise markers"
        for e in mine:
            assert e.hint and e.title
            unknown = [c for c in e.clauses if c not in clauses]
            assert not unknown, f"exercise {e.key} names unknown clauses {unknown}"
    for unit in UNITS.values():
        assert all(c in clauses for c in unit.smoke), unit


def test_exercise_numbers_run_without_gaps():
    keys = [(e.unit, e.number) for e in starter.all_exercises()]
    for number in UNITS:
        assert [n for u, n in keys if u == number] == list(range(1, 1 + sum(u == number for u, _ in keys)))


@pytest.mark.parametrize("number", sorted(UNITS))
def test_starter_stubs_exactly_its_unit_and_still_parses(number, tmp_path):
    exercises = starter.new(number, tmp_path / "s")
    package = tmp_path / "s" / "refkeras"
    for path in {e.path for e in exercises}:
        text = (tmp_path / "s" / path).read_text()
        strings = {n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)}
        assert sorted(e.key for e in markers.find(text, path)) == sorted(
            e.key for e in starter.all_exercises() if e.path == path)
        for e in (e for e in exercises if e.path == path):
            assert e.message() in strings
    others = [e for e in starter.all_exercises() if e.unit != number]
    for e in others:   # the other units' code is intact
        assert f"Exercise {e.key} (" not in (tmp_path / "s" / e.path).read_text()
    assert (tmp_path / "s" / "adapter.py").is_file() and (tmp_path / "s" / "README.md").is_file()
    assert not list(package.rglob("__pycache__"))
    ast.parse((tmp_path / "s" / "adapter.py").read_text())


def test_stub_raises_a_message_naming_the_exercise_file_hint_and_clauses():
    text = ("def f(x):\n    y = 2\n    # EXERCISE 8.1: double | OPS.VALUES TAPE.BASIC\n"
            "    # hint: add x to\n    # hint: itself.\n    return x + x\n    # END EXERCISE 8.1\n")
    namespace = {}
    exec(markers.stub(text, "pkg/f.py", unit=8), namespace)   # noqa: S102 -- our own string
    with pytest.raises(NotImplementedError) as error:
        namespace["f"](1)
    message = str(error.value)
    for part in ("Exercise 8.1 (double)", "pkg/f.py", "add x to itself.", "OPS.VALUES, TAPE.BASIC"):
        assert part in message
    assert markers.stub(text, "pkg/f.py", unit=9) == text


@pytest.mark.parametrize("text, complaint", [
    ("    # EXERCISE 1.1: t | OPS.VALUES\n    x = 1\n    # END EXERCISE 1.1\n", "no '# hint:'"),
    ("    # EXERCISE 1.1: t | OPS.VALUES\n    # hint: h\n    x = 1\n", "END EXERCISE 1.1"),
    ("    # EXERCISE 1.1: t | OPS.VALUES\n    # hint: h\n    # END EXERCISE 1.1\n", "needs code"),
    ("    # EXERCISE 1.1: t | OPS.VALUES\n    # hint: h\n    # EXERCISE 1.2: u | OPS.VALUES\n", "nest"),
    ("    # EXERCISE one: t\n", "not a valid exercise marker"),
])
def test_malformed_markers_are_refused_with_the_place(text, complaint):
    with pytest.raises(MarkerError, match="f.py:") as error:
        markers.find(text, "f.py")
    assert complaint in str(error.value)


def test_new_refuses_a_non_empty_directory_and_an_unknown_unit(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "mine.py").write_text("keep me")
    with pytest.raises(FileExistsError, match="not empty"):
        starter.new(3, tmp_path / "d")
    assert (tmp_path / "d" / "mine.py").read_text() == "keep me"
    with pytest.raises(ValueError, match=r"Unknown unit '9'; the units are 1 \(ops\)"):
        starter.new("9", tmp_path / "e")
    assert not (tmp_path / "e").exists()


def test_a_starter_refuses_to_run_where_refkeras_is_already_imported(tmp_path):
    starter.new(3, tmp_path / "s")
    with pytest.raises(RuntimeError, match="already imported"):
        load_adapter(str(tmp_path / "s"))


def test_junit_names_map_to_node_ids():
    assert grading._junit_id("conformance/tests/test_x.py::test_y[a-1]") == \
        "conformance.tests.test_x.test_y[a-1]"
