"""Changing the learning rate from a callback (OPT.LR_DYNAMIC).

Seed 000 "### 使用 callback 实现动态 LR schedule": the optimizer's current learning
rate can be changed from a callback. One Dense(1) without bias, kernel 1, on x = 1
with y = 0 and mse: each SGD step multiplies the kernel by (1 - 2 * lr), so the ratio
of the kernel before and after a batch reads the learning rate that batch used.
"""
import itertools

import numpy as np
import pytest

from conformance import clause

WAYS = ["attribute", "lr_attribute", "set_value", "assign", "lr_assign"]


def _set(keras, optimizer, way, value):
    if way == "attribute":
        optimizer.learning_rate = value
    elif way == "lr_attribute":
        optimizer.lr = value
    elif way == "set_value":
        keras.backend.set_value(optimizer.learning_rate, value)
    elif way == "assign":
        optimizer.learning_rate.assign(value)
    else:
        optimizer.lr.assign(value)


def _rates(backend, way, hook):
    """The learning rate each batch used, read back from the kernel's shrinking."""
    keras = backend.keras
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(
        1, use_bias=False, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    kernels = []

    class Change(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if hook == "batch" and batch == 1:
                _set(keras, self.model.optimizer, way, 0.01)
            kernels.append(float(backend.to_numpy(self.model.weights[0])[0, 0]))

        def on_epoch_begin(self, epoch, logs=None):
            if hook == "epoch" and epoch == 1:
                _set(keras, self.model.optimizer, way, 0.01)

    model.fit(np.ones((2, 1), np.float32), np.zeros((2, 1), np.float32), batch_size=1,
              epochs=2, shuffle=False, verbose=0, callbacks=[Change()])
    kernels.append(float(backend.to_numpy(model.weights[0])[0, 0]))
    return [(1 - after / before) / 2 for before, after in itertools.pairwise(kernels)]


@clause("OPT.LR_DYNAMIC")
@pytest.mark.parametrize("way", WAYS)
def test_a_rate_set_between_batches_is_used_by_the_next_update(backend, way):
    np.testing.assert_allclose(_rates(backend, way, "batch"), [0.1, 0.01, 0.01, 0.01],
                               rtol=1e-5)


@clause("OPT.LR_DYNAMIC")
@pytest.mark.parametrize("way", WAYS)
def test_a_rate_set_at_an_epoch_start_holds_for_that_epoch(backend, way):
    np.testing.assert_allclose(_rates(backend, way, "epoch"), [0.1, 0.1, 0.01, 0.01],
                               rtol=1e-5)
