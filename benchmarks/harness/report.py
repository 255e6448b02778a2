"""The table of a run: each backend's kept time per unit, its spread, and ratios to the first.

No spec clauses. Owned by the harness. A backend's kept time is the least of its
passes' medians (see ``runner``); beside it, in brackets, the range of those pass
medians, so a run disturbed by the machine shows it. The ratio of a backend ``b`` to
the first backend ``f`` divides kept times, never speeds::

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


def cell_text(entry):
    """The kept time in ms, and the range of the pass medians when there are several.

    >>> cell_text({"per_unit_s": 0.065, "pass_medians_s": [0.07, 0.065, 0.15]})
    '65 (65..150)'
    """
    text = ms_text(entry["per_unit_s"])
    medians = entry.get("pass_medians_s") or []
    if len(medians) > 1:
        text += f" ({ms_text(min(medians))}..{ms_text(max(medians))})"
    return text


def _time_of(result, workload):
    """(the workload's entry, None) or (None, why there is no time)."""
    if "status" in result:
        return None, result["status"]
    if "error" in result:
        return None, "error"
    entry = result.get("workloads", {}).get(workload)
    if entry is None:
        return None, "n/a"
    if "error" in entry:
        return None, "error"
    return entry, None


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
        cells = [cell_text(e) if e is not None else why for e, why in times.values()]
        kept = {c: e["per_unit_s"] if e is not None else None for c, (e, _) in times.items()}
        ratios = [ratio_text(c, first, kept[c], kept[first]) for c in columns[1:]
                  if kept[c] is not None and kept[first]]
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
    notes = [method_text(doc.get("method")),
             (f"ratio = backend's time / {first}'s time (above 1: {first} is faster){quick}"),
             "machine: " + describe(doc["machine"])]
    notes += [f"{c}: {r['error']}" for c, r in doc["results"].items() if "error" in r]
    notes += [f"{c} {w}: {e['error']}" for c, r in doc["results"].items()
              for w, e in r.get("workloads", {}).items() if "error" in e]
    return "\n".join(lines + [""] + notes)


def method_text(method):
    if not method:
        return "time per unit: median of rounds"
    return (f"time per unit: the least of {method['passes']} passes' medians "
            f"({method['rounds_per_pass']} rounds a pass; the backends take turns pass by pass); "
            "in brackets: lowest..highest pass median")


__all__ = ["cell_text", "format_table", "method_text", "ms_text", "ratio_text", "table_rows"]
