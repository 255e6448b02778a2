"""GradientTape internals: records are plain data, recorded only when they matter."""
import threading

import numpy as np
import pytest

from refkeras import GradientTape, Variable, custom_gradient, ops
from refkeras.autodiff import TapeRecord, tape_stack


def test_records_are_plain_data_named_after_tensorflow_ops():
    w = Variable(np.ones((3, 2), np.float32))
    x = ops.constant(np.ones((4, 3), np.float32))
    with GradientTape() as tape:
        y = ops.reduce_mean(ops.nn.relu(ops.matmul(x, w)))
    assert [r.op for r in tape._records] == ["ReadVariableOp", "MatMul", "Relu", "Mean"]
    mean = tape._records[-1]
    assert isinstance(mean, TapeRecord) and mean.attrs == {"axes": (0, 1), "keepdims": False}
    assert mean.outputs == (y,)
    assert tape._records[1].inputs[0] is x


def test_nothing_is_recorded_without_a_watched_input():
    x = ops.constant(2.0)
    with GradientTape() as tape:
        _ = x * x + 1.0
    assert tape._records == []


def test_integer_and_bool_results_are_not_recorded():
    x = ops.constant([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        _ = ops.argmax(x), x > 1.0, ops.cast(x, "int32")
    assert tape._records == []


def test_no_tape_is_active_outside_a_with_block():
    with GradientTape():
        assert len(tape_stack.active()) == 1
    assert tape_stack.active() == ()


def test_each_thread_has_its_own_tapes():
    seen = []
    with GradientTape():
        t = threading.Thread(target=lambda: seen.append(tape_stack.active()))
        t.start()
        t.join()
    assert seen == [()]


def test_non_persistent_tape_frees_its_records_after_gradient():
    x = ops.constant(3.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    assert tape._records == [] and tape._watched == {}


def test_custom_gradient_records_one_op_and_not_its_inside():
    @custom_gradient
    def f(x):
        return ops.exp(x) * 2.0, lambda dy: dy
    x = ops.constant(1.0)
    with GradientTape() as tape:
        tape.watch(x)
        f(x)
    assert [r.op for r in tape._records] == ["CustomGradient"]


def test_tape_cannot_be_entered_twice():
    tape = GradientTape()
    with tape, pytest.raises(ValueError, match="already recording"):
        tape.__enter__()


def test_stop_recording_outside_the_block_is_an_error():
    tape = GradientTape()
    with pytest.raises(RuntimeError, match="inside the tape"), tape.stop_recording():
        pass


def test_wrong_output_gradients_are_rejected_before_anything_is_computed():
    x = ops.constant([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(ValueError, match="does not match its target's shape"):
        tape.gradient(y, x, output_gradients=ops.ones((3,)))
    assert float(ops.reduce_sum(tape.gradient(y, x))) == 6.0


def test_matmul_skips_the_gradient_of_an_input_no_source_depends_on(monkeypatch):
    from refkeras.autodiff import backprop, gradient_rule
    seen = []
    rule = gradient_rule("MatMul")
    monkeypatch.setattr(backprop, "gradient_rule",
                        lambda name: (lambda op, *dy: seen.append(op.skip_input_indices)
                                      or gradient_rule(name)(op, *dy)))
    x = ops.constant(np.ones((4, 3), np.float32))
    w = Variable(np.ones((3, 2), np.float32))
    with GradientTape() as tape:
        y = ops.matmul(x, w)
    assert float(ops.reduce_sum(tape.gradient(y, w))) == 24.0
    assert (0,) in seen                                  # x: no gradient asked for
    dy = ops.ones((4, 2))
    with GradientTape() as t2:
        t2.watch(x)
        ops.matmul(x, w)
    record = t2._records[-1]._replace(skip_input_indices=(0,))
    assert rule(record, dy)[0] is None and rule(record, dy)[1] is not None
