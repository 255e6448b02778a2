"""The small model and scripted-logs callback the callback unit tests share (the same
model as the conformance callback tests): Dense(1) on 2 features, 8 samples."""
import numpy as np

import refkeras as keras

X = np.arange(16, dtype="float32").reshape(8, 2) / 16
Y = np.ones((8, 1), dtype="float32")


def small_model(optimizer=None):
    """Dense(1) on 2 features, kernel of ones, SGD(0.1) unless told, mse."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer or keras.optimizers.SGD(0.1), "mse")
    return model


class Script(keras.callbacks.Callback):
    """Sets logs[key] = values[epoch] at every epoch end, before later callbacks see them."""

    def __init__(self, key, values):
        super().__init__()
        self.key, self.values = key, values

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]
