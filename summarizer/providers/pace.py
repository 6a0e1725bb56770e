"""One pace for every worker that shares a provider: a rate limit slows them all, and the pace recovers gradually.

At most ``limit`` requests are in flight; a 429 halves the limit
(multiplicative decrease) and holds every worker back until the
``Retry-After`` time has passed; each success raises the limit again by
``1/limit`` (additive increase), up to the configured maximum. So a burst of
429s does not become a burst of retries from every worker at once.

Only a 429 to a request sent after the last decrease halves the limit
again: the answers to requests already in flight report the load that was
(as TCP halves its window once per round trip, not once per lost packet),
so one burst of 429s halves the limit once, not down to one. A time-out is
not a rate limit and leaves the limit alone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_HOLD_SECONDS = 1.0  # how long everyone waits after a 429 that names no Retry-After


class SharedPace:
    """The in-flight limit and the hold-off time shared by every worker of one provider."""

    def __init__(self, max_in_flight: int) -> None:
        """At most ``max_in_flight`` requests at once, fewer while the endpoint pushes back."""
        self.max_in_flight = max(1, max_in_flight)
        self.limit = float(self.max_in_flight)
        self.in_flight = 0
        self.not_before = 0.0
        self.throttles = 0
        self.decreased_at = float("-inf")
        self._condition = threading.Condition()

    @contextmanager
    def slot(self) -> Iterator[float]:
        """Wait for a free slot and for any hold-off to pass, then hold the slot during one request (yields when it was sent)."""
        with self._condition:
            while True:
                wait = self.not_before - time.monotonic()
                if wait <= 0 and self.in_flight < int(self.limit):
                    break
                self._condition.wait(timeout=wait if wait > 0 else None)
            self.in_flight += 1
        try:
            yield time.monotonic()
        finally:
            with self._condition:
                self.in_flight -= 1
                self._condition.notify_all()

    def throttled(self, retry_after: float | None, sent_at: float | None = None) -> None:
        """The endpoint said "too many requests" to a request sent at ``sent_at``: hold every worker back, and halve
        the limit unless it was already halved since that request was sent.
        """
        with self._condition:
            self.throttles += 1
            if sent_at is None or sent_at > self.decreased_at:
                self.limit = max(1.0, self.limit / 2)
                self.decreased_at = time.monotonic()
            hold = retry_after if retry_after is not None else DEFAULT_HOLD_SECONDS
            self.not_before = max(self.not_before, time.monotonic() + hold)
            self._condition.notify_all()

    def succeeded(self) -> None:
        """A request went through: let the limit grow back by one slot per ``limit`` successes."""
        with self._condition:
            self.limit = min(float(self.max_in_flight), self.limit + 1.0 / self.limit)
            self._condition.notify_all()
