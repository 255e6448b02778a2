"""Every ``>>>`` example in refkeras's docstrings runs and prints what it shows: the
examples are part of the teaching, so a stale one is a bug."""
import doctest
import importlib
import pathlib

import pytest

import refkeras

ROOT = pathlib.Path(refkeras.__file__).parent
MODULES = sorted(
    ".".join(("refkeras", *path.relative_to(ROOT).with_suffix("").parts)).removesuffix(".__init__")
    for path in ROOT.rglob("*.py"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    refkeras.backend.clear_session()     # default names restart, as in a fresh process
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (run " \
                               f"python -m doctest -v on the file to see them)"
