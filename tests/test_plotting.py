"""Unit tests of refkeras.utils.plot_history (PLOT.HISTORY).

conformance/tests/test_plot_history.py checks the curves against each backend's History;
these pin the drawing itself: subplots, line styles, labels, the metrics argument, the
file written and the errors.
"""
import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import refkeras as keras
from refkeras.utils import plot_history

LOGS = {"loss": [1.0, 0.6, 0.4], "accuracy": [0.5, 0.7, 0.8], "val_loss": [1.1, 0.8, 0.6],
        "val_accuracy": [0.4, 0.6, 0.7], "lr": [0.1, 0.1, 0.05]}
PNG = b"\x89PNG\r\n\x1a\n"


def test_plot_history_is_exported_from_refkeras_utils():
    assert keras.utils.plot_history is plot_history
    assert "plot_history" in keras.utils.__all__


def test_one_subplot_per_metric_loss_first_in_log_order():
    logs = {"accuracy": LOGS["accuracy"], "loss": LOGS["loss"], "val_loss": LOGS["val_loss"]}
    figure = plot_history(logs)
    assert isinstance(figure, Figure)
    assert [axes.get_title() for axes in figure.axes] == ["loss", "accuracy"]


def test_training_solid_validation_dashed_with_labels_and_legend():
    figure = plot_history(LOGS)
    loss = figure.axes[0]
    training, validation = loss.lines
    assert (training.get_label(), training.get_linestyle(), training.get_marker()) == \
        ("training", "-", "o")
    assert (validation.get_label(), validation.get_linestyle(), validation.get_marker()) == \
        ("validation", "--", "s")
    assert training.get_color() != validation.get_color()
    assert (loss.get_xlabel(), loss.get_ylabel()) == ("Epoch", "loss")
    assert [t.get_text() for t in loss.get_legend().get_texts()] == ["training", "validation"]
    assert list(training.get_xdata()) == [1, 2, 3]
    assert list(validation.get_ydata()) == LOGS["val_loss"]


def test_a_metric_without_val_values_has_only_its_training_curve():
    lr = plot_history(LOGS).axes[2]
    assert lr.get_title() == "lr"
    assert [line.get_label() for line in lr.lines] == ["training"]


def test_at_most_three_subplots_per_row():
    logs = {name: [1.0, 2.0] for name in ["loss", "a", "b", "c", "d"]}
    figure = plot_history(logs)
    assert len(figure.axes) == 5
    assert figure.axes[0].get_subplotspec().get_geometry()[:2] == (2, 3)


def test_metrics_chooses_and_orders_the_subplots():
    figure = plot_history(LOGS, metrics=["accuracy", "loss"])
    assert [axes.get_title() for axes in figure.axes] == ["accuracy", "loss"]
    assert [axes.get_title() for axes in plot_history(LOGS, metrics="lr").axes] == ["lr"]


@pytest.mark.parametrize("metrics", [["val_loss"], ["nope"], []])
def test_metrics_must_name_training_keys(metrics):
    with pytest.raises(ValueError, match=r"`metrics` must name training keys.*metrics="):
        plot_history(LOGS, metrics=metrics)


def test_a_history_object_gives_its_epochs_plus_one():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=5, initial_epoch=3, verbose=0)
    line = plot_history(history).axes[0].lines[0]
    assert list(line.get_xdata()) == [4, 5]
    assert list(line.get_ydata()) == history.history["loss"]


def test_to_file_writes_a_png(tmp_path):
    path = tmp_path / "curves.png"
    plot_history(LOGS, to_file=path, title="run 1")
    assert path.read_bytes()[:8] == PNG


def test_to_file_without_an_extension_writes_a_png_and_other_formats_follow_the_extension(
        tmp_path):
    plot_history(LOGS, to_file=tmp_path / "curves")
    assert (tmp_path / "curves").read_bytes()[:8] == PNG
    plot_history(LOGS, to_file=str(tmp_path / "curves.svg"))
    assert b"<svg" in (tmp_path / "curves.svg").read_bytes()[:500]


def test_an_unknown_extension_raises_before_writing(tmp_path):
    with pytest.raises(ValueError, match=r"cannot write 'xyz' files.*to_file="):
        plot_history(LOGS, to_file=tmp_path / "curves.xyz")
    assert not (tmp_path / "curves.xyz").exists()


def test_the_figure_needs_no_pyplot_and_leaves_no_open_figure():
    import matplotlib.pyplot as plt
    before = plt.get_fignums()
    plot_history(LOGS)
    assert plt.get_fignums() == before
    assert matplotlib.get_backend()  # whatever it is, no window was asked for


@pytest.mark.parametrize("history, error, match", [
    ({}, ValueError, "no epochs"),
    ({"loss": []}, ValueError, "no epochs"),
    ({"loss": [1.0, 2.0], "mae": [1.0]}, ValueError, "lengths differ"),
    ([1.0, 2.0], TypeError, "expects a History"),
])
def test_bad_histories_raise(history, error, match):
    with pytest.raises(error, match=match):
        plot_history(history)
