"""Reading one answer's body within bounds: a deadline for the whole fetch, one compression layer, a size limit.

The size limit applies to the bytes *after* decompression, as they come out
of the decompressor, so 3 KB of stacked gzip never become gigabytes in memory.
The deadline covers the whole fetch (connect, headers, body): when it passes,
the connection is shut down from a timer, which also ends a read that is
waiting on a server sending one byte now and then.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Iterator

import httpx

from summarizer.errors import InputError

ACCEPT_ENCODING = "gzip, deflate"  # what ``decoded_body`` reads; servers are not offered brotli or zstd


class Deadline:
    """The end of one fetch: how long is left, and a timer that shuts the watched connections when it passes."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left (a little above zero once passed, so a timeout set from it still fails at once)."""
        return max(0.01, self.ends - time.monotonic())

    def passed(self) -> bool:
        """Whether the deadline has passed."""
        return self.expired or time.monotonic() >= self.ends

    def timeouts(self) -> dict[str, float]:
        """An httpx timeout extension with what is left for each phase (connect, write, read, pool)."""
        return httpx.Timeout(self.remaining()).as_dict()  # type: ignore[return-value]

    def watch(self, response: httpx.Response) -> None:
        """Shut ``response``'s connection when the deadline passes (at once if it has)."""
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def stop_watching(self) -> None:
        """The answers watched so far are done with: their connections go back to the pool and are not shut."""
        with self._lock:
            self._sockets.clear()

    def stop(self) -> None:
        """The fetch is over: the timer is cancelled and no connection is shut any more."""
        self._timer.cancel()
        self.stop_watching()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _decompressor(content_encoding: str) -> zlib._Decompress | None:
    """The decompressor for a ``Content-Encoding`` header: None for none, ``InputError`` for two layers or an unknown one."""
    codings = [coding.strip().lower() for coding in content_encoding.split(",")]
    codings = [coding for coding in codings if coding and coding != "identity"]
    if len(codings) > 1:
        raise InputError(f"compressed more than once (Content-Encoding: {', '.join(codings)}); one layer at most is read")
    if not codings:
        return None
    if codings[0] in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if codings[0] == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # a zlib or gzip header, as servers send either
    raise InputError(f"sent in an encoding that is not read ({codings[0]})")


def decoded_body(raw: Iterable[bytes], content_encoding: str, limit: int, deadline: Deadline) -> bytes:
    """The body from its raw chunks, decompressed (one layer at most), ``InputError`` past ``limit`` bytes or the deadline."""
    decompressor = _decompressor(content_encoding)
    body = bytearray()
    chunks = raw if decompressor is None else _inflated(raw, decompressor, limit)
    for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise InputError(too_large(len(body), limit, more_than=True, decompressed=decompressor is not None))
        if deadline.passed():
            raise DeadlinePassed
    return bytes(body)


def too_large(size: int, limit: int, *, more_than: bool = False, decompressed: bool = False) -> str:
    """Why a page of ``size`` bytes (read so far, or declared) is refused."""
    shown = f"{'more than ' if more_than else ''}{size / 1e6:.1f} MB{' once decompressed' if decompressed else ''}"
    return f"{shown} is too large for a page (limit {limit / 1e6:g} MB)"


class DeadlinePassed(Exception):
    """The fetch's deadline passed while its body was being read."""


def _inflated(raw: Iterable[bytes], decompressor: zlib._Decompress, limit: int) -> Iterator[bytes]:
    """Decompressed chunks, never more than ``limit + 1`` bytes at a time whatever the ratio."""
    try:
        for chunk in raw:
            data = chunk
            while data and not decompressor.eof:
                out = decompressor.decompress(data, limit + 1)
                data = decompressor.unconsumed_tail
                yield out
        while not decompressor.eof:  # what the decompressor still holds after the last input
            out = decompressor.decompress(b"", limit + 1)
            if not out:
                break
            yield out
        if not decompressor.eof:
            raise InputError("its compressed body is damaged (it ends before its compressed stream does)")
    except zlib.error as exc:
        raise InputError(f"its compressed body is damaged ({exc})") from None
