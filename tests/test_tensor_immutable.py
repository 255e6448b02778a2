"""A Tensor is immutable even to numpy code: np.array copies, np.asarray is read-only."""
import numpy as np
import pytest

from refkeras import ops


def test_np_array_copies():
    t = ops.constant([1.0, 2.0])
    a = np.array(t)
    a[0] = 99.0
    assert t.numpy().tolist() == [1.0, 2.0]


def test_np_asarray_is_a_read_only_view():
    t = ops.constant([1.0, 2.0])
    view = np.asarray(t)
    with pytest.raises(ValueError, match="read-only"):
        view[0] = 5.0
    assert t.numpy().tolist() == [1.0, 2.0]


def test_another_dtype_is_a_fresh_writable_array():
    converted = np.asarray(ops.constant([1.0, 2.0]), dtype="float64")
    converted[0] = 3.0
    assert converted.dtype == np.float64 and converted.tolist() == [3.0, 2.0]
