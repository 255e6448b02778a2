"""refkeras: a teaching-grade reference implementation of the Keras 2 training API.

``import refkeras as keras`` gives the Keras namespace; ``from refkeras.compat import
tf`` gives the TensorFlow ops the Keras guides use. Package map, bottom up:

* ``framework/``  Tensor, Variable, dtypes, errors, conversion rules
* ``kernels/``    the numeric work (plain numpy reference; fused Numba loops)
* ``autodiff/``   GradientTape, tape records, the gradient table, custom_gradient
* ``ops/``        the op library, each op beside its gradient rule
* ``backend/``    the session: random state and default names
* ``engine/``     KerasTensor, Node and the call context: what makes layers a graph
* ``initializers/``, ``regularizers/``, ``constraints/``, ``activations/``
                  the pieces layers are configured with, by object or by string
* ``layers/``     Layer and the built-in layers, a folder per family
* ``losses/``, ``metrics/``, ``optimizers/`` (with ``optimizers/schedules/``)
                  what training minimises, reports and updates with
* ``models/``     Model, Functional, Sequential
* ``trainers/``   compile, fit, evaluate, predict: the training loop and its data
* ``callbacks/``  Callback, CallbackList, History, ProgbarLogger, ModelCheckpoint
* ``saving/``    weights files, model configs, .keras files, custom objects
* ``summary/``   TensorBoard event files (tf.summary's counterpart)
* ``data/``      Dataset: input pipelines (tf.data's counterpart)
* ``datasets/``  real data sets, fetched once and cached (mnist)
* ``utils/``      seeding, nested structures, summary() and plot_model
* ``compat/tf``   TensorFlow's names for all of the above
"""
from refkeras import (
                      activations,
                      backend,
                      callbacks,
                      constraints,
                      data,
                      datasets,
                      initializers,
                      layers,
                      losses,
                      metrics,
                      models,
                      ops,
                      optimizers,
                      regularizers,
                      saving,
                      utils,
)
from refkeras.autodiff import GradientTape, custom_gradient
from refkeras.engine.function import function
from refkeras.framework import Tensor, Variable
from refkeras.layers import Input
from refkeras.models import Model, Sequential

__version__ = "0.1.0"

__all__ = [
                      "GradientTape",
                      "Input",
                      "Model",
                      "Sequential",
                      "Tensor",
                      "Variable",
                      "__version__",
                      "activations",
                      "backend",
                      "callbacks",
                      "constraints",
                      "custom_gradient",
                      "data",
                      "datasets",
                      "function",
                      "initializers",
                      "layers",
                      "losses",
                      "metrics",
                      "models",
                      "ops",
                      "optimizers",
                      "regularizers",
                      "saving",
                      "utils",
]
