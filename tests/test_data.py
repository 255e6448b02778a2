"""refkeras.data.Dataset: sources, transformations, cardinality (the rules measured on
tf.data 2.21 are in the module docstring)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkeras.compat import tf
from refkeras.data import Dataset

X = np.arange(10, dtype=np.float32).reshape(5, 2)
Y = np.arange(5)


def numbers(dataset):
    return [int(y) for _, y in dataset]


def test_slices_of_a_tuple_keep_dtypes_and_structure():
    x, y = next(iter(Dataset.from_tensor_slices((X, Y))))
    assert x.dtype.name == "float32" and y.dtype.name == "int64"
    np.testing.assert_array_equal(x.numpy(), [0.0, 1.0])


def test_lists_are_arrays_not_structure():
    first = next(iter(Dataset.from_tensor_slices(([1.0, 2.0], [3, 4]))))
    assert isinstance(first, tuple) and first[0].dtype.name == "float32"


def test_dict_elements():
    element = next(iter(Dataset.from_tensor_slices({"a": X, "b": Y})))
    assert set(element) == {"a", "b"} and int(element["b"]) == 0


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError, match="Dimensions 5 and 3 are not compatible"):
        Dataset.from_tensor_slices((X, Y[:3]))


@given(n=st.integers(0, 20), batch=st.integers(1, 7), drop=st.booleans())
def test_batch_sizes_and_cardinality(n, batch, drop):
    ds = Dataset.from_tensor_slices(np.arange(n)).batch(batch, drop_remainder=drop)
    sizes = [len(b.numpy()) for b in ds]
    expected = [batch] * (n // batch) + ([] if drop or n % batch == 0 else [n % batch])
    assert sizes == expected and len(ds) == len(expected)


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError, match="batch_size=0"):
        Dataset.range(3).batch(0)


@given(n=st.integers(1, 30), buffer=st.integers(1, 40), seed=st.integers(0, 100))
def test_shuffle_is_a_permutation_and_reshuffles(n, buffer, seed):
    ds = Dataset.from_tensor_slices((X[:1].repeat(n, 0), np.arange(n))).shuffle(buffer, seed=seed)
    first, second = numbers(ds), numbers(ds)
    assert sorted(first) == sorted(second) == list(range(n))


def test_shuffle_buffer_of_one_keeps_order():
    assert numbers(Dataset.from_tensor_slices((X, Y)).shuffle(1)) == [0, 1, 2, 3, 4]


def test_fixed_order_when_not_reshuffling():
    ds = Dataset.from_tensor_slices((X, Y)).shuffle(5, seed=3, reshuffle_each_iteration=False)
    assert numbers(ds) == numbers(ds)


def test_same_seed_same_order_in_a_fresh_session():
    tf.random.set_seed(1)
    a = numbers(Dataset.from_tensor_slices((X, Y)).shuffle(5))
    tf.random.set_seed(1)
    b = numbers(Dataset.from_tensor_slices((X, Y)).shuffle(5))
    assert a == b


def test_map_unpacks_tuples():
    ds = Dataset.from_tensor_slices((X, Y)).map(lambda x, y: (x * 2, y + 1))
    x, y = next(iter(ds))
    np.testing.assert_array_equal(x.numpy(), [0.0, 2.0])
    assert int(y) == 1


def test_repeat_take_skip_cardinality():
    ds = Dataset.range(5)
    assert int(ds.repeat().cardinality()) == -1
    assert len(ds.repeat(3)) == 15 and len(ds.take(2)) == 2 and len(ds.skip(3)) == 2
    assert int(ds.repeat().take(7).cardinality()) == 7
    assert list(ds.repeat().take(7).as_numpy_iterator()) == [0, 1, 2, 3, 4, 0, 1]
    with pytest.raises(TypeError, match="infinite"):
        len(ds.repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(ds.filter(lambda v: v > 1))


def test_unbatch_and_filter_and_zip():
    assert list(Dataset.range(5).batch(2).unbatch().as_numpy_iterator()) == [0, 1, 2, 3, 4]
    assert list(Dataset.range(5).filter(lambda v: v % 2 == 0).as_numpy_iterator()) == [0, 2, 4]
    zipped = Dataset.zip((Dataset.range(3), Dataset.range(10)))
    assert len(zipped) == 3


def test_cache_replays_the_first_pass():
    calls = []

    def record(v):
        calls.append(int(v))
        return v
    ds = Dataset.range(3).map(record).cache()
    assert list(ds.as_numpy_iterator()) == list(ds.as_numpy_iterator()) == [0, 1, 2]
    assert calls == [0, 1, 2]


def test_prefetch_changes_nothing():
    assert list(Dataset.range(3).prefetch(tf.data.AUTOTUNE).as_numpy_iterator()) == [0, 1, 2]
