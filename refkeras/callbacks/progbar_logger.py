"""ProgbarLogger: the callback that prints fit's, evaluate's and predict's progress bar.

Clauses: CALLBACKS.PROGBAR (docs/spec.md).

The rule (tf_keras 2.21, measured)::

    fit:      "Epoch e/E" line at each on_epoch_begin when epochs > 1 and verbose != 0;
              verbose=1: bar updated at every on_train_batch_end with the running logs;
              on_epoch_end: the final update with the epoch logs (val_ keys included).
              The validation run inside fit prints nothing.
    evaluate: a bar from on_test_begin, updated per batch, finalized at on_test_end.
    predict:  the same with no values (the outputs are never shown).

The bar counts steps (``count_mode="steps"``, what CallbackList adds, target =
``params['steps']``) or samples (``"samples"``, the constructor's default, target =
``params['samples']``, which Keras 2's loops never give). With no target the bar shows
``"      3/Unknown"`` until the first finalize, which sets the target to the number of
steps run. Every name in ``model.metrics`` is a stateful metric of the bar: the logs
already hold running means, so the bar shows them as given.

Who owns what: this callback owns when the bar is created, updated and finalized;
``utils.Progbar`` owns the text.

>>> ProgbarLogger(count_mode="steps").use_steps
True
"""
from refkeras.callbacks.callback import Callback
from refkeras.callbacks.logs import to_python_logs
from refkeras.utils.progbar import Progbar, print_msg

_COUNT_MODES = {"samples": False, "steps": True}   # count_mode -> use_steps


class ProgbarLogger(Callback):
    """Prints metrics to stdout (``keras.callbacks.ProgbarLogger``).

    Args:
        count_mode: "steps" or "samples": whether the bar counts batches or samples.
        stateful_metrics: names shown as given, not averaged (the model's metrics are
            always added).
    """

    def __init__(self, count_mode: str = "samples", stateful_metrics=None):
        super().__init__()
        if count_mode not in _COUNT_MODES:
            raise ValueError(f"Unknown `count_mode`: {count_mode}. "
                             'Expected values are ["samples", "steps"]')
        self._supports_tf_logs = True
        self.use_steps = _COUNT_MODES[count_mode]
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._steps_run = 0          # steps of the current run, for an unknown target
        self._called_in_fit = False

    def set_params(self, params):
        # As tf_keras: the params are read, not stored (a ProgbarLogger has no .params).
        self.verbose = params["verbose"]
        self.epochs = params["epochs"]
        target_key = "steps" if self.use_steps else "samples"
        self.target = params.get(target_key)

    # -- hooks
    def on_train_begin(self, logs=None):
        self._called_in_fit = True   # from now on validation runs print nothing

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._start_bar()

    def on_predict_begin(self, logs=None):
        self._start_bar()

    def on_epoch_begin(self, epoch, logs=None):
        self._start_bar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch, logs=None):
        self._batch_update(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._batch_update(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._batch_update(batch, None)   # predictions are never printed

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_end(self, logs=None):
        self._finalize(logs)

    # Batch updates matter for verbose=1, and for counting steps when the target is unknown.
    def _implements_train_batch_hooks(self):
        return self.verbose == 1 or self.target is None

    def _implements_test_batch_hooks(self):
        return self._implements_train_batch_hooks()

    def _implements_predict_batch_hooks(self):
        return self._implements_train_batch_hooks()

    # -- the bar
    def _start_bar(self):
        self.seen = 0
        self._steps_run = 0
        self.progbar = None
        self._ensure_bar()

    def _ensure_bar(self):
        """Create the bar if needed; add the model's metric names (known after the first step)."""
        if self.model is not None:
            self.stateful_metrics |= {m.name for m in getattr(self.model, "metrics", [])}
        if self.progbar is None:
            self.progbar = Progbar(target=self.target, verbose=self.verbose,
                                   stateful_metrics=self.stateful_metrics,
                                   unit_name="step" if self.use_steps else "sample")
        self.progbar._update_stateful_metrics(self.stateful_metrics)

    def _batch_update(self, batch, logs):
        logs = to_python_logs(logs)
        self._ensure_bar()
        self._steps_run = batch + 1
        if self.use_steps:
            self.seen = batch + 1
        else:
            # Keras 1 loops put the batch size in the logs; Keras 2 loops never do.
            self.seen += logs.pop("num_steps", 1) * logs.pop("size", 0)
            logs.pop("batch", None)
        if self.verbose == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def _finalize(self, logs):
        logs = to_python_logs(logs)
        if self.target is None:
            # The first run teaches the target: the steps it took (tf_keras reads its step counter).
            self.target = self._steps_run or self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list(logs.items()), finalize=True)


__all__ = ["ProgbarLogger"]
