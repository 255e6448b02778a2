"""Hyperparameter tuning logs for TensorBoard's HParams dashboard (HPARAMS).

Seed 004 "# 超参数调优": a grid over ``HP_NUM_UNITS.domain.values``, the two ends of
``HP_DROPOUT``'s interval and ``HP_OPTIMIZER.domain.values``; each trial runs
``run('logs/hparam_tuning/' + run_name, hparams)``, fits with
``[TensorBoard(logdir), hp.KerasCallback(logdir, hparams)]`` and logs the evaluated
accuracy. ``hp`` is tensorboard's ``plugins.hparams.api`` on tf_keras (and keras3) and
``refkeras.summary.hparams`` on refkeras; ``tf.summary`` is the backend's. The files
are read back with tensorboard's EventAccumulator and the hparams plugin's
``metadata.parse_*`` functions, as the dashboard reads them.
"""
import hashlib
import importlib
import json
import os

import numpy as np
import pytest

from conformance import clause


@pytest.fixture(autouse=True)
def _needs_tensorboard():
    pytest.importorskip("tensorboard")


def hp_module(backend):
    """refkeras has its own; every TensorFlow backend (tf_keras, keras3) uses tensorboard's."""
    if backend.name == "refkeras":
        return importlib.import_module("refkeras.summary.hparams")
    return importlib.import_module("tensorboard.plugins.hparams.api")


def accumulate(folder):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0},
                                   purge_orphaned_data=False)
    accumulator.Reload()
    return accumulator


def hparams_content(accumulator):
    """{tag: parsed HParamsPluginData field} of one run folder."""
    from tensorboard.plugins.hparams import metadata
    parse = {metadata.EXPERIMENT_TAG: metadata.parse_experiment_plugin_data,
             metadata.SESSION_START_INFO_TAG: metadata.parse_session_start_info_plugin_data,
             metadata.SESSION_END_INFO_TAG: metadata.parse_session_end_info_plugin_data}
    return {tag: parse[tag](content)
            for tag, content in accumulator.PluginTagToContent("hparams").items()}


def seed_tuning(backend, root):
    """The seed's loop, on a 16-sample 3x3 toy problem; returns {run_name: (hparams, acc)}."""
    keras, tf, hp = backend.keras, backend.tf, hp_module(backend)
    HP_NUM_UNITS = hp.HParam("num_units", hp.Discrete([4, 8]))
    HP_DROPOUT = hp.HParam("dropout", hp.RealInterval(0.1, 0.2))
    HP_OPTIMIZER = hp.HParam("optimizer", hp.Discrete(["adam", "sgd"]))
    METRIC_ACCURACY = "accuracy"
    with tf.summary.create_file_writer(str(root)).as_default():
        hp.hparams_config(hparams=[HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER],
                          metrics=[hp.Metric(METRIC_ACCURACY, display_name="Accuracy")])
    x = np.random.RandomState(0).rand(16, 3, 3).astype("float32")
    y = np.arange(16) % 10

    def train_test_model(logdir, hparams):
        model = keras.models.Sequential([
            keras.layers.Flatten(),
            keras.layers.Dense(hparams[HP_NUM_UNITS], activation="relu"),
            keras.layers.Dropout(hparams[HP_DROPOUT]),
            keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer=hparams[HP_OPTIMIZER], loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=1, verbose=0,
                  callbacks=[keras.callbacks.TensorBoard(logdir), hp.KerasCallback(logdir, hparams)])
        _, accuracy = model.evaluate(x, y, verbose=0)
        return accuracy

    def run(run_dir, hparams):
        with tf.summary.create_file_writer(run_dir).as_default():
            hp.hparams(hparams)
            accuracy = train_test_model(run_dir, hparams)
            tf.summary.scalar(METRIC_ACCURACY, accuracy, step=1)
        return accuracy

    trials = {}
    session_num = 0
    for num_units in HP_NUM_UNITS.domain.values:
        for dropout_rate in (HP_DROPOUT.domain.min_value, HP_DROPOUT.domain.max_value):
            for optimizer in HP_OPTIMIZER.domain.values:
                hparams = {HP_NUM_UNITS: num_units, HP_DROPOUT: dropout_rate,
                           HP_OPTIMIZER: optimizer}
                run_name = "run-%d" % session_num  # noqa: UP031 -- the seed's line
                accuracy = run(str(root / run_name), hparams)
                trials[run_name] = ({h.name: hparams[h] for h in hparams}, accuracy)
                session_num += 1
    return trials


@pytest.fixture
def tuned(backend, tmp_path):
    root = tmp_path / "logs" / "hparam_tuning"
    return root, seed_tuning(backend, root)


@clause("HPARAMS")
def test_the_experiment_config_lists_each_hparam_domain_and_metric(tuned):
    from tensorboard.plugins.hparams import api_pb2
    root, trials = tuned
    events = [name for name in os.listdir(root) if name.startswith("events.out.tfevents.")]
    assert len(events) == 1
    assert sorted(set(os.listdir(root)) - set(events)) == sorted(trials)
    accumulator = accumulate(root)
    content = hparams_content(accumulator)
    assert list(content) == ["_hparams_/experiment"]
    assert [event.step for event in accumulator.Tensors("_hparams_/experiment")] == [0]
    experiment = content["_hparams_/experiment"]
    infos = {info.name: info for info in experiment.hparam_infos}
    assert list(infos) == ["num_units", "dropout", "optimizer"]
    assert infos["num_units"].type == api_pb2.DATA_TYPE_FLOAT64
    assert [v.number_value for v in infos["num_units"].domain_discrete.values] == [4, 8]
    assert infos["dropout"].type == api_pb2.DATA_TYPE_FLOAT64
    assert (infos["dropout"].domain_interval.min_value,
            infos["dropout"].domain_interval.max_value) == (0.1, 0.2)
    assert infos["optimizer"].type == api_pb2.DATA_TYPE_STRING
    assert [v.string_value for v in infos["optimizer"].domain_discrete.values] == ["adam", "sgd"]
    assert [(m.name.tag, m.name.group, m.display_name) for m in experiment.metric_infos] == [
        ("accuracy", "", "Accuracy")]


@clause("HPARAMS")
def test_each_session_logs_its_hparams_start_end_and_metric(tuned):
    from tensorboard.plugins.hparams import api_pb2
    from tensorboard.util import tensor_util
    root, trials = tuned
    assert sorted(trials) == [f"run-{n}" for n in range(8)]
    for run_name, (values, accuracy) in trials.items():
        folder = root / run_name
        # run()'s writer and the KerasCallback's writer: two files; TensorBoard's train/.
        events = sorted(n for n in os.listdir(folder) if n.startswith("events.out.tfevents."))
        assert len(events) == 2 and sorted(set(os.listdir(folder)) - set(events)) == ["train"]
        accumulator = accumulate(folder)
        content = hparams_content(accumulator)
        assert sorted(content) == ["_hparams_/session_end_info", "_hparams_/session_start_info"]
        start = content["_hparams_/session_start_info"]
        got = {name: value.WhichOneof("kind") for name, value in start.hparams.items()}
        assert got == {"num_units": "number_value", "dropout": "number_value",
                       "optimizer": "string_value"}
        assert {name: getattr(value, value.WhichOneof("kind"))
                for name, value in start.hparams.items()} == values
        compact = json.dumps(values, sort_keys=True, separators=(",", ":"))
        assert start.group_name == hashlib.sha256(compact.encode()).hexdigest()
        end = content["_hparams_/session_end_info"]
        assert end.status == api_pb2.STATUS_SUCCESS
        assert end.end_time_secs >= start.start_time_secs > 0
        # run() and the callback both write a session start; the callback the end; step 0.
        assert [e.step for e in accumulator.Tensors("_hparams_/session_start_info")] == [0, 0]
        assert [e.step for e in accumulator.Tensors("_hparams_/session_end_info")] == [0]
        for tag in ("_hparams_/session_start_info", "_hparams_/session_end_info"):
            tensor = tensor_util.make_ndarray(accumulator.Tensors(tag)[0].tensor_proto)
            assert tensor.shape == (0,) and tensor.dtype == np.float32
        metric = accumulator.Tensors("accuracy")
        assert [e.step for e in metric] == [1]
        assert float(tensor_util.make_ndarray(metric[0].tensor_proto)) == float(
            np.float32(accuracy))


@clause("HPARAMS")
def test_a_keras_callback_serves_one_fit_only(backend, tmp_path):
    keras, hp = backend.keras, hp_module(backend)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    callback = hp.KerasCallback(str(tmp_path), {"units": 1})
    assert len(os.listdir(tmp_path)) == 1   # the writer's file exists from construction
    model.fit(np.ones((2, 1)), np.ones((2, 1)), verbose=0, callbacks=[callback])
    with pytest.raises(RuntimeError, match="cannot be reused across training sessions"):
        model.fit(np.ones((2, 1)), np.ones((2, 1)), verbose=0, callbacks=[callback])
    with pytest.raises(TypeError, match="not None"):
        hp.KerasCallback(None, {"units": 1})
