"""The keras3 backends: Keras 3 (the ``keras`` package from PyPI) on TensorFlow or JAX.

Issue 10: the Keras 2 to Keras 3 divergence report. ``KERAS_BACKEND`` picks Keras 3's
backend (``tensorflow`` here); ``TF_USE_LEGACY_KERAS`` must be unset so that Keras 3 is
what ``import keras`` gives. The ``tf`` namespace is TensorFlow itself: the seed guides'
``tf.GradientTape``, ``tf.reduce_mean`` ... work on Keras 3's TensorFlow backend.

Capabilities Keras 3 lacks: ``add_metric`` (Layer/Model.add_metric were removed),
``symbolic_add_loss`` (``model.add_loss(symbolic_tensor)`` on a functional model) and
``reset_states`` (the Keras 2 alias of ``Metric.reset_state``).
"""
import os

from conformance.adapters.tf_keras_adapter import TfKerasAdapter


class Keras3Adapter(TfKerasAdapter):
    """TensorFlow's conversions are tf_keras's (inherited)."""

    name = "keras3"
    capabilities = frozenset({"gradient_tape", "custom_gradient", "variables", "tf_ops"})

    def __init__(self, backend="tensorflow"):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ["KERAS_BACKEND"] = backend
        if os.environ.get("TF_USE_LEGACY_KERAS") == "1":
            del os.environ["TF_USE_LEGACY_KERAS"]
        import keras
        import tensorflow as tf
        tf.get_logger().setLevel("ERROR")
        if keras.backend.backend() != backend:
            raise RuntimeError(f"Keras 3 was imported with backend {keras.backend.backend()!r} "
                               f"before this adapter asked for {backend!r}.")
        self.tf = tf
        self.keras = keras
        self.version = f"keras {keras.__version__} ({backend}), tensorflow {tf.__version__}"

    def reset(self, seed=0):
        # Keras 3's clear_session also runs a full gc.collect() by default: seconds per
        # test late in a long run, and nothing a clause depends on.
        self.keras.utils.clear_session(free_memory=False)
        self.keras.utils.set_random_seed(seed)


class Keras3JaxAdapter(Keras3Adapter):
    """Keras 3 on JAX: ``KERAS_BACKEND=jax``, one backend per process.

    ``tf`` stays TensorFlow: tests build data with ``tf.constant`` and ``tf.data``, and
    Keras 3 on JAX accepts tf.data Datasets and numpy. What this backend lacks beside the
    keras3 ones (``add_metric``, ``symbolic_add_loss``, ``reset_states``):

    * ``gradient_tape``: layers, losses, models and optimizers compute with JAX arrays,
      which a ``tf.GradientTape`` cannot record (it returns None gradients for them);
      Keras 3 on JAX takes gradients with ``jax.grad`` of a pure function instead.
    * ``custom_gradient``: ``tf.custom_gradient`` only acts inside a TensorFlow tape, so
      it has nothing to do without ``gradient_tape``.

    ``variables`` and ``tf_ops`` are kept: those clauses test TensorFlow's own
    ``tf.Variable`` and ops, which work the same whatever Keras backend is loaded.
    """

    name = "keras3_jax"
    capabilities = frozenset({"variables", "tf_ops"})

    def __init__(self):
        super().__init__(backend="jax")


def ADAPTER():
    return Keras3Adapter()


def ADAPTER_JAX():
    return Keras3JaxAdapter()
