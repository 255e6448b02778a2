"""Loads the conformance plugin for every test in this folder (see ../plugin.py)."""
from conformance.plugin import (  # noqa: F401
                                _fresh_session,
                                backend,
                                pytest_addoption,
                                pytest_collection_modifyitems,
                                pytest_configure,
                                pytest_runtest_makereport,
                                pytest_sessionfinish,
                                pytest_terminal_summary,
)
