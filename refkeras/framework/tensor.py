"""Tensor: an immutable, eager, numpy-backed array, as ``tf.Tensor`` in eager mode.

Clauses: OPS.DTYPE_INFERENCE, TAPE.BASIC (docs/spec.md).

A Tensor is plain data: one numpy array, never modified after the Tensor is made.
Ops create new Tensors (``refkeras/ops``); a GradientTape remembers which ops
produced which Tensors (``refkeras/autodiff``). Tensors are unhashable, as in
TensorFlow 2, because ``==`` compares element-wise; use ``t.ref()`` as a dict key.

>>> from refkeras import ops
>>> t = ops.constant([[1.0, 2.0]])
>>> t
<tf.Tensor: shape=(1, 2), dtype=float32, numpy=array([[1., 2.]], dtype=float32)>
>>> t.shape, t.dtype.name, float(ops.reduce_sum(t))
(TensorShape([1, 2]), 'float32', 3.0)
"""
import numpy as np

from refkeras.framework.array_backed import ArrayBacked, numpy_text


class Tensor(ArrayBacked):
    # ``_keras_logits`` and ``_keras_mask`` are unset on most Tensors (reading one raises
    # AttributeError, so ``hasattr`` tells): keras.activations.softmax/sigmoid set the first
    # to their input, which the cross-entropy losses then use instead (refkeras/losses);
    # sparse_categorical_crossentropy(ignore_class=...) sets the second on its per-sample
    # losses, which the Loss base reads. Both as tf_keras sets them on eager tf.Tensors.
    __slots__ = ("_keras_logits", "_keras_mask", "_value")

    def __init__(self, value):
        # `value` is a numpy array of a supported dtype (ops guarantee the dtype). numpy
        # returns scalars, not 0-d arrays, from ufuncs on 0-d inputs: keep one type.
        self._value = value if type(value) is np.ndarray else np.asarray(value)

    def _as_tensor(self):
        return self

    def __repr__(self):
        return (f"<tf.Tensor: shape={tuple(self._value.shape)}, dtype={self._value.dtype.name}, "
                f"numpy={numpy_text(self._value)}>")

    def __str__(self):
        return f"tf.Tensor({self._value}, shape={tuple(self._value.shape)}, dtype={self._value.dtype.name})"

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self._value.shape[0]))


__all__ = ["Tensor"]
