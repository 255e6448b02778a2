"""Expectations: what a backend is known not to do, clause by clause.

``conformance/expectations/<backend>.toml`` maps clause ids to a status and a reason::

    ["MODEL.SEQ.ADD"]
    status = "pending"        # not implemented yet (refkeras's list shrinks to nothing)
    reason = "Layers and models come in issue 4."

    ["TAPE.ARG_TYPES"]
    status = "diverges"       # the backend behaves otherwise, on purpose or by quirk
    reason = "TensorFlow raises AttributeError ..."

A Keras 3 entry may add ``migration = "..."``: a one-line note for someone moving
from Keras 2 (the divergence report shows it). The file is strict, so it cannot go stale: an entry naming no clause of the
catalog is an error, and a listed clause whose tests all pass fails the run.
"""
import pathlib
import tomllib

STATUSES = ("pending", "diverges")
DIRECTORY = pathlib.Path(__file__).resolve().parent / "expectations"


class ExpectationsError(ValueError):
    pass


def path_for(adapter):
    """The adapter's own file if it names one, else expectations/<name>.toml."""
    custom = getattr(adapter, "expectations", None)
    return pathlib.Path(custom) if custom else DIRECTORY / f"{adapter.name}.toml"


def load(path, catalog):
    """{clause id: {"status": ..., "reason": ...}}, checked against the catalog."""
    path = pathlib.Path(path)
    if not path.exists():
        return {}
    with path.open("rb") as f:
        data = tomllib.load(f)
    entries = {}
    for clause_id, entry in _flatten(data).items():
        if clause_id not in catalog:
            raise ExpectationsError(f"{path}: [{clause_id!r}] names no clause of the catalog; "
                                    "remove it or fix the id")
        status, reason = entry.get("status"), entry.get("reason", "").strip()
        if status not in STATUSES:
            raise ExpectationsError(f"{path}: [{clause_id!r}] has status {status!r}; expected one "
                                    f"of {STATUSES}")
        if not reason:
            raise ExpectationsError(f"{path}: [{clause_id!r}] needs a reason")
        entries[clause_id] = {"status": status, "reason": reason}
        if entry.get("migration"):     # keras3.toml: a one-line note for people migrating
            entries[clause_id]["migration"] = entry["migration"].strip()
    return entries


def _flatten(data, prefix=""):
    """Accept both ["A.B"] tables and TOML's dotted nesting [A.B]."""
    out = {}
    for key, value in data.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and "status" in value:
            out[full] = value
        elif isinstance(value, dict):
            out.update(_flatten(value, full))
        else:
            raise ExpectationsError(f"expectations entry {full!r} must be a table with a status")
    return out


__all__ = ["STATUSES", "ExpectationsError", "load", "path_for"]
