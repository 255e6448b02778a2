"""refkeras.summary.hparams: what the conformance tests (conformance/tests/test_hparams.py) leave.

Files are read back with tensorboard's EventAccumulator and the hparams plugin's
``metadata.parse_*``; the seed's tuning example runs with only its imports changed,
and TensorFlow is never imported.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("tensorboard")

import refkeras as keras
from refkeras import summary
from refkeras.summary import hparams as hp

SEED_004 = '''
import sys, numpy as np
from refkeras.compat import tf
from refkeras.summary import hparams as hp

HP_NUM_UNITS = hp.HParam('num_units', hp.Discrete([16, 32]))
HP_DROPOUT = hp.HParam('dropout', hp.RealInterval(0.1, 0.2))
HP_OPTIMIZER = hp.HParam('optimizer', hp.Discrete(['adam', 'sgd']))
METRIC_ACCURACY = 'accuracy'
with tf.summary.create_file_writer('logs/hparam_tuning').as_default():
  hp.hparams_config(hparams=[HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER],
                    metrics=[hp.Metric(METRIC_ACCURACY, display_name='Accuracy')])
x_train = x_test = np.random.RandomState(0).rand(8, 4, 4).astype('float32')
y_train = y_test = np.arange(8) % 10
logdir = None

def train_test_model(hparams):
  model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(hparams[HP_NUM_UNITS], activation=tf.nn.relu),
    tf.keras.layers.Dropout(hparams[HP_DROPOUT]),
    tf.keras.layers.Dense(10, activation=tf.nn.softmax),
  ])
  model.compile(
      optimizer=hparams[HP_OPTIMIZER],
      loss='sparse_categorical_crossentropy',
      metrics=['accuracy'],
  )
  model.fit(
      x_train, y_train, epochs=1, verbose=0,
      callbacks=[
          tf.keras.callbacks.TensorBoard(logdir),  # log metrics
          hp.KerasCallback(logdir, hparams),  # log hparams
      ],
  )
  _, accuracy = model.evaluate(x_test, y_test, verbose=0)
  return accuracy

def run(run_dir, hparams):
  global logdir
  logdir = run_dir
  with tf.summary.create_file_writer(run_dir).as_default():
    hp.hparams(hparams)
    accuracy = train_test_model(hparams)
    tf.summary.scalar(METRIC_ACCURACY, accuracy, step=1)

session_num = 0
for num_units in HP_NUM_UNITS.domain.values:
  for dropout_rate in (HP_DROPOUT.domain.min_value, HP_DROPOUT.domain.max_value):
    for optimizer in HP_OPTIMIZER.domain.values:
      hparams = {
          HP_NUM_UNITS: num_units,
          HP_DROPOUT: dropout_rate,
          HP_OPTIMIZER: optimizer,
      }
      run_name = "run-%d" % session_num
      print('--- Starting trial: %s' % run_name)
      print({h.name: hparams[h] for h in hparams})
      run('logs/hparam_tuning/' + run_name, hparams)
      session_num += 1
print('tensorflow' in sys.modules)
'''


def parsed(folder):
    """{tag: parsed plugin data} of the hparams summaries in one folder, and the accumulator."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.plugins.hparams import metadata
    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0},
                                   purge_orphaned_data=False)
    accumulator.Reload()
    parse = {metadata.EXPERIMENT_TAG: metadata.parse_experiment_plugin_data,
             metadata.SESSION_START_INFO_TAG: metadata.parse_session_start_info_plugin_data,
             metadata.SESSION_END_INFO_TAG: metadata.parse_session_end_info_plugin_data}
    return {tag: parse[tag](content) for tag, content in
            accumulator.PluginTagToContent("hparams").items()}, accumulator


def fit_with(callback):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.ones((2, 1)), np.ones((2, 1)), verbose=0, callbacks=[callback])


def test_the_seed_004_tuning_example_runs_with_only_its_imports_changed(tmp_path):
    result = subprocess.run([sys.executable, "-c", SEED_004], capture_output=True, text=True,
                            cwd=tmp_path, check=True)
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- Starting trial: run-0",
                         "{'num_units': 16, 'dropout': 0.1, 'optimizer': 'adam'}"]
    assert lines[-1] == "False"   # TensorFlow never imported
    root = tmp_path / "logs" / "hparam_tuning"
    experiment = parsed(root)[0]["_hparams_/experiment"]
    assert [info.name for info in experiment.hparam_infos] == ["num_units", "dropout", "optimizer"]
    for n in range(8):
        content, accumulator = parsed(root / f"run-{n}")
        assert sorted(content) == ["_hparams_/session_end_info", "_hparams_/session_start_info"]
        assert [event.step for event in accumulator.Tensors("accuracy")] == [1]
        assert min(os.listdir(root / f"run-{n}" / "train")).startswith("events.out")


def test_module_functions_write_only_with_a_default_writer(tmp_path):
    units = hp.HParam("units", hp.IntInterval(1, 8))
    assert hp.hparams({units: 3}) is False
    assert hp.hparams_config([units], [hp.Metric("loss")]) is False
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default():
        assert hp.hparams_config([units], [hp.Metric("loss")]) is True
        assert hp.hparams({units: np.int64(3)}, trial_id="trial-a") is True
    writer.close()
    content, _ = parsed(tmp_path)
    info = content["_hparams_/experiment"].hparam_infos[0]
    assert (info.domain_interval.min_value, info.domain_interval.max_value) == (1, 8)
    start = content["_hparams_/session_start_info"]
    assert start.group_name == "trial-a"
    assert start.hparams["units"].number_value == 3   # the numpy value stored as a number


def test_bad_hparams_fail_at_construction_not_in_fit(tmp_path):
    with pytest.raises(TypeError, match="trial_id"):
        hp.KerasCallback(str(tmp_path), {"a": 1}, trial_id=7)
    with pytest.raises(ValueError, match="multiple values specified for hparam 'a'"):
        hp.KerasCallback(str(tmp_path), {"a": 1, hp.HParam("a"): 2})
    with pytest.raises(TypeError, match="unsupported type"):
        hp.KerasCallback(str(tmp_path), {"a": [1, 2]})
    assert os.listdir(tmp_path) == []   # no writer opened for a bad callback


def test_a_given_writer_gets_the_session_and_stays_open(tmp_path):
    writer = summary.create_file_writer(tmp_path)
    fit_with(hp.KerasCallback(writer, {"flag": True, "name": "x"}))
    assert not writer.closed
    writer.close()
    content, _ = parsed(tmp_path)
    values = content["_hparams_/session_start_info"].hparams
    assert (values["flag"].bool_value, values["name"].string_value) == (True, "x")
    assert len(os.listdir(tmp_path)) == 1


def test_a_writer_made_from_a_logdir_is_closed_at_train_end(tmp_path):
    callback = hp.KerasCallback(tmp_path, {"a": 1.5})   # a Path works as a logdir too
    writer = callback._writer
    fit_with(callback)
    assert writer.closed
    assert parsed(tmp_path)[0]["_hparams_/session_start_info"].hparams["a"].number_value == 1.5


# -- refkeras.summary.image (item 3 of the hparams brief; no clause of its own)

def images_of(folder, tag):
    """[(step, width, height, [decoded uint8 arrays])] of one image tag, via EventAccumulator."""
    import io

    from PIL import Image
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util import tensor_util
    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    accumulator.Reload()
    assert accumulator.SummaryMetadata(tag).plugin_data.plugin_name == "images"
    out = []
    for event in accumulator.Tensors(tag):
        width, height, *pngs = tensor_util.make_ndarray(event.tensor_proto)
        out.append((event.step, int(width), int(height),
                    [np.asarray(Image.open(io.BytesIO(png))) for png in pngs]))
    return out


def test_image_writes_the_first_max_outputs_grey_images_scaled_as_tensorflow(tmp_path):
    data = np.linspace(0, 1, 30).reshape(5, 2, 3, 1).astype("float32")
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default():
        assert summary.image("Training data", data, step=0) is True
    writer.close()
    [(step, width, height, images)] = images_of(tmp_path, "Training data")
    assert (step, width, height, len(images)) == (0, 3, 2, 3)
    # Measured with tf.summary.image on the same batch (TF 2.21): 255.5 scale, truncated.
    assert images[0].ravel().tolist() == [0, 8, 17, 26, 35, 44]
    assert images[2].ravel().tolist() == [105, 114, 123, 132, 140, 149]
    assert images[0].shape == (2, 3)   # one channel stays one channel


def test_image_keeps_rgb_uint8_and_saturates_floats(tmp_path):
    rgb = (np.arange(12).reshape(1, 2, 2, 3) * 20).astype("uint8")
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default(step=3):
        summary.image("rgb", rgb)
        summary.image("f64", np.array([[[[1.2], [-0.5]]]]), step=1)
    writer.close()
    [(step, _, _, [image])] = images_of(tmp_path, "rgb")
    assert step == 3 and np.array_equal(image, rgb[0])
    [(_, width, height, [image])] = images_of(tmp_path, "f64")
    assert (width, height, image.ravel().tolist()) == (2, 1, [255, 0])


@pytest.mark.parametrize(("data", "message"), [
    (np.zeros((2, 3, 1)), "4-D"), (np.zeros((1, 2, 2, 2)), "c = 1, 3 or 4"),
    (np.zeros((1, 2, 2, 1), dtype="int32"), "dtype int32")])
def test_image_rejects_what_it_cannot_encode_naming_data(tmp_path, data, message):
    writer = summary.create_file_writer(tmp_path)
    with pytest.raises(ValueError, match=f"data: .*{message}"):
        writer.image("bad", data, step=0)
    assert summary.image("none", np.zeros((1, 1, 1, 1))) is False   # no default writer
