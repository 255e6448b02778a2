"""Coursework graded by the conformance suite.

The refkeras source carries exercise regions (markers.py says the syntax): each
names the clauses of docs/spec.md its code must satisfy. ``python -m
refkeras.coursework new UNIT DIR`` writes a starter, refkeras with that unit's
regions replaced by stubs that raise NotImplementedError with the hint, plus an
adapter, so ``python -m conformance run --backend DIR --clauses ...`` grades it.
units.py lists the seven units; grading.py grades and proves; the handouts are in
docs/coursework/.
"""
from refkeras.coursework.markers import Exercise, MarkerError
from refkeras.coursework.units import UNITS, Unit

__all__ = ["UNITS", "Exercise", "MarkerError", "Unit"]
