"""What ``compile(loss=..., metrics=...)`` becomes: one loss and a list of metrics per output.

Clauses: COMPILE.STRINGS, COMPILE.ACCURACY, COMPILE.MULTI.LIST, COMPILE.MULTI.DICT,
COMPILE.MULTI.BROADCAST, COMPILE.MULTI.WEIGHTS, COMPILE.MULTI.NONE, COMPILE.NO_LOSS,
COMPILE.CUSTOM.FN, COMPILE.CUSTOM.SUBCLASS, FIT.NAMES, FIT.LOGS.AVERAGE, PIT.WEIGHTED_METRICS,
PIT.ACCURACY_STRING (docs/spec.md).

Rule. Everything the user gives per output (losses, loss weights, metrics, targets,
sample weights) is first *conformed* to the model's outputs, in output order:

    a dict            -> one entry per output name; missing names get None
    a list or tuple   -> by position (a short list leaves the last outputs None)
    anything else     -> the same object for every output (a loss or metric object is
                         copied per output when there are several)

Both containers are built lazily, at the first batch, because ``"accuracy"`` needs the
shapes of y_true and y_pred (binary if y_pred's last axis is 1, else sparse if y_true
has lower rank or a last axis of 1, else categorical). Then, per batch::

    loss_i   = loss_obj_i(y_i, y_pred_i, sw_i)            # for outputs with a loss and a target
    total    = sum(loss_weight_i * loss_i) + sum(model.losses)
    tracker "loss".update_state(sum(loss_weight_i * loss_i) + sum(model.losses), weight=batch size)
                                          # no weight when only add_loss terms exist
    tracker "<output>_loss".update_state(loss_i, weight=batch size)   # multi-output only

so the logged loss is the mean of the batch losses weighted by batch size, not by
the sum of the sample weights. ``metrics=`` are updated without sample weights;
``weighted_metrics=`` with them. On a multi-output model each metric's name gets its
output's name as a prefix.

Who owns what: the trainer (``trainer.py``) owns when these are called and reset;
this module owns the mapping from the user's structures to outputs and the names.
"""
import copy

import numpy as np

from refkeras import losses as losses_module
from refkeras import metrics as metrics_module
from refkeras.framework.convert import convert_to_tensor
from refkeras.ops import add_n, cast, expand_dims
from refkeras.utils import nest

_ACCURACY = ("accuracy", "acc")
_CROSSENTROPY = ("crossentropy", "ce")


def conform_to_outputs(struct, output_names):
    """``struct`` as a list with one entry per output (see the module docstring)."""
    if isinstance(struct, dict):
        return [struct.get(name) for name in output_names]
    if isinstance(struct, (list, tuple)) and len(output_names) > 1:
        entries = list(struct)[:len(output_names)]
        return entries + [None] * (len(output_names) - len(entries))
    if isinstance(struct, (list, tuple)) and len(struct) == 1:
        return [struct[0]]
    return [struct] * len(output_names)


def check_output_keys(struct, output_names):
    """A loss/metric/weight dict may only name outputs of the model."""
    if isinstance(struct, dict):
        unknown = {key: value for key, value in struct.items() if key not in output_names}
        if unknown:
            raise ValueError(
                "Found unexpected losses or metrics that do not correspond to any Model output: "
                f"dict_keys({list(unknown)!r}). Valid mode output names: {output_names!r}. "
                f"Received struct is: {unknown!r}.")


def check_list_length(name, struct, output_names):
    """A list of losses or loss weights has exactly one entry per output."""
    if isinstance(struct, (list, tuple)) and len(output_names) > 1 \
            and len(struct) != len(output_names):
        raise ValueError(f"`{name}` has {len(struct)} entries, but the model has "
                         f"{len(output_names)} outputs {output_names}. Give one entry per output "
                         "(None for an output without a loss), or a dict by output name.")


def _match_rank_and_dtype(y_true, y_pred, sample_weight):
    """(N,) targets and weights for (N, 1) predictions gain the last axis; float targets
    take the prediction's dtype (so a custom loss need not cast)."""
    if isinstance(y_true, np.ndarray):
        # Targets from the data pipeline are numpy: shape and cast them there, no ops needed.
        y_true = y_true[..., None] if y_true.ndim == 1 and y_pred.shape.rank == 2 else y_true
        if _same_kind(y_true.dtype, y_pred.dtype) and y_true.dtype != y_pred.dtype:
            y_true = y_true.astype(y_pred.dtype)
        y_true = convert_to_tensor(y_true)
    else:
        y_true = convert_to_tensor(y_true)
        if y_true.shape.rank == 1 and y_pred.shape.rank == 2:
            y_true = expand_dims(y_true, -1)
        if _same_kind(y_true.dtype, y_pred.dtype) and y_true.dtype != y_pred.dtype:
            y_true = cast(y_true, y_pred.dtype)
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight)
        if sample_weight.shape.rank == 1 and y_pred.shape.rank == 2:
            sample_weight = expand_dims(sample_weight, -1)
        sample_weight = cast(sample_weight, y_pred.dtype)
    return y_true, y_pred, sample_weight


def _same_kind(a, b):
    """Both floating or both integer: the cases where tf_keras casts y_true to y_pred's dtype."""
    return a.kind == b.kind or (a.kind in "iu" and b.kind in "iu")


def _batch_size(y_true, y_pred):
    return int(np.shape(y_true)[0]) if np.ndim(y_true) else int(y_pred.shape[0])


class LossesContainer:
    """The compiled loss: ``model.compiled_loss``."""

    def __init__(self, losses, loss_weights=None, output_names=None):
        self._user_losses = losses
        self._user_loss_weights = loss_weights
        self._output_names = list(output_names or [])
        self._losses = None
        self._loss_metric = metrics_module.Mean(name="loss")
        self._per_output_metrics = []
        self._built = False

    @property
    def metrics(self):
        if not self._built:
            return []
        return [self._loss_metric] + [m for m in self._per_output_metrics if m is not None]

    def build(self, output_names):
        self._output_names = list(output_names)
        check_output_keys(self._user_losses, self._output_names)
        check_output_keys(self._user_loss_weights, self._output_names)
        check_list_length("loss", self._user_losses, self._output_names)
        check_list_length("loss_weights", self._user_loss_weights, self._output_names)
        many = len(self._output_names) > 1
        entries = conform_to_outputs(self._user_losses, self._output_names)
        self._losses = [_loss_object(entry, many) for entry in entries]
        weights = conform_to_outputs(self._user_loss_weights, self._output_names)
        self._loss_weights = [1.0 if w is None else w for w in weights]
        self._per_output_metrics = [
            metrics_module.Mean(name=f"{name}_loss") if many and loss is not None else None
            for name, loss in zip(self._output_names, self._losses)]
        self._built = True

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        """The total loss of one batch (None when there is none); updates the trackers."""
        predictions = nest.flatten(y_pred)
        if not self._built:
            self.build(self._output_names or [f"output_{i + 1}" for i in range(len(predictions))])
        targets = conform_to_outputs(y_true, self._output_names)
        weights = conform_to_outputs(sample_weight, self._output_names)
        values, batch = [], None
        for y_t, y_p, sw, loss, loss_weight, tracker in zip(
                targets, predictions, weights, self._losses, self._loss_weights,
                self._per_output_metrics):
            if y_t is None or loss is None:
                continue
            y_t, y_p, sw = _match_rank_and_dtype(y_t, y_p, sw)
            value = loss(y_t, y_p, sample_weight=sw)
            batch = batch if batch is not None else _batch_size(y_t, y_p)
            if tracker is not None:
                tracker.update_state(value, sample_weight=batch)
            values.append(value * loss_weight if loss_weight != 1.0 else value)
        if regularization_losses:
            values.append(add_n([cast(v, "float32") for v in regularization_losses]))
        if not values:
            return None
        total = add_n(values) if len(values) > 1 else values[0]
        # Weighted by the batch size of the first output with a loss; with add_loss terms
        # only, every batch counts once (clause ADD_LOSS.LAYER).
        # EXERCISE 6.4: the running average of the loss in the logs | FIT.LOGS.AVERAGE PIT.FIT_VS_EVALUATE_LOSS
        # hint: the 'loss' in fit's logs is the mean of the batch losses so far this
        # hint: epoch, each weighted by its batch size: update the Mean tracker
        # hint: self._loss_metric with the batch's total and sample_weight=batch.
        self._loss_metric.update_state(total, sample_weight=batch)
        # END EXERCISE 6.4
        return total

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()


class MetricsContainer:
    """The compiled metrics: ``model.compiled_metrics``."""

    def __init__(self, metrics=None, weighted_metrics=None, output_names=None):
        _check_duplicated(metrics, weighted_metrics)
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self._output_names = list(output_names or [])
        self._metrics = self._weighted = None
        self._built = False

    @property
    def metrics(self):
        if not self._built:
            return []
        ordered = []
        for plain, weighted in zip(self._metrics, self._weighted):
            ordered.extend(plain + weighted)
        return ordered

    def build(self, y_true, y_pred, output_names):
        self._output_names = list(output_names)
        check_output_keys(self._user_metrics, self._output_names)
        check_output_keys(self._user_weighted_metrics, self._output_names)
        predictions = nest.flatten(y_pred)
        targets = conform_to_outputs(y_true, self._output_names)
        many = len(self._output_names) > 1
        self._metrics, self._weighted = [], []
        for i, (y_t, y_p) in enumerate(zip(targets, predictions)):
            self._metrics.append([_metric_object(m, y_t, y_p, many)
                                  for m in self._per_output(self._user_metrics, i)])
            self._weighted.append([_metric_object(m, y_t, y_p, many)
                                   for m in self._per_output(self._user_weighted_metrics, i)])
        self._set_names(many)
        self._built = True

    def metrics_per_output(self):
        """Each output's metrics (unweighted then weighted), in output order."""
        if not self._built:
            return []
        return [plain + weighted for plain, weighted in zip(self._metrics, self._weighted)]

    def _per_output(self, user, index):
        """The metric entries of output ``index`` as a list."""
        if user is None:
            return []
        if isinstance(user, dict):
            entry = user.get(self._output_names[index])
        elif isinstance(user, (list, tuple)) and any(isinstance(m, (list, tuple, dict))
                                                     for m in user):
            entry = user[index] if index < len(user) else None
        else:
            entry = user
        if entry is None:
            return []
        return list(entry) if isinstance(entry, (list, tuple)) else [entry]

    def _set_names(self, many):
        seen = set()
        for name, plain, weighted in zip(self._output_names, self._metrics, self._weighted):
            for metric in plain:
                if many:
                    metric._name = f"{name}_{metric.name}"
                if metric.name in seen:
                    raise ValueError(f"Found two metrics with the same name: {metric.name}. All "
                                     "the metrics added to the model need to have unique names.")
                seen.add(metric.name)
            for metric in weighted:
                if many:
                    clash = f"{name}_{metric.name}" in seen
                    metric._name = f"{name}_{'weighted_' if clash else ''}{metric.name}"
                elif metric.name in seen:
                    metric._name = f"weighted_{metric.name}"
                if metric.name in seen:
                    raise ValueError(f"Found two weighted metrics with the same name: "
                                     f"{metric.name}.All the metrics added to the model need to "
                                     "have unique names.")
                seen.add(metric.name)

    def update_state(self, y_true, y_pred, sample_weight=None):
        predictions = nest.flatten(y_pred)
        if not self._built:
            self.build(y_true, y_pred,
                       self._output_names or [f"output_{i + 1}" for i in range(len(predictions))])
        targets = conform_to_outputs(y_true, self._output_names)
        weights = conform_to_outputs(sample_weight, self._output_names)
        for y_t, y_p, sw, plain, weighted in zip(targets, predictions, weights, self._metrics,
                                                 self._weighted):
            if y_t is None or not (plain or weighted):
                continue
            y_t, y_p, sw = _match_rank_and_dtype(y_t, y_p, sw)
            for metric in plain:
                metric.update_state(y_t, y_p)
            for metric in weighted:
                metric.update_state(y_t, y_p, sample_weight=sw)

    def reset_state(self):
        if self._built:
            targets = self.metrics
        else:   # metric objects the user gave are reset even before the first batch
            targets = [m for m in nest.flatten([self._user_metrics, self._user_weighted_metrics])
                       if isinstance(m, metrics_module.Metric)]
        for metric in targets:
            metric.reset_state()


def _loss_object(entry, many):
    """A Loss object for one output's entry (None stays None)."""
    if entry is None:
        return None
    if isinstance(entry, losses_module.Loss):
        return copy.copy(entry) if many else entry
    function = losses_module.get(entry)
    if isinstance(function, losses_module.Loss):
        return function
    return losses_module.LossFunctionWrapper(function, name=_function_name(function))


def _metric_object(entry, y_true, y_pred, many):
    """A Metric object for one output's metric entry."""
    if isinstance(entry, metrics_module.Metric):
        return type(entry).from_config(entry.get_config()) if many else entry
    if isinstance(entry, str) and entry.lower() in _ACCURACY + _CROSSENTROPY:
        function = _resolve_by_shape(entry.lower(), y_true, y_pred)
        return metrics_module.MeanMetricWrapper(function, name=entry)
    resolved = metrics_module.get(entry)
    if isinstance(resolved, metrics_module.Metric):
        return resolved
    if isinstance(resolved, type) and issubclass(resolved, metrics_module.Metric):
        return resolved()
    name = entry if isinstance(entry, str) else _function_name(resolved)
    return metrics_module.MeanMetricWrapper(resolved, name=name)


def _resolve_by_shape(kind, y_true, y_pred):
    """"accuracy"/"crossentropy" become binary, sparse or categorical from the shapes."""
    true_shape, pred_shape = np.shape(y_true), tuple(y_pred.shape)
    accuracy = kind in _ACCURACY
    if pred_shape[-1:] == (1,):
        return metrics_module.binary_accuracy if accuracy else metrics_module.binary_crossentropy
    if len(true_shape) < len(pred_shape) or true_shape[-1:] == (1,):
        return (metrics_module.sparse_categorical_accuracy if accuracy
                else metrics_module.sparse_categorical_crossentropy)
    return (metrics_module.categorical_accuracy if accuracy
            else metrics_module.categorical_crossentropy)


def _function_name(function):
    return getattr(function, "__name__", type(function).__name__)


def _check_duplicated(metrics, weighted_metrics):
    seen, duplicated = [], []
    for metric in nest.flatten([metrics, weighted_metrics]):
        if isinstance(metric, metrics_module.Metric):
            if any(metric is s for s in seen):
                duplicated.append(metric)
            seen.append(metric)
    if duplicated:
        raise ValueError(
            "Found duplicated metrics object in the user provided metrics and weighted metrics. "
            "This will cause the same metric object to be updated multiple times, and report "
            f"wrong results. \nDuplicated items: {duplicated}")


__all__ = ["LossesContainer", "MetricsContainer", "check_output_keys", "conform_to_outputs"]
