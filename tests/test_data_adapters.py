"""Engine tests of the data adapters and the EpochIterator (refkeras/trainers/).

The rules are tf_keras 2.21's, measured there (see the FIT.*, WEIGHTING.* and PIT.*
clauses of docs/spec.md); these tests pin refkeras's implementation of them directly,
without a model.
"""
import logging

import numpy as np
import pandas as pd
import pytest

import refkeras as keras
from refkeras.data import Dataset
from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.trainers.data_adapters import (
    ArrayDataAdapter,
    DatasetAdapter,
    GeneratorDataAdapter,
    SequenceAdapter,
    get_data_adapter,
    train_validation_split,
)
from refkeras.trainers.epoch_iterator import EpochIterator

RAN_OUT = ("Your input ran out of data; interrupting training. Make sure that your dataset or "
           "generator can generate at least `steps_per_epoch * epochs` batches (in this case, "
           "{} batches). You may need to use the repeat() function when building your dataset.")


def firsts(iterator):
    """The x values of one epoch's batches, as lists."""
    return [np.asarray(batch[0] if isinstance(batch, tuple) else batch).tolist()
            for _, batch in iterator.enumerate_epoch()]


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(0)


# --------------------------------------------------------------------- batching
@pytest.mark.parametrize(("n", "batch_size", "sizes"), [
    (10, 4, [4, 4, 2]), (70, None, [32, 32, 6]), (64, None, [32, 32]), (65, None, [32, 32, 1]),
    (3, 5, [3])])
def test_arrays_are_cut_into_batches_with_a_smaller_last_one(n, batch_size, sizes):
    it = EpochIterator(np.arange(n), np.arange(n), batch_size=batch_size)
    assert it.num_batches == len(sizes)
    assert [len(b) for b in firsts(it)] == sizes


def test_only_steps_given_makes_the_batch_size_ceil_n_over_steps():
    it = EpochIterator(np.arange(10), steps_per_epoch=3)
    assert it.batch_size == 4 and it.num_batches == 3


def test_batches_are_packed_as_train_step_receives_them():
    x, y, w = np.arange(4.0), np.arange(4.0), np.ones(4)
    [(_, alone)] = EpochIterator(x, batch_size=4).enumerate_epoch()
    [(_, pair)] = EpochIterator(x, y, batch_size=4).enumerate_epoch()
    [(_, triple)] = EpochIterator(x, y, w, batch_size=4).enumerate_epoch()
    [(_, wrapped)] = EpochIterator((x, x), batch_size=4).enumerate_epoch()
    assert isinstance(alone, np.ndarray)
    assert len(pair) == 2 and len(triple) == 3
    assert isinstance(wrapped, tuple) and len(wrapped) == 1 and len(wrapped[0]) == 2


def test_structures_are_kept_lists_become_tuples_and_floats_float32():
    x = {"a": np.arange(4.0), "b": np.arange(4)}
    [(_, (bx, by))] = EpochIterator(x, [np.arange(4.0), np.arange(4.0)],
                                    batch_size=4).enumerate_epoch()
    assert set(bx) == {"a", "b"} and bx["a"].dtype == np.float32 and bx["b"].dtype == np.int64
    assert isinstance(by, tuple) and len(by) == 2


def test_a_list_of_numbers_is_one_array():
    [(_, (bx, by))] = EpochIterator([1.0, 2.0, 3.0], [1, 2, 3], batch_size=3).enumerate_epoch()
    assert bx.dtype == np.float32 and bx.tolist() == [1, 2, 3] and by.dtype == np.int64


def test_tensors_keep_their_dtype():
    t = convert_to_tensor(np.arange(4.0))
    [(_, batch)] = EpochIterator(t, batch_size=4).enumerate_epoch()
    assert batch.dtype == np.float64


def test_pandas_like_tf_keras_dataframe_as_is_series_gains_an_axis():
    df = pd.DataFrame({"a": np.arange(4.0), "b": np.arange(4)})
    [(_, (bx, by))] = EpochIterator(df, pd.Series(np.arange(4.0)), batch_size=4).enumerate_epoch()
    assert bx.shape == (4, 2) and bx.dtype == np.float64
    assert by.shape == (4, 1) and by.dtype == np.float32


# --------------------------------------------------------------------- shuffling
def test_shuffle_true_draws_a_new_permutation_every_epoch_keeping_pairs():
    x = np.arange(10)
    it = EpochIterator(x, x * 10, batch_size=4, shuffle=True, epochs=2)
    epochs = []
    for _ in range(2):
        batches = [b for _, b in it.enumerate_epoch()]
        assert all((by == bx * 10).all() for bx, by in batches)
        epochs.append(np.concatenate([bx for bx, _ in batches]).tolist())
    assert sorted(epochs[0]) == list(range(10)) and sorted(epochs[1]) == list(range(10))
    assert epochs[0] != epochs[1] and epochs[0] != list(range(10))


def test_shuffle_false_keeps_the_order():
    it = EpochIterator(np.arange(10), batch_size=4, shuffle=False, epochs=2)
    assert firsts(it) == firsts(it) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_shuffle_batch_keeps_chunks_together_and_pairs_intact():
    x = np.arange(10)
    it = EpochIterator(x, x * 10, batch_size=4, shuffle="Batch", epochs=3)
    orders = []
    for _ in range(3):
        batches = [b for _, b in it.enumerate_epoch()]
        assert all((by == bx * 10).all() for bx, by in batches)
        assert sorted(sorted(bx.tolist()) for bx, _ in batches) == [
            [0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
        orders.append([bx.tolist() for bx, _ in batches])
    assert len({str(o) for o in orders}) > 1


@pytest.mark.parametrize("shuffle", ["yes", 2, "full"])
def test_shuffle_other_values_are_refused(shuffle):
    with pytest.raises(ValueError, match="`shuffle` must be True, False or \"batch\""):
        EpochIterator(np.arange(4), shuffle=shuffle)


# --------------------------------------------------------------------- steps and running out
def test_arrays_with_steps_per_epoch_read_on_across_epochs(caplog):
    it = EpochIterator(np.arange(10), batch_size=4, steps_per_epoch=2, epochs=3)
    assert firsts(it) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert firsts(it) == [[8, 9], [0, 1, 2, 3]]
    assert not it.ran_out and not caplog.records


def test_arrays_run_out_after_epochs_passes(caplog):
    it = EpochIterator(np.arange(10), batch_size=4, steps_per_epoch=5, epochs=2)
    with caplog.at_level(logging.WARNING):
        assert len(firsts(it)) == 5
        assert firsts(it) == [[8, 9]]
    assert it.ran_out
    assert [r.getMessage() for r in caplog.records] == [RAN_OUT.format(10)]
    assert firsts(it) == []       # sticky: later epochs get nothing


def _ds(n=10, batch=4):
    return Dataset.from_tensor_slices((np.arange(n), np.arange(n))).batch(batch)


def test_a_dataset_is_iterated_afresh_each_epoch():
    it = EpochIterator(_ds(), epochs=2)
    assert it.num_batches == 3
    assert firsts(it) == firsts(it) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_a_dataset_with_steps_is_not_reset_and_runs_out(caplog):
    it = EpochIterator(_ds(), steps_per_epoch=2, epochs=3)
    with caplog.at_level(logging.WARNING):
        assert firsts(it) == [[0, 1, 2, 3], [4, 5, 6, 7]]
        assert firsts(it) == [[8, 9]]
    assert it.ran_out and [r.getMessage() for r in caplog.records] == [RAN_OUT.format(6)]


def test_a_dataset_with_steps_equal_to_its_length_is_recreated():
    it = EpochIterator(_ds(), steps_per_epoch=3, epochs=2)
    assert firsts(it) == firsts(it)


def test_evaluation_restarts_every_call():
    it = EpochIterator(_ds(), steps_per_epoch=2, purpose="evaluate")
    assert firsts(it) == firsts(it) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_unknown_length_is_learnt_from_the_first_epoch():
    ds = _ds().unbatch().filter(lambda a, b: a < 100).batch(4)
    it = EpochIterator(ds, epochs=2)
    assert it.num_batches is None
    assert len(firsts(it)) == 3 and it.num_batches == 3 and len(firsts(it)) == 3


def test_a_generator_is_peeked_exhausted_and_runs_out(caplog):
    def gen():
        for i in range(0, 10, 4):
            yield np.arange(i, min(i + 4, 10)), np.zeros(min(4, 10 - i))
    it = EpochIterator(gen(), epochs=2)
    assert it.num_batches is None
    assert firsts(it) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] and it.num_batches == 3
    with caplog.at_level(logging.WARNING):
        assert firsts(it) == []
    assert it.ran_out and [r.getMessage() for r in caplog.records] == [RAN_OUT.format(6)]


def test_generator_batches_are_standardized():
    adapter = GeneratorDataAdapter(iter([[np.zeros(2), np.ones(2), None]]))
    [batch] = list(adapter.make_iterator())
    assert isinstance(batch, tuple) and len(batch) == 2 and batch[1].dtype == np.float32


class Recorded(keras.utils.Sequence):
    def __init__(self):
        self.calls, self.ends = [], 0

    def __len__(self):
        return 3

    def __getitem__(self, i):
        self.calls.append(i)
        return np.full(2, i), np.zeros(2)

    def on_epoch_end(self):
        self.ends += 1


def test_a_sequence_reads_batch_0_first_and_calls_on_epoch_end():
    seq = Recorded()
    it = EpochIterator(seq, shuffle=False, epochs=2)
    assert seq.calls == [0] and it.num_batches == 3
    assert [b[0] for b in firsts(it)] == [0, 1, 2]
    it.on_epoch_end()
    assert seq.ends == 1


def test_a_sequence_shuffles_its_batch_order_each_epoch():
    it = EpochIterator(Recorded(), shuffle=True, epochs=6)
    orders = {tuple(b[0] for b in firsts(it)) for _ in range(6)}
    assert all(sorted(o) == [0, 1, 2] for o in orders) and len(orders) > 1


def test_a_sequence_restarts_each_epoch_with_fewer_steps():
    it = EpochIterator(Recorded(), shuffle=False, steps_per_epoch=2, epochs=2)
    assert [b[0] for b in firsts(it)] == [b[0] for b in firsts(it)] == [0, 1]


# --------------------------------------------------------------------- class weights
def _weights(class_weight, y, sample_weight=None):
    [(_, (_, _, sw))] = EpochIterator(np.zeros(len(y)), y, sample_weight, batch_size=len(y),
                                      class_weight=class_weight).enumerate_epoch()
    return np.asarray(sw).tolist()


def test_class_weight_by_value_argmax_and_rounding():
    cw = {0: 1.0, 1: 2.0, 2: 0.5}
    assert _weights(cw, np.array([0, 1, 2, 1])) == [1.0, 2.0, 0.5, 2.0]
    assert _weights(cw, np.eye(3)[[0, 1, 2, 1]]) == [1.0, 2.0, 0.5, 2.0]
    assert _weights({0: 1.0, 1: 3.0}, np.array([[0.0], [0.4], [0.6], [1.0]])) == [1, 1, 3, 3]


def test_class_weight_multiplies_sample_weight():
    cw = {0: 1.0, 1: 2.0}
    assert _weights(cw, np.array([0, 1, 1]), np.array([2.0, 3.0, 0.0])) == [2.0, 6.0, 0.0]
    assert _weights(cw, np.array([0, 1]), np.array([[2.0], [3.0]])) == [[2.0], [6.0]]


def test_class_weight_on_dataset_batches():
    ds = Dataset.from_tensor_slices((np.zeros(3), np.array([0, 1, 1]))).batch(3)
    [(_, (_, _, sw))] = EpochIterator(ds, class_weight={0: 1.0, 1: 2.0}).enumerate_epoch()
    assert sw.tolist() == [1.0, 2.0, 2.0]


@pytest.mark.parametrize("cw", [{1: 1.0, 2: 1.0, 3: 1.0}, {0: 1.0, 2: 1.0}, {"0": 1.0, "1": 1.0},
                                {-1: 1.0, 0: 1.0, 1: 1.0}, {0: 1.0, "1": 1.0}])
def test_class_weight_keys_must_be_0_to_k_minus_1(cw):
    with pytest.raises(ValueError, match="Expected `class_weight` to be a dict with keys from 0 "
                                         "to one less than the number of classes, found"):
        EpochIterator(np.zeros(3), np.array([0, 1, 1]), class_weight=cw)


def test_class_weight_extra_and_float_keys_are_accepted():
    assert _weights({0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0}, np.array([0, 1])) == [1.0, 2.0]
    assert _weights({0.0: 1.0, 1.0: 2.0}, np.array([0, 1])) == [1.0, 2.0]


def test_a_class_missing_from_class_weight_fails_before_training():
    with pytest.raises(InvalidArgumentError, match="no weight for class 2"):
        EpochIterator(np.zeros(3), np.array([0, 1, 2]), class_weight={0: 1.0, 1: 1.0})


def test_class_weight_needs_a_single_target():
    with pytest.raises(ValueError, match="only supported for Models with a single output"):
        EpochIterator(np.zeros(3), [np.zeros(3), np.zeros(3)], class_weight={0: 1.0})
    with pytest.raises(ValueError, match="`class_weight` needs targets"):
        EpochIterator(np.zeros(3), class_weight={0: 1.0})


# --------------------------------------------------------------------- validation split
@pytest.mark.parametrize(("n", "split", "val"), [
    (10, 0.25, [7, 8, 9]), (7, 0.3, [4, 5, 6]), (3, 0.5, [1, 2]), (9, 0.5, [4, 5, 6, 7, 8]),
    (10, 0.35, [6, 7, 8, 9]), (5, 0.1, [4]), (100, 0.07, list(range(93, 100)))])
def test_validation_split_holds_out_the_tail(n, split, val):
    (tx, _ty, tw), (vx, vy, vw) = train_validation_split((np.arange(n), np.arange(n), None), split)
    assert vx.tolist() == vy.tolist() == val and tx.tolist() == list(range(n - len(val)))
    assert tw is None and vw is None


@pytest.mark.parametrize(("n", "split"), [(10, 1.0), (10, 0.99), (1, 0.5), (10, 0.0)])
def test_validation_split_leaving_an_empty_part_is_an_error(n, split):
    with pytest.raises(ValueError, match=f"Training data contains {n} samples, which is not "
                                         "sufficient to split it"):
        train_validation_split((np.arange(n),), split)


@pytest.mark.parametrize("split", [1.5, -0.2, "0.2"])
def test_validation_split_out_of_range_is_refused(split):
    with pytest.raises(ValueError, match="`validation_split` must be a float between 0 and 1"):
        train_validation_split((np.arange(10),), split)


def test_validation_split_only_for_arrays():
    def gen():
        yield np.zeros(2)
    for data, name in [(_ds(), "Dataset"), (gen(), "generator"), (Recorded(), "Recorded"),
                       ([1.0, 2.0], "float")]:
        with pytest.raises(ValueError, match="`validation_split` is only supported for Tensors "
                                             rf"or NumPy arrays, .*{name}"):
            train_validation_split((data, None, None), 0.2)


def test_validation_split_accepts_pandas():
    _, (vx,) = train_validation_split((pd.DataFrame({"a": np.arange(10)}),), 0.2)
    assert vx["a"].tolist() == [8, 9]


# --------------------------------------------------------------------- bad input
def test_mismatched_sample_counts_name_every_size():
    with pytest.raises(ValueError) as info:
        EpochIterator(np.zeros(10), np.zeros(10), np.ones(7))
    assert str(info.value) == ("Data cardinality is ambiguous:\n  x sizes: 10\n  y sizes: 10\n"
                               "  sample_weight sizes: 7\nMake sure all arrays contain the same "
                               "number of samples.")
    with pytest.raises(ValueError, match="x sizes: 8, 5\n  y sizes: 8"):
        EpochIterator([np.zeros(8), np.zeros(5)], np.zeros(8))


@pytest.mark.parametrize("data", [np.zeros((0, 2)), Dataset.from_tensor_slices(np.zeros(0)),
                                  iter([])])
def test_empty_data_is_an_error(data):
    with pytest.raises(ValueError, match="Expected input data to be non-empty."):
        EpochIterator(data)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"batch_size": 0}, ValueError, "Expected batch_size to be positive. Received is 0."),
    ({"batch_size": -1}, ValueError, "Expected batch_size to be positive. Received is -1."),
    ({"batch_size": 2.5}, TypeError, "Expected batch_size to be an integer"),
    ({"steps_per_epoch": 0}, ValueError, ("steps_per_epoch must be positive, None or -1. "
                                         "Received 0. See `Model.fit`.")),
    ({"steps_per_execution": 0}, ValueError, "Expected steps_per_execution to be positive"),
    ({"purpose": "train"}, ValueError, "`purpose` must be one of"),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message.replace(".", r"\.").replace("(", r"\(")):
        EpochIterator(np.zeros(4), **kwargs)


def test_separate_targets_with_datasets_generators_and_sequences_are_errors():
    with pytest.raises(ValueError, match="`y` argument is not supported when using dataset"):
        EpochIterator(_ds(), np.zeros(10))
    with pytest.raises(ValueError, match="`sample_weight` argument is not supported when using "
                                         "dataset as input."):
        EpochIterator(_ds(), sample_weight=np.zeros(10))
    with pytest.raises(ValueError, match="`y` argument is not supported when using python "
                                         "generator as input."):
        EpochIterator(iter([np.zeros(2)]), np.zeros(2))
    with pytest.raises(ValueError, match="`y` argument is not supported when using "
                                         "`keras.utils.Sequence` as input."):
        EpochIterator(Recorded(), np.zeros(2))


def test_batch_size_is_ignored_for_datasets():
    assert firsts(EpochIterator(_ds(), batch_size=2)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_an_infinite_dataset_needs_steps():
    with pytest.raises(ValueError, match="When providing an infinite dataset, you must specify"):
        EpochIterator(_ds().repeat())
    assert len(firsts(EpochIterator(_ds().repeat(), steps_per_epoch=5))) == 5


def test_steps_per_execution_needs_a_known_length():
    with pytest.raises(ValueError, match="Could not infer the size of the data"):
        EpochIterator(iter([np.zeros(2)]), steps_per_execution=2)


def test_unknown_inputs_are_refused():
    with pytest.raises(ValueError, match="Failed to find data adapter that can handle input: "
                                         "<class 'object'>, <class 'NoneType'>"):
        EpochIterator(object())


def test_the_dispatch_table():
    def gen():
        yield np.zeros(2)
    assert isinstance(get_data_adapter(_ds()), DatasetAdapter)
    assert isinstance(get_data_adapter(Recorded()), SequenceAdapter)
    assert isinstance(get_data_adapter(gen()), GeneratorDataAdapter)
    assert isinstance(get_data_adapter({"a": np.zeros(2)}), ArrayDataAdapter)


def test_utils_exports_pack_and_unpack():
    assert keras.utils.unpack_x_y_sample_weight([1, 2]) == (1, 2, None)
    assert keras.utils.pack_x_y_sample_weight(1, 2, 3) == (1, 2, 3)
    with pytest.raises(ValueError, match="Data is expected to be in format"):
        keras.utils.unpack_x_y_sample_weight((1, 2, 3, 4))


def test_evaluate_and_predict_passes_end_the_sequences_epoch():
    seq = Recorded()
    it = EpochIterator(seq, purpose="evaluate")
    assert len(firsts(it)) == 3 and seq.ends == 1
    fit = EpochIterator(Recorded(), purpose="fit")
    firsts(fit)
    assert fit._adapter._sequence.ends == 0     # fit's trainer calls on_epoch_end itself
