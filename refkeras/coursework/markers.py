"""Exercise regions: the marked pieces of refkeras a student writes.

An exercise is a region of the source between two comment lines, with a hint::

    def mean_squared_error(y_true, y_pred):
        y_pred, y_true = _inputs.prepare(y_true, y_pred)
        # EXERCISE 3.1: mean squared error | LOSS.REGRESSION
        # hint: the mean over the last axis of (y_pred - y_true) ** 2
        return math_ops.reduce_mean(math_ops.square(y_pred - y_true), axis=-1)
        # END EXERCISE 3.1

The begin line names the exercise (``unit.number``), a title, and after ``|`` the
clauses of docs/spec.md the code must satisfy; ``# hint:`` lines follow. The region is
everything up to the end line. A starter replaces the region (not the comments) by
``raise NotImplementedError(...)`` whose message names the exercise, the file, the
hint and the clauses, so a failing conformance test points the student at it.

This module owns the syntax (``find``) and the replacement (``stub``); units.py says
which units exist, starter.py writes the starter package.

>>> text = '''def f(x):
...     # EXERCISE 9.1: double it | OPS.VALUES
...     # hint: add x to itself
...     return x + x
...     # END EXERCISE 9.1
... '''
>>> [e.key for e in find(text, "f.py")]
['9.1']
>>> print(stub(text, "f.py", unit=9).splitlines()[3].strip()[:59])
raise NotImplementedError('Exercise 9.1 (double it) in f.py
"""
import dataclasses
import re

BEGIN = re.compile(r"^(?P<indent>[ \t]*)# EXERCISE (?P<unit>\d+)\.(?P<number>\d+): "
                   r"(?P<title>[^|]+?) \| (?P<clauses>[A-Z0-9_. ]+?)\s*$")
HINT = re.compile(r"^[ \t]*# hint: (?P<hint>.*)$")
END = re.compile(r"^[ \t]*# END EXERCISE (?P<unit>\d+)\.(?P<number>\d+)\s*$")


@dataclasses.dataclass(frozen=True)
class Exercise:
    unit: int
    number: int
    title: str
    clauses: tuple
    hint: str
    path: str         # relative to the package root's parent: "refkeras/losses/regression.py"
    body: tuple       # (first line, line after the last) of the code to replace, 0-based
    indent: str

    @property
    def key(self):
        return f"{self.unit}.{self.number}"

    def message(self):
        """What the stub raises: where the exercise is, what to do, what grades it."""
        return (f"Exercise {self.key} ({self.title}) in {self.path} is yours to write. "
                f"Hint: {self.hint} Graded by clauses {', '.join(self.clauses)} "
                f"(python -m conformance run --backend <your starter dir> "
                f"--clauses {self.clauses[0]}).")


class MarkerError(ValueError):
    """A malformed exercise region (unclosed, nested, without a hint)."""


def find(text, path):
    """Every exercise region of one source file, in order."""
    lines = text.splitlines()
    found, i = [], 0
    while i < len(lines):
        begin = BEGIN.match(lines[i])
        if not begin:
            _refuse_stray_marker(lines[i], path, i)
            i += 1
            continue
        exercise, i = _read_region(lines, i, begin, path)
        found.append(exercise)
    return found


def _refuse_stray_marker(line, path, index):
    if "EXERCISE" in line and line.lstrip().startswith("#"):
        raise MarkerError(f"{path}:{index + 1}: {line.strip()!r} is not a valid exercise marker "
                          "(expected '# EXERCISE U.N: title | CLAUSE ...' or '# END EXERCISE U.N')")


def _read_region(lines, i, begin, path):
    key = f"{begin['unit']}.{begin['number']}"
    hints, j = [], i + 1
    while j < len(lines) and HINT.match(lines[j]):
        hints.append(HINT.match(lines[j])["hint"])
        j += 1
    if not hints:
        raise MarkerError(f"{path}:{i + 1}: exercise {key} has no '# hint:' line after its marker")
    start = j
    while j < len(lines) and not END.match(lines[j]):
        if BEGIN.match(lines[j]):
            raise MarkerError(f"{path}:{j + 1}: exercise regions cannot nest (inside {key})")
        j += 1
    end = END.match(lines[j]) if j < len(lines) else None
    if end is None or f"{end['unit']}.{end['number']}" != key or j == start:
        raise MarkerError(f"{path}:{i + 1}: exercise {key} needs code and then '# END EXERCISE {key}'")
    exercise = Exercise(int(begin["unit"]), int(begin["number"]), begin["title"],
                        tuple(begin["clauses"].split()), " ".join(hints), path, (start, j),
                        begin["indent"])
    return exercise, j + 1


def stub(text, path, unit):
    """``text`` with every region of ``unit`` replaced by a raise naming the exercise."""
    lines = text.splitlines(keepends=True)
    for exercise in reversed([e for e in find(text, path) if e.unit == unit]):
        start, stop = exercise.body
        raise_line = f"{exercise.indent}raise NotImplementedError({exercise.message()!r})\n"
        lines[start:stop] = [raise_line]
    return "".join(lines)


__all__ = ["Exercise", "MarkerError", "find", "stub"]
