"""A scripted OpenAI-compatible chat-completions server on loopback, for tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer: an HTTP status, headers and a body."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a timeout when above the client's)
    drop: bool = False  # close the connection without any answer


def completion(content: str, *, finish_reason: str = "stop", prompt_tokens: int = 100, completion_tokens: int = 20) -> Reply:
    """A successful chat completion whose message content is ``content``."""
    return Reply(
        body={
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": "fake-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


def error(status: int, message: str = "fake error", headers: dict[str, str] | None = None) -> Reply:
    """An OpenAI-style error response."""
    return Reply(status=status, body={"error": {"message": message, "type": "fake"}}, headers=headers or {})


def dropped() -> Reply:
    """The server closes the connection without answering."""
    return Reply(drop=True)


def slow(reply: Reply, seconds: float) -> Reply:
    """``reply``, sent only after ``seconds``."""
    return Reply(status=reply.status, body=reply.body, headers=reply.headers, delay=seconds)


def raw(status: int, body: bytes) -> Reply:
    """A reply whose body is sent as is (e.g. truncated JSON)."""
    return Reply(status=status, body=body)


class FakeOpenAIServer:
    """Serves scripted replies in order and records every request it received."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", 0))
                server.requests.append(json.loads(self.rfile.read(length) or b"{}"))
                server.headers.append(dict(self.headers))
                reply = server.replies.pop(0) if server.replies else error(500, "no scripted reply left")
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = json.dumps(reply.body).encode() if not isinstance(reply.body, bytes) else reply.body
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
