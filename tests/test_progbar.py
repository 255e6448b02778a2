"""Progbar's exact text, byte for byte, under a fake clock.

The expected strings were printed by tf_keras 2.21's ``keras.utils.Progbar`` running the
same scripts with ``time.time`` replaced by the same fake clock (each call advances it
by a fixed step), so every timing in them is deterministic.
"""
import contextlib
import io
import time

import numpy as np
import pytest

from refkeras.utils import Progbar
from refkeras.utils.progbar import format_eta, format_time, format_value

P1 = ('\r1/3 [=========>....................] - ETA: 0s - a: -0.5000 - b: 1.0000e-04 - s: 2.0000 - c: 0.0000e+00'
      + "\b" * 103
      + '\r2/3 [===================>..........] - ETA: 0s - a: 0.2500 - b: 1.0000e-04 - s: 3.0000 - c: 0.0000e+00 '
      + "\b" * 102
      + '\r3/3 [==============================] - 0s 10ms/step - a: 0.8333 - b: 1.0000e-04 - s: 3.0000 - c: 0.0000e+00\n')
P2 = ('3/3 - 0s - a: 1.1667 - b: -2.0000e+00 - s: 2.0000 - 6ms/epoch - 2ms/step\n')
P3 = ('\r      1/Unknown - 0s 500ms/step - a: 1.0000'
      + "\b" * 43
      + '\r      5/Unknown - 1s 125ms/step - a: 1.8000'
      + "\b" * 43
      + '\r      5/Unknown - 2s 250ms/step - a: 1.8333\n')
P4 = ('\r 0/12 [..........] - ETA: 0s'
      + "\b" * 28
      + '\r 3/12 [=>........] - ETA: 0s - a: 1.0000'
      + "\b" * 40
      + '\r12/12 [==========] - 0s 0us/sample - a: 1.7500\n')
P5 = ('1/2 - 0s - a: 1.00002/2 - 0s - a: 1.0000 - 20ms/epoch - 10ms/step\n')
P7 = ('\r 1/10 [==>...........................] - ETA: 0s - loss: 1.0000'
      + "\b" * 63
      + '\r 4/10 [===========>..................] - ETA: 0s - loss: 0.5208'
      + "\b" * 63
      + '\r 7/10 [====================>.........] - ETA: 0s - loss: 0.3704'
      + "\b" * 63
      + '\r10/10 [==============================] - 0s 20ms/step - loss: 0.2929\n')
P8B = ('\r     1/100000 [..............................] - ETA: 1944:25:30 - x: 1.0000'
      + "\b" * 76
      + '\r     2/100000 [..............................] - ETA: 1944:24:20 - x: 1.0000'
      + "\b" * 76
      + '\r   100/100000 [..............................] - ETA: 39:14:32 - x: 1.0000  '
      + "\b" * 74
      + '\r100000/100000 [==============================] - 280s 2ms/step - x: 1.0000\n')
P9S = ('\r781/782 [============================>.] - ETA: 0s - loss: 0.3430 - acc: 0.9034'
      + "\b" * 79
      + '\r782/782 [==============================] - 6s 8ms/step - loss: 0.3430 - acc: 0.9034\n')


class FakeClock:
    def __init__(self, step):
        self.now, self.step = 1000.0, step

    def __call__(self):
        self.now += self.step
        return self.now


def run(monkeypatch, script, step):
    monkeypatch.setattr(time, "time", FakeClock(step))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        script()
    return out.getvalue()


def p1():
    bar = Progbar(3, interval=0, stateful_metrics=["s"])
    bar.update(1, [("a", -0.5), ("b", 1e-4), ("s", 2.0), ("c", 0.0)])
    bar.update(2, [("a", 1.0), ("s", 3.0)])
    bar.update(3, [("a", 2.0)], finalize=True)


def p2():
    bar = Progbar(3, verbose=2, stateful_metrics=["s"])
    bar.update(1, [("a", -0.5), ("b", 1e-4), ("s", 2.0)])
    bar.update(3, [("a", 2.0), ("b", -3.0)])


def p3():
    bar = Progbar(None, interval=0)
    bar.update(1, [("a", 1.0)])
    bar.update(5, [("a", 2.0)])
    bar.update(5, [("a", 2.0)], finalize=True)


def p4():
    bar = Progbar(12, width=10, interval=0, unit_name="sample")
    bar.update(0)
    bar.add(3, [("a", 1)])
    bar.update(12, [("a", np.float32(2))])


def p5():
    bar = Progbar(2, verbose=2)
    bar.update(1, [("a", 1.0)], finalize=True)   # not at the target: no times, no newline
    bar.update(2, [("a", 1.0)])


def p7():
    bar = Progbar(10)   # interval 0.05 s, clock step 0.02 s: every third update is drawn
    for i in range(1, 11):
        bar.update(i, [("loss", 1.0 / i)])


def p8():
    bar = Progbar(100000)
    bar.update(1, [("x", 1.0)])
    bar.update(2, [("x", 1.0)])
    bar.update(100, [("x", 1.0)])
    bar.update(100000)


def p9():
    bar = Progbar(782)
    bar.update(781, [("loss", 0.343), ("acc", 0.9034)])
    bar.update(782, [("loss", 0.343), ("acc", 0.9034)])


@pytest.mark.parametrize("script, step, expected", [
    (p1, 0.01, P1), (p2, 0.003, P2), (p3, 0.5, P3), (p4, 2e-6, P4), (p5, 0.01, P5),
    (p7, 0.02, P7), (p8, 70.0, P8B), (p9, 3.0, P9S),
])
def test_text_equals_tf_keras(monkeypatch, script, step, expected):
    assert run(monkeypatch, script, step) == expected


def test_verbose_0_prints_nothing(monkeypatch):
    def script():
        bar = Progbar(2, verbose=0)
        bar.update(1, [("a", 1.0)])
        bar.update(2)
    assert run(monkeypatch, script, 0.1) == ""


def test_without_dynamic_display_each_redraw_starts_a_new_line(monkeypatch):
    def script():
        bar = Progbar(2, interval=0)
        bar._dynamic_display = False
        bar.update(1, [("a", 1.0)])
        bar.update(2, [("a", 1.0)])
    assert run(monkeypatch, script, 0.01) == (
        "\n1/2 [==============>...............] - ETA: 0s - a: 1.0000"
        "\n2/2 [==============================] - 0s 10ms/step - a: 1.0000\n")


def test_posix_systems_always_redraw_in_place(monkeypatch):
    # tf_keras's test includes `"posix" in sys.modules`: a pipe still gets \b and \r.
    monkeypatch.setattr("os.name", "posix")
    assert Progbar(2)._dynamic_display is True


def test_formatting_helpers():
    assert format_time(0.0061, "step") == " 6ms/step"
    assert format_time(6e-6, "sample") == " 6us/sample"
    assert format_time(1.0, "epoch") == " 1s/epoch"
    assert format_time(0, "step") == " 0s/step"
    assert (format_eta(59.9), format_eta(61.0), format_eta(3601.0)) == ("59s", "1:01", "1:00:01")
    assert format_value(0.001, True) == " 1.0000e-03"        # the threshold is strict
    assert format_value(-0.002, True) == " -0.0020"
    assert format_value(-0.002, False) == " -2.0000e-03"     # verbose=2 does not take abs


def test_stateful_metrics_are_shown_as_given_and_others_averaged(monkeypatch):
    def script():
        bar = Progbar(4, verbose=2, stateful_metrics=["acc"])
        bar.update(1, [("loss", 1.0), ("acc", 0.5)])
        bar.update(4, [("loss", 2.0), ("acc", 0.75)])
    # loss: (1.0 * 1 + 2.0 * 3) / 4 = 1.75; acc: the last value
    assert "loss: 1.7500 - acc: 0.7500" in run(monkeypatch, script, 0.01)


@pytest.mark.parametrize("target", [0, -3, "10", True])
def test_bad_target_raises(target):
    with pytest.raises(ValueError, match="target"):
        Progbar(target)
