"""What data fit, evaluate and predict accept, and which batches the model sees.

Seed 000 "API 概述", "使用验证集", "自动设置验证 holdout", "使用 tf.data 数据集进行训练和
验证", "keras.utils.Sequence 输入", "其它输入格式", "样本加权", "类别加权". The oracle is
a recording model: its ``train_step`` / ``test_step`` / ``predict_step`` write down the
batch they receive (x holds each sample's index), so a test reads exactly which
samples were batched, in which order, with which weights. Numbers (losses) come from
a bias-free Dense with a zero kernel, whose per-sample squared error is y**2.
"""

import numpy as np
import pandas as pd
import pytest

from conformance import clause

RAN_OUT = ("Your input ran out of data; interrupting training. Make sure that your dataset or "
           "generator can generate at least `steps_per_epoch * epochs` batches (in this case, "
           "{} batches). You may need to use the repeat() function when building your dataset.")
SPLIT_ONLY = ("`validation_split` is only supported for Tensors or NumPy arrays, found following "
              "types in the input: [<class '")


# --------------------------------------------------------------------- the recording model
def to_tree(backend, data):
    """A batch as plain Python: tuples/lists/dicts kept, leaves as numpy arrays."""
    if data is None:
        return None
    if isinstance(data, dict):
        return {k: to_tree(backend, v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return tuple(to_tree(backend, v) for v in data)
    return np.asarray(backend.to_numpy(data))


def ids(batch):
    """The sample indices of a batch's x (first column)."""
    return np.asarray(batch).reshape(len(batch), -1)[:, 0].round().astype(int).tolist()


def recorder(backend, log):
    """A model whose steps append ("T"|"V"|"P", x, y, sample_weight) to ``log``."""
    keras = backend.keras

    def unpack(data):
        return keras.utils.unpack_x_y_sample_weight(data)

    class Recorder(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

        # The steps return one constant log rather than {}: Keras 3's TensorFlow trainer
        # cannot wrap an empty logs dict (InvalidArgumentError from OptionalFromValue),
        # and no test here reads the recorder's logs. ``*args``: Keras 3 on JAX calls
        # its steps statelessly, step(state, data), and wants (result, state) back;
        # the batch is always the last argument.
        def train_step(self, *args):
            log.append(("T", *(to_tree(backend, part) for part in unpack(args[-1]))))
            return stateless({"recorded": 0.0}, args)

        def test_step(self, *args):
            log.append(("V", *(to_tree(backend, part) for part in unpack(args[-1]))))
            return stateless({"recorded": 0.0}, args)

        def predict_step(self, *args):
            x, _, _ = unpack(args[-1])
            log.append(("P", to_tree(backend, x), None, None))
            # JAX's predict_step hands back only the non-trainable variables.
            return stateless(x, args) if len(args) == 1 else (x, args[0][1])

    model = Recorder()
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    return model


def stateless(result, args):
    """``result`` for a step called as step(data); (result, state) for step(state, data)."""
    return result if len(args) == 1 else (result, args[0])


def seen(log, kind="T"):
    return [ids(entry[1]) for entry in log if entry[0] == kind]


def column(n, start=0):
    return np.arange(start, start + n, dtype="float32")[:, None]


def zero_model(keras, lr=0.0):
    """y_pred = 0, so each sample's squared error is y**2 and nothing moves with lr=0."""
    model = keras.Sequential([keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(lr), loss="mse")
    return model


def sequence_class(keras, calls, n=10, batch=4):
    class Seq(keras.utils.Sequence):
        def __init__(self):
            super().__init__()
            self.ends = 0

        def __len__(self):
            return (n + batch - 1) // batch

        def __getitem__(self, i):
            calls.append(i)
            x = column(n)[i * batch:(i + 1) * batch]
            return x, x

        def on_epoch_end(self):
            self.ends += 1
    return Seq


# --------------------------------------------------------------------- FIT.BATCHING
@clause("FIT.BATCHING")
def test_fit_takes_ceil_n_over_batch_size_steps_with_a_smaller_last_batch(backend):
    log = []
    history = recorder(backend, log).fit(column(10), column(10), batch_size=4, shuffle=False,
                                         verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert history.params["steps"] == 3


@clause("FIT.BATCHING")
@pytest.mark.parametrize(("n", "sizes"), [(70, [32, 32, 6]), (64, [32, 32]), (65, [32, 32, 1])])
def test_the_default_batch_size_is_32_for_fit_evaluate_and_predict(backend, n, sizes):
    log = []
    model = recorder(backend, log)
    model.fit(column(n), column(n), verbose=0)
    model.evaluate(column(n), column(n), verbose=0)
    model.predict(column(n), verbose=0)
    for kind in "TVP":
        assert [len(b) for b in seen(log, kind)] == sizes


@clause("FIT.BATCHING")
def test_a_batch_size_above_n_gives_one_batch(backend):
    log = []
    recorder(backend, log).fit(column(3), column(3), batch_size=5, verbose=0)
    assert [len(b) for b in seen(log)] == [3]


# --------------------------------------------------------------------- FIT.SHUFFLE
@clause("FIT.SHUFFLE")
def test_shuffle_true_reshuffles_training_samples_every_epoch(backend):
    log = []
    recorder(backend, log).fit(column(10), column(10), batch_size=4, epochs=3, verbose=0,
                               validation_data=(column(6, 100), column(6, 100)))
    train = seen(log)
    epochs = [[i for b in train[k:k + 3] for i in b] for k in range(0, 9, 3)]
    assert [len(b) for b in train] == [4, 4, 2] * 3
    assert all(sorted(e) == list(range(10)) for e in epochs)
    assert len({tuple(e) for e in epochs}) > 1 and any(e != list(range(10)) for e in epochs)
    assert all((ids(e[1]) == ids(e[2])) for e in log if e[0] == "T")     # x-y pairs kept
    assert seen(log, "V") == [[100, 101, 102, 103], [104, 105]] * 3      # never shuffled


@clause("FIT.SHUFFLE")
def test_shuffle_false_keeps_the_order_every_epoch(backend):
    log = []
    recorder(backend, log).fit(column(10), column(10), batch_size=4, epochs=2, shuffle=False,
                               verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2


@clause("FIT.SHUFFLE")
def test_a_dataset_ignores_shuffle(backend):
    log = []
    ds = backend.tf.data.Dataset.from_tensor_slices((column(10), column(10))).batch(4)
    recorder(backend, log).fit(ds, epochs=2, shuffle=True, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2


# --------------------------------------------------------------------- FIT.SHUFFLE.BATCH
@clause("FIT.SHUFFLE.BATCH")
def test_shuffle_batch_keeps_chunks_and_pairs_together(backend):
    log = []
    recorder(backend, log).fit(column(10), column(10), batch_size=4, epochs=4, shuffle="batch",
                               verbose=0)
    chunks = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    for epoch in range(4):
        batches = seen(log)[3 * epoch:3 * epoch + 3]
        assert sorted(sorted(b) for b in batches) == chunks
    assert all(ids(e[1]) == ids(e[2]) for e in log if e[0] == "T")


# --------------------------------------------------------------------- FIT.VALIDATION.DATA
@clause("FIT.VALIDATION.DATA")
def test_validation_data_is_evaluated_after_every_epoch(backend):
    log = []
    model = recorder(backend, log)
    model.fit(column(8), column(8), batch_size=4, epochs=2, shuffle=False, verbose=0,
              validation_data=(column(3, 100), column(3, 100)), validation_batch_size=2)
    kinds = [e[0] for e in log]
    assert kinds == ["T", "T", "V", "V"] * 2
    assert seen(log, "V") == [[100, 101], [102]] * 2


@clause("FIT.VALIDATION.DATA")
def test_validation_data_three_tuple_weights_and_four_tuple_fails(backend):
    log = []
    model = recorder(backend, log)
    weights = np.array([1.0, 2.0, 3.0], dtype="float32")
    model.fit(column(4), column(4), verbose=0,
              validation_data=(column(3, 100), column(3, 100), weights))
    [val] = [e for e in log if e[0] == "V"]
    assert val[3].ravel().tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="Data is expected to be in format `x`, `\\(x,\\)`, "
                                         "`\\(x, y\\)`, or `\\(x, y, sample_weight\\)`, found: "):
        model.fit(column(4), column(4), verbose=0,
                  validation_data=(column(3), column(3), weights, weights))


@clause("FIT.VALIDATION.DATA")
def test_validation_freq_and_val_prefixed_history(backend):
    keras = backend.keras
    model = zero_model(keras)
    history = model.fit(column(4), column(4), epochs=4, verbose=0, validation_freq=2,
                        validation_data=(column(2), column(2)))
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 2
    assert history.history["val_loss"][-1] == pytest.approx(
        model.evaluate(column(2), column(2), verbose=0), rel=1e-6)


@clause("FIT.VALIDATION.DATA")
def test_validation_data_wins_over_validation_split(backend):
    log = []
    recorder(backend, log).fit(column(10), column(10), batch_size=10, validation_split=0.5,
                               validation_data=(column(2, 100), column(2, 100)), verbose=0)
    assert sorted(seen(log)[0]) == list(range(10)) and seen(log, "V") == [[100, 101]]


# --------------------------------------------------------------------- FIT.VALIDATION.SPLIT
@clause("FIT.VALIDATION.SPLIT")
@pytest.mark.parametrize(("n", "split", "val"), [
    (10, 0.25, [7, 8, 9]), (7, 0.3, [4, 5, 6]), (3, 0.5, [1, 2]), (9, 0.5, [4, 5, 6, 7, 8]),
    (10, 0.35, [6, 7, 8, 9]), (5, 0.1, [4]), (100, 0.07, list(range(93, 100)))])
def test_validation_split_holds_out_the_unshuffled_tail(backend, n, split, val):
    log = []
    recorder(backend, log).fit(column(n), column(n), batch_size=128, epochs=2,
                               validation_split=split, verbose=0)
    assert seen(log, "V") == [val, val]
    assert all(sorted(b) == list(range(n - len(val))) for b in seen(log))


@clause("FIT.VALIDATION.SPLIT")
def test_validation_split_splits_sample_weight_too(backend):
    log = []
    weights = np.arange(10, dtype="float32") / 10
    recorder(backend, log).fit(column(10), column(10), sample_weight=weights, batch_size=16,
                               shuffle=False, validation_split=0.2, verbose=0)
    [train] = [e for e in log if e[0] == "T"]
    assert np.allclose(train[3].ravel(), weights[:8])
    [val] = [e for e in log if e[0] == "V"]
    assert np.allclose(val[3].ravel(), weights[8:])


@clause("FIT.VALIDATION.SPLIT")
@pytest.mark.parametrize(("n", "split"), [(10, 1.0), (10, 0.99), (1, 0.5)])
def test_validation_split_leaving_no_training_data_is_an_error(backend, n, split):
    log = []
    with pytest.raises(ValueError) as info:
        recorder(backend, log).fit(column(n), column(n), validation_split=split, verbose=0)
    assert str(info.value) == (
        f"Training data contains {n} samples, which is not sufficient to split it into a "
        f"validation and training set as specified by `validation_split={split}`. Either provide "
        "more data, or a different value for the `validation_split` argument.")
    assert log == []


# --------------------------------------------------------------------- FIT.VALIDATION.SPLIT.RANGE
@clause("FIT.VALIDATION.SPLIT.RANGE")
@pytest.mark.parametrize("split", [1.5, -0.2])
def test_validation_split_outside_0_1_is_refused_before_training(backend, split):
    log = []
    with pytest.raises(ValueError, match="validation_split"):
        recorder(backend, log).fit(column(10), column(10), validation_split=split, verbose=0)
    assert log == []


# --------------------------------------------------------------------- FIT.VALIDATION.SPLIT_ONLY_ARRAYS
@clause("FIT.VALIDATION.SPLIT_ONLY_ARRAYS")
def test_validation_split_with_a_dataset_generator_or_sequence_is_an_error(backend):
    keras, tf = backend.keras, backend.tf

    def gen():
        yield column(4), column(4)
    inputs = [(tf.data.Dataset.from_tensor_slices((column(4), column(4))).batch(2), "Dataset"),
              (gen(), "generator"), (sequence_class(keras, [])(), "Seq")]
    for x, name in inputs:
        log = []
        with pytest.raises(ValueError) as info:
            recorder(backend, log).fit(x, validation_split=0.5, verbose=0)
        assert str(info.value).startswith(SPLIT_ONLY) and name in str(info.value)
        assert [e for e in log if e[0] == "T"] == []


@clause("FIT.VALIDATION.SPLIT_ONLY_ARRAYS")
def test_validation_split_accepts_tensors_and_pandas(backend):
    log = []
    recorder(backend, log).fit(backend.tf.constant(column(10)), backend.tf.constant(column(10)),
                               validation_split=0.2, shuffle=False, verbose=0)
    assert seen(log, "V") == [[8, 9]]
    log.clear()
    frame = pd.DataFrame({"a": np.arange(10.0)})
    recorder(backend, log).fit(frame, pd.Series(np.arange(10.0)), validation_split=0.2,
                               shuffle=False, verbose=0)
    assert seen(log, "V") == [[8, 9]]


# --------------------------------------------------------------------- FIT.VALIDATION.STEPS
@clause("FIT.VALIDATION.STEPS")
def test_validation_steps_takes_the_same_first_batches_every_epoch(backend):
    tf = backend.tf
    val = tf.data.Dataset.from_tensor_slices((column(10, 100), column(10, 100))).batch(2)
    log = []
    recorder(backend, log).fit(column(4), column(4), batch_size=4, epochs=2, verbose=0,
                               validation_data=val, validation_steps=2)
    assert seen(log, "V") == [[100, 101], [102, 103]] * 2
    log.clear()
    recorder(backend, log).fit(column(4), column(4), batch_size=4, epochs=2, verbose=0,
                               validation_data=(column(10, 100), column(10, 100)),
                               validation_batch_size=2, validation_steps=2)
    assert seen(log, "V") == [[100, 101], [102, 103]] * 2


# --------------------------------------------------------------------- FIT.DATASET
@clause("FIT.DATASET")
def test_a_dataset_yields_whole_batches_afresh_each_epoch(backend):
    tf = backend.tf
    ds = tf.data.Dataset.from_tensor_slices((column(10), column(10))).batch(4)
    log = []
    history = recorder(backend, log).fit(ds, epochs=2, batch_size=2, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2
    assert history.params["steps"] == 3


@clause("FIT.DATASET")
def test_unbatched_and_unknown_length_datasets(backend):
    tf = backend.tf
    log = []
    unbatched = tf.data.Dataset.from_tensor_slices((column(3), column(3)))
    recorder(backend, log).fit(unbatched, verbose=0)
    assert [len(b) for b in seen(log)] == [1, 1, 1]
    log.clear()
    filtered = tf.data.Dataset.from_tensor_slices((column(10), column(10))).filter(
        lambda x, y: x[0] < 100).batch(4)
    history = recorder(backend, log).fit(filtered, epochs=2, verbose=0)
    assert history.params["steps"] is None
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2


@clause("FIT.DATASET")
def test_y_or_sample_weight_with_a_dataset_is_an_error(backend):
    ds = backend.tf.data.Dataset.from_tensor_slices((column(4), column(4))).batch(2)
    log = []
    model = recorder(backend, log)
    with pytest.raises(ValueError, match="`y` argument is not supported when using dataset as "
                                         "input."):
        model.fit(ds, column(4), verbose=0)
    with pytest.raises(ValueError, match="`sample_weight` argument is not supported when using "
                                         "dataset as input."):
        model.fit(ds, sample_weight=np.ones(4), verbose=0)
    assert log == []


# --------------------------------------------------------------------- FIT.STEPS_PER_EPOCH
@clause("FIT.STEPS_PER_EPOCH")
def test_a_dataset_is_not_reset_with_steps_per_epoch_and_runs_out(backend, warnings_log):
    ds = backend.tf.data.Dataset.from_tensor_slices((column(10), column(10))).batch(4)
    log = []
    history = recorder(backend, log).fit(ds, steps_per_epoch=2, epochs=3, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert history.epoch == [0, 1] and history.params["steps"] == 2
    assert RAN_OUT.format(6) in warnings_log


@clause("FIT.STEPS_PER_EPOCH")
def test_arrays_with_steps_per_epoch_read_on_across_epochs(backend, warnings_log):
    log = []
    history = recorder(backend, log).fit(column(10), column(10), batch_size=4, steps_per_epoch=2,
                                         epochs=3, shuffle=False, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert history.epoch == [0, 1, 2] and not warnings_log


@clause("FIT.STEPS_PER_EPOCH")
def test_arrays_run_out_after_epochs_passes(backend, warnings_log):
    log = []
    history = recorder(backend, log).fit(column(10), column(10), batch_size=4, steps_per_epoch=5,
                                         epochs=2, shuffle=False, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2
    assert history.epoch == [0, 1] and RAN_OUT.format(10) in warnings_log


@clause("FIT.STEPS_PER_EPOCH")
def test_steps_per_epoch_alone_sets_the_batch_size_to_ceil_n_over_steps(backend):
    log = []
    recorder(backend, log).fit(column(10), column(10), steps_per_epoch=2, shuffle=False,
                               verbose=0)
    assert seen(log) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


@clause("FIT.STEPS_PER_EPOCH")
def test_a_repeated_dataset_with_steps_never_runs_out(backend, warnings_log):
    ds = backend.tf.data.Dataset.from_tensor_slices((column(10), column(10))).batch(4).repeat()
    log = []
    history = recorder(backend, log).fit(ds, steps_per_epoch=2, epochs=3, verbose=0)
    assert len(seen(log)) == 6 and history.epoch == [0, 1, 2] and not warnings_log


# --------------------------------------------------------------------- FIT.SEQUENCE
@clause("FIT.SEQUENCE")
def test_a_sequence_is_read_in_order_and_told_each_epoch_end(backend):
    calls, log = [], []
    seq = sequence_class(backend.keras, calls)()
    history = recorder(backend, log).fit(seq, epochs=3, shuffle=False, verbose=0)
    assert calls == [0, 0, 1, 2, 0, 1, 2, 0, 1, 2]
    assert seq.ends == 3 and history.params["steps"] == 3
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 3


@clause("FIT.SEQUENCE")
def test_a_sequence_with_shuffle_visits_batches_in_a_new_order(backend):
    calls, log = [], []
    seq = sequence_class(backend.keras, calls)()
    recorder(backend, log).fit(seq, epochs=6, verbose=0)
    orders = [tuple(calls[1 + 3 * e:4 + 3 * e]) for e in range(6)]
    assert all(sorted(o) == [0, 1, 2] for o in orders) and len(set(orders)) > 1


@clause("FIT.SEQUENCE")
def test_a_sequence_restarts_each_epoch_with_steps_per_epoch(backend):
    calls, log = [], []
    seq = sequence_class(backend.keras, calls)()
    recorder(backend, log).fit(seq, epochs=2, steps_per_epoch=2, shuffle=False, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7]] * 2 and seq.ends == 2


@clause("FIT.SEQUENCE")
def test_a_sequence_in_validation_evaluate_and_predict(backend):
    keras = backend.keras
    calls, log = [], []
    val = sequence_class(keras, calls)()
    model = recorder(backend, log)
    model.fit(column(4), column(4), epochs=2, validation_data=val, verbose=0)
    assert val.ends == 2
    for run in (model.evaluate, model.predict):
        seq = sequence_class(keras, [])()
        run(seq, verbose=0)
        assert seq.ends == 1
    with pytest.raises(ValueError, match="`y` argument is not supported when using "
                                         "`keras.utils.Sequence` as input."):
        model.fit(val, column(4), verbose=0)


# --------------------------------------------------------------------- FIT.OTHER_INPUTS
@clause("FIT.OTHER_INPUTS")
def test_a_generator_is_consumed_once(backend, warnings_log):
    def gen():
        for i in range(0, 10, 4):
            yield column(10)[i:i + 4], column(10)[i:i + 4]
    log = []
    history = recorder(backend, log).fit(gen(), epochs=2, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert history.params["steps"] is None and history.epoch == [0, 1]
    assert RAN_OUT.format(6) in warnings_log


@clause("FIT.OTHER_INPUTS")
def test_an_infinite_generator_with_steps_per_epoch(backend):
    def gen():
        i = 0
        while True:
            yield column(2, i), column(2, i)
            i += 2
    log = []
    history = recorder(backend, log).fit(gen(), steps_per_epoch=3, epochs=2, verbose=0)
    assert seen(log) == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10, 11]]
    assert history.params["steps"] == 3


@clause("FIT.OTHER_INPUTS")
def test_generators_in_evaluate_and_predict(backend):
    log = []
    model = recorder(backend, log)
    model.evaluate(((column(2, i), column(2, i)) for i in (0, 2)), verbose=0)
    model.predict((column(2, i) for i in (0, 2)), verbose=0)
    assert seen(log, "V") == seen(log, "P") == [[0, 1], [2, 3]]


@clause("FIT.OTHER_INPUTS")
def test_pandas_lists_and_tensors_are_batched_like_arrays(backend):
    log = []
    model = recorder(backend, log)
    frame = pd.DataFrame({"a": np.arange(10.0), "b": np.zeros(10)})
    model.fit(frame, pd.Series(np.arange(10.0)), batch_size=4, shuffle=False, verbose=0)
    [first, *_] = [e for e in log if e[0] == "T"]
    assert first[1].shape == (4, 2) and first[2].shape == (4, 1)
    assert seen(log) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    log.clear()
    model.fit([[float(i)] for i in range(5)], [float(i) for i in range(5)], batch_size=4,
              shuffle=False, verbose=0)
    model.fit(backend.tf.constant(column(5)), backend.tf.constant(column(5)), batch_size=4,
              shuffle=False, verbose=0)
    assert seen(log) == [[0, 1, 2, 3], [4]] * 2


@clause("FIT.OTHER_INPUTS")
def test_dicts_of_series_keep_their_names(backend):
    log = []
    frame = pd.DataFrame({"a": np.arange(4.0), "b": np.arange(4.0) * 2})
    recorder(backend, log).fit(dict(frame), frame["a"], batch_size=4, verbose=0)
    [(_, x, y, _)] = log
    assert set(x) == {"a", "b"} and x["b"].shape == (4, 1) and y.shape == (4, 1)


# --------------------------------------------------------------------- WEIGHTING.CLASS
@clause("WEIGHTING.CLASS")
def test_class_weight_gives_each_sample_its_class_weight(backend):
    log = []
    labels = np.array([0, 1, 2, 1, 0, 2])
    recorder(backend, log).fit(column(6), labels, batch_size=6, shuffle=False,
                               class_weight={0: 1.0, 1: 2.0, 2: 0.5}, verbose=0)
    [(_, _, _, weights)] = log
    assert weights.tolist() == [1.0, 2.0, 0.5, 2.0, 1.0, 0.5]


@clause("WEIGHTING.CLASS")
def test_class_weight_equals_the_matching_sample_weight(backend):
    keras = backend.keras
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 3)).astype("float32")
    labels = np.array([0, 1, 2] * 4)
    cw = {0: 1.0, 1: 2.0, 2: 0.5}
    results = []
    for kwargs in ({"class_weight": cw}, {"sample_weight": np.array([cw[c] for c in labels])}):
        backend.reset(0)
        model = keras.Sequential([keras.layers.Dense(3, kernel_initializer="ones")])
        model.compile(optimizer=keras.optimizers.SGD(0.1),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x, labels, batch_size=4, epochs=2, shuffle=False, verbose=0, **kwargs)
        results.append((history.history["loss"], backend.to_numpy(model.weights[0])))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)


@clause("WEIGHTING.CLASS")
def test_class_weight_is_not_applied_to_validation(backend):
    model = zero_model(backend.keras)
    history = model.fit(column(4), np.array([1.0, 1.0, 0.0, 1.0]), class_weight={0: 0.0, 1: 0.0},
                        validation_data=(column(4), np.array([1.0, 1.0, 0.0, 1.0])), verbose=0)
    assert history.history["loss"] == [0.0]
    assert history.history["val_loss"][0] == pytest.approx(0.75)


@clause("WEIGHTING.CLASS")
def test_class_weight_with_a_dataset_and_bad_keys(backend):
    log = []
    model = recorder(backend, log)
    ds = backend.tf.data.Dataset.from_tensor_slices((column(3), np.array([0, 1, 1]))).batch(3)
    model.fit(ds, class_weight={0: 1.0, 1: 3.0}, verbose=0)
    assert log[0][3].tolist() == [1.0, 3.0, 3.0]
    for bad in ({0: 1.0, 1: 1.0, 5: 1.0}, {"0": 1.0, "1": 1.0}):
        with pytest.raises(ValueError, match="Expected `class_weight` to be a dict with keys from 0 "
                                             "to one less than the number of classes, found"):
            model.fit(column(3), np.array([0, 1, 1]), class_weight=bad, verbose=0)
    with pytest.raises(ValueError, match="`class_weight` is only supported for Models with a "
                                         "single output."):
        model.fit(column(3), [np.zeros(3), np.zeros(3)], class_weight={0: 1.0}, verbose=0)
    assert len(log) == 1


@clause("WEIGHTING.CLASS")
def test_a_class_missing_from_class_weight_fails(backend):
    model = zero_model(backend.keras, lr=0.1)
    with pytest.raises(backend.tf.errors.InvalidArgumentError):
        model.fit(column(3), np.array([0, 1, 2]), class_weight={0: 1.0, 1: 1.0}, verbose=0)


# --------------------------------------------------------------------- WEIGHTING.DATASET
@clause("WEIGHTING.DATASET")
def test_dataset_and_generator_weights_equal_the_sample_weight_argument(backend):
    keras, tf = backend.keras, backend.tf
    x, y = np.zeros((4, 1), "float32"), np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
    w = np.array([1.0, 2.0, 0.0, 0.5], "float32")
    model = zero_model(keras)
    by_argument = model.evaluate(x, y, sample_weight=w, verbose=0)
    by_dataset = model.evaluate(tf.data.Dataset.from_tensor_slices((x, y, w)).batch(4), verbose=0)
    by_generator = model.evaluate(((x, y, w) for _ in range(1)), verbose=0)
    assert by_argument == pytest.approx(4.25) and by_dataset == pytest.approx(4.25)
    assert by_generator == pytest.approx(4.25)


@clause("WEIGHTING.DATASET")
def test_dataset_weights_reach_the_step(backend):
    log = []
    w = np.array([1.0, 2.0, 0.0, 0.5], "float32")
    ds = backend.tf.data.Dataset.from_tensor_slices((column(4), column(4), w)).batch(4)
    recorder(backend, log).fit(ds, verbose=0)
    assert log[0][3].tolist() == w.tolist()


# --------------------------------------------------------------------- PIT.CLASS_WEIGHT_ONE_HOT
@clause("PIT.CLASS_WEIGHT_ONE_HOT")
def test_class_weight_reads_one_hot_by_argmax_and_columns_by_rounding(backend):
    cw = {0: 1.0, 1: 2.0, 2: 0.5}
    for y, expected in [(np.eye(3, dtype="float32")[[0, 1, 2, 1]], [1.0, 2.0, 0.5, 2.0]),
                        (np.array([0, 1, 2, 1]), [1.0, 2.0, 0.5, 2.0]),
                        (np.array([[0.0], [0.4], [0.6], [1.0]], "float32"), [1.0, 1.0, 2.0, 2.0])]:
        log = []
        weights = cw if y.shape[-1] != 1 or y.ndim == 1 else {0: 1.0, 1: 2.0}
        recorder(backend, log).fit(column(4), y, batch_size=4, class_weight=weights,
                                   shuffle=False, verbose=0)
        assert log[0][3].tolist() == expected


@clause("PIT.CLASS_WEIGHT_ONE_HOT")
def test_class_weight_keys_must_be_exactly_0_to_k_minus_1(backend):
    log = []
    model = recorder(backend, log)
    for bad in ({1: 1.0, 2: 1.0, 3: 1.0}, {0: 1.0, 2: 1.0}, {-1: 1.0, 0: 1.0, 1: 1.0}):
        with pytest.raises(ValueError, match="Expected `class_weight` to be a dict with keys"):
            model.fit(column(3), np.array([0, 1, 1]), class_weight=bad, verbose=0)
    model.fit(column(3), np.array([0, 1, 1]), class_weight={0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0},
              shuffle=False, verbose=0)
    model.fit(column(3), np.array([0, 1, 1]), class_weight={0.0: 1.0, 1.0: 2.0}, shuffle=False,
              verbose=0)
    assert [e[3].tolist() for e in log] == [[1.0, 2.0, 2.0]] * 2


# --------------------------------------------------------------------- PIT.CLASS_AND_SAMPLE_WEIGHT
@clause("PIT.CLASS_AND_SAMPLE_WEIGHT")
def test_class_weight_and_sample_weight_multiply(backend):
    log = []
    labels = np.array([0, 1, 2, 1, 0])
    sw = np.array([2.0, 1.0, 0.0, 3.0, 1.0], "float32")
    recorder(backend, log).fit(column(5), labels, sample_weight=sw, batch_size=5, shuffle=False,
                               class_weight={0: 1.0, 1: 2.0, 2: 0.5}, verbose=0)
    assert log[0][3].tolist() == [2.0, 2.0, 0.0, 6.0, 1.0]
    model = zero_model(backend.keras)
    y = np.array([[0.0], [1.0], [1.0], [0.0]], "float32")
    history = model.fit(np.zeros((4, 1), "float32"), y, sample_weight=np.array([3.0, 1.0, 2.0, 5.0]),
                        class_weight={0: 1.0, 1: 4.0}, batch_size=4, verbose=0)
    assert history.history["loss"][0] == pytest.approx((4.0 + 8.0) / 4)


# --------------------------------------------------------------------- PIT.STEPS_RUN_OUT
@clause("PIT.STEPS_RUN_OUT")
def test_running_out_ends_the_epoch_records_it_and_stops(backend, warnings_log):
    keras, tf = backend.keras, backend.tf
    events = []
    log = []

    class Events(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            events.append(f"E{epoch}")

        def on_epoch_end(self, epoch, logs=None):
            events.append(f"end{epoch}")

    ds = tf.data.Dataset.from_tensor_slices((column(16), column(16))).batch(4)
    history = recorder(backend, log).fit(ds, steps_per_epoch=3, epochs=3, verbose=0,
                                         callbacks=[Events()])
    assert events == ["E0", "end0", "E1", "end1"]
    assert [b[0] for b in seen(log)] == [0, 4, 8, 12] and history.epoch == [0, 1]
    assert RAN_OUT.format(9) in warnings_log


@clause("PIT.STEPS_RUN_OUT")
def test_validation_steps_beyond_the_data_drop_later_val_logs(backend, warnings_log):
    tf = backend.tf
    model = zero_model(backend.keras)
    val = tf.data.Dataset.from_tensor_slices((column(8), column(8))).batch(2)
    history = model.fit(column(4), column(4), epochs=2, validation_data=val, validation_steps=6,
                        verbose=0)
    assert len(history.history["loss"]) == 2 and len(history.history["val_loss"]) == 1
    assert RAN_OUT.format(6) in warnings_log


# --------------------------------------------------------------------- PIT.VALIDATION_SPLIT_SORTED
@clause("PIT.VALIDATION_SPLIT_SORTED")
def test_validation_split_on_sorted_data_holds_out_the_last_class(backend):
    log = []
    labels = np.array([0.0] * 5 + [1.0] * 5, "float32")
    recorder(backend, log).fit(column(10), labels, validation_split=0.2, verbose=0)
    [(_, vx, vy, _)] = [e for e in log if e[0] == "V"]
    assert ids(vx) == [8, 9] and set(vy.ravel().tolist()) == {1.0}
    assert sorted(seen(log)[0]) == list(range(8))


@clause("PIT.VALIDATION_SPLIT_SORTED")
@pytest.mark.parametrize(("split", "size"), [(0.25, 3), (0.33, 4), (0.15, 2), (0.05, 1)])
def test_validation_sizes_follow_the_floor_rule(backend, split, size):
    log = []
    recorder(backend, log).fit(column(10), column(10), validation_split=split, verbose=0)
    assert seen(log, "V") == [list(range(10 - size, 10))]
