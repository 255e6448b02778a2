"""The checks the losses rely on in ``nn_ops.sparse_softmax_cross_entropy_with_logits``
(TensorFlow's label-shape ValueError and label-range InvalidArgumentError)."""
import numpy as np
import pytest

from refkeras import ops
from refkeras.framework.errors import InvalidArgumentError


def test_labels_outside_the_range():
    logits = ops.zeros((2, 3))
    with pytest.raises(InvalidArgumentError) as info:
        ops.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 3], logits=logits)
    assert str(info.value) == ("Received a label value of 3 which is outside the valid range of "
                               "[0, 3).  Label values: 0 3 [Op:SparseSoftmaxCrossEntropyWithLogits]")


def test_labels_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"labels.shape=\(3,\) and logits.shape=\(2, 3\)"):
        ops.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2], logits=ops.zeros((2, 3)))


def test_values_and_gradient_still_hold():
    logits = ops.constant([[1.0, 2.0, 3.0]])
    out = ops.nn.sparse_softmax_cross_entropy_with_logits(labels=[2], logits=logits)
    expected = -np.log(np.exp(3.0) / np.exp([1.0, 2.0, 3.0]).sum())
    np.testing.assert_allclose(out.numpy(), [expected], rtol=1e-6)
