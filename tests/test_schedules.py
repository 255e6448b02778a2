"""Unit tests of refkeras.optimizers.schedules internals (scalar_math, checks, dtypes)."""
import doctest
import importlib

import numpy as np
import pytest

from refkeras.framework import Variable
from refkeras.optimizers import schedules
from refkeras.optimizers.schedules import scalar_math

MODULES = ["__init__", "learning_rate_schedule", "scalar_math", "exponential_decay",
           "piecewise_constant_decay", "polynomial_decay", "inverse_time_decay", "cosine_decay",
           "cosine_decay_restarts"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module("refkeras.optimizers.schedules" + ("" if name == "__init__"
                                                                         else "." + name))
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_scalar_math_flushes_subnormal_float32_results():
    assert scalar_math.power(np.float32(0.08401535), np.float32(41.632206)) == 0.0
    assert scalar_math.flush(np.float32(1e-40)) == 0.0
    assert scalar_math.flush(np.float64(1e-40)) == 1e-40


def test_scalar_math_keeps_the_dtype():
    assert scalar_math.cos(np.float32(1.0)).dtype == np.float32
    assert scalar_math.log(np.float64(2.0)).dtype == np.float64
    assert scalar_math.log(np.float32(0.0)) == -np.inf


def test_a_float64_learning_rate_computes_in_float64():
    value = schedules.ExponentialDecay(np.float64(0.1), 10, 0.5)(3)
    assert value.dtype == np.float64
    assert float(value) == pytest.approx(0.1 * 0.5 ** 0.3, rel=1e-7)


def test_a_variable_step_is_read():
    step = Variable(np.int64(10), trainable=False)
    assert float(schedules.ExponentialDecay(1.0, 10, 0.5)(step)) == 0.5


@pytest.mark.parametrize("make, match", [
    (lambda: schedules.ExponentialDecay("a", 10, 0.5), "initial_learning_rate"),
    (lambda: schedules.ExponentialDecay(0.1, 10, 0.5, staircase=1), "staircase"),
    (lambda: schedules.PiecewiseConstantDecay("ab", "abc"), "boundaries"),
])
def test_non_numbers_raise_type_error_naming_the_argument(make, match):
    with pytest.raises(TypeError, match=match):
        make()


def test_step_errors_name_the_step():
    schedule = schedules.CosineDecay(0.1, 10)
    with pytest.raises(TypeError, match="step"):
        schedule("3")
    with pytest.raises(ValueError, match="step"):
        schedule(np.float32("nan"))


def test_unknown_class_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="ExponentialDecay"):
        schedules.deserialize({"class_name": "Nope", "config": {}})
