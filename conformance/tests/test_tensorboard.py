"""The TensorBoard callback's event files (TENSORBOARD).

Seed 000 "### 使用 TensorBoard callback": ``keras.callbacks.TensorBoard(log_dir=..., histogram_freq=0,
embeddings_freq=0, update_freq="epoch")``. Every expected tag, step and value was measured on
tf_keras 2.21. The files are read back with tensorboard's own EventAccumulator, the reader
TensorBoard itself uses, so both backends are judged by the same reader; every value is
compared with what History recorded (stored as float32, as tf.summary.scalar stores it).
"""
import json
import os

import numpy as np
import pytest

from conformance import clause

X = np.arange(24, dtype="float32").reshape(8, 3) / 24
Y = np.ones((8, 1), dtype="float32")


def small_model(keras, optimizer=None, metrics=("mae",)):
    """Dense(2) -> Dense(1), kernels of ones, SGD(0.1) unless told, mse."""
    model = keras.Sequential([keras.Input((3,)),
                              keras.layers.Dense(2, kernel_initializer="ones", name="d"),
                              keras.layers.Dense(1, kernel_initializer="ones", name="o")])
    model.compile(optimizer or keras.optimizers.SGD(0.01), "mse", metrics=list(metrics))
    return model


def batch_hook_user(keras):
    """A callback overriding on_train_batch_end, so that train-batch hooks run."""
    class Hooked(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass
    return Hooked()


def read(folder):
    """{tag: [(step, ndarray), ...]} and {tag: SummaryMetadata} of one run folder."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util import tensor_util
    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    accumulator.Reload()
    tags = accumulator.Tags()["tensors"]
    values = {tag: [(event.step, tensor_util.make_ndarray(event.tensor_proto))
                    for event in accumulator.Tensors(tag)] for tag in tags}
    return values, {tag: accumulator.SummaryMetadata(tag) for tag in tags}


def steps(values, tag):
    return [step for step, _ in values[tag]]


def floats(values, tag):
    return [float(value) for _, value in values[tag]]


def as_float32(history_values):
    return [float(np.float32(value)) for value in history_values]


@pytest.fixture(autouse=True)
def _needs_tensorboard():
    pytest.importorskip("tensorboard")


@clause("TENSORBOARD")
def test_epoch_scalars_go_to_train_and_validation_at_the_epoch_step(backend, tmp_path):
    keras = backend.keras
    model = small_model(keras)
    history = model.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0,
                        validation_data=(X, Y), callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, _ = read(tmp_path / "train")
    val, _ = read(tmp_path / "validation")
    assert sorted(train) == ["epoch_loss", "epoch_mae", "keras"]
    assert sorted(val) == ["epoch_loss", "epoch_mae", "evaluation_loss_vs_iterations",
                           "evaluation_mae_vs_iterations"]
    for key in ("loss", "mae"):
        assert steps(train, "epoch_" + key) == [0, 1]
        assert floats(train, "epoch_" + key) == as_float32(history.history[key])
        assert steps(val, "epoch_" + key) == [0, 1]
        assert floats(val, "epoch_" + key) == as_float32(history.history["val_" + key])
        # the evaluation at each epoch end, at the optimizer's iteration count (2 batches/epoch)
        assert steps(val, f"evaluation_{key}_vs_iterations") == [2, 4]
        assert floats(val, f"evaluation_{key}_vs_iterations") == as_float32(
            history.history["val_" + key])


@clause("TENSORBOARD")
def test_without_validation_only_train_is_written(backend, tmp_path):
    keras = backend.keras
    small_model(keras).fit(X, Y, epochs=1, verbose=0,
                           callbacks=[keras.callbacks.TensorBoard(tmp_path, write_graph=False)])
    assert os.listdir(tmp_path) == ["train"]
    train, _ = read(tmp_path / "train")
    assert sorted(train) == ["epoch_loss", "epoch_mae"]


@clause("TENSORBOARD")
def test_the_keras_tag_holds_the_model_json_for_the_graph_plugin(backend, tmp_path):
    keras = backend.keras
    model = small_model(keras)
    model.fit(X, Y, epochs=1, verbose=0, callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    train, metadata = read(tmp_path / "train")
    assert steps(train, "keras") == [0]
    assert metadata["keras"].plugin_data.plugin_name == "graph_keras_model"
    assert metadata["keras"].plugin_data.content == b"1"
    written = json.loads(train["keras"][0][1].item())
    assert written == json.loads(model.to_json())
    assert written["class_name"] == "Sequential"
    assert [layer["config"]["name"] for layer in written["config"]["layers"][1:]] == ["d", "o"]


@clause("TENSORBOARD")
def test_a_subclassed_model_gets_no_keras_tag(backend, tmp_path):
    keras = backend.keras

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    model = Sub()
    model.compile(keras.optimizers.SGD(0.01), "mse")
    model.fit(X, Y, epochs=1, verbose=0, callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    train, _ = read(tmp_path / "train")
    assert sorted(train) == ["epoch_loss"]


@clause("TENSORBOARD")
def test_histograms_every_histogram_freq_epochs(backend, tmp_path):
    from tensorboard.plugins.histogram.summary_v2 import histogram_pb
    from tensorboard.util import tensor_util
    keras = backend.keras
    model = small_model(keras)
    model.fit(X, Y, epochs=3, verbose=0, callbacks=[
        keras.callbacks.TensorBoard(tmp_path, histogram_freq=2, write_graph=False)])
    train, metadata = read(tmp_path / "train")
    names = ["d/kernel_0/histogram", "d/bias_0/histogram", "o/kernel_0/histogram",
             "o/bias_0/histogram"]
    assert sorted(train) == sorted(["epoch_loss", "epoch_mae", *names])
    for name in names:
        assert steps(train, name) == [0, 2]
        assert metadata[name].plugin_data.plugin_name == "histograms"
        assert train[name][-1][1].shape == (30, 3)     # left edge, right edge, count
    # the last one holds the final weights, bucketed as tensorboard buckets them
    kernel = backend.to_numpy(model.layers[0].kernel)
    expected = tensor_util.make_ndarray(histogram_pb("t", kernel).value[0].tensor)
    np.testing.assert_allclose(train["d/kernel_0/histogram"][-1][1], expected, rtol=1e-6)
    assert train["d/kernel_0/histogram"][-1][1][:, 2].sum() == 6


@clause("TENSORBOARD")
def test_batch_scalars_only_when_train_batch_hooks_run(backend, tmp_path):
    keras = backend.keras
    small_model(keras).fit(X, Y, batch_size=4, epochs=2, verbose=0, callbacks=[
        keras.callbacks.TensorBoard(tmp_path / "alone", update_freq=1, write_graph=False)])
    alone, _ = read(tmp_path / "alone" / "train")
    assert sorted(alone) == ["epoch_loss", "epoch_mae"]

    history = small_model(keras).fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0,
                                     callbacks=[batch_hook_user(keras), keras.callbacks.TensorBoard(
                                         tmp_path / "hooked", update_freq="batch",
                                         write_graph=False)])
    hooked, _ = read(tmp_path / "hooked" / "train")
    assert sorted(hooked) == ["batch_loss", "batch_mae", "epoch_loss", "epoch_mae"]
    assert steps(hooked, "batch_loss") == [1, 2, 3, 4]      # iterations after the update
    # the running average: the last batch of an epoch equals the epoch's value
    assert floats(hooked, "batch_loss")[1::2] == as_float32(history.history["loss"])

    small_model(keras).fit(X, Y, batch_size=4, epochs=2, verbose=0, callbacks=[
        batch_hook_user(keras),
        keras.callbacks.TensorBoard(tmp_path / "every3", update_freq=3, write_graph=False)])
    every3, _ = read(tmp_path / "every3" / "train")
    assert steps(every3, "batch_loss") == [3]


@clause("TENSORBOARD")
def test_write_steps_per_second_runs_batch_hooks_and_adds_rates(backend, tmp_path):
    keras = backend.keras
    small_model(keras).fit(X, Y, batch_size=4, epochs=2, verbose=0, callbacks=[
        keras.callbacks.TensorBoard(tmp_path, write_steps_per_second=True, update_freq=1,
                                    write_graph=False)])
    train, _ = read(tmp_path / "train")
    assert sorted(train) == ["batch_loss", "batch_mae", "batch_steps_per_second", "epoch_loss",
                             "epoch_mae", "epoch_steps_per_second"]
    assert steps(train, "batch_steps_per_second") == [1, 2, 3, 4]
    assert steps(train, "epoch_steps_per_second") == [0, 1]
    assert all(rate > 0 for rate in floats(train, "epoch_steps_per_second"))


@clause("TENSORBOARD")
def test_a_learning_rate_schedule_adds_epoch_learning_rate(backend, tmp_path):
    keras = backend.keras
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    small_model(keras, keras.optimizers.SGD(schedule)).fit(
        X, Y, batch_size=4, epochs=2, verbose=0,
        callbacks=[keras.callbacks.TensorBoard(tmp_path, write_graph=False)])
    train, _ = read(tmp_path / "train")
    assert steps(train, "epoch_learning_rate") == [0, 1]
    # the schedule at the end-of-epoch iteration count: 0.1 * 0.5**2, 0.1 * 0.5**4
    assert floats(train, "epoch_learning_rate") == as_float32([0.025, 0.00625])


@clause("TENSORBOARD")
def test_evaluate_writes_only_evaluation_scalars(backend, tmp_path):
    keras = backend.keras
    model = small_model(keras)
    results = model.evaluate(X, Y, verbose=0, callbacks=[
        keras.callbacks.TensorBoard(tmp_path, write_graph=False)])
    assert os.listdir(tmp_path) == ["validation"]
    val, _ = read(tmp_path / "validation")
    assert sorted(val) == ["evaluation_loss_vs_iterations", "evaluation_mae_vs_iterations"]
    assert steps(val, "evaluation_loss_vs_iterations") == [0]    # nothing trained yet
    assert floats(val, "evaluation_loss_vs_iterations") == as_float32([results[0]])

    # write_graph (the default) still writes the model config to train/
    model.evaluate(X, Y, verbose=0, callbacks=[keras.callbacks.TensorBoard(tmp_path / "g")])
    train, _ = read(tmp_path / "g" / "train")
    assert sorted(train) == ["keras"]


@clause("TENSORBOARD")
def test_each_fit_opens_new_event_files(backend, tmp_path):
    keras = backend.keras
    model = small_model(keras)
    board = keras.callbacks.TensorBoard(tmp_path)
    model.fit(X, Y, epochs=1, verbose=0, callbacks=[board])
    model.fit(X, Y, epochs=3, initial_epoch=1, verbose=0, callbacks=[board])
    assert len(os.listdir(tmp_path / "train")) == 2
    assert all(name.startswith("events.out.tfevents.")
               for name in os.listdir(tmp_path / "train"))
    train, _ = read(tmp_path / "train")
    assert steps(train, "epoch_loss") == [0, 1, 2]
    assert steps(train, "keras") == [0, 0]


@clause("TENSORBOARD")
def test_unknown_keywords_and_bad_profile_batch_raise(backend, tmp_path):
    keras = backend.keras
    with pytest.raises(ValueError, match="Unrecognized arguments in `TensorBoard` Callback"):
        keras.callbacks.TensorBoard(tmp_path, foo=1)
    with pytest.raises(ValueError, match="profile_batch must be a non-negative integer"):
        keras.callbacks.TensorBoard(tmp_path, profile_batch=-1)
    board = keras.callbacks.TensorBoard(tmp_path)
    assert (board.histogram_freq, board.write_graph, board.update_freq) == (0, True, "epoch")
    assert keras.callbacks.TensorBoard(tmp_path, update_freq="batch").update_freq == 1


def conv_model(keras):
    """Conv kernels of each drawable kind, a 5-filter one (not drawn), Dense, a size-1 bias."""
    model = keras.Sequential([keras.Input((6, 6, 1)),
                              keras.layers.Conv2D(4, 3, name="c"),     # one image per filter
                              keras.layers.Conv2D(3, 2, name="c3"),    # 4-D, 3 filters: RGB
                              keras.layers.Conv2D(5, 2, name="c5"),    # 4-D, 5 filters: none
                              keras.layers.Flatten(),
                              keras.layers.Dense(5, name="d"),         # (20, 5): transposed
                              keras.layers.Dense(1, name="o")])        # (5, 1) -> column
    model.compile(keras.optimizers.SGD(0.01), "mse")
    return model


def decoded(values, tag):
    """{step: (header, [uint8 arrays as decoded], [PIL modes])} of one image tag."""
    import io

    from PIL import Image
    result = {}
    for step, tensor in values[tag]:
        pictures = [Image.open(io.BytesIO(png)) for png in tensor[2:]]
        result[step] = (list(tensor[:2]), [np.array(p) for p in pictures],
                        [p.mode for p in pictures])
    return result


def expected_pixels(weight):
    """tf.summary.image of a float image: uint8(clip(w * 255.5, 0, 255))."""
    return np.clip(np.asarray(weight, dtype="float32") * 255.5, 0, 255).astype(np.uint8)


@clause("TENSORBOARD")
def test_write_images_draws_each_weight_after_its_histogram(backend, tmp_path):
    keras = backend.keras
    model = conv_model(keras)
    x = np.arange(8 * 36, dtype="float32").reshape(8, 6, 6, 1) / 288
    model.fit(x, np.ones((8, 1), "float32"), epochs=2, verbose=0, callbacks=[
        keras.callbacks.TensorBoard(tmp_path, histogram_freq=1, write_graph=False,
                                    write_images=True)])
    train, metadata = read(tmp_path / "train")
    images = sorted(tag for tag in train if tag.endswith("/image"))
    # c5/kernel (2, 2, 4, 5) and o/bias (1,) -> a scalar are not drawn
    assert images == ["c/bias_0/image", "c/kernel_0/image", "c3/bias_0/image",
                      "c3/kernel_0/image", "c5/bias_0/image", "d/bias_0/image",
                      "d/kernel_0/image", "o/kernel_0/image"]
    for tag in images:
        assert steps(train, tag) == [0, 1]
        assert metadata[tag].plugin_data.plugin_name == "images"
    weights = {w.name.replace(":", "_"): backend.to_numpy(w)
               for layer in model.layers for w in layer.weights}
    last = {tag: decoded(train, tag)[1] for tag in images}
    # [width, height] then the PNGs: (header, pixels of each image, modes)
    kernel = weights["c/kernel_0"][:, :, 0, :]                 # (3, 3, 4): 4 filters, 3 kept
    assert last["c/kernel_0/image"][0] == [b"3", b"3"]
    assert last["c/kernel_0/image"][2] == ["L"] * 3
    for index, pixels in enumerate(last["c/kernel_0/image"][1]):
        np.testing.assert_array_equal(pixels, expected_pixels(kernel[:, :, index]))
    rgb = weights["c3/kernel_0"]                              # (2, 2, 4, 3): 2 images (2, 4, 3)
    assert last["c3/kernel_0/image"][0] == [b"4", b"2"]
    assert last["c3/kernel_0/image"][2] == ["RGB"] * 2
    for index, pixels in enumerate(last["c3/kernel_0/image"][1]):
        np.testing.assert_array_equal(pixels, expected_pixels(rgb[index]))
    assert last["d/kernel_0/image"][0] == [b"20", b"5"]        # (20, 5) transposed
    np.testing.assert_array_equal(last["d/kernel_0/image"][1][0],
                                  expected_pixels(weights["d/kernel_0"].T))
    for tag, name in (("d/bias_0/image", "d/bias_0"), ("o/kernel_0/image", "o/kernel_0"),
                      ("c/bias_0/image", "c/bias_0")):         # one [n, 1] column
        size = weights[name].size
        assert last[tag][0] == [b"1", str(size).encode()]
        assert last[tag][2] == ["L"]
        np.testing.assert_array_equal(last[tag][1][0],
                                      expected_pixels(weights[name].reshape(size, 1)))


@clause("TENSORBOARD")
def test_write_images_without_histograms_writes_no_image(backend, tmp_path):
    keras = backend.keras
    small_model(keras).fit(X, Y, epochs=1, verbose=0, callbacks=[
        keras.callbacks.TensorBoard(tmp_path, write_graph=False, write_images=True)])
    train, _ = read(tmp_path / "train")
    assert sorted(train) == ["epoch_loss", "epoch_mae"]
