"""Hedged requests: a request that takes far longer than answers usually do gets a second copy; the first answer wins.

A stalled request (a server that accepted it and went quiet) otherwise costs
its whole wait, and when its retry stalls too, twice that, on one article,
while the run waits for it. Dean and Barroso's "The Tail at Scale" (2013):
send a copy once a request has taken longer than nearly all answers (here
four times the 90th percentile of the last 200 answers, at least one
second), another if that copy is slow too, and take whichever answers first. Only slow requests are copied, so
the extra requests are few; a copy is an HTTP attempt in the request's
``Usage``. The slower copy is not stopped (a synchronous HTTP call cannot
be) and an endpoint bills it: the caller is handed every losing copy
(``on_loser``) to count its tokens (its answer's, or an estimate while it
has none), and a budget can refuse a copy before it is sent
(``COPY_ALLOWED``).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
HEDGE_MIN_SECONDS = 1.0
HEDGE_FACTOR = 4.0
SAMPLES_NEEDED = 8
SAMPLES_KEPT = 200
RECHECK_SECONDS = 0.5  # how often a running request looks at the delay again
MAX_COPIES = 3  # the request and at most two copies: a copy can stall too
# Set by a budget around a request: asked before each copy is sent; False keeps the copy from going out.
COPY_ALLOWED: ContextVar[Callable[[], bool] | None] = ContextVar("summarizer_copy_allowed", default=None)


class Hedger:
    """Times answers, and sends a second copy of a request that runs past ``delay()``."""

    def __init__(self) -> None:
        """No answer timed yet."""
        self._seconds: deque[float] = deque(maxlen=SAMPLES_KEPT)
        self._lock = threading.Lock()

    def delay(self) -> float | None:
        """How long a request may run before it is copied; None until enough answers were timed."""
        with self._lock:
            if len(self._seconds) < SAMPLES_NEEDED:
                return None
            p90 = statistics.quantiles(self._seconds, n=10)[-1]
        return max(HEDGE_MIN_SECONDS, HEDGE_FACTOR * p90)

    def _timed(self, send: Callable[[], T]) -> T:
        started = time.monotonic()
        result = send()
        with self._lock:
            self._seconds.append(time.monotonic() - started)
        return result

    def call(self, send: Callable[[], T], on_copy: Callable[[], None], on_loser: Callable[[Future[T]], None] | None = None) -> T:
        """``send()``, copied each time the newest copy runs past the delay (``MAX_COPIES`` in all).

        The first success wins; when every copy failed, the last error is
        raised. The delay is looked at again while copies run: a request
        sent before any answer was timed is still copied once the others
        show what usual is. Before each copy, ``COPY_ALLOWED`` (when set) may
        refuse it. When a copy wins, every other copy is handed to
        ``on_loser`` (still running, or answered too), so its cost is counted.
        """
        running: set[Future[T]] = {self._start(send)}
        copies, last_sent = 1, time.monotonic()
        failed: Future[T] | None = None
        while True:
            delay = self.delay()
            can_copy = delay is not None and copies < MAX_COPIES
            left = (delay or 0.0) - (time.monotonic() - last_sent) if can_copy else RECHECK_SECONDS
            if can_copy and left <= 0:
                allowed = COPY_ALLOWED.get()
                if allowed is not None and not allowed():
                    copies = MAX_COPIES  # the budget has no room for a copy: wait for what was sent
                    continue
                on_copy()
                running.add(self._start(send))
                copies, last_sent = copies + 1, time.monotonic()
                continue
            done, running = wait(running, timeout=min(left, RECHECK_SECONDS), return_when=FIRST_COMPLETED)
            winner = next((future for future in done if future.exception() is None), None)
            if winner is not None:
                if on_loser is not None:
                    for future in (done - {winner}) | running:
                        on_loser(future)
                return winner.result()
            for future in done:
                failed = future
            if not running and failed is not None:
                return failed.result()  # every copy failed: raises the last error

    def _start(self, send: Callable[[], T]) -> Future[T]:
        """``send()`` in a daemon thread of its own: a copy still stalled when the run ends does not keep the process."""
        future: Future[T] = Future()
        future.set_running_or_notify_cancel()

        def run() -> None:
            try:
                future.set_result(self._timed(send))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                future.set_exception(exc)

        threading.Thread(target=run, name="summarizer-request", daemon=True).start()
        return future
