"""``plot_history``: the training and validation curves of a fit, drawn with matplotlib.

Clauses: PLOT.HISTORY (docs/spec.md).

Keras has no such function: its guides draw ``history.history`` by hand
(``plt.plot(history.history["loss"])``, then the ``val_`` curve). This helper draws
that picture for every metric at once, from a ``History`` (what fit returns, either
backend) or its ``.history`` dict.

The rule. One subplot per metric, in the logs' order with "loss" first; a metric is
a key without the ``val_`` prefix. Each subplot holds the training curve (solid, dots,
label "training") and, when the logs have ``val_<metric>``, the validation curve
(dashed, same colour family, label "validation"). x is the epoch, 1-based: a
History's ``epoch`` list plus one (so ``initial_epoch=3`` draws epochs 4, 5, ...),
else 1..n for a dict. Each subplot is titled with the metric, labels its axes
"Epoch" and the metric, and has a legend. The drawing uses matplotlib's Agg canvas
and never pyplot, so nothing opens a window and no global figure is left behind.
It returns the ``matplotlib.figure.Figure``; with ``to_file`` it also writes it (PNG
unless the extension names another format matplotlib knows).

The layout (runnable as written, given the names)::

    names = [k for k in logs if not k.startswith("val_")]      # loss first
    columns = min(len(names), 3); rows = ceil(len(names) / columns)
    for axes, name in zip(grid, names):
        axes.plot(x, logs[name], "o-", label="training")
        if "val_" + name in logs:
            axes.plot(x, logs["val_" + name], "s--", label="validation")

>>> history = {"loss": [1.0, 0.5, 0.25], "mae": [0.9, 0.6, 0.4], "val_loss": [1.1, 0.7, 0.5]}
>>> figure = plot_history(history)
>>> [axes.get_title() for axes in figure.axes]
['loss', 'mae']
>>> [line.get_label() for line in figure.axes[0].lines]
['training', 'validation']
>>> [int(epoch) for epoch in figure.axes[0].lines[1].get_xdata()]
[1, 2, 3]
"""
import math
import os

_VALIDATION = "val_"
_MAX_COLUMNS = 3
_TRAIN_STYLE = {"color": "tab:blue", "linestyle": "-", "marker": "o", "markersize": 4}
_VALIDATION_STYLE = {"color": "tab:orange", "linestyle": "--", "marker": "s", "markersize": 4}


def plot_history(history, metrics=None, to_file=None, figsize=None, dpi=100, title=None):
    """Draws the curves of a fit's History.

    Args:
        history: a ``History`` (``model.fit(...)``'s result) or its ``.history`` dict
            of log key to one value per epoch.
        metrics: the metric names to draw (str or list; without ``val_``), in order.
            Default: every non-``val_`` key, "loss" first.
        to_file: a path to write the figure to (PNG unless its extension says otherwise).
        figsize: (width, height) in inches; default 4.5 x 3.5 per subplot.
        dpi: resolution of the written file.
        title: a title over the whole figure.

    Returns:
        The ``matplotlib.figure.Figure``.
    """
    logs, epochs = _logs_and_epochs(history)
    names = _metric_names(logs, metrics)
    figure = _figure(len(names), figsize)
    for axes, name in zip(figure.axes, names):
        _draw(axes, name, epochs, logs)
    if title is not None:
        figure.suptitle(title)
    if to_file is not None:
        _save(figure, to_file, dpi)
    return figure


def _logs_and_epochs(history):
    """(dict of key -> list of values, 1-based epoch numbers)."""
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError("plot_history expects a History or its `.history` dict. "
                        f"Received: history={history!r}")
    logs = {key: list(values) for key, values in logs.items()}
    if not logs or not any(logs.values()):
        raise ValueError("plot_history received a history with no epochs: did fit run? "
                         f"Received: history={logs!r}")
    lengths = {len(values) for values in logs.values()}
    if len(lengths) != 1:
        raise ValueError("Every key of the history must hold one value per epoch; the lengths "
                         f"differ: { {key: len(values) for key, values in logs.items()} }")
    count = lengths.pop()
    # A History remembers which epochs ran (initial_epoch shifts them); a dict does not.
    recorded = list(getattr(history, "epoch", []) or [])
    epochs = [e + 1 for e in recorded] if len(recorded) == count else list(range(1, count + 1))
    return logs, epochs


def _metric_names(logs, metrics):
    available = [key for key in logs if not key.startswith(_VALIDATION)]
    if metrics is None:
        # "loss" first, as fit logs it; then the rest in log order.
        return sorted(available, key=lambda key: key != "loss")
    if isinstance(metrics, str):
        metrics = [metrics]
    names = list(metrics)
    unknown = [name for name in names if name not in available]
    if unknown or not names:
        raise ValueError(f"plot_history `metrics` must name training keys of the history "
                         f"(their val_ curves come with them): {available}. "
                         f"Received: metrics={metrics!r}")
    return names


def _figure(count, figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    columns = min(count, _MAX_COLUMNS)
    rows = math.ceil(count / columns)
    figure = Figure(figsize=figsize or (4.5 * columns, 3.5 * rows), layout="constrained")
    FigureCanvasAgg(figure)  # attaches itself: savefig and draw need no pyplot or display
    for index in range(count):
        figure.add_subplot(rows, columns, index + 1)
    return figure


def _draw(axes, name, epochs, logs):
    axes.plot(epochs, logs[name], label="training", **_TRAIN_STYLE)
    validation = _VALIDATION + name
    if validation in logs:
        axes.plot(epochs, logs[validation], label="validation", **_VALIDATION_STYLE)
    axes.set_title(name)
    axes.set_xlabel("Epoch")
    axes.set_ylabel(name)
    # Whole epochs only: no 1.5 tick on a short run.
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.grid(True, alpha=0.3)
    axes.legend()


def _save(figure, to_file, dpi):
    path = os.fspath(to_file)
    extension = os.path.splitext(path)[1][1:].lower()
    supported = figure.canvas.get_supported_filetypes()
    if extension and extension not in supported:
        raise ValueError(f"plot_history cannot write {extension!r} files; use one of "
                         f"{sorted(supported)}. Received: to_file={to_file!r}")
    figure.savefig(path, dpi=dpi, format=extension or "png")


__all__ = ["plot_history"]
