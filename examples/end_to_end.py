"""The guide's first end-to-end example ("API 概述：第一个端到端示例", seed 000), on real
handwritten digits that are already on this machine.

The guide trains a 784-64-64-10 MLP on MNIST with RMSprop, sparse categorical
crossentropy and accuracy, `fit(batch_size=64, epochs=2, validation_data=...)`, then
`evaluate` and `predict`. MNIST must be downloaded (`keras.datasets.mnist.load_data()`
does that, or tells you where to put the file), so this example uses MNIST's little
sibling instead: scikit-learn's 8x8 handwritten digits (`sklearn.datasets.load_digits`,
1,797 real scans of the same ten digits, from the UCI "Optical Recognition of
Handwritten Digits" set), which ships inside scikit-learn's wheel and needs no network.
The images are 8x8 with grey levels 0..16, so the input is 64 wide instead of 784 and
the scaling is /16 instead of /255; everything else is the guide's code, with only the
import line changed.

Run: `python examples/end_to_end.py` (a few seconds). Swap the import for
`import tf_keras as keras` to see the same workflow on real Keras 2. With
`--logdir logs` the fit also writes TensorBoard logs (the guide's TensorBoard callback):
`tensorboard --logdir logs` shows them.
"""
import argparse

from sklearn.datasets import load_digits

import refkeras as keras
from refkeras import layers

keras.utils.set_random_seed(1337)   # the same numbers on every run
parser = argparse.ArgumentParser(description="The guide's end-to-end example on real digits.")
parser.add_argument("--logdir", help="also write TensorBoard logs to this folder")
log_dir = parser.parse_args().logdir

inputs = keras.Input(shape=(64,), name="digits")
x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
x = layers.Dense(64, activation="relu", name="dense_2")(x)
outputs = layers.Dense(10, activation="softmax", name="predictions")(x)

model = keras.Model(inputs=inputs, outputs=outputs)

# Real data, bundled with scikit-learn: 1,797 8x8 images of the digits 0-9.
digits = load_digits()
images, labels = digits.images, digits.target

# Preprocess like the guide: flatten, float32, scale the grey levels to [0, 1]; the last
# 300 images are the test set (the guide's MNIST comes already split).
images = images.reshape(len(images), 64).astype("float32") / 16
labels = labels.astype("float32")
x_train, y_train = images[:-300], labels[:-300]
x_test, y_test = images[-300:], labels[-300:]

# Reserve the last 300 training samples for validation (the guide reserves 10,000 of 60,000).
x_val = x_train[-300:]
y_val = y_train[-300:]
x_train = x_train[:-300]
y_train = y_train[:-300]

model.compile(
    optimizer=keras.optimizers.RMSprop(),  # Optimizer
    # Loss function to minimize
    loss=keras.losses.SparseCategoricalCrossentropy(),
    # List of metrics to monitor
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)

print("Fit model on training data")
history = model.fit(
    x_train,
    y_train,
    batch_size=64,
    epochs=2,
    # We pass some validation for monitoring validation loss and metrics
    # at the end of each epoch
    validation_data=(x_val, y_val),
    callbacks=[keras.callbacks.TensorBoard(log_dir=log_dir)] if log_dir else None,
)

print(history.history)

# Evaluate the model on the test data using `evaluate`
print("Evaluate on test data")
results = model.evaluate(x_test, y_test, batch_size=128)
print("test loss, test acc:", results)

# Generate predictions (probabilities -- the output of the last layer)
# on new data using `predict`
print("Generate predictions for 3 samples")
predictions = model.predict(x_test[:3])
print("predictions shape:", predictions.shape)
