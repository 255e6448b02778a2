"""Loads the conformance plugin for every test in this folder (see ../plugin.py), and the
fixtures several test files share."""
import logging

import pytest

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


class _Capture(logging.Handler):
    """Collects warning messages from whichever logger the backend uses."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings_log():
    """The warnings logged during the test (tf_keras logs on "tensorflow", refkeras on
    "refkeras"); loggers set above WARNING are lowered for the test and restored after."""
    handler = _Capture()
    loggers = [logging.getLogger(name) for name in ["", *logging.root.manager.loggerDict]]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        if lg.level > logging.WARNING:
            lg.setLevel(logging.WARNING)
    logging.getLogger().addHandler(handler)
    yield handler.messages
    logging.getLogger().removeHandler(handler)
    for lg, level in zip(loggers, levels):
        lg.setLevel(level)
