"""The tf_keras backend: real Keras 2 (the tf_keras package) on TensorFlow.

The only module of the suite that imports TensorFlow. ``TF_USE_LEGACY_KERAS=1``
makes ``tf.keras`` the same Keras 2 as ``tf_keras`` (TensorFlow 2.16+ otherwise
maps it to Keras 3).
"""
import os

import numpy as np


class TfKerasAdapter:
    name = "tf_keras"
    capabilities = frozenset({"gradient_tape", "custom_gradient", "variables", "tf_ops",
                              "add_metric", "symbolic_add_loss", "reset_states"})

    def __init__(self):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        import tensorflow as tf
        import tf_keras
        tf.get_logger().setLevel("ERROR")
        self.tf = tf
        self.keras = tf_keras
        self.version = f"tf_keras {tf_keras.__version__}, tensorflow {tf.__version__}"

    def to_numpy(self, x):
        if isinstance(x, self.tf.IndexedSlices):   # sparse gradients of gather
            x = self.tf.convert_to_tensor(x)
        return x.numpy() if hasattr(x, "numpy") else np.asarray(x)

    def reset(self, seed=0):
        self.keras.backend.clear_session()
        self.keras.utils.set_random_seed(seed)


def ADAPTER():
    return TfKerasAdapter()
