"""The course: seven units, each a set of exercise regions in the refkeras source.

A unit's exercises are found in the source by their markers (markers.py): the source
is the single place that says what a unit asks. This table adds what the markers
cannot: the unit's name, its handout, and its smoke clauses, other clauses that do
not depend on the unit's code, which a starter must still pass (so a starter is a
working engine with exactly one unit missing, and CI can prove it).

>>> UNITS[3].name
'losses'
"""
import dataclasses
import pathlib


@dataclasses.dataclass(frozen=True)
class Unit:
    number: int
    name: str
    title: str
    smoke: tuple      # clauses the starter must still pass

    @property
    def handout(self):
        return f"docs/coursework/unit{self.number}_{self.name}.md"


UNITS = {unit.number: unit for unit in (
    Unit(1, "ops", "Ops and their gradients",
         smoke=("OPS.VALUES", "LOSS.CONFIG", "METRIC.STRINGS", "SCHEDULE.EXPONENTIAL")),
    Unit(2, "dense", "Dense and activations",
         smoke=("TAPE.BASIC", "OPS.VALUES", "LOSS.REGRESSION", "SCHEDULE.EXPONENTIAL")),
    Unit(3, "losses", "Losses",
         smoke=("TAPE.BASIC", "LAYER.NUMERIC.DENSE", "METRIC.API", "SCHEDULE.EXPONENTIAL")),
    Unit(4, "metrics", "Metrics",
         smoke=("TAPE.BASIC", "LAYER.NUMERIC.DENSE", "LOSS.REGRESSION", "SCHEDULE.EXPONENTIAL")),
    Unit(5, "optimizers", "Optimizers and learning-rate schedules",
         smoke=("TAPE.BASIC", "LAYER.NUMERIC.DENSE", "LOSS.REGRESSION", "METRIC.API")),
    Unit(6, "fit_loop", "The fit loop: batching, validation_split, running averages",
         smoke=("TAPE.BASIC", "LAYER.NUMERIC.DENSE", "LOSS.REGRESSION", "SCHEDULE.EXPONENTIAL")),
    Unit(7, "callbacks", "Callbacks: EarlyStopping and ModelCheckpoint",
         smoke=("FIT.HISTORY", "LOSS.REGRESSION", "OPT.RULES", "CALLBACKS.ORDER")),
)}


def package_root():
    """The folder holding the refkeras package whose exercises we read."""
    return pathlib.Path(__file__).resolve().parent.parent


def unit(number):
    """The unit numbered ``number`` (int or digit string), or a ValueError listing them."""
    try:
        return UNITS[int(number)]
    except (KeyError, ValueError):
        listing = ", ".join(f"{u.number} ({u.name})" for u in UNITS.values())
        raise ValueError(f"Unknown unit {number!r}; the units are {listing}.") from None


__all__ = ["UNITS", "Unit", "package_root", "unit"]
