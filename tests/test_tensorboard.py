"""refkeras.summary (tf.summary) and what the TensorBoard callback rejects (TENSORBOARD).

The conformance tests (conformance/tests/test_tensorboard.py) pin the callback's tags, steps
and values against tf_keras; these cover refkeras's own writer module and its errors. Files
are read back with tensorboard's EventAccumulator.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("tensorboard")

import refkeras as keras
from refkeras import summary
from refkeras.compat import tf


def read(folder):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util import tensor_util
    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    accumulator.Reload()
    return {tag: [(event.step, tensor_util.make_ndarray(event.tensor_proto))
                  for event in accumulator.Tensors(tag)]
            for tag in accumulator.Tags()["tensors"]}, accumulator


def test_a_writer_opens_one_tensorflow_named_event_file(tmp_path):
    writer = summary.create_file_writer(tmp_path / "run")
    writer.close()
    (name,) = os.listdir(tmp_path / "run")
    assert name.startswith("events.out.tfevents.") and name.endswith(".v2")
    _, accumulator = read(tmp_path / "run")
    assert accumulator.file_version == 2.0     # the brain.Event:2 record comes first


def test_scalar_histogram_and_text_are_read_back(tmp_path):
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default():
        assert summary.scalar("loss", np.float32(0.5), step=3)
        assert summary.histogram("w", np.array([0.0, 1.0, 1.0, 2.0]), step=3, buckets=4)
        assert summary.text("note", "hello", step=4)
    writer.close()
    values, accumulator = read(tmp_path)
    assert values["loss"][0][0] == 3 and float(values["loss"][0][1]) == 0.5
    assert values["w"][0][1].shape == (4, 3) and values["w"][0][1][:, 2].sum() == 4
    assert values["note"][0][1].item() == b"hello"
    assert accumulator.SummaryMetadata("w").plugin_data.plugin_name == "histograms"
    assert accumulator.SummaryMetadata("note").plugin_data.plugin_name == "text"


def test_as_default_supplies_the_step_and_ends_with_the_block(tmp_path):
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default(step=7):
        summary.scalar("a", 1.0)
        summary.scalar("a", 2.0, step=8)
    assert summary.scalar("a", 3.0, step=9) is False     # no default writer any more
    writer.close()
    values, _ = read(tmp_path)
    assert [step for step, _ in values["a"]] == [7, 8]


def test_set_as_default_and_the_tf_summary_namespace(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    writer.set_as_default(step=1)
    try:
        assert tf.summary.scalar("x", keras.ops.convert_to_tensor(2.0))
    finally:
        summary._default.clear()
        writer.close()
    values, _ = read(tmp_path)
    assert float(values["x"][0][1]) == 2.0


def test_a_missing_step_and_a_closed_writer_raise(tmp_path):
    writer = summary.create_file_writer(tmp_path)
    with pytest.raises(ValueError, match="step"):
        writer.scalar("a", 1.0)
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.scalar("a", 1.0, step=0)


def test_the_keras_tag_is_the_refkeras_model_json(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    values, _ = read(tmp_path / "train")
    assert json.loads(values["keras"][0][1].item())["backend"] == "refkeras"


@pytest.mark.parametrize("kwargs, argument", [
    ({"embeddings_freq": 1}, "embeddings_freq"),
    ({"profile_batch": 2}, "profile_batch"),
    ({"profile_batch": (1, 3)}, "profile_batch"),
    ({"histogram_freq": -1}, "histogram_freq"),
    ({"histogram_freq": 1.5}, "histogram_freq"),
    ({"update_freq": 0}, "update_freq"),
    ({"update_freq": "step"}, "update_freq"),
])
def test_unsupported_or_impossible_arguments_raise_naming_the_argument(tmp_path, kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        keras.callbacks.TensorBoard(tmp_path, **kwargs)


def test_embeddings_are_rejected_because_the_projector_needs_a_tensorflow_checkpoint(tmp_path):
    with pytest.raises(ValueError, match="embeddings_freq: .*TensorFlow checkpoint"):
        keras.callbacks.TensorBoard(tmp_path, embeddings_freq=1)


@pytest.mark.parametrize("shape, images", [
    ((4,), (1, 4, 1, 1)),           # a bias: one column
    ((5, 1), (1, 5, 1, 1)),         # squeezed to a bias
    ((20, 5), (1, 5, 20, 1)),       # more rows than columns: transposed
    ((3, 7), (1, 3, 7, 1)),
    ((3, 3, 1, 4), (4, 3, 3, 1)),   # one image per filter
    ((2, 2, 4, 3), (2, 2, 4, 3)),   # 4-D with 3 filters: drawn as RGB
    ((2, 2, 3, 4), (2, 2, 3, 4)),   # 4-D with 4 filters: RGBA
    ((2, 2, 4, 5), None),           # 4-D otherwise: not drawn
    ((1,), None),                   # squeezed to a scalar: not drawn
    ((3, 3, 3, 2, 2), None),        # Conv3D: not drawn
])
def test_weight_as_images_shapes(shape, images):
    from refkeras.callbacks.tensorboard import weight_as_images
    result = weight_as_images(np.arange(np.prod(shape), dtype="float32").reshape(shape))
    assert (None if result is None else result.shape) == images


def test_weight_as_images_keeps_each_filter():
    from refkeras.callbacks.tensorboard import weight_as_images
    kernel = np.arange(36, dtype="float32").reshape(3, 3, 1, 4)
    np.testing.assert_array_equal(weight_as_images(kernel)[2, :, :, 0], kernel[:, :, 0, 2])


def test_legacy_keywords_are_accepted(tmp_path):
    keras.callbacks.TensorBoard(tmp_path, write_grads=True, batch_size=32)


def test_writing_does_not_import_tensorflow(tmp_path):
    code = (
        "import sys, numpy as np, refkeras as keras\n"
        "m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"
        "m.compile('sgd', 'mse')\n"
        f"m.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, validation_split=0.5,\n"
        f"      callbacks=[keras.callbacks.TensorBoard({str(tmp_path)!r}, histogram_freq=1,\n"
        "      write_images=True)])\n"
        "print('tensorflow' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
