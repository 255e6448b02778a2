"""Writing a starter: refkeras with one unit's exercise regions replaced by stubs.

``new(unit, directory)`` copies the refkeras package into ``directory/refkeras``,
stubs the unit's regions (markers.stub), and adds ``adapter.py``, so that

    python -m conformance run --backend DIRECTORY --clauses 'LOSS.*'

grades the student's copy, and ``README.md`` listing the exercises. The starter runs
the plain reference kernels (``REFKERAS_KERNELS=reference``): they are the readable
definitions, and a student's exercise may live in one of them.

The directory is built beside its final place and renamed into it, so an interrupted
``new`` leaves nothing half-written; an existing non-empty directory is refused.
"""
import os
import pathlib
import shutil
import tempfile

from refkeras.coursework import markers
from refkeras.coursework.units import package_root
from refkeras.coursework.units import unit as find_unit

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc")

ADAPTER = '''"""The conformance adapter of this starter (written by python -m refkeras.coursework new).

It puts this folder first on sys.path, so `import refkeras` is the student's copy, and
refuses to run if another refkeras was imported first (the stubs would be bypassed).
"""
import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
os.environ.setdefault("REFKERAS_KERNELS", "reference")

from conformance.adapters.refkeras_adapter import RefkerasAdapter  # noqa: E402


class StarterAdapter(RefkerasAdapter):
    name = {name!r}
    expectations = str(HERE / "expectations.toml")   # none: every clause must pass

    def __init__(self):
        loaded = sys.modules.get("refkeras")
        if loaded is not None and not _inside(loaded.__file__):
            raise RuntimeError(f"refkeras was already imported from {{loaded.__file__}}; run the "
                               "starter in a fresh process (python -m conformance run --backend DIR).")
        sys.path.insert(0, str(HERE))
        super().__init__()
        if not _inside(self.keras.__file__):
            raise RuntimeError(f"`import refkeras` found {{self.keras.__file__}}, not {{HERE}}")
        self.version = f"{{self.version}} starter (unit {unit})"


def _inside(path):
    return pathlib.Path(path).resolve().is_relative_to(HERE)


def ADAPTER():
    return StarterAdapter()
'''


def new(unit_number, directory):
    """Write the starter of unit ``unit_number`` into ``directory``; returns its exercises."""
    chosen = find_unit(unit_number)
    target = pathlib.Path(directory).resolve()
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} exists and is not empty; give a new directory for the starter.")
    exercises = unit_exercises(chosen.number)
    if not exercises:
        raise ValueError(f"Unit {chosen.number} has no exercise markers in {package_root()}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    building = pathlib.Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _write(building, chosen, exercises)
        if target.exists():
            target.rmdir()
        os.replace(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return exercises


def unit_exercises(number):
    """The exercises of unit ``number``, in order."""
    return [e for e in all_exercises() if e.unit == number]


def graded_clauses(exercises):
    """The clauses that grade ``exercises``, each once, sorted."""
    return sorted({c for e in exercises for c in e.clauses})


def all_exercises():
    """Every exercise region of the refkeras source (this package's examples aside), in
    exercise order; two regions with one number are an error."""
    root = package_root()
    found = []
    for source in sorted(root.rglob("*.py")):
        if source.parent.name != "coursework":
            found += markers.find(source.read_text(), source.relative_to(root.parent).as_posix())
    keys = [e.key for e in found]
    if len(set(keys)) != len(keys):
        raise markers.MarkerError(f"exercise numbers used twice: {sorted({k for k in keys if keys.count(k) > 1})}")
    return sorted(found, key=lambda e: (e.unit, e.number))


def _write(folder, chosen, exercises):
    package = folder / "refkeras"
    shutil.copytree(package_root(), package, ignore=_IGNORE)
    for path in sorted({e.path for e in exercises}):
        source = folder / path
        source.write_text(markers.stub(source.read_text(), path, chosen.number))
    (folder / "adapter.py").write_text(ADAPTER.format(name=f"unit{chosen.number}-{chosen.name}",
                                                      unit=chosen.number))
    (folder / "README.md").write_text(_readme(chosen, exercises))


def _readme(chosen, exercises):
    clauses = graded_clauses(exercises)
    rows = "\n".join(f"| {e.key} | {e.title} | `{e.path}` | {' '.join(e.clauses)} |" for e in exercises)
    globs = " ".join(f"--clauses {c}" for c in clauses)
    return f"""# Unit {chosen.number}: {chosen.title}

This folder is a complete copy of refkeras in which the code of this unit's exercises
has been replaced by `raise NotImplementedError(...)`. Write each one; the handout is
`{chosen.handout}` in the refkeras repository.

| exercise | what | where | graded by clauses |
|---|---|---|---|
{rows}

Grade your work (run from this folder's parent or anywhere; DIR is this folder):

    python -m conformance run --backend DIR {globs}

Each clause is a rule of Keras 2 written in `docs/spec.md`; a failing test prints the
rule it pins and the value it got. All clauses passing is full marks.

The rest of the engine works as usual, so you can also try your code by hand. Start
Python in this folder, so that `import refkeras` finds this copy, and with the plain
numpy kernels, which grading uses too (some exercises live in them):

    cd DIR && REFKERAS_KERNELS=reference python        # then: import refkeras as keras

(`python some_script.py` puts the script's own folder first on the path, not this one:
keep scripts in this folder, or check `refkeras.__file__`.)
"""


__all__ = ["all_exercises", "graded_clauses", "new", "unit_exercises"]
