"""A loopback web server for tests: pages and feeds by path, a 404, a slow page, a huge page, any answer a test
writes itself (``Page.answer``); counts every request.

A page with an ``etag`` or ``last_modified`` answers a matching conditional request with ``304 Not Modified``;
``log`` keeps every request as (path, status, conditional headers sent).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[BaseHTTPRequestHandler], None]


def redirect_answer(location: str) -> Answer:
    """A 302 to ``location`` (any text: the hostile tests send ``data:`` and ``javascript:`` there)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def drip_answer(chunk: bytes, every: float, count: int) -> Answer:
    """A page of ``count`` chunks, one every ``every`` seconds: a server slow in the body, never in one read."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(chunk) * count))
        handler.end_headers()
        for _ in range(count):
            handler.wfile.write(chunk)
            handler.wfile.flush()
            time.sleep(every)

    return answer


@dataclass(frozen=True)
class Page:
    """What one path answers: a body and content type, after ``delay`` seconds; ``size`` streams that many bytes."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    size: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    answer: Answer | None = None  # writes the whole answer itself (hostile servers)


class WebServer:
    """Serves ``pages`` on 127.0.0.1; any other path is a 404. ``hits`` counts requests per path, ``most_in_flight``
    the most answered at once."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[str, int, dict[str, str]]] = []
        self.in_flight = self.most_in_flight = 0
        self._counting = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                with server._counting:
                    server.hits[self.path] += 1
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    self._answer()
                finally:
                    with server._counting:
                        server.in_flight -= 1

            def _answer(self) -> None:
                page = server.pages.get(self.path, Page(b"not here", "text/plain", 404))
                if page.delay:
                    time.sleep(page.delay)
                if page.answer is not None:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
                        page.answer(self)
                    return
                sent = {name: self.headers[name] for name in ("If-None-Match", "If-Modified-Since") if self.headers[name]}
                unchanged = (page.etag is not None and sent.get("If-None-Match") == page.etag) or (
                    page.etag is None and page.last_modified is not None and sent.get("If-Modified-Since") == page.last_modified
                )
                with server._counting:
                    server.log.append((self.path, 304 if unchanged else page.status, sent))
                try:
                    if unchanged:
                        self.send_response(304)
                        self.end_headers()
                        return
                    self.send_response(page.status)
                    self.send_header("Content-Type", page.content_type)
                    if page.etag:
                        self.send_header("ETag", page.etag)
                    if page.last_modified:
                        self.send_header("Last-Modified", page.last_modified)
                    if page.size is not None:
                        self.send_header("Content-Length", str(page.size))
                        self.end_headers()
                        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
                        for _ in range(page.size // len(chunk)):
                            self.wfile.write(chunk)
                        return
                    self.send_header("Content-Length", str(len(page.body)))
                    self.end_headers()
                    self.wfile.write(page.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout or a size limit): expected

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        """The address of ``path`` on this server."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def __enter__(self) -> WebServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
