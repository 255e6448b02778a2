"""refkeras.utils.plot_history drawn from each backend's History (PLOT.HISTORY).

Keras has no history-plotting function (its guides plot ``history.history`` by hand),
so these tests use refkeras's ``plot_history`` on the History that ``backend.keras``'s
fit returns: what they pin is that the curves are exactly that History (values, the
1-based epochs it ran, the val_ pairing), whichever backend trained.
"""
import numpy as np
import pytest

from conformance import clause

pytest.importorskip("matplotlib")
from refkeras.utils import plot_history

X = np.arange(16, dtype="float32").reshape(8, 2) / 16
Y = np.ones((8, 1), dtype="float32")


def fit(keras, **kwargs):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    return model.fit(X, Y, batch_size=4, shuffle=False, verbose=0, validation_data=(X, Y),
                     **kwargs)


def curves(axes):
    return {line.get_label(): (list(line.get_xdata()), list(line.get_ydata()))
            for line in axes.lines}


@clause("PLOT.HISTORY")
def test_the_curves_are_the_values_of_a_fits_history(backend, tmp_path):
    history = fit(backend.keras, epochs=3)
    figure = plot_history(history, to_file=tmp_path / "history.png")
    assert [axes.get_title() for axes in figure.axes] == ["loss", "mae"]
    for axes, name in zip(figure.axes, ["loss", "mae"]):
        assert curves(axes) == {
            "training": ([1, 2, 3], history.history[name]),
            "validation": ([1, 2, 3], history.history["val_" + name]),
        }
    assert (tmp_path / "history.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@clause("PLOT.HISTORY")
def test_epochs_start_after_initial_epoch(backend):
    history = fit(backend.keras, epochs=4, initial_epoch=2)
    assert history.epoch == [2, 3]
    figure = plot_history(history, metrics="loss")
    assert len(figure.axes) == 1
    assert curves(figure.axes[0])["training"] == ([3, 4], history.history["loss"])
