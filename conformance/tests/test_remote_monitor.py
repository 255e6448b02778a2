"""RemoteMonitor: every epoch's logs POSTed to a server (CALLBACKS.REMOTE_MONITOR).

Each test starts its own HTTP server (``http.server`` in a thread, on a free port of
127.0.0.1) that records every request it receives (method, path, headers, body) and
answers with a chosen status; the assertions are about what arrived. tf_keras sends
through ``requests`` and refkeras through ``urllib``, so only the headers both set are
compared (Content-Type, Content-Length, the caller's own), never User-Agent or
Connection. Every expected value was measured on tf_keras 2.21.
"""
import http.server
import json
import socket
import threading
import urllib.parse
from collections import namedtuple

import numpy as np
import pytest

from conformance import clause

X = np.arange(16, dtype="float32").reshape(8, 2) / 16
Y = np.ones((8, 1), dtype="float32")
FORM = "application/x-www-form-urlencoded"
WARNING = "Warning: could not reach RemoteMonitor root server at {}"

Request = namedtuple("Request", "method path headers body")


class Recorder:
    """A local HTTP server that keeps every request and answers ``status``."""

    def __init__(self):
        self.requests = []
        self.status = 200
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append(
                    Request(self.command, self.path, dict(self.headers.items()), body))
                self.send_response(recorder.status)
                self.end_headers()

            def log_message(self, *args):
                pass  # keep the test output clean

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()


@pytest.fixture
def server():
    recorder = Recorder()
    yield recorder
    recorder.close()


@pytest.fixture
def closed_root():
    """The root URL of a port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def script(keras, values):
    """A callback that adds ``values`` to the epoch logs (it runs before the monitor)."""
    class Script(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs.update(values)
    return Script()


def fit(keras, monitor, *before, epochs=2, validation=True, **kwargs):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    return model.fit(X, Y, batch_size=4, epochs=epochs, shuffle=False, verbose=0,
                     validation_data=(X, Y) if validation else None,
                     callbacks=[*before, monitor], **kwargs)


def form_payload(request, field="data"):
    """The JSON dict a form body carries under ``field`` (the form must hold only it)."""
    form = urllib.parse.parse_qs(request.body.decode("ascii"), strict_parsing=True)
    assert list(form) == [field]
    return json.loads(form[field][0])


def expected_payloads(history):
    """{"epoch": e, **logs} per epoch, from the History of the same fit."""
    keys = list(history.history)
    return [{"epoch": epoch, **{k: history.history[k][i] for k in keys}}
            for i, epoch in enumerate(history.epoch)]


# ------------------------------------------------------------------ CALLBACKS.REMOTE_MONITOR
@clause("CALLBACKS.REMOTE_MONITOR")
def test_defaults(backend):
    monitor = backend.keras.callbacks.RemoteMonitor()
    assert monitor.root == "http://localhost:9000"
    assert monitor.path == "/publish/epoch/end/"
    assert monitor.field == "data"
    assert monitor.headers is None
    assert monitor.send_as_json is False


@clause("CALLBACKS.REMOTE_MONITOR")
def test_each_epoch_end_posts_one_form_with_the_epoch_and_the_logs(backend, server):
    keras = backend.keras
    history = fit(keras, keras.callbacks.RemoteMonitor(root=server.root), epochs=3)
    assert [r.method for r in server.requests] == ["POST"] * 3
    assert [r.path for r in server.requests] == ["/publish/epoch/end/"] * 3
    assert [r.headers["Content-Type"] for r in server.requests] == [FORM] * 3
    payloads = [form_payload(r) for r in server.requests]
    # epoch first (0-based), then the logs in their order, values exactly History's
    assert [list(p) for p in payloads] == [["epoch", "loss", "mae", "val_loss", "val_mae"]] * 3
    assert payloads == expected_payloads(history)


@clause("CALLBACKS.REMOTE_MONITOR")
def test_the_form_body_is_the_url_encoded_json_dumps(backend, server):
    keras = backend.keras
    history = fit(keras, keras.callbacks.RemoteMonitor(root=server.root), epochs=1,
                  validation=False)
    (request,) = server.requests
    loss = history.history["loss"][0]
    expected = "data=" + urllib.parse.quote_plus(json.dumps({"epoch": 0, "loss": loss, "mae":
                                                             history.history["mae"][0]}))
    assert request.body == expected.encode("ascii")
    assert request.body.startswith(b"data=%7B%22epoch%22%3A+0%2C+%22loss%22%3A+")
    assert request.headers["Content-Length"] == str(len(request.body))


@clause("CALLBACKS.REMOTE_MONITOR")
def test_send_as_json_posts_the_json_itself_with_the_given_headers(backend, server):
    keras = backend.keras
    monitor = keras.callbacks.RemoteMonitor(root=server.root, send_as_json=True,
                                            headers={"X-Run": "seven"}, field="ignored")
    history = fit(keras, monitor)
    assert len(server.requests) == 2
    for request, payload in zip(server.requests, expected_payloads(history)):
        assert request.method == "POST"
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["X-Run"] == "seven"
        assert request.body == json.dumps(payload).encode("utf-8")


@clause("CALLBACKS.REMOTE_MONITOR")
def test_path_is_appended_to_root_and_field_names_the_form_key(backend, server):
    keras = backend.keras
    monitor = keras.callbacks.RemoteMonitor(root=server.root, path="/runs/7?tag=a b",
                                            field="payload")
    fit(keras, monitor, epochs=1)
    (request,) = server.requests
    assert request.path == "/runs/7?tag=a%20b"  # the space is percent-encoded
    assert form_payload(request, field="payload")["epoch"] == 0


@clause("CALLBACKS.REMOTE_MONITOR")
def test_a_content_type_in_headers_replaces_the_default(backend, server):
    keras = backend.keras
    monitor = keras.callbacks.RemoteMonitor(root=server.root, headers={"Content-Type": "text/plain"})
    fit(keras, monitor, epochs=1)
    (request,) = server.requests
    assert request.headers["Content-Type"] == "text/plain"
    assert request.body.startswith(b"data=")


@clause("CALLBACKS.REMOTE_MONITOR")
def test_epochs_are_numbered_from_initial_epoch(backend, server):
    keras = backend.keras
    fit(keras, keras.callbacks.RemoteMonitor(root=server.root), epochs=4, initial_epoch=2)
    assert [form_payload(r)["epoch"] for r in server.requests] == [2, 3]


@clause("CALLBACKS.REMOTE_MONITOR")
def test_numpy_values_a_callback_adds_are_sent_as_plain_numbers(backend, server):
    keras = backend.keras
    added = {"lr": np.float32(0.1), "step": np.int64(3), "one": np.array([2.5]), "tag": "hé",
             "none": None}
    monitor = keras.callbacks.RemoteMonitor(root=server.root, send_as_json=True)
    fit(keras, monitor, script(keras, added), epochs=1, validation=False)
    body = server.requests[0].body.decode("utf-8")
    assert body.endswith(', "lr": 0.10000000149011612, "step": 3, "one": 2.5, "tag": "h\\u00e9", '
                         '"none": null}')


@clause("CALLBACKS.REMOTE_MONITOR")
def test_nan_is_sent_in_a_form_but_not_as_json(backend, server, warnings_log):
    keras = backend.keras
    nan = script(keras, {"x": float("nan"), "y": float("inf")})
    fit(keras, keras.callbacks.RemoteMonitor(root=server.root), nan, epochs=1, validation=False)
    assert form_payload(server.requests[0])["x"] != form_payload(server.requests[0])["x"]
    assert b"%22x%22%3A+NaN%2C+%22y%22%3A+Infinity" in server.requests[0].body
    assert _remote(warnings_log) == []
    fit(keras, keras.callbacks.RemoteMonitor(root=server.root, send_as_json=True), nan, epochs=1,
        validation=False)
    assert len(server.requests) == 1              # nothing sent: JSON has no NaN
    assert _remote(warnings_log) == [WARNING.format(server.root)]


@clause("CALLBACKS.REMOTE_MONITOR")
def test_an_unreachable_server_logs_a_warning_per_epoch_and_training_goes_on(
        backend, closed_root, warnings_log):
    keras = backend.keras
    history = fit(keras, keras.callbacks.RemoteMonitor(root=closed_root), epochs=2)
    assert history.epoch == [0, 1]
    assert _remote(warnings_log) == [WARNING.format(closed_root)] * 2


@clause("CALLBACKS.REMOTE_MONITOR")
def test_an_error_status_from_the_server_passes_silently(backend, server, warnings_log):
    keras = backend.keras
    server.status = 500
    history = fit(keras, keras.callbacks.RemoteMonitor(root=server.root), epochs=2)
    assert history.epoch == [0, 1]
    assert len(server.requests) == 2
    assert _remote(warnings_log) == []


@clause("CALLBACKS.REMOTE_MONITOR")
def test_evaluate_and_predict_send_nothing(backend, server):
    keras = backend.keras
    monitor = keras.callbacks.RemoteMonitor(root=server.root)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.evaluate(X, Y, verbose=0, callbacks=[monitor])
    model.predict(X, verbose=0, callbacks=[monitor])
    assert server.requests == []


def _remote(messages):
    # Only RemoteMonitor's: tf_keras also logs tf.function retracing notes.
    return [m for m in messages if "RemoteMonitor" in m]

