"""Engine tests of refkeras.callbacks.RemoteMonitor, beyond the conformance suite.

conformance/tests/test_remote_monitor.py pins CALLBACKS.REMOTE_MONITOR on both backends;
these tests pin where refkeras departs from tf_keras 2.21 on purpose: arguments tf_keras
accepts and then reports every epoch as an unreachable server are rejected at
construction, and an n-d log value raises an error naming its key.
"""
import http.server
import logging
import threading

import numpy as np
import pytest

from refkeras.callbacks import RemoteMonitor


@pytest.mark.parametrize("root", ["nonsense", "localhost:9000", "ftp://host", "", None, 9000])
def test_a_root_that_is_not_an_http_url_raises_at_construction(root):
    with pytest.raises(ValueError, match=r"`root` must be an http:// or https:// URL.*root="):
        RemoteMonitor(root=root)


def test_https_roots_are_accepted():
    assert RemoteMonitor(root="https://example.org").root == "https://example.org"


@pytest.mark.parametrize("path", ["x", "publish", "", None])
def test_a_path_not_starting_with_a_slash_raises(path):
    # tf_keras glues it onto the port: "http://localhost:9000x", then warns every epoch.
    with pytest.raises(ValueError, match=r"`path` must be a string starting with '/'.*path="):
        RemoteMonitor(path=path)


@pytest.mark.parametrize("field", ["", None, 3])
def test_an_empty_or_non_string_field_raises(field):
    with pytest.raises(ValueError, match=r"`field` must be a non-empty string.*field="):
        RemoteMonitor(field=field)


@pytest.mark.parametrize("headers", [["X-A", "1"], {"X-A": 1}, {1: "a"}, "X-A: 1"])
def test_headers_must_map_strings_to_strings(headers):
    with pytest.raises(TypeError, match=r"`headers` must be None or a dict.*headers="):
        RemoteMonitor(headers=headers)


def test_headers_are_copied():
    headers = {"X-A": "1"}
    monitor = RemoteMonitor(headers=headers)
    headers["X-A"] = "2"
    assert monitor.headers == {"X-A": "1"}


def test_an_n_d_log_value_raises_naming_its_key():
    monitor = RemoteMonitor()
    with pytest.raises(ValueError, match=r"logs\['w'\] is an array of shape \(2,\)"):
        monitor.on_epoch_end(0, {"loss": 0.5, "w": np.array([1.0, 2.0])})


def test_a_server_that_refuses_the_connection_is_reported_not_raised(caplog):
    # Port 9 (discard) on 127.0.0.1 is closed on any test machine.
    monitor = RemoteMonitor(root="http://127.0.0.1:9")
    with caplog.at_level(logging.WARNING, logger="refkeras"):
        monitor.on_epoch_end(0, {"loss": 0.5})
    assert [r.getMessage() for r in caplog.records] == [
        "Warning: could not reach RemoteMonitor root server at http://127.0.0.1:9"]
    assert caplog.records[0].name == "refkeras"


def test_an_error_status_is_swallowed_silently(caplog):
    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_error(404)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        monitor = RemoteMonitor(root=f"http://127.0.0.1:{server.server_address[1]}")
        with caplog.at_level(logging.WARNING, logger="refkeras"):
            monitor.on_epoch_end(0, {"loss": 0.5})
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert caplog.records == []
