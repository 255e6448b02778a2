"""Unit tests of refkeras and of the conformance harness itself."""
from conformance import profiles  # noqa: F401 - registers the hypothesis profiles (dev, ci, thorough)
