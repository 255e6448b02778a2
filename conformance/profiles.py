"""Hypothesis profiles for the suite and the unit tests.

* ``dev`` (default): a quick random look, new examples every run.
* ``ci``: derandomized (the same examples on every run) and bounded, so the whole
  CI run stays within its time budget on a 2-core machine.
* ``thorough``: many examples, for hunting divergences before a release.
* ``bounded``: ``ci`` with few examples and no shrinking, for a column whose
  divergences are expected (Keras 3): a diverging clause fails at its first
  counterexample instead of spending minutes shrinking it on every run.

Select with ``--hypothesis-profile NAME`` or ``HYPOTHESIS_PROFILE=NAME``. Deadlines
are off everywhere: the first call of a Numba kernel compiles, and TensorFlow's
first op warms up, which would break any deadline. The backend's session is reset once per test, not per
example (hence the function_scoped_fixture health check is off): examples must not
depend on default names or the random state.
"""
import os

from hypothesis import HealthCheck, Phase, settings

_COMMON = {"deadline": None, "print_blob": True,
               "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.function_scoped_fixture]}

settings.register_profile("dev", max_examples=25, **_COMMON)
settings.register_profile("ci", max_examples=12, derandomize=True, database=None, **_COMMON)
settings.register_profile("thorough", max_examples=400, **_COMMON)
settings.register_profile("bounded", max_examples=6, derandomize=True, database=None,
                          phases=(Phase.explicit, Phase.reuse, Phase.generate), **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
