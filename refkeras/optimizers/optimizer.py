"""Optimizer: the base class of tf_keras 2.21's (new, non-legacy) optimizers.

Clauses: OPT.APPLY, OPT.RULES, OPT.LR_SETTABLE, OPT.CLIPPING, OPT.WEIGHT_DECAY,
OPT.CONSTRAINTS, OPT.VARIABLES, OPT.CONFIG, OPT.BAD_INPUT, OPT.BAD_INPUT.EARLY,
SCHEDULE.VALUES (docs/spec.md).

Rule: ``apply_gradients(zip(grads, vars))`` runs one step, in tf_keras's order::

    lr_now = schedule(iterations)          # only with a LearningRateSchedule
    build(vars)                            # slots, once: "<name>/m/<var name>" ...
    drop the (None, var) pairs             # warning; all None -> ValueError
    check every pair                       # refkeras: before anything changes
    grads = clip(grads)                    # clipnorm, else global_clipnorm, else clipvalue
    var -= var * weight_decay * lr         # every optimizer, before its own rule
    update_step(grad, var)                 # the optimizer's rule (its own module)
    EMA of the variables                   # use_ema=True
    iterations += 1
    var = var.constraint(var)              # when the variable has a constraint

The learning rate is a float32 Variable named "learning_rate" (settable between steps:
``opt.learning_rate = x``, ``opt.lr = x``, ``opt.learning_rate.assign(x)``), or a
LearningRateSchedule whose current value lives in the Variable "current_learning_rate"
(then setting it is a TypeError). A zero-argument callable is called once, when the
optimizer is made, as tf_keras does. Each built-in optimizer's arithmetic is a kernel
in ``refkeras/kernels`` (reference numpy and fused Numba), fed with scalars computed
here the way tf_keras computes them (Python floats rounded to float32 when they meet a
float32 tensor; ``1 - beta_1`` rounded once, in float64 first).

>>> from refkeras.optimizers import SGD
>>> from refkeras.framework import Variable
>>> w = Variable([1.0, 2.0], name="w")
>>> opt = SGD(0.5)
>>> int(opt.apply_gradients([([1.0, -2.0], w)])), w.numpy().tolist()
(1, [0.5, 3.0])

Who owns what: this base owns the step's order, the learning rate and the slots'
life cycle; each optimizer's module owns its update rule; the schedules come from
``refkeras.optimizers.schedules``.
"""
import logging
import math
import numbers
import re

import numpy as np

from refkeras import kernels
from refkeras.autodiff import GradientTape, tape_stack
from refkeras.autodiff.record import record
from refkeras.framework.convert import convert_to_tensor
from refkeras.framework.errors import InvalidArgumentError
from refkeras.framework.tensor import Tensor
from refkeras.framework.variable import Variable
from refkeras.ops import clip_ops
from refkeras.optimizers.packed_update import PackedUpdate
from refkeras.optimizers.schedules import LearningRateSchedule
from refkeras.optimizers.schedules import serialize as serialize_schedule

logger = logging.getLogger("refkeras")

_LEGACY_KWARGS = ("decay", "gradient_aggregator", "gradient_transformers")


# -- checking hyper-parameters (clause OPT.BAD_INPUT.EARLY) --------------------------------

def check_number(name, value, low=None, high=None, low_open=False, allow_none=False):
    """``value`` if it is a finite real number in the range, else TypeError / ValueError."""
    if value is None and allow_none:
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray,
                                                                      Tensor, Variable)):
        raise TypeError(f"`{name}` must be a real number. Received: {name}={value!r} "
                        f"(of type {type(value).__name__}).")
    number = float(np.asarray(value))
    wanted = []
    if low is not None:
        wanted.append(f"{'>' if low_open else '>='} {low}")
    if high is not None:
        wanted.append(f"<= {high}")
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and number > high
    if not math.isfinite(number) or too_low or too_high:
        range_text = f" {' and '.join(wanted)}" if wanted else ""
        raise ValueError(f"`{name}` must be a finite number{range_text}. "
                         f"Received: {name}={value!r}.")
    return value


def check_fraction(name, value):
    return check_number(name, value, 0, 1)


# -- array access for the update kernels ---------------------------------------------------

def array_of(x):
    """The numpy array behind a Tensor or Variable."""
    return x._value


def store(variable, array):
    """Bind ``array`` (fresh, of the variable's dtype and shape) as the variable's value.

    The kernels never write into a Variable's array: a Tensor read from it earlier keeps
    its value (TAPE.SNAPSHOT). This is ``variable.assign(array)`` without the conversion."""
    # numpy arithmetic on 0-d arrays returns array scalars (the reference kernels): a
    # Variable always holds an ndarray
    array = np.asarray(array)
    old = variable._value
    if array.dtype != old.dtype or array.shape != old.shape:
        raise AssertionError(f"an update kernel returned {array.dtype}{array.shape} for "
                             f"{old.dtype}{old.shape}")
    variable._value = array


def scalar(value, dtype):
    """A Python number or scalar as tf.cast would make it: one rounding to ``dtype``."""
    return np.dtype(dtype).type(float(np.asarray(value)))


def apply_gradient_arrays(*grads, optimizer, variables, name):
    """The kernel of the ``ApplyGradients`` host op: the optimizer's own update. The
    trace checked the gradients' dtypes and shapes, and a plan replays those."""
    optimizer._compute_current_learning_rate()
    if optimizer._plain_update(variables):
        optimizer._update_all(grads, variables)
        optimizer._iterations.assign_add(1)
    else:
        optimizer._apply_checked([Tensor(g) for g in grads], list(variables))


class CallableList(list):
    """``optimizer.variables`` is a list that can also be called (tf_keras's shim)."""

    def __call__(self):
        return self


class Optimizer:
    """The base class: subclasses implement ``build(var_list)`` (calling super first),
    ``update_step(gradient, variable)`` and ``get_config()``."""

    def __init__(self, name, weight_decay=0, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 jit_compile=True, **kwargs):
        self._check_kwargs(kwargs)
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError("At most one of `clipnorm` and `global_clipnorm` can be set. "
                             f"Received: clipnorm={clipnorm}, global_clipnorm={global_clipnorm}.")
        for key, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                           ("global_clipnorm", global_clipnorm)):
            check_number(key, value, 0, low_open=True, allow_none=True)
        check_number("weight_decay", weight_decay, 0, allow_none=True)
        if use_ema:
            if not isinstance(ema_momentum, numbers.Real) or not 0 <= ema_momentum <= 1:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                                 f"Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency is not None and (
                    not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer > 1 or None. "
                                 f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.jit_compile = False      # tf_keras turns XLA off without a GPU: always here
        self._learning_rate = None
        self._built = False
        self._index_dict = {}
        self._iterations = Variable(0, name="iteration", dtype="int64", trainable=False)
        self._variables = [self._iterations]
        self._scope = None            # "<name>/" while apply_gradients builds the slots

    def _check_kwargs(self, kwargs):
        kwargs.pop("is_legacy_optimizer", None)
        if kwargs.pop("lr", None):
            logger.warning("`lr` is deprecated in TF-Keras optimizer, please use "
                           "`learning_rate` or use the legacy optimizer, e.g.,"
                           f"tf.keras.optimizers.legacy.{type(self).__name__}.")
        for key in kwargs:
            if key in _LEGACY_KWARGS:
                raise ValueError(
                    f"{key} is deprecated in the new TF-Keras optimizer, please check the "
                    "docstring for valid arguments, or use the legacy optimizer, e.g., "
                    f"tf.keras.optimizers.legacy.{type(self).__name__}.")
            raise TypeError(f"{key} is not a valid argument, kwargs should be empty  for "
                            "`optimizer_experimental.Optimizer`.")

    # -- the learning rate (clauses OPT.LR_SETTABLE, SCHEDULE.VALUES) ------------------------

    def _build_learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule):
            current = convert_to_tensor(learning_rate(self._iterations))
            self._current_learning_rate = Variable(current, name="current_learning_rate",
                                                   dtype=current.dtype, trainable=False)
            return learning_rate
        if callable(learning_rate) and not isinstance(learning_rate, (Tensor, Variable)):
            learning_rate = learning_rate()      # called once, as tf.Variable(callable) does
        check_number("learning_rate", learning_rate, 0)
        return Variable(learning_rate, name="learning_rate", dtype="float32", trainable=False)

    @property
    def learning_rate(self):
        if self._learning_rate is None:
            raise ValueError("Missing learning rate, please set self.learning_rate at optimizer "
                             "creation time.")
        if isinstance(self._learning_rate, LearningRateSchedule):
            return self._current_learning_rate
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule):
            if not isinstance(self._learning_rate, LearningRateSchedule):
                self._current_learning_rate = Variable(
                    convert_to_tensor(learning_rate(self._iterations)),
                    name="current_learning_rate", trainable=False)
            self._learning_rate = learning_rate
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. "
                "If you need the learning rate to be settable, you should instantiate the "
                "optimizer with a float `learning_rate` argument.")
        check_number("learning_rate", learning_rate, 0)
        self._learning_rate.assign(learning_rate)

    lr = learning_rate

    def _compute_current_learning_rate(self):
        if isinstance(self._learning_rate, LearningRateSchedule):
            value = convert_to_tensor(self._learning_rate(self._iterations))
            self._current_learning_rate.assign(value)

    def _lr(self, dtype):
        """The learning rate of this step, cast to the variable's dtype."""
        return scalar(array_of(self.learning_rate), dtype)

    # -- iterations and variables (clause OPT.VARIABLES) -------------------------------------

    @property
    def iterations(self):
        return self._iterations

    @iterations.setter
    def iterations(self, variable):
        if self._built:
            raise RuntimeError(
                "Cannot set `iterations` to a new Variable after the Optimizer weights have been "
                f"created. Here it is attempting to set `iterations` to {variable}.Usually this "
                "means you are trying to set `iterations` after calling `apply_gradients()`. "
                "Please set `iterations` before calling `apply_gradients()`.")
        self._variables[self._variables.index(self._iterations)] = variable
        self._iterations = variable

    @property
    def variables(self):
        return CallableList(self._variables)

    def _var_key(self, variable):
        return id(variable)

    def build(self, var_list):
        """Map each variable to its index; subclasses then create their slots."""
        if self._built:
            return
        self._index_dict = {self._var_key(v): i for i, v in enumerate(var_list)}
        if self.use_ema:
            self._model_variables_moving_average = [
                self.add_variable_from_reference(v, "average", initial_value=v) for v in var_list]

    def add_variable(self, shape, dtype=None, initializer="zeros", name=None):
        from refkeras import initializers
        initializer = initializers.get(initializer)
        variable = Variable(initializer(tuple(shape or ()), dtype or "float32"),
                            name=name, trainable=False)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, model_variable, variable_name, shape=None,
                                    initial_value=None):
        """A slot named "<variable_name>/<model variable's name>", zeros unless given."""
        dtype = model_variable.dtype
        if initial_value is None:
            shape = tuple(model_variable.shape) if shape is None else tuple(shape)
            initial_value = np.zeros(shape, dtype)
        elif isinstance(initial_value, (Variable, Tensor)):
            initial_value = array_of(initial_value).copy()
        base = model_variable.name.rsplit(":", 1)[0]
        variable = Variable(initial_value, name=f"{self._scope or ''}{variable_name}/{base}",
                            dtype=dtype, trainable=False)
        self._variables.append(variable)
        return variable

    def _slot(self, slots, variable):
        return slots[self._index_dict[self._var_key(variable)]]

    def set_weights(self, weights):
        if not self._built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        weights = list(weights)
        if len(weights) != len(self._variables):
            raise ValueError(f"set_weights() expects {len(self._variables)} arrays (one per "
                             f"optimizer variable); received {len(weights)}.")
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(
                    f"Optimizer variable {variable.name} has shape {variable.shape} not "
                    f"compatible with provided weight shape {np.shape(weight)}.")
        for variable, weight in zip(self._variables, weights):
            variable.assign(weight)

    def save_own_variables(self, store_):
        for i, variable in enumerate(self._variables):
            store_[str(i)] = variable.numpy()

    def load_own_variables(self, store_):
        if len(store_.keys()) != len(self._variables):
            logger.warning(f"Skipping variable loading for optimizer '{self.name}', because it "
                           f"has {len(self._variables)} variables whereas the saved optimizer "
                           f"has {len(store_.keys())} variables. ")
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store_[str(i)])

    # -- one step (clause OPT.APPLY) --------------------------------------------------------

    def minimize(self, loss, var_list, tape=None):
        self.apply_gradients(self.compute_gradients(loss, var_list, tape))

    def compute_gradients(self, loss, var_list, tape=None):
        if not callable(loss) and tape is None:
            raise ValueError("`tape` is required when a `Tensor` loss is passed. "
                             f"Received: loss={loss}, tape={tape}.")
        if tape is None:
            tape = GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        var_list = list(var_list)
        return list(zip(tape.gradient(loss, var_list), var_list))

    def apply_gradients(self, grads_and_vars, name=None, skip_gradients_aggregation=False,
                        **kwargs):
        if tape_stack.tracer() is not None:
            return self._traced_apply(grads_and_vars, name)
        self._compute_current_learning_rate()
        pairs = [tuple(pair) for pair in grads_and_vars]
        if not pairs:
            return self._iterations
        variables = [v for _, v in pairs]
        if not self._built:
            self._scope = f"{name or self.name or 'optimizer'}/"
            try:
                self.build(variables)
            finally:
                self._scope = None
        pairs = self._drop_missing(pairs)
        grads = self._checked_gradients(pairs)
        return self._apply_checked(grads, [v for _, v in pairs])

    def _apply_checked(self, grads, variables):
        """The update proper, for gradients already checked against their variables."""
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables)
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable)
        self._update_moving_averages(variables)
        self._iterations.assign_add(1)
        for variable in variables:
            if getattr(variable, "constraint", None) is not None:
                variable.assign(variable.constraint(variable))
        return self._iterations

    def _traced_apply(self, grads_and_vars, name):
        """While the compiler traces: apply as usual, untraced, and record one host op,
        ``ApplyGradients``, whose kernel applies the replayed gradients the same way
        (learning rate, schedule and iterations are read anew at every replay)."""
        pairs = [tuple(pair) for pair in grads_and_vars]
        with tape_stack.untraced():
            result = self.apply_gradients(pairs, name)
        # Variables with no gradient are left out, as apply_gradients leaves them (its
        # warning came while tracing, as tf_keras's comes while tracing).
        pairs = [(g, v) for g, v in pairs if g is not None]
        replayable = all(isinstance(g, Tensor) for g, _ in pairs)
        record("ApplyGradients", tuple(g for g, _ in pairs if isinstance(g, Tensor)), (),
               {"optimizer": self}, apply_gradient_arrays if replayable else None,
               {"optimizer": self, "variables": tuple(v for _, v in pairs), "name": name})
        return result

    def _plain_update(self, variables):
        """No clipping, weight decay, moving average or constraint: only update_step."""
        return not (self.clipnorm or self.global_clipnorm or self.clipvalue or self.use_ema
                    or self.weight_decay is not None
                    or any(getattr(v, "constraint", None) is not None for v in variables))

    # -- the element-wise update of one variable, and of all at once ------------------------
    # An optimizer whose rule is element-wise defines ``_step_scalars(dtype)`` (this step's
    # hyperparameters), ``_slots_for(variable)`` (its slot Variables, None where unused)
    # and ``_update_kernel(var, grad, *slots, *scalars) -> (new var, *new slots)``; then the
    # base ``update_step`` is ``_update_arrays`` and a replayed step updates every variable
    # with one kernel call (``packed_update.py``). The numbers are the same either way.

    def _update_arrays(self, gradient, variable, scalars):
        slots = self._slots_for(variable)
        new = self._update_kernel(array_of(variable), gradient,
                                  *[None if s is None else array_of(s) for s in slots], *scalars)
        store(variable, new[0])
        for slot, array in zip(slots, new[1:]):
            if slot is not None:
                store(slot, array)

    def _update_all(self, grads, variables):
        """One update over all variables, from gradient arrays (the replayed step)."""
        if not hasattr(self, "_update_kernel"):
            for grad, variable in zip(grads, variables):
                self.update_step(Tensor(grad), variable)
            return
        key = tuple(map(id, variables))
        packed = self.__dict__.setdefault("_packed_updates", {}).get(key)
        if packed is None:
            packed = PackedUpdate(variables, [self._slots_for(v) for v in variables])
            self._packed_updates[key] = packed
        if packed.dtype is None:     # variables of several dtypes: one kernel call each
            for grad, variable in zip(grads, variables):
                self._update_arrays(grad, variable, self._step_scalars(variable.dtype))
            return
        packed.run(self._update_kernel, grads, self._step_scalars(packed.dtype))

    def _drop_missing(self, pairs):
        kept = [(g, v) for g, v in pairs if g is not None]
        if not kept:
            raise ValueError(f"No gradients provided for any variable: "
                             f"({[v.name for _, v in pairs]},). Provided `grads_and_vars` is "
                             f"{tuple(pairs)}.")
        missing = [v.name for g, v in pairs if g is None]
        if missing:
            logger.warning("Gradients do not exist for variables %s when minimizing the loss. If "
                           "you're using `model.compile()`, did you forget to provide a `loss` "
                           "argument?", missing)
        return kept

    def _checked_gradients(self, pairs):
        """Every gradient as a Tensor of its variable's dtype and shape, or an error now."""
        grads = []
        for grad, variable in pairs:
            if self._var_key(variable) not in self._index_dict:
                raise KeyError(
                    f"The optimizer cannot recognize variable {variable.name}. This usually means "
                    "you are trying to call the optimizer to update different parts of the model "
                    "separately. Please call `optimizer.build(variables)` with the full list of "
                    "trainable variables before the training loop or use legacy optimizer "
                    f"`tf.keras.optimizers.legacy.{type(self).__name__}.")
            grad = convert_to_tensor(grad, dtype_hint=variable.dtype)
            if grad.dtype != variable.dtype:
                raise InvalidArgumentError(
                    f"The gradient for variable {variable.name} has dtype {grad.dtype.name}; "
                    f"expected the variable's dtype {variable.dtype.name}", "ApplyGradients")
            if tuple(grad.shape) != tuple(variable.shape):
                raise InvalidArgumentError(
                    f"Incompatible shapes: {list(grad.shape)} vs. {list(variable.shape)}: the "
                    f"gradient for variable {variable.name} must have the variable's shape",
                    "ApplyGradients")
            grads.append(grad)
        return grads

    def _clip_gradients(self, grads):
        """clipnorm, else global_clipnorm, else clipvalue: at most one applies (as tf_keras)."""
        if self.clipnorm:
            return [clip_ops.clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm:
            return clip_ops.clip_by_global_norm(grads, self.global_clipnorm)[0]
        if self.clipvalue:
            return [clip_ops.clip_by_value(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    # -- weight decay (clause OPT.WEIGHT_DECAY) --------------------------------------------

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        if self._built:
            raise ValueError("`exclude_from_weight_decay()` can only be configued before the "
                             "optimizer is built.")
        self._exclude_from_weight_decay = [self._var_key(v) for v in var_list or []]
        self._exclude_from_weight_decay_names = list(var_names or [])

    def _use_weight_decay(self, variable):
        if self._var_key(variable) in getattr(self, "_exclude_from_weight_decay", []):
            return False
        names = getattr(self, "_exclude_from_weight_decay_names", [])
        return not any(re.search(name, variable.name) is not None for name in names)

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                dtype = variable.dtype
                store(variable, kernels.weight_decay_update(
                    array_of(variable), scalar(self.weight_decay, dtype), self._lr(dtype)))

    # -- exponential moving average of the variables (use_ema=True) -------------------------

    def _update_moving_averages(self, variables):
        if not self.use_ema:
            return
        for variable in variables:
            average = self._slot(self._model_variables_moving_average, variable)
            dtype = variable.dtype
            new = (scalar(self.ema_momentum, dtype) * array_of(average)
                   + scalar(1 - self.ema_momentum, dtype) * array_of(variable))
            store(average, np.asarray(new, dtype))
        if self.ema_overwrite_frequency and (
                int(array_of(self._iterations)) + 1) % self.ema_overwrite_frequency == 0:
            self._overwrite_with_averages(variables)

    def _overwrite_with_averages(self, variables):
        for variable in variables:
            variable.assign(self._slot(self._model_variables_moving_average, variable))

    def finalize_variable_values(self, var_list):
        if self.use_ema:
            self._overwrite_with_averages(var_list)

    def update_step(self, gradient, variable):
        """One variable's update: the element-wise rule (``_update_kernel``) if the optimizer
        has one, else the subclass's own ``update_step``."""
        if not hasattr(self, "_update_kernel"):
            raise NotImplementedError(f"{type(self).__name__} must implement update_step().")
        self._update_arrays(array_of(gradient), variable, self._step_scalars(variable.dtype))

    # -- config (clause OPT.CONFIG) --------------------------------------------------------

    def _serialize_hyperparameter(self, hyperparameter):
        if isinstance(hyperparameter, LearningRateSchedule):
            return serialize_schedule(hyperparameter)
        if isinstance(hyperparameter, Variable):
            return hyperparameter.numpy()
        if callable(hyperparameter):
            return hyperparameter()
        return hyperparameter

    def get_config(self):
        return {
            "name": self.name,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "jit_compile": self.jit_compile,
            "is_legacy_optimizer": False,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from refkeras.optimizers.schedules import deserialize
            config["learning_rate"] = deserialize(config["learning_rate"],
                                                  custom_objects=custom_objects)
        return cls(**config)


__all__ = ["CallableList", "Optimizer"]
