"""The divergence report: where one backend's behaviour departs from another's, clause by
clause (issue 10: Keras 2 to Keras 3).

``python -m conformance diff --backend tf_keras --backend keras3`` runs both backends
(each in its own process, as ``run`` does) and writes ``docs/keras2-to-keras3.md``:

* counts at the top: clauses that behave the same, recorded divergences, clauses the
  second backend cannot run (a capability it lacks), and clauses not triaged yet
  (failing with no entry in its expectations file);
* then, area by area, every clause that differs: the first backend's rule (the
  catalog's, docs/spec.md), the second backend's rule (its expectations entry:
  ``reason``), and the one-line ``migration`` note.

Who owns what: the catalog owns the Keras 2 rules, ``expectations/<backend>.toml``
the measured rules of the other backend; this module only lines them up.

>>> rows = {"A.B": {"area": "Fit", "status": {"k2": "pass", "k3": "diverges"}}}
>>> [kind for kind, _ in classify(rows, "k2", "k3")]
['diverges']
"""
from conformance import catalog as catalog_module

KINDS = {
    "same": "behave the same",
    "diverges": "recorded divergences (the Keras 3 rule below)",
    "unsupported": "need a feature the second backend lacks",
    "untriaged": "fail with no recorded rule yet",
    "first_diverges": "where the first backend itself departs from the clause",
}


def classify(rows, first, second):
    """(kind, clause id) for every clause, in catalog order."""
    out = []
    for cid, row in rows.items():
        a, b = row["status"].get(first), row["status"].get(second)
        if b in ("fail", "blocked", "unexpected pass"):
            out.append(("untriaged", cid))
        elif b in ("diverges", "unsupported"):
            out.append((b, cid))
        elif a == "diverges":
            out.append(("first_diverges", cid))
        else:
            out.append(("same", cid))
    return out


def markdown(reports, first, second, catalog=None):
    catalog = catalog or catalog_module.load()
    by_backend = {r["backend"]: r for r in reports}
    rows = {cid: {"area": entry["area"],
                  "status": {b: by_backend[b]["clauses"].get(cid, {}).get("status") for b in
                             (first, second)}}
            for cid, entry in by_backend[first]["clauses"].items()}
    kinds = classify(rows, first, second)
    lines = [f"# {first} → {second}: what changes, clause by clause", "",
             (f"Measured by the conformance suite: {by_backend[first]['version']} against "
             f"{by_backend[second]['version']}. Regenerate with "
             f"`python -m conformance diff --backend {first} --backend {second}`."), ""]
    for kind, label in KINDS.items():
        count = sum(k == kind for k, _ in kinds)
        lines.append(f"- **{count}** clauses {label}")
    lines.append("")
    area = None
    for kind, cid in kinds:
        if kind == "same":
            continue
        if rows[cid]["area"] != area:
            area = rows[cid]["area"]
            lines += [f"## {area}", ""]
        entry = by_backend[second]["clauses"].get(cid, {})
        lines += [f"### {cid} ({kind.replace('_', ' ')})", "",
                  f"- **{first}:** {_first_sentences(catalog[cid].rule if cid in catalog else '')}",
                  f"- **{second}:** {entry.get('reason') or _no_rule(kind)}"]
        if entry.get("migration"):
            lines.append(f"- **Migration:** {entry['migration']}")
        if kind == "first_diverges":
            lines.append(f"- **{first}'s own departure:** "
                         f"{by_backend[first]['clauses'][cid].get('reason', '')}")
        lines.append("")
    return "\n".join(lines)


def _first_sentences(rule, limit=400):
    rule = " ".join(rule.split())
    return rule if len(rule) <= limit else rule[:limit].rsplit(" ", 1)[0] + " …"


def _no_rule(kind):
    return {"untriaged": "fails; not triaged yet (no entry in its expectations file).",
            "unsupported": "cannot run this clause (a capability it lacks).",
            "first_diverges": "as the clause."}.get(kind, "")


__all__ = ["KINDS", "classify", "markdown"]
