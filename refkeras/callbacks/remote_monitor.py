"""RemoteMonitor: POST every epoch's logs to an HTTP server.

Clauses: CALLBACKS.REMOTE_MONITOR (docs/spec.md).

The rule (tf_keras 2.21, measured against a local server). At every epoch end of fit
(never in evaluate or predict) one HTTP POST goes to ``root + path`` (plain string
concatenation, no slash added; a space or other character a URL cannot hold is
percent-encoded, as requests does). Its payload is ``{"epoch": epoch, **logs}``: the
0-based epoch index first, then the logs in their order, a 0-d numpy value unwrapped
with ``.item()``. With ``send_as_json=False`` (the default) the body is the form
``field=<json.dumps(payload)>``, URL-encoded (spaces as ``+``), with Content-Type
``application/x-www-form-urlencoded``; with ``send_as_json=True`` it is
``json.dumps(payload)`` itself as ``application/json``, and NaN or infinity cannot
be sent that way. ``headers`` are added to the request (a Content-Type there wins).
The server's answer is not read: an error status (404, 500) passes silently. When
the request cannot be made (nothing listens, a malformed URL, a NaN in JSON mode)
the warning ``Warning: could not reach RemoteMonitor root server at <root>`` is
logged and training goes on.

tf_keras sends with the third-party ``requests`` library; refkeras uses the standard
library's ``urllib.request``, so the body bytes are the same but the transport headers
differ: ``User-Agent: Python-urllib/3.x`` instead of ``python-requests/...``,
``Connection: close`` instead of ``keep-alive``, and no ``Accept`` or gzip
``Accept-Encoding``. Neither sets a timeout: a server that accepts the connection but
never answers stalls fit, in both.

The decision, per epoch end (runnable as written, given the names)::

    payload = {"epoch": epoch, **{k: unwrap(v) for k, v in logs.items()}}
    if send_as_json:
        body, kind = json.dumps(payload, allow_nan=False), "application/json"
    else:
        body = urlencode({field: json.dumps(payload)})
        kind = "application/x-www-form-urlencoded"
    try:
        post(root + path, body, {"Content-Type": kind, **(headers or {})})
    except CannotSend:
        warn(f"Warning: could not reach RemoteMonitor root server at {root}")

refkeras checks at construction what tf_keras accepts silently and only reports, every
epoch, as an unreachable server: a ``root`` that is not an ``http://`` or ``https://``
URL, a ``path`` that does not start with "/" (``"x"`` would glue onto the port), a
non-string or empty ``field`` and ``headers`` that are not a mapping of strings
(all ValueError or TypeError naming the argument). An n-d numpy value in the logs,
which tf_keras's ``.item()`` rejects with "can only convert an array of size 1", raises
a ValueError naming the key.

Who owns what: this callback owns the payload and the request; the trainer calls
``on_epoch_end`` with logs already converted to Python numbers.

>>> import http.server, json, threading, urllib.parse
>>> received = []
>>> class Server(http.server.BaseHTTPRequestHandler):
...     def do_POST(self):
...         length = int(self.headers["Content-Length"])
...         received.append((self.path, self.rfile.read(length)))
...         self.send_response(200); self.end_headers()
...     def log_message(self, *args): pass
>>> server = http.server.HTTPServer(("127.0.0.1", 0), Server)
>>> thread = threading.Thread(target=server.serve_forever); thread.start()
>>> monitor = RemoteMonitor(root=f"http://127.0.0.1:{server.server_address[1]}")
>>> monitor.on_epoch_end(0, {"loss": 0.5})
>>> server.shutdown(); thread.join(); server.server_close()
>>> path, body = received[0]
>>> path, json.loads(urllib.parse.parse_qs(body.decode())["data"][0])
('/publish/epoch/end/', {'epoch': 0, 'loss': 0.5})
"""
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

import numpy as np

from refkeras.callbacks.callback import Callback

logger = logging.getLogger("refkeras")


class _CannotSendError(Exception):
    """The request could not be made; reported as an unreachable server, as tf_keras does."""


class RemoteMonitor(Callback):
    """Streams each epoch's logs to a server (``keras.callbacks.RemoteMonitor``).

    Args:
        root: the server's root URL, ``http://`` or ``https://``.
        path: appended to ``root`` as is; must start with "/".
        field: the form field holding the JSON (form bodies only).
        headers: extra HTTP headers, a mapping of strings to strings.
        send_as_json: send the JSON itself as ``application/json`` instead of a form.
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False):
        super().__init__()
        self.root = _check_root(root)
        self.path = _check_path(path)
        self.field = _check_field(field)
        self.headers = _check_headers(headers)
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        payload = {"epoch": epoch}
        for key, value in (logs or {}).items():
            payload[key] = _unwrap(key, value)
        try:
            body, content_type = self._body(payload)
            self._post(body, content_type)
        except _CannotSendError:
            logger.warning("Warning: could not reach RemoteMonitor root server at %s", self.root)

    def _body(self, payload):
        """(bytes, Content-Type). A value json cannot write (an object) raises TypeError."""
        if not self.send_as_json:
            form = urllib.parse.urlencode({self.field: json.dumps(payload)})
            return form.encode("ascii"), "application/x-www-form-urlencoded"
        try:
            # requests refuses NaN and infinity in JSON (allow_nan=False) and tf_keras then
            # reports the server as unreachable; the outcome is kept: a warning, no request.
            text = json.dumps(payload, allow_nan=False)
        except ValueError as error:
            raise _CannotSendError from error
        return text.encode("utf-8"), "application/json"

    def _post(self, body, content_type):
        # urllib capitalises header names, so a user's "content-type" replaces ours.
        headers = {"Content-Type": content_type, **(self.headers or {})}
        try:
            request = urllib.request.Request(_quote_url(self.root + self.path), data=body,
                                             headers=headers, method="POST")
            with urllib.request.urlopen(request):  # the URL is the user's own server
                pass
        except urllib.error.HTTPError as error:
            # The server answered: requests does not raise on an error status, so tf_keras
            # says nothing; urllib raises, so it is swallowed here.
            error.close()
        except (OSError, ValueError, http.client.HTTPException) as error:
            # OSError: refused, unreachable, DNS (URLError is one); ValueError and
            # HTTPException (InvalidURL): a URL urllib cannot parse.
            raise _CannotSendError from error


def _unwrap(key, value):
    """A numpy scalar or 1-element array becomes its Python value, as tf_keras's .item()."""
    if not isinstance(value, (np.ndarray, np.generic)):
        return value
    if value.size != 1:
        raise ValueError(f"RemoteMonitor can only send scalar log values; logs[{key!r}] is an "
                         f"array of shape {value.shape}.")
    return value.item()


def _quote_url(url):
    """Percent-encode what may not appear in a URL (a space), keeping existing escapes.

    requests does this (``requote_uri``) before sending; urllib refuses such a URL.
    """
    return urllib.parse.quote(url, safe="!#$%&'()*+,/:;=?@[]~")


# -- construction checks
def _check_root(root):
    if not isinstance(root, str) or urllib.parse.urlsplit(root).scheme not in ("http", "https"):
        raise ValueError("RemoteMonitor `root` must be an http:// or https:// URL such as "
                         f"'http://localhost:9000'. Received: root={root!r}")
    return root


def _check_path(path):
    # tf_keras concatenates root + path: "x" would make "http://localhost:9000x".
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"RemoteMonitor `path` must be a string starting with '/'. "
                         f"Received: path={path!r}")
    return path


def _check_field(field):
    if not isinstance(field, str) or not field:
        raise ValueError(f"RemoteMonitor `field` must be a non-empty string. "
                         f"Received: field={field!r}")
    return field


def _check_headers(headers):
    if headers is None:
        return None
    if not isinstance(headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise TypeError("RemoteMonitor `headers` must be None or a dict of strings to strings. "
                        f"Received: headers={headers!r}")
    return dict(headers)


__all__ = ["RemoteMonitor"]
