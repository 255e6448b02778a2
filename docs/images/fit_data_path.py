"""Draw docs/images/fit_data_path.png: the data path of ``model.fit(x, y)``.

No spec clauses. Owned by docs/architecture.md ("The data path of fit(x, y)"), which
embeds the picture; run ``python docs/images/fit_data_path.py`` after a module moves.

Rule. The picture is a grid of boxes, one per stage of ``fit``, each naming the module
that does the work, joined by arrows that carry what flows between them::

    row 1: fit -> train_validation_split -> EpochIterator -> the train step
    col 4: the step runs Model/Layers -> ops -> kernels        (the forward pass)
    col 3: ops record on the tape; the loss; tape.gradient     (the backward pass)
    row 5: optimizer.apply_gradients -> Variables -> back to the layers
    cols 1-2: loss and metrics -> logs -> callbacks; validation -> val_ logs -> History

Positions are grid cells, never pixel guesses, so boxes cannot overlap; the figure is
14.3 x 9 inches at 100 dpi (1430 x 900 px), readable at 100% zoom.
"""
import os

from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

WIDTH, HEIGHT = 2.9, 1.25          # one box, in inches
COLUMNS = (1.7, 5.2, 8.7, 12.2)    # box centres, x
ROWS = (8.05, 6.25, 4.45, 2.65, 0.85)  # box centres, y
COLOURS = {                         # fill per kind of work
    "data": "#dbe9f6",
    "forward": "#dff2df",
    "backward": "#fde9d2",
    "update": "#eadff3",
    "logs": "#eeeeee",
    "note": "#ffffff",
}

# (key, column, row, kind, title, body lines)
BOXES = (
    ("fit", 0, 0, "data", "model.fit(x, y, ...)",
     ["batch_size=32, epochs=2,", "validation_split=0.2",
      "trainers/trainer.py  Trainer.fit"]),
    ("split", 1, 0, "data", "validation_split=0.2",
     ["data_adapter_utils.py", "train_validation_split:", "the unshuffled last 20%"]),
    ("batches", 2, 0, "data", "batches of 32, shuffled",
     ["trainers/epoch_iterator.py", "EpochIterator -> data_adapters/",
      "ArrayDataAdapter (shuffle=True)"]),
    ("step", 3, 0, "data", "the train step, per batch",
     ["Trainer._step_function('train'):", "TracedFunction (compiler/)",
      "| run_eagerly=True: train_step"]),
    ("model", 3, 1, "forward", "Model / Layers",
     ["train_step: self(x, training=True)", "layers/layer.py  Layer.__call__",
      "models/functional.py  Functional.call"]),
    ("ops", 3, 2, "forward", "ops",
     ["ops/*.py: convert, kernel, record", "record(op, inputs, outputs, attrs)",
      "e.g. ops/fused_ops.py fused_matmul"]),
    ("kernels", 3, 3, "forward", "kernels",
     ["kernels/__init__.py picks, at import:", "fast_ops.py (numba)  |  reference.py",
      "REFKERAS_KERNELS=reference: numpy"]),
    ("loss", 2, 1, "backward", "compiled_loss",
     ["trainers/compile_utils.py", "LossesContainer.__call__", "losses/loss.py: weigh, reduce"]),
    ("tape", 2, 2, "backward", "GradientTape records",
     ["autodiff/gradient_tape.py", "autodiff/record.py: every op of the",
      "forward pass and the loss, in order"]),
    ("backprop", 2, 3, "backward", "tape.gradient(loss, weights)",
     ["autodiff/backprop.py  backward:", "records reversed, each rule from",
      "autodiff/gradient_registry.py"]),
    ("optimizer", 2, 4, "update", "optimizer.apply_gradients",
     ["optimizers/optimizer.py, minimize()", "packed_update.py; the arithmetic:",
      "kernels.adam_update, sgd_update, ..."]),
    ("variables", 3, 4, "update", "Variables",
     ["framework/variable.py", "rebound to the new arrays;", "iterations += 1"]),
    ("metrics", 1, 1, "logs", "loss tracker + compiled_metrics",
     ["Mean('loss'): running mean,", "weighted by batch size;",
      "MetricsContainer.update_state", "-> get_metrics_result()"]),
    ("validation", 0, 1, "data", "validation, after each epoch",
     ["Trainer._evaluate_iterator:", "reset_metrics; test_step per batch",
      "(no tape, no optimizer)"]),
    ("callbacks", 0, 2, "logs", "CallbackList",
     ["callbacks/callback_list.py", "user callbacks, History, ProgbarLogger",
      "on_train_batch_end / on_epoch_end"]),
    ("history", 0, 3, "logs", "History",
     ["callbacks/history.py", "history['loss'], ['accuracy'],", "['val_loss'], ['val_accuracy']"]),
    ("returned", 0, 4, "logs", "fit returns model.history",
     ["one value per epoch per key", "(2 epochs: lists of 2)"]),
    ("logs", 1, 2, "logs", "logs of the batch",
     ["{'loss': 0.41, 'accuracy': 0.87}", "trainer.py  _python_logs:", "Python floats"]),
    ("note", 1, 3, "note", "compiled or eager",
     ["batches 1-2 of a signature: traced", "eagerly (compiler/tracer.py); later:",
      "plan.run, same kernels, no tape"]),
)

# (from, side, to, side, label, style): sides are n/s/e/w of the boxes
ARROWS = (
    ("fit", "e", "split", "w", "x, y", "-"),
    ("split", "e", "batches", "w", "80%", "-"),
    ("batches", "e", "step", "w", "batch", "-"),
    ("step", "s", "model", "n", "x", "-"),
    ("model", "s", "ops", "n", "call()", "-"),
    ("ops", "s", "kernels", "n", "kernels.<name>(...)", "-"),
    ("model", "w", "loss", "e", "y_pred", "-"),
    ("ops", "w", "tape", "e", "record", "-"),
    ("loss", "s", "tape", "n", "loss ops recorded too", "-"),
    ("tape", "s", "backprop", "n", "target: loss", "-"),
    ("backprop", "s", "optimizer", "n", "gradients", "-"),
    ("optimizer", "e", "variables", "w", "arrays", "-"),
    ("loss", "w", "metrics", "e", "loss", "-"),
    ("metrics", "s", "logs", "n", "results", "-"),
    ("logs", "w", "callbacks", "e", "logs", "-"),
    ("split", "s", "validation", "n", "the last 20%", "-"),
    ("validation", "s", "callbacks", "n", "val_* logs", "-"),
    ("callbacks", "s", "history", "n", "on_epoch_end", "-"),
    ("history", "s", "returned", "n", "", "-"),
)


def corner(key, side):
    """The middle of one side of a box, in inches."""
    _, column, row = next(b[:3] for b in BOXES if b[0] == key)
    x, y = COLUMNS[column], ROWS[row]
    offsets = {"n": (0, HEIGHT / 2), "s": (0, -HEIGHT / 2),
               "e": (WIDTH / 2, 0), "w": (-WIDTH / 2, 0)}
    dx, dy = offsets[side]
    return x + dx, y + dy


def draw_box(ax, column, row, kind, title, lines):
    x, y = COLUMNS[column], ROWS[row]
    style = "--" if kind == "note" else "-"
    ax.add_patch(FancyBboxPatch((x - WIDTH / 2, y - HEIGHT / 2), WIDTH, HEIGHT,
                                boxstyle="round,pad=0,rounding_size=0.08",
                                facecolor=COLOURS[kind], edgecolor="#444444",
                                linestyle=style, linewidth=1.2))
    ax.text(x, y + HEIGHT / 2 - 0.2, title, ha="center", va="center",
            fontsize=10.5, fontweight="bold")
    ax.text(x, y - 0.13, "\n".join(lines), ha="center", va="center", fontsize=8.8,
            family="DejaVu Sans Mono", linespacing=1.35)


def draw_arrow(ax, start, end, label, dashed=False):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14,
                                 linewidth=1.4, color="#333333",
                                 linestyle="--" if dashed else "-"))
    if not label:
        return
    (x0, y0), (x1, y1) = start, end
    if x0 == x1:    # vertical: the label beside the arrow
        ax.text(x0 + 0.08, (y0 + y1) / 2, label, ha="left", va="center", fontsize=8.5,
                style="italic")
    elif y0 == y1:  # horizontal: the label above it, in the gap between the boxes
        ax.text((x0 + x1) / 2, y0 + 0.1, label, ha="center", va="bottom", fontsize=8.5,
                style="italic")
    else:           # diagonal: the label under its middle
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 - 0.1, label, ha="center", va="top",
                fontsize=8.5, style="italic")


def draw_variables_loop(ax):
    """Variables feed the next batch's layers: a dashed path round the right edge."""
    (x0, y0), (x1, y1) = corner("variables", "e"), corner("model", "e")
    edge = x0 + 0.3
    ax.plot([x0, edge, edge], [y0, y0, y1], color="#333333", linestyle="--", linewidth=1.4)
    draw_arrow(ax, (edge, y1), (x1, y1), "", dashed=True)
    ax.text(edge + 0.06, (y0 + y1) / 2, "read by the next batch", rotation=90,
            ha="left", va="center", fontsize=8.5, style="italic")


def main():
    fig = Figure(figsize=(14.3, 9), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 14.3)
    ax.set_ylim(0, 9)
    ax.axis("off")
    for _, column, row, kind, title, lines in BOXES:
        draw_box(ax, column, row, kind, title, lines)
    for source, side, target, target_side, label, _ in ARROWS:
        draw_arrow(ax, corner(source, side), corner(target, target_side), label)
    draw_variables_loop(ax)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fit_data_path.png")
    fig.savefig(out, dpi=100, facecolor="white")
    print(out)


if __name__ == "__main__":
    main()
