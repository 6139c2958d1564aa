"""A threaded HTTP server that dispatches to the methods of a fake API."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        """Keep test output quiet; the fakes record requests themselves."""

    def _dispatch(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = {
            "method": self.command,
            "path": parts.path,
            "query": {k: v[-1] for k, v in parse_qs(parts.query).items()},
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        }
        fake = self.server.fake
        with fake.lock:
            fake.requests.append(
                {"method": self.command, "path": parts.path, "query": request["query"]}
            )
            injected = fake.failures.pop(0) if fake.failures else None
        if injected:
            status, headers, payload = injected
        else:
            status, headers, payload = fake.handle(request)
        if isinstance(payload, dict | list):
            data = json.dumps(payload).encode()
            headers = {"Content-Type": "application/json", **headers}
        else:
            data = payload or b""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, str(value))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch


class FakeServer:
    """Base class: start/stop a server on 127.0.0.1 and queue injected failures.

    Subclasses implement ``handle(request) -> (status, headers, body)`` where
    body is a dict/list (sent as JSON) or bytes.
    """

    def __init__(self):
        self.lock = threading.RLock()
        self.requests = []
        self.failures = []
        self._httpd = None
        self._thread = None

    @property
    def url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def inject(self, status, body=None, headers=None, times=1):
        """Answer the next ``times`` requests with this status and body."""
        with self.lock:
            for _i in range(times):
                self.failures.append((status, headers or {}, body or {}))

    def handle(self, request):
        raise NotImplementedError

    @staticmethod
    def json_body(request):
        try:
            return json.loads(request["body"] or b"{}")
        except ValueError:
            return None
