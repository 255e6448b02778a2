"""Scaling: the MLP's step time against batch size and against hidden width, plotted.

No spec clauses. Owned by the harness; the plots go to docs/images/scaling_batch.png and
docs/images/scaling_width.png. Each backend measures every point in one live worker
process (``mlp_fit_scaling``: full batches, as many steps as fill a time budget, so the
4096-wide layers get fewer), the backends taking turns point by point as in ``runner``:
``PASSES`` passes of one round each, the least kept. Two sweeps::

    batch in (16, 32, 64, 128, 256, 512, 1024) at width 64
    width in (64, 128, 256, 512, 1024, 2048, 4096) at batch 64

Each plot: ms per step on log-log axes, one line per backend; below it, each backend's
time divided by the first backend's (above 1: the first is faster).

>>> [j["params"] for j in sweep_jobs()][:2]
[{'batch': 16, 'width': 64}, {'batch': 32, 'width': 64}]
"""
from pathlib import Path

from benchmarks.harness.report import UNIT_LABELS, ms_text
from benchmarks.harness.worker import job_key

BATCHES = (16, 32, 64, 128, 256, 512, 1024)
WIDTHS = (64, 128, 256, 512, 1024, 2048, 4096)
PASSES = {"full": 3, "quick": 1}   # each pass one round of about 0.6 s (budget_s)
DEFAULT_WIDTH = 64
DEFAULT_BATCH = 64
SWEEPS = {
    "batch": {"values": BATCHES, "title": "batch size", "xlabel": "batch size (hidden width 64)",
              "params": lambda v: {"batch": v, "width": DEFAULT_WIDTH}},
    "width": {"values": WIDTHS, "title": "hidden width", "xlabel": "hidden width of both Dense layers (batch 64)",
              "params": lambda v: {"batch": DEFAULT_BATCH, "width": v}},
}


def sweep_jobs():
    """Every point of both sweeps once (batch 64 x width 64 is in both)."""
    jobs = []
    for sweep in SWEEPS.values():
        for value in sweep["values"]:
            job = {"workload": "mlp_fit_scaling", "params": sweep["params"](value)}
            if job not in jobs:
                jobs.append(job)
    return jobs


def run_scaling(backends, quick=False):
    from benchmarks.harness.machine import machine_facts
    from benchmarks.harness.runner import run_interleaved
    passes = PASSES["quick" if quick else "full"]
    results = run_interleaved(backends, sweep_jobs(), quick, rounds=1, passes=passes)
    return {"kind": "scaling", "machine": machine_facts(), "quick": quick,
            "backends": list(backends), "results": results,
            "method": {"passes": passes, "rounds_per_pass": 1}}


def series(doc, backend, sweep):
    """(x values, ms per step) of one backend's sweep; failed points are left out."""
    workloads = doc["results"][backend].get("workloads", {})
    xs, ys = [], []
    for value in SWEEPS[sweep]["values"]:
        entry = workloads.get(job_key({"workload": "mlp_fit_scaling",
                                       "params": SWEEPS[sweep]["params"](value)}), {})
        if "per_unit_s" in entry:
            xs.append(value)
            ys.append(entry["per_unit_s"] * 1e3)
    return xs, ys


def format_table(doc):
    lines = []
    first = doc["backends"][0]
    for sweep, spec in SWEEPS.items():
        lines.append(f"{spec['xlabel']}: {UNIT_LABELS['step']}")
        data = {b: dict(zip(*series(doc, b, sweep))) for b in doc["backends"]}
        header = [sweep] + list(doc["backends"]) + [f"{b} / {first}" for b in doc["backends"][1:]]
        lines.append("  ".join(f"{h:>12}" for h in header))
        for v in spec["values"]:
            cells = [ms_text(data[b][v] / 1e3) if v in data[b] else "-" for b in doc["backends"]]
            ratios = [f"{data[b][v] / data[first][v]:.2f}x" if v in data[b] and v in data[first]
                      else "-" for b in doc["backends"][1:]]
            lines.append("  ".join(f"{c:>12}" for c in [str(v)] + cells + ratios))
        lines.append("")
    lines += [f"{b}: {r['error']}" for b, r in doc["results"].items() if "error" in r]
    return "\n".join(lines)


def _log_axes(ticker, ax):
    """Log y with plain tick labels: 2, 3, 5, 10 rather than 2x10^0 or a crowd."""
    ax.grid(True, which="both", alpha=0.3)
    if not any(len(line.get_xdata()) for line in ax.get_lines()):
        ax.text(0.5, 0.5, "no measurements", transform=ax.transAxes, ha="center")
        return                                  # log scale needs positive data
    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(ticker.LogLocator(base=10, subs=(2.0, 3.0, 5.0)))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))


def _ratio_panel(ticker, ax, doc, sweep, colors):
    """Each other backend's time / the first backend's time, in the backend's colour."""
    first = doc["backends"][0]
    base = dict(zip(*series(doc, first, sweep)))
    for backend in doc["backends"][1:]:
        pairs = [(x, y / base[x]) for x, y in zip(*series(doc, backend, sweep)) if x in base]
        if pairs:
            ax.plot(*zip(*pairs), marker="o", color=colors[backend], label=f"{backend} / {first}")
    _log_axes(ticker, ax)
    ax.axhline(1.0, color="grey", linewidth=1, linestyle="--")
    ax.set_ylabel(f"time / {first}")
    ax.legend(fontsize="small")


def _plot_one(plt, ticker, doc, sweep, path):
    spec = SWEEPS[sweep]
    with_ratio = len(doc["backends"]) > 1
    fig, axes = plt.subplots(2 if with_ratio else 1, 1, figsize=(7, 6.5 if with_ratio else 4.8),
                             sharex=True, squeeze=False,
                             gridspec_kw={"height_ratios": [3, 1.3] if with_ratio else [1]})
    top, bottom = axes[0][0], axes[-1][0]
    colors = {}
    for backend in doc["backends"]:
        (line,) = top.plot(*series(doc, backend, sweep), marker="o", label=backend)
        colors[backend] = line.get_color()
    top.set_xscale("log", base=2)
    _log_axes(ticker, top)
    top.set_ylabel("ms per training step (least of the passes)")
    top.set_title(f"Guide MLP 784-w-w-10, RMSprop: step time vs {spec['title']}"
                  + (" [QUICK: meaningless]" if doc["quick"] else ""))
    top.legend()
    if with_ratio:
        _ratio_panel(ticker, bottom, doc, sweep, colors)
    bottom.set_xlabel(spec["xlabel"])
    bottom.set_xticks(list(spec["values"]))
    bottom.set_xticklabels([str(v) for v in spec["values"]])
    fig.text(0.01, 0.005, doc["machine"]["cpu"] + f", {doc['machine']['cores']} cores, "
             + doc["machine"]["date"], fontsize=7, color="grey")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot(doc, out_dir):
    """Write scaling_batch.png and scaling_width.png into ``out_dir``; their paths."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for sweep in SWEEPS:
        path = out / f"scaling_{sweep}.png"
        _plot_one(plt, ticker, doc, sweep, path)
        paths.append(path)
    return paths


__all__ = ["BATCHES", "PASSES", "SWEEPS", "WIDTHS", "format_table", "plot", "run_scaling", "series",
           "sweep_jobs"]
