"""``RequestPolicy``: how a provider sends each request, as one value (as httpx bundles ``Timeout`` and ``Limits``)."""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.errors import ConfigError
from summarizer.settings import (
    API_ATTEMPTS,
    API_CONCURRENCY,
    API_REQUEST_TIMEOUT,
    CONNECT_TIMEOUT,
    DEFAULT_MAX_REASKS,
    LOCAL_ATTEMPTS,
    LOCAL_CONCURRENCY,
    LOCAL_REQUEST_TIMEOUT,
    Settings,
)


@dataclass(frozen=True)
class RequestPolicy:
    """Time limits, attempts on transient faults (with backoff), re-asks of invalid answers, requests in flight.

    ``timeout`` covers one whole answer (they are not streamed);
    ``attempts`` counts HTTP attempts of one request (429, 5xx, time-outs,
    dropped connections); ``max_reasks`` the re-asks of an answer that is
    not valid; ``in_flight`` the requests sent at once (for the embedded
    model, its llama.cpp slots); ``hedge`` sends a second copy of a request
    that runs far past the usual answer time (``providers/hedge.py``; never
    for the embedded model, whose copy would only queue behind it).
    """

    timeout: float = API_REQUEST_TIMEOUT
    connect_timeout: float = CONNECT_TIMEOUT
    attempts: int = API_ATTEMPTS
    max_reasks: int = DEFAULT_MAX_REASKS
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    in_flight: int = API_CONCURRENCY
    hedge: bool = True

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.connect_timeout <= 0 or self.backoff_initial < 0 or self.backoff_max < 0:
            raise ConfigError("timeouts must be positive and backoffs not negative")
        if self.attempts < 1 or self.in_flight < 1 or self.max_reasks < 0:
            raise ConfigError("a request needs at least one attempt and one slot, and no negative re-asks")

    @classmethod
    def local(cls) -> RequestPolicy:
        """The embedded model's defaults: a long time limit (a synthesis can take minutes on 2 cores), one slot."""
        return cls(timeout=LOCAL_REQUEST_TIMEOUT, attempts=LOCAL_ATTEMPTS, in_flight=LOCAL_CONCURRENCY, hedge=False)

    @classmethod
    def for_settings(cls, settings: Settings, local: bool) -> RequestPolicy:
        """The policy ``settings`` ask for, for the embedded model or an endpoint."""
        return cls(
            timeout=settings.timeout_for(local),
            connect_timeout=settings.connect_timeout,
            attempts=settings.attempts_for(local),
            max_reasks=settings.max_reasks,
            in_flight=settings.concurrency_for(local),
            hedge=settings.hedge and not local,
        )
