"""refkeras: a teaching-grade reference implementation of the Keras 2 training API.

``import refkeras as keras`` gives the Keras namespace; ``from refkeras.compat import
tf`` gives the TensorFlow ops the Keras guides use. Package map, bottom up:

* ``framework/``  Tensor, Variable, dtypes, errors, conversion rules
* ``kernels/``    the numeric work (plain numpy reference; fused Numba loops)
* ``autodiff/``   GradientTape, tape records, the gradient table, custom_gradient
* ``ops/``        the op library, each op beside its gradient rule
* ``backend/``    the session: random state and default names
* ``compat/tf``   TensorFlow's names for all of the above
"""
from refkeras import backend, ops, utils
from refkeras.autodiff import GradientTape, custom_gradient
from refkeras.framework import Tensor, Variable

__version__ = "0.1.0"

__all__ = ["backend", "ops", "utils", "GradientTape", "custom_gradient", "Tensor", "Variable",
           "__version__"]
