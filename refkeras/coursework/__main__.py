"""``python -m refkeras.coursework``: list the units, write a starter, grade it, prove a unit.

    python -m refkeras.coursework list
    python -m refkeras.coursework new UNIT DIR        # a starter package for unit UNIT
    python -m refkeras.coursework grade UNIT DIR      # the unit's clauses on DIR
    python -m refkeras.coursework prove [UNIT ...]    # CI: each unit is gradable
"""
import argparse
import sys

from refkeras.coursework import grading, starter
from refkeras.coursework.units import UNITS
from refkeras.coursework.units import unit as find_unit


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m refkeras.coursework",
                                     description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the units, their exercises and clauses")
    new = sub.add_parser("new", help="write the starter package of a unit")
    new.add_argument("unit")
    new.add_argument("directory")
    grade = sub.add_parser("grade", help="grade a starter on its unit's clauses")
    grade.add_argument("unit")
    grade.add_argument("directory")
    prove = sub.add_parser("prove", help="check that units are gradable (CI)")
    prove.add_argument("units", nargs="*", default=[str(n) for n in UNITS])
    args = parser.parse_args(argv)
    return {"list": _list, "new": _new, "grade": _grade, "prove": _prove}[args.command](args)


def _list(args):
    exercises = starter.all_exercises()
    for number, chosen in UNITS.items():
        print(f"Unit {number}: {chosen.title}  ({chosen.handout})")
        for e in (e for e in exercises if e.unit == number):   # one scan of the source
            print(f"  {e.key:5} {e.title:45} {e.path}  [{' '.join(e.clauses)}]")
    return 0


def _new(args):
    exercises = starter.new(args.unit, args.directory)
    print(f"Wrote the starter of unit {find_unit(args.unit).number} to {args.directory} "
          f"({len(exercises)} exercises; see its README.md).")
    return 0


def _grade(args):
    chosen = find_unit(args.unit)
    clauses = starter.graded_clauses(starter.unit_exercises(chosen.number))
    grades = grading.grade(args.directory, clauses)
    for clause in clauses:
        print(f"{clause:32} {grades[clause].status if clause in grades else 'not run'}")
    passed = sum(1 for c in clauses if c in grades and grades[c].status == "pass")
    print(f"unit {chosen.number}: {passed}/{len(clauses)} clauses pass")
    return 0 if passed == len(clauses) else 1


def _prove(args):
    failed = 0
    for number in args.units:
        problems = grading.prove(number)
        print(f"unit {number}: {'gradable' if not problems else 'NOT gradable'}", flush=True)
        for problem in problems:
            print(f"  {problem}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
