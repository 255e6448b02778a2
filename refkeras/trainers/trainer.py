"""Trainer: ``compile``, ``fit``, ``evaluate`` and ``predict``, mixed into every Model.

Clauses: COMPILE.*, FIT.HISTORY, FIT.NAMES, FIT.LOGS.AVERAGE, FIT.VALIDATION.DATA,
FIT.PREDICT, TRAIN_STEP, ADD_LOSS.*, ADD_METRIC, PIT.FIT_VS_EVALUATE_LOSS (docs/spec.md).

Rule. ``fit`` is three nested loops around one overridable step::

    callbacks.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics(); callbacks.on_epoch_begin(epoch)
        for step, batch in epoch_iterator.enumerate_epoch():
            callbacks.on_train_batch_begin(step)
            logs = model.train_step(batch)           # forward (training=True), loss, update
            callbacks.on_train_batch_end(step, logs) # logs: running means over the epoch
        if validation is due: logs |= {"val_" + k: v for k, v in evaluate(...).items()}
        callbacks.on_epoch_end(epoch, logs)
        if model.stop_training: break
    callbacks.on_train_end(logs)

``train_step`` is the seed guides' loop: ``y_pred = self(x, training=True)``, loss =
``compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)``, one
``optimizer.minimize`` and ``compiled_metrics.update_state``; it returns the results of
every metric in ``model.metrics``, and the loss tracker makes the reported loss the
mean of the batch losses weighted by batch size. Each batch's loss is measured
*before* that batch's update, so the epoch's loss differs from ``evaluate`` after it.

Who owns what: the trainer owns the order of the loops and the callbacks' hooks;
``compile_utils.py`` owns losses and metrics per output; ``epoch_iterator.py`` and
``data_adapters/`` own batching, shuffling, class weights and validation splits;
``callbacks/`` owns what is printed and recorded.

>>> import numpy as np, refkeras as keras
>>> model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="zeros")])
>>> model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
>>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0)
>>> [round(v, 4) for v in history.history["loss"]]
[1.0, 0.16]
"""
import itertools

import numpy as np

from refkeras import optimizers as optimizers_module
from refkeras.autodiff import GradientTape
from refkeras.compiler import TracedFunction
from refkeras.framework import Tensor, Variable
from refkeras.layers.input_spec import assert_input_compatibility
from refkeras.trainers import compile_utils
from refkeras.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from refkeras.utils import nest


class Trainer:
    """The training half of ``Model`` (``models/model.py`` mixes it in)."""

    _is_compiled = False

    # ----------------------------------------------------------------- compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                weighted_metrics=None, run_eagerly=None, steps_per_execution=None,
                jit_compile=None, **kwargs):
        """Choose the optimizer, the loss per output and the metrics (COMPILE.*)."""
        unknown = sorted(set(kwargs) - {"sample_weight_mode", "target_tensors", "pss_evaluation_shards"})
        if unknown:
            raise TypeError(f"Invalid keyword argument(s) in `compile()`: {tuple(unknown)}. Valid "
                            "keyword arguments include \"cloning\", \"experimental_run_tf_function\", "
                            "\"distribute\", \"target_tensors\", or \"sample_weight_mode\".")
        self.optimizer = optimizers_module.get(optimizer)
        # What compile was given, for model.save (get_compile_config).
        self.__dict__["_compile_arguments"] = {
            "optimizer": self.optimizer, "loss": loss, "metrics": metrics,
            "loss_weights": loss_weights, "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly, "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile}
        self.loss = loss
        self.compiled_loss = compile_utils.LossesContainer(loss, loss_weights)
        self.compiled_metrics = compile_utils.MetricsContainer(metrics, weighted_metrics)
        self._run_eagerly = run_eagerly
        self._steps_per_execution = 1 if steps_per_execution is None else int(steps_per_execution)
        self._jit_compile = jit_compile
        self.__dict__["_traced_steps"] = {}
        self._is_compiled = True
        self.stop_training = False

    def get_compile_config(self):
        """compile's arguments as a config (None before compile), for model.save."""
        if not self._is_compiled:
            return None
        from refkeras.saving.serialization_lib import serialize_keras_object
        return serialize_keras_object(self.__dict__["_compile_arguments"])

    def compile_from_config(self, config):
        """compile with a saved compile config, then build the optimizer's variables so that
        its saved state has somewhere to go."""
        from refkeras.saving.serialization_lib import deserialize_keras_object
        self.compile(**deserialize_keras_object(config))
        if self.built:
            self.optimizer.build(self.trainable_variables)

    @property
    def run_eagerly(self):
        """True: fit/evaluate/predict call the steps eagerly, op by op (the readable
        reference path). False (the default): they replay traced plans (COMPILE.TRACED_STEP)."""
        return bool(getattr(self, "_run_eagerly", None))

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = value

    @property
    def metrics(self):
        """The loss trackers, the compiled metrics, then the metrics held by layers."""
        found = []
        if self._is_compiled:
            found += self.compiled_loss.metrics + self.compiled_metrics.metrics
        return found + super().metrics

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    # ----------------------------------------------------------------- steps
    def train_step(self, data):
        """One batch of training: forward, loss, gradients, update, metrics."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        self._validate_target_and_loss(y, loss)
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        self.compute_loss(x, y, y_pred, sample_weight)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        self._prepare_compiled(y, y_pred)
        return self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)

    def compute_metrics(self, x, y, y_pred, sample_weight):
        self._prepare_compiled(y, y_pred)
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        results = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                results.update(result)
            else:
                results[metric.name] = result
        return results

    def _prepare_compiled(self, y, y_pred):
        """Build both containers for these outputs and check the targets against them,
        before the step computes anything: bad targets or names fail before any update."""
        names = self._output_names_for(y_pred)
        if not self.compiled_loss._built:
            self.compiled_loss.build(names)
        if not self.compiled_metrics._built:
            self.compiled_metrics.build(y, y_pred, names)
        self._require_targets(y)
        compile_utils.check_output_keys(y, names)
        targets = compile_utils.conform_to_outputs(y, names)
        losses = self.compiled_loss._losses
        if not any(t is not None and loss is not None for t, loss in zip(targets, losses)):
            return      # no compiled loss applies: train_step says "No loss found"
        for name, target, loss, metrics in zip(names, targets, losses,
                                               self.compiled_metrics.metrics_per_output()):
            if target is None and loss is not None and y is not None:
                raise ValueError(f"No target data for output {name!r}, which has a loss. Pass "
                                 "its targets to fit/evaluate (by position, or in a dict by "
                                 "output name), or compile it with loss None.")
            if target is None and metrics and y is not None:
                raise ValueError(f"No target data for output {name!r}, which has metrics "
                                 f"{[m.name for m in metrics]}. Pass its targets, or compile it "
                                 "without metrics.")

    def _output_names_for(self, y_pred):
        names = getattr(self, "output_names", None) if hasattr(self, "outputs") else None
        flat = nest.flatten(y_pred)
        if names and len(names) == len(flat):
            return list(names)
        if isinstance(y_pred, dict):
            return sorted(y_pred)
        return [f"output_{i + 1}" for i in range(len(flat))]

    def _require_targets(self, y):
        if self.loss and y is None:
            raise ValueError(f"Target data is missing. Your model was compiled with loss="
                             f"{self.loss}, and therefore expects target data to be provided in "
                             "`fit()`.")

    def _validate_target_and_loss(self, y, loss):
        self._require_targets(y)
        if loss is None:
            raise ValueError("No loss found. You may have forgotten to provide a `loss` argument "
                             "in the `compile()` method.")

    def _assert_compile_was_called(self):
        if not self._is_compiled:
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")

    # ----------------------------------------------------------------- fit
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, max_queue_size=10, workers=1,
            use_multiprocessing=False):
        """Train for ``epochs`` epochs; return the History (see the module docstring)."""
        from refkeras.trainers import data_adapters
        from refkeras.trainers.epoch_iterator import EpochIterator
        self._assert_compile_was_called()
        if epochs <= 0:
            raise ValueError(f"Expected epochs to be positive. Received is {epochs}.")
        verbose = _resolve_verbose(verbose)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.train_validation_split(
                (x, y, sample_weight), validation_split=validation_split)
        iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size,
                                 steps_per_epoch=steps_per_epoch, shuffle=shuffle,
                                 class_weight=class_weight, purpose="fit", epochs=epochs,
                                 initial_epoch=initial_epoch)
        validation = None
        if validation_data is not None:
            val_x, val_y, val_sw = unpack_x_y_sample_weight(
                _validation_tuple(validation_data))
            validation = EpochIterator(val_x, val_y, val_sw,
                                       batch_size=validation_batch_size or batch_size,
                                       steps_per_epoch=validation_steps, shuffle=False,
                                       purpose="evaluate")
        callbacks = _callback_list(callbacks, self, verbose, epochs, iterator.num_batches)
        self.stop_training = False
        # A BackupAndRestore callback sets (epoch, step) here in on_train_begin (RESUME.BACKUP).
        self._resume_from = None
        callbacks.on_train_begin()
        initial_epoch, initial_step = self._resume_from or (initial_epoch, 0)
        train_step = self._step_function("train")
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            logs = {}
            for steps, batches in self._executions(iterator, first_step=initial_step):
                callbacks.on_train_batch_begin(steps[0])
                for batch in batches:
                    logs = _python_logs(train_step(batch))
                callbacks.on_train_batch_end(steps[-1], logs)
                if self.stop_training:
                    break
            initial_step = 0
            epoch_logs = dict(logs)
            if validation is not None and _due(epoch, validation_freq):
                val_logs = self._evaluate_iterator(validation, callbacks)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            iterator.on_epoch_end()
            if self.stop_training or iterator.ran_out:
                break
        callbacks.on_train_end(logs=epoch_logs)
        return self.history

    # ----------------------------------------------------------------- evaluate
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, max_queue_size=10, workers=1,
                 use_multiprocessing=False, return_dict=False, **kwargs):
        """The loss and metrics over the data: a float, a list in ``metrics_names`` order or,
        with ``return_dict=True``, a dict."""
        from refkeras.trainers.epoch_iterator import EpochIterator
        if kwargs:
            raise TypeError(f"Invalid keyword arguments: {list(kwargs.keys())}")
        self._assert_compile_was_called()
        verbose = _resolve_verbose(verbose)
        iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size,
                                 steps_per_epoch=steps, shuffle=False, purpose="evaluate")
        callbacks = _callback_list(callbacks, self, verbose, 1, iterator.num_batches)
        return self._batch_result(self._evaluate_iterator(iterator, callbacks), return_dict)

    def _evaluate_iterator(self, iterator, callbacks):
        self.reset_metrics()
        callbacks.on_test_begin()
        test_step = self._step_function("test")
        logs = {}
        for steps, batches in self._executions(iterator):
            callbacks.on_test_batch_begin(steps[0])
            for batch in batches:
                logs = _python_logs(test_step(batch))
            callbacks.on_test_batch_end(steps[-1], logs)
        callbacks.on_test_end(logs)
        return logs

    # ----------------------------------------------------------------- predict
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None,
                max_queue_size=10, workers=1, use_multiprocessing=False):
        """The model's outputs for every sample, as numpy arrays shaped like its outputs."""
        from refkeras.trainers.epoch_iterator import EpochIterator
        verbose = _resolve_verbose(verbose)
        iterator = EpochIterator(x, batch_size=batch_size, steps_per_epoch=steps, shuffle=False,
                                 purpose="predict")
        callbacks = _callback_list(callbacks, self, verbose, 1, iterator.num_batches)
        callbacks.on_predict_begin()
        predict_step = self._step_function("predict")
        batches = []
        for indices, group in self._executions(iterator):
            callbacks.on_predict_batch_begin(indices[0])
            for batch in group:
                outputs = nest.map_structure(np.asarray, predict_step(batch))
                batches.append(outputs)
            callbacks.on_predict_batch_end(indices[-1], {"outputs": outputs})
        callbacks.on_predict_end()
        if not batches:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or "
                             "`tf.config.run_functions_eagerly(True)` for more information of "
                             "where went wrong, or file a issue/bug to `tf.keras`.")
        flat = [np.concatenate(parts) for parts in zip(*[nest.flatten(b) for b in batches])]
        return nest.pack_sequence_as(batches[0], flat)

    def _step_function(self, kind):
        """``train_step``, ``test_step`` or ``predict_step`` as fit/evaluate/predict run
        it: traced per batch signature and replayed as a plan (``refkeras/compiler/``),
        or the method itself when the model runs eagerly (``run_eagerly=True``)."""
        step = getattr(self, f"{kind}_step")
        if self.run_eagerly:
            return step
        traced = self.__dict__.setdefault("_traced_steps", {})
        if kind not in traced:
            traced[kind] = TracedFunction(step)
        return traced[kind]

    def _executions(self, iterator, first_step=0):
        """Batches grouped ``steps_per_execution`` at a time: callbacks see one begin/end per
        group (begin at its first step, end at its last), as tf_keras's compiled loops.
        A resumed epoch runs steps ``first_step`` .. ``num_batches - 1`` on the next batches
        of the data (not the epoch's later ones: tf_keras's rule, RESUME.BACKUP)."""
        size = getattr(self, "_steps_per_execution", 1)
        steps, batches = [], []
        pairs = iterator.enumerate_epoch()
        if first_step:
            # islice stops before drawing a batch too many: the stream stays where it is.
            pairs = itertools.islice(pairs, max(iterator.num_batches - first_step, 0))
        for index, (step, batch) in enumerate(pairs):
            step += first_step
            if index == 0:    # later batches are checked by the model's own call
                self._check_batch_inputs(batch)
            steps.append(step)
            batches.append(batch)
            if len(steps) == size:
                yield steps, batches
                steps, batches = [], []
        if steps:
            yield steps, batches

    def _check_batch_inputs(self, batch):
        """A batch's inputs against the model's Inputs, batch axis shown as None (as
        tf_keras's traced step reports it), before the step runs."""
        specs = getattr(self, "_input_specs", None)
        if not specs:
            return
        x, _, _ = unpack_x_y_sample_weight(batch)
        shapes = [(None, *np.shape(v)[1:]) for v in self._ordered_inputs(x)]
        assert_input_compatibility(specs, shapes, self.name)

    # ----------------------------------------------------------------- one batch
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       reset_metrics=True, return_dict=False):
        from refkeras.trainers.epoch_iterator import EpochIterator
        self._assert_compile_was_called()
        iterator = EpochIterator(x, y, sample_weight, batch_size=_sample_count(x),
                                 shuffle=False, class_weight=class_weight, purpose="fit")
        if reset_metrics:
            self.reset_metrics()
        logs = {}
        for _, batch in iterator.enumerate_epoch():
            logs = _python_logs(self.train_step(batch))
        return self._batch_result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True,
                      return_dict=False):
        from refkeras.trainers.epoch_iterator import EpochIterator
        self._assert_compile_was_called()
        iterator = EpochIterator(x, y, sample_weight, batch_size=_sample_count(x),
                                 shuffle=False, purpose="evaluate")
        if reset_metrics:
            self.reset_metrics()
        logs = {}
        for _, batch in iterator.enumerate_epoch():
            logs = _python_logs(self.test_step(batch))
        return self._batch_result(logs, return_dict)

    def predict_on_batch(self, x):
        return nest.map_structure(np.asarray, self.predict_step((x,)))

    def _batch_result(self, logs, return_dict):
        """The logs as evaluate and *_on_batch return them: the dict, or the values in
        ``metrics_names`` order (a bare float when there is only one)."""
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values


def _validation_tuple(validation_data):
    if isinstance(validation_data, (tuple, list)):
        return tuple(validation_data)
    return validation_data


def _resolve_verbose(verbose):
    return 1 if verbose == "auto" else verbose


def _due(epoch, validation_freq):
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return epoch + 1 in validation_freq


def _sample_count(x):
    return int(np.shape(nest.flatten(x)[0])[0])


def _python_logs(logs):
    """Step results as Python floats (numpy arrays for non-scalar results), as tf_keras."""
    if not isinstance(logs, dict):
        raise TypeError(f"`train_step` and `test_step` must return a dict of metric results; "
                        f"received {type(logs).__name__}: {logs!r}")
    converted = {}
    for key, value in logs.items():
        if isinstance(value, (Tensor, Variable)):
            value = value.numpy()
        array = np.asarray(value)
        converted[key] = array.item() if array.ndim == 0 else array
    return converted


def _callback_list(callbacks, model, verbose, epochs, steps):
    from refkeras.callbacks import CallbackList
    if isinstance(callbacks, CallbackList):
        return callbacks
    return CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=model,
                        verbose=verbose, epochs=epochs, steps=steps)


__all__ = ["Trainer"]
