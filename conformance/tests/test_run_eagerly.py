"""``run_eagerly``: the traced step and the eager step give the same training.

tf_keras compiles ``fit``/``evaluate``/``predict`` with ``tf.function`` unless the model
is compiled with ``run_eagerly=True``; refkeras replays traced plans unless told the
same. Either way the numbers must not depend on it.
"""
import numpy as np

from conformance import clause

N, FEATURES, CLASSES = 40, 6, 3


def _data():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((N, FEATURES)).astype(np.float32)
    y = rng.integers(0, CLASSES, N).astype(np.float32)
    return x, y


def _model(keras, weights=None):
    keras.backend.clear_session()
    model = keras.Sequential([
        keras.Input(shape=(FEATURES,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(CLASSES, activation="softmax")])
    if weights is not None:
        model.set_weights(weights)
    return model


def _run(keras, eager, weights, x, y):
    model = _model(keras, weights)
    model.compile(optimizer=keras.optimizers.RMSprop(0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  run_eagerly=eager)
    history = model.fit(x, y, batch_size=6, epochs=3, validation_split=0.25, shuffle=False,
                        verbose=0)
    return model, history.history, model.evaluate(x, y, verbose=0), model.predict(x, verbose=0)


@clause("COMPILE.RUN_EAGERLY")
def test_run_eagerly_does_not_change_the_numbers(backend):
    keras = backend.keras
    x, y = _data()
    weights = _model(keras).get_weights()
    model, history, evaluated, predicted = _run(keras, False, weights, x, y)
    assert model.run_eagerly is False
    eager_model, eager_history, eager_evaluated, eager_predicted = _run(keras, True, weights, x, y)
    assert eager_model.run_eagerly is True
    assert history.keys() == eager_history.keys()
    for key in history:
        np.testing.assert_allclose(history[key], eager_history[key], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(evaluated, eager_evaluated, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(predicted, eager_predicted, rtol=1e-5, atol=1e-6)
    for a, b in zip(model.get_weights(), eager_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
