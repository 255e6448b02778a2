"""The table of a run: each backend's median time per unit, and ratios to the first.

No spec clauses. Owned by the harness. The ratio of a backend ``b`` to the first
backend ``f`` divides times, never speeds::

    ratio = time(b) / time(f)      # above 1: f is faster; "tf_keras / refkeras = 5.2x"

>>> ratio_text("tf_keras", "refkeras", 0.0052, 0.001)
'tf_keras / refkeras = 5.20x'
"""
from benchmarks.harness.machine import describe

UNIT_LABELS = {"step": "ms/step", "call": "ms/call"}


def ms_text(seconds):
    """Milliseconds with three significant digits and never an exponent: 1.38, 65.4, 2280."""
    ms = seconds * 1e3
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.3g}"


def ratio_text(other, first, t_other, t_first):
    return f"{other} / {first} = {t_other / t_first:.2f}x"


def _time_of(result, workload):
    """(seconds per unit, None) or (None, why there is no time)."""
    if "status" in result:
        return None, result["status"]
    if "error" in result:
        return None, "error"
    entry = result.get("workloads", {}).get(workload)
    if entry is None:
        return None, "n/a"
    if "error" in entry:
        return None, "error"
    return entry["per_unit_s"], None


def _unit_of(doc, workload):
    for result in doc["results"].values():
        entry = result.get("workloads", {}).get(workload, {})
        if "unit" in entry:
            return UNIT_LABELS.get(entry["unit"], entry["unit"])
    return "?"


def table_rows(doc):
    """Header and rows (lists of strings) of the run's table."""
    columns = list(doc["backends"]) + [c for c in doc["results"] if c not in doc["backends"]]
    first = columns[0]
    header = ["workload", "unit"] + columns + ["ratio (time / time of " + first + ")"]
    rows = []
    for workload in doc["workloads"]:
        times = {c: _time_of(doc["results"][c], workload) for c in columns}
        cells = [ms_text(t) if t is not None else why for t, why in times.values()]
        t_first = times[first][0]
        ratios = [ratio_text(c, first, times[c][0], t_first) for c in columns[1:]
                  if times[c][0] is not None and t_first]
        rows.append([workload, _unit_of(doc, workload)] + cells + ["; ".join(ratios) or "-"])
    return header, rows


def format_table(doc, markdown=False):
    header, rows = table_rows(doc)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip()
                 for r in [header] + rows]
    first = doc["backends"][0]
    quick = " [QUICK smoke mode: sizes too small to mean anything]" if doc["quick"] else ""
    notes = [(f"median of rounds; ratio = backend's time / {first}'s time "
              f"(above 1: {first} is faster){quick}"),
             "machine: " + describe(doc["machine"])]
    notes += [f"{c}: {r['error']}" for c, r in doc["results"].items() if "error" in r]
    notes += [f"{c} {w}: {e['error']}" for c, r in doc["results"].items()
              for w, e in r.get("workloads", {}).items() if "error" in e]
    return "\n".join(lines + [""] + notes)


__all__ = ["format_table", "ms_text", "ratio_text", "table_rows"]
