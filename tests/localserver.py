"""A real HTTP server on 127.0.0.1 for tests: routes, static pages, streamed bodies, a request log.

    with LocalServer() as server:
        server.static("/feed/", rss_bytes, content_type="application/rss+xml")
        server.route("/wp-json/wp/v2/posts", lambda req: Response(body=json_for(req.query)))
        fetched = fetcher.get(server.url("/feed/"))
        assert server.requests[0].headers["user-agent"].startswith("SaringBot")

Handlers run in the server's threads. A handler may sleep (to play a slow site) or return a body
that is an iterable of byte chunks, which is sent with chunked transfer encoding and no
Content-Length; a generator that sleeps between chunks plays a slow-drip server, and
``header_delay`` sends the status line and headers one byte at a time (a slow-header server,
which no single read timeout ever catches). A handler that
raises gets a 500, and the exception is kept in ``server.errors`` so a test can look at it.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]  # first value of each parameter
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes = b""
    received: float = 0.0  # time.monotonic() when the request line had been read


@dataclass
class Response:
    """What a handler answers; ``body`` may be bytes, text (sent as UTF-8) or byte chunks."""

    status: int = 200
    body: bytes | str | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"  # None: send no Content-Type
    header_delay: float = 0.0  # seconds between single bytes of the status line and headers


Handler = Callable[[Request], Response]


class LocalServer:
    """A threading HTTP server on 127.0.0.1 with a free port; use it as a context manager."""

    def __init__(self) -> None:
        self._routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.errors: list[BaseException] = []
        self._httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def hostname(self) -> str:
        """The host the server listens on: "127.0.0.1"."""
        return "127.0.0.1"

    @property
    def port(self) -> int:
        """The port the operating system picked."""
        return self._httpd.server_address[1]

    @property
    def netloc(self) -> str:
        """Host and port as they appear in a URL: "127.0.0.1:PORT"."""
        return f"{self.hostname}:{self.port}"

    @property
    def base_url(self) -> str:
        """ "http://127.0.0.1:PORT", without a trailing slash."""
        return f"http://{self.netloc}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of path on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, handler: Handler) -> None:
        """Answer requests for path (matched without the query string) with handler."""
        self._routes[path] = handler

    def static(
        self,
        path: str,
        body: bytes | str,
        content_type: str | None = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer requests for path with a fixed response."""
        fixed = Response(
            status=status, body=body, headers=dict(headers or {}), content_type=content_type
        )
        self.route(path, lambda _request: fixed)

    def requests_for(self, path: str) -> list[Request]:
        """The logged requests whose path is path."""
        return [r for r in self.requests if r.path == path]

    def start(self) -> LocalServer:
        """Serve in a daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port (handlers still sleeping are abandoned)."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _handler_for(self, path: str) -> Handler | None:
        return self._routes.get(path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hung up (a timeout test, a size cap) is expected; anything else is shown.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # the name http.server dispatches to
        self._answer()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet; the request log is server.requests

    def _answer(self, send_body: bool = True) -> None:
        received = time.monotonic()
        owner = self.server.owner
        parts = urlsplit(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        length = int(headers.get("content-length", "0") or 0)
        request = Request(
            method=self.command,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            headers=headers,
            body=self.rfile.read(length) if length else b"",
            received=received,
        )
        owner.requests.append(request)
        handler = owner._handler_for(request.path)
        if handler is None:
            response = Response(status=404, body="not found", content_type="text/plain")
        else:
            try:
                response = handler(request)
            except Exception as exc:  # shown to the test through server.errors
                owner.errors.append(exc)
                response = Response(
                    status=500, body=traceback.format_exc(), content_type="text/plain"
                )
        self._send(response, send_body)

    def flush_headers(self) -> None:
        """Send the buffered status line and headers, one byte at a time when asked to."""
        delay = getattr(self, "_header_delay", 0.0)
        if not delay or not getattr(self, "_headers_buffer", None):
            super().flush_headers()
            return
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        for index in range(len(head)):
            self.wfile.write(head[index : index + 1])
            self.wfile.flush()
            time.sleep(delay)

    def _send(self, response: Response, send_body: bool) -> None:
        self._header_delay = response.header_delay
        body = response.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        streamed = not isinstance(body, (bytes, bytearray))
        self.send_response(response.status)
        names = {name.lower() for name in response.headers}
        if response.content_type is not None and "content-type" not in names:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        no_body = response.status in (204, 304) or 100 <= response.status < 200
        if streamed:
            self.send_header("Transfer-Encoding", "chunked")
        elif "content-length" not in names and not no_body:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body or no_body:
            return
        if not streamed:
            self.wfile.write(body)
            return
        for chunk in body:
            if chunk:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
