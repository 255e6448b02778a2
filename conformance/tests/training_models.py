"""The small models and data the training-loop tests share (test_compile.py,
test_fit.py, test_weighting.py, test_fit_bad_input.py).

Every model has weights set by ``set_weights`` from a seeded numpy generator, so the
expected numbers come from the float64 oracles of ``conformance/oracles/training.py``;
SGD(learning_rate=0) keeps them fixed through ``fit``. Not a test module: it builds
models through the adapter's ``keras`` only.
"""
import numpy as np

from conformance.numerics import assert_close
from conformance.oracles import training as oracle


def arrays(seed, *shapes, scale=1.0):
    rng = np.random.default_rng(seed)
    return [(scale * rng.standard_normal(s)).astype(np.float32) for s in shapes]


def one_hot(labels, classes):
    return np.eye(classes, dtype=np.float32)[np.asarray(labels)]


def frozen(keras):
    """An optimizer that changes nothing, so weights stay what the test set."""
    return keras.optimizers.SGD(learning_rate=0.0)


def linear(keras, kernel, bias=None, activation=None, name="linear"):
    """Sequential Input((d,)) -> Dense(units) with the given weights (float32)."""
    kernel = np.asarray(kernel, np.float32)
    bias = np.zeros(kernel.shape[1], np.float32) if bias is None else np.asarray(bias, np.float32)
    model = keras.Sequential([keras.Input((kernel.shape[0],)),
                              keras.layers.Dense(kernel.shape[1], activation=activation,
                                                 name="out")], name=name)
    model.set_weights([kernel, bias])
    return model


def identity(keras, units, activation=None):
    """Predictions equal the inputs (or their softmax): Dense with an identity kernel."""
    return linear(keras, np.eye(units), activation=activation)


class TwoHeads:
    """The seed's multi-output shape: inputs a_in (3,) and b_in (2,), concatenated;
    outputs score_output = Dense(1) and class_output = Dense(3, softmax)."""

    def __init__(self, keras, seed=0):
        a = keras.Input((3,), name="a_in")
        b = keras.Input((2,), name="b_in")
        h = keras.layers.Concatenate(name="concat")([a, b])
        score = keras.layers.Dense(1, name="score_output")(h)
        klass = keras.layers.Dense(3, activation="softmax", name="class_output")(h)
        self.model = keras.Model([a, b], [score, klass], name="two_heads")
        self.weights = arrays(seed, (5, 1), (1,), (5, 3), (3,), scale=0.7)
        self.model.set_weights(self.weights)

    def predict(self, xa, xb):
        """(score, class probabilities) in float64."""
        h = np.concatenate([xa, xb], axis=-1)
        ks, bs, kc, bc = self.weights
        return oracle.dense(h, ks, bs), oracle.dense(h, kc, bc, "softmax")


def two_heads_data(n=8, seed=1):
    """x = [xa, xb], y = [score targets, one-hot class targets], and the labels."""
    xa, xb, ys = arrays(seed, (n, 3), (n, 2), (n, 1))
    labels = np.random.default_rng(seed).integers(0, 3, n)
    return [xa, xb], [ys, one_hot(labels, 3)], labels


def close(actual, expected, message=""):
    """Compare a logged value (a Python float computed in float32) with a float64 oracle
    at float32 tolerance."""
    assert_close(np.float32(actual) if np.ndim(actual) == 0 else np.asarray(actual, np.float32),
                 expected, dtype="float32", message=message)


def snapshot(backend, model):
    """Copies of the model's weights and its optimizer's step count (None when the
    model has no optimizer yet)."""
    weights = [np.array(w, copy=True) for w in model.get_weights()]
    optimizer = getattr(model, "optimizer", None)
    steps = None if optimizer is None else int(backend.to_numpy(optimizer.iterations))
    return weights, steps


def assert_unchanged(backend, model, before):
    weights, steps = snapshot(backend, model)
    assert steps == before[1], f"optimizer.iterations moved from {before[1]} to {steps}"
    assert len(weights) == len(before[0])
    for old, new in zip(before[0], weights):
        np.testing.assert_array_equal(new, old, err_msg="a weight changed in a failed call")


__all__ = ["TwoHeads", "arrays", "assert_unchanged", "close", "frozen", "identity", "linear", "one_hot",
           "snapshot", "two_heads_data"]


def logs_script(keras, rows):
    """A callback that adds ``rows[epoch]`` (a dict) to the logs at every epoch end; it runs
    before the callbacks listed after it, so they see those values."""
    class Script(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs.update(rows[epoch])
    return Script()

