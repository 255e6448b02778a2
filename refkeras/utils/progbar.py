"""Progbar: the text progress bar that ``fit``, ``evaluate`` and ``predict`` print.

Clauses: CALLBACKS.PROGBAR (docs/spec.md).

``update(current, values)`` records the step reached and the latest value of each
named quantity, then redraws. A name in ``stateful_metrics`` is shown as given (the
trainer's metrics are already running means); any other name is averaged by the bar
itself, each value weighted by the steps it covers. The rule, as tf_keras 2.21::

    # accumulate (every update, every verbosity)
    weight = max(current - seen_so_far, 1)
    total[k] += v * weight; count[k] += weight      # stateful: total[k], count[k] = v, 1
    shown = total[k] / max(count[k], 1)
    # format one value: verbose=1 tests abs(shown), verbose=2 tests shown itself
    f" {shown:.4f}" if abs(shown) > 1e-3 else f" {shown:.4e}"

verbose=1 redraws one line in place: ``\\b`` times the previous line's width, then ``\\r``,
then ``" 3/12 [=>........] - ETA: 0s - a: 1.0000"``, padded with spaces when shorter than
the line it overwrites; the final update (``finalize``, by default ``current >= target``)
shows ``" - <elapsed>s <time>/<unit>"`` instead of the ETA and ends with a newline.
Non-final redraws come at most every ``interval`` seconds. tf_keras decides "dynamic
display" with a test that is true on every POSIX system, so the ``\\b``/``\\r`` form is
printed into pipes and files too (measured); only elsewhere (Windows, no tty) does each
redraw start with ``\\n`` instead. verbose=2 prints one line per bar, at finalize only:
``"2/2 - 0s - loss: 0.9070 - 340ms/epoch - 170ms/step\\n"``. verbose=0 prints nothing.
Times: ``>= 1 or == 0`` -> ``"%.0fs"``, ``>= 1e-3`` -> ``"%.0fms"``, else ``"%.0fus"``.

Who owns what: this class owns the text; ``callbacks.ProgbarLogger`` decides when to
update it and with which logs.

>>> import io, contextlib
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     bar = Progbar(2, verbose=2)
...     bar.update(2, [("loss", 0.5)])
>>> out.getvalue().split(" - ")[:3]
['2/2', '0s', 'loss: 0.5000']
"""
import os
import sys
import time

import numpy as np


def _dynamic_display():
    """Whether to redraw in place with \\b and \\r (tf_keras's test, including its POSIX case)."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool((isatty is not None and isatty()) or "ipykernel" in sys.modules
                or os.name == "posix" or "PYCHARM_HOSTED" in os.environ)


def format_time(seconds, unit_name):
    """``" 6ms/step"``: seconds per unit, in s, ms or us.

    >>> format_time(0.0061, "step"), format_time(2.4, "epoch"), format_time(0, "step")
    (' 6ms/step', ' 2s/epoch', ' 0s/step')
    """
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def format_eta(seconds):
    """``"1:02:03"`` above an hour, ``"2:03"`` above a minute, else ``"7s"``.

    >>> format_eta(3723.0), format_eta(123.0), format_eta(7.9)
    ('1:02:03', '2:03', '7s')
    """
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int((seconds % 3600) // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def format_value(value, use_abs):
    """4 decimals, or ``%.4e`` at or below 1e-3 (verbose=1 compares abs(value), verbose=2 value).

    >>> format_value(0.3430, True), format_value(1e-4, True), format_value(-0.5, False)
    (' 0.3430', ' 1.0000e-04', ' -5.0000e-01')
    """
    magnitude = abs(value) if use_abs else value
    return f" {value:.4f}" if magnitude > 1e-3 else f" {value:.4e}"


def _count_text(current, target):
    """``" 3/12"``: the step count right-aligned to the target's number of digits."""
    digits = len(str(int(target)))
    return f"{int(current):{digits}d}/{int(target)}"


def print_msg(text):
    """Write ``text`` as is (no newline added) to the current stdout, and flush."""
    # sys.stdout is looked up at each call, so redirect_stdout and capsys capture the bar.
    sys.stdout.write(text)
    sys.stdout.flush()


class Progbar:
    """Displays a progress bar (``keras.utils.Progbar``).

    Args:
        target: total number of steps, or None if unknown.
        width: width of the bar in characters.
        verbose: 0 (silent), 1 (a redrawn bar), 2 (one line at the end).
        interval: minimum seconds between two non-final redraws (verbose=1).
        stateful_metrics: names shown as given instead of averaged over steps.
        unit_name: the unit of the step counts ("step" or "sample").
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float, np.number))
                                   or target <= 0):
            raise ValueError("Expected `target` to be None (unknown) or a positive number of steps. "
                             f"Received: target={target!r}")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self._dynamic_display = _dynamic_display()
        self._total_width = 0            # width of the line on screen, for the next \b run
        self._seen_so_far = 0
        self._values = {}                # name -> [weighted total, total weight]
        self._values_order = []          # names in order of first appearance
        self._start = time.time()
        self._last_update = 0
        self._time_at_epoch_start = self._start
        self._time_at_epoch_end = None
        self._time_after_first_step = None

    def update(self, current, values=None, finalize=None):
        """Record step ``current`` and ``values`` (a list of ``(name, value)``), then redraw."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._accumulate(current, values or [])
        now = time.time()
        elapsed = f" - {now - self._start:.0f}s"
        if current == self.target:
            self._time_at_epoch_end = now
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return  # too soon for a non-final redraw: values are kept, the screen is not
            self._draw_bar(current, now, elapsed, finalize)
        elif self.verbose == 2 and finalize:
            self._draw_line(current, now, elapsed)
        self._last_update = now

    def add(self, n, values=None):
        """Advance by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    def _update_stateful_metrics(self, stateful_metrics):
        self.stateful_metrics = self.stateful_metrics.union(stateful_metrics)

    def _accumulate(self, current, values):
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
                continue
            # At least 1: an epoch-end update repeats the last step and must still count.
            weight = max(current - self._seen_so_far, 1)
            total, count = self._values.get(name, [0, 0])
            self._values[name] = [total + value * weight, count + weight]
        self._seen_so_far = current

    def _shown(self, name):
        total, count = self._values[name]
        return np.mean(total / max(1, count))

    def _metrics_text(self, use_abs):
        return "".join(f" - {name}:" + format_value(self._shown(name), use_abs)
                       for name in self._values_order)

    def _bar_text(self, current):
        if self.target is None:
            return f"{int(current):7d}/Unknown"
        filled = int(self.width * float(current) / self.target)
        bar = _count_text(current, self.target) + " ["
        if filled > 0:
            bar += "=" * (filled - 1) + (">" if current < self.target else "=")
        return bar + "." * (self.width - filled) + "]"

    def _draw_bar(self, current, now, elapsed, finalize):
        """verbose=1: overwrite the previous line."""
        previous_width = self._total_width
        prefix = "\b" * previous_width + "\r" if self._dynamic_display else "\n"
        bar = self._bar_text(current)
        per_unit = self._step_duration(current, now)
        if self.target is None or finalize:
            info = elapsed + format_time(per_unit, self.unit_name)
        else:
            info = " - ETA: " + format_eta(per_unit * (self.target - current))
        info += self._metrics_text(use_abs=True)
        self._total_width = len(bar) + len(info)
        info += " " * max(previous_width - self._total_width, 0)
        print_msg(prefix + bar + info + ("\n" if finalize else ""))

    def _draw_line(self, current, now, elapsed):
        """verbose=2: one line, with the epoch's time per epoch and per step."""
        text = _count_text(current, self.target) + elapsed + self._metrics_text(use_abs=False)
        if self._time_at_epoch_end:
            epoch_time = self._time_at_epoch_end - self._time_at_epoch_start
            self._time_at_epoch_start = now
            self._time_at_epoch_end = None
            text += " -" + format_time(epoch_time, "epoch")
            text += " -" + format_time(epoch_time / self.target, self.unit_name) + "\n"
        print_msg(text)

    def _step_duration(self, current, now):
        """Seconds per step; the first step (tracing, warm-up) is left out once there are more."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit


__all__ = ["Progbar", "format_eta", "format_time", "format_value", "print_msg"]
