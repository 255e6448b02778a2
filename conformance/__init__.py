"""The conformance suite: every documented behaviour of the Keras 2 training API,
pinned as a clause of ``docs/spec.md`` and tested against any backend.

Module map:

* ``catalog.py``       reads the clause catalog (docs/spec.md)
* ``adapters/``        the backends: refkeras, tf_keras, or anyone's ``module:attr``
* ``expectations.py``  per-backend known divergences and pending clauses (strict)
* ``plugin.py``        the pytest plugin: backend selection, clause marks, statuses
* ``report.py``        the clause x backend matrix (terminal, JSON, Markdown)
* ``cli.py``           ``python -m conformance run --backend NAME ...``
* ``strategies.py``    hypothesis strategies shared by the tests
* ``profiles.py``      hypothesis profiles: dev, ci, thorough
* ``tests/``           the tests, one or more per clause, black-box through the adapter

The suite never imports refkeras except through ``adapters/refkeras_adapter.py``.
"""
import pytest


def clause(clause_id, *, requires=()):
    """Mark a test as pinning ``clause_id``; ``requires`` names adapter capabilities."""
    return pytest.mark.clause(clause_id, requires=tuple(requires))


__all__ = ["clause"]
