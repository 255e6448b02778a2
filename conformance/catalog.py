"""The clause catalog: ``docs/spec.md`` parsed into Clause records.

The catalog is Markdown for people and a fixed format for this parser. Each clause
is a level-3 heading with its id, followed by fields::

    ### TAPE.NESTED
    **Rule.** Nested tapes give higher-order derivatives: ...
    **Seed.** 004 "自定义训练逻辑": "..."
    **Status.** pinned
    **Depends.** TAPE.BASIC
    **Tests.** `test_gradient_tape.py::test_second_derivative`

``Status.`` is ``pinned`` or ``not yet pinned (issue N)``; ``Observed.`` (what
the measuring script printed on tf_keras), ``Depends.`` and ``Tests.`` may be
absent. A field runs on over following lines (bullet lists included) up to the
next field or a blank line. The level-2 heading above a clause is its area.
"""
import dataclasses
import pathlib
import re

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = REPO_ROOT / "docs" / "spec.md"

_HEADING = re.compile(r"^### ([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*)\s*$")
_AREA = re.compile(r"^## (.+?)\s*$")
_FIELD = re.compile(r"^\*\*(Rule|Seed|Observed|Status|Depends|Tests)\.\*\*\s*(.*)$")
_TEST_NAME = re.compile(r"`([^`]+)`")


@dataclasses.dataclass
class Clause:
    id: str
    area: str
    rule: str = ""
    seed: str = ""
    observed: str = ""
    status: str = ""
    depends: tuple = ()
    tests: tuple = ()

    @property
    def pinned(self):
        return self.status == "pinned"


class CatalogError(ValueError):
    pass


def load(path=DEFAULT_CATALOG):
    """All clauses of the catalog, by id, in the catalog's order."""
    text = pathlib.Path(path).read_text(encoding="utf-8")
    clauses, area, current, field = {}, "", None, None
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _AREA.match(line):
            area, current, field = m.group(1), None, None
        elif m := _HEADING.match(line):
            if m.group(1) in clauses:
                raise CatalogError(f"{path}:{number}: clause {m.group(1)} is defined twice")
            current = clauses[m.group(1)] = Clause(m.group(1), area)
            field = None
        elif current is not None and (m := _FIELD.match(line)):
            field = m.group(1).lower()
            _set(current, field, m.group(2).strip())
        elif current is not None and field and line.strip() and not line.startswith("#"):
            _set(current, field, line.strip(), append=True)
        elif not line.strip():
            field = None
    _validate(clauses, path)
    return clauses


def _set(clause, field, value, append=False):
    if field in ("rule", "seed", "observed", "status"):
        old = getattr(clause, field)
        setattr(clause, field, f"{old} {value}".strip() if append else value)
    elif field == "depends":
        clause.depends += tuple(d.strip() for d in value.split(",") if d.strip())
    elif field == "tests":
        clause.tests += tuple(_TEST_NAME.findall(value))


def _validate(clauses, path):
    for c in clauses.values():
        if not c.rule:
            raise CatalogError(f"{path}: clause {c.id} has no **Rule.**")
        if not (c.status == "pinned" or c.status.startswith("not yet pinned")):
            raise CatalogError(f"{path}: clause {c.id} has status {c.status!r}; expected 'pinned' or "
                               "'not yet pinned (issue N)'")
        for d in c.depends:
            if d not in clauses:
                raise CatalogError(f"{path}: clause {c.id} depends on unknown clause {d}")


__all__ = ["DEFAULT_CATALOG", "REPO_ROOT", "CatalogError", "Clause", "load"]
