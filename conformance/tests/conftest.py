"""Loads the conformance plugin for every test in this folder (see ../plugin.py)."""
from conformance.plugin import (backend, _fresh_session, pytest_addoption,  # noqa: F401
                                pytest_collection_modifyitems, pytest_configure,
                                pytest_runtest_makereport, pytest_sessionfinish,
                                pytest_terminal_summary)
