"""Any OpenAI-compatible endpoint through the ``openai`` SDK and ``instructor``.

Two retry loops with separate jobs and separate bounds:

* transient transport faults (429 honouring Retry-After, 5xx, timeouts,
  dropped connections) are retried by tenacity *around the raw HTTP call*,
  with exponential backoff; the SDK's own retries are off so attempts do not
  multiply;
* an answer that is not valid JSON or fails validation is re-asked by
  instructor with the validation error, ``max_reasks`` times at most.

Every HTTP attempt is counted in ``Usage.attempts``; tokens are summed over
all completions, re-asks included.
"""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import Future
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from summarizer.errors import (
    EndpointError,
    EndpointRefusedError,
    ProviderError,
    SummarizerError,
)
from summarizer.providers.base import ModelRequest, ModelResult, OutputT, Usage, validating_with
from summarizer.providers.hedge import Hedger
from summarizer.providers.openai_client import openai_client
from summarizer.providers.openai_errors import (
    REFUSALS,
    WaitRetryAfterOrBackoff,
    cut_off_or_malformed,
    describe_error,
    failure_message,
    is_transient,
    refusal_message,
    retry_after_seconds,
    root_cause,
)
from summarizer.providers.pace import SharedPace
from summarizer.providers.policy import RequestPolicy
from summarizer.settings import API_CONTEXT_TOKENS

log = logging.getLogger(__name__)


@dataclass
class _Counts:
    """What one request took: HTTP attempts, and prompt tokens the server served from its cache."""

    attempts: int = 0
    cached: int = 0
    losing_copies: list[Future[Any]] = field(default_factory=list)  # hedged copies that lost: billed all the same
    extra_prompt: int = 0  # their tokens (a copy with no answer yet: the winner's prompt tokens, as an estimate)
    extra_completion: int = 0

    def count_losers(self, winner: Any) -> None:
        """Add the losing copies' tokens: their own answer's when they have one, else the winner's prompt tokens."""
        for future in self.losing_copies:
            if not future.done():  # still running: billed at least for its prompt, the winner's
                self.extra_prompt += getattr(getattr(winner, "usage", None), "prompt_tokens", 0) or 0
            elif future.exception() is None:  # answered too
                usage = getattr(future.result(), "usage", None)
                self.extra_prompt += getattr(usage, "prompt_tokens", 0) or 0
                self.extra_completion += getattr(usage, "completion_tokens", 0) or 0
            # a copy that failed is not billed
        self.losing_copies.clear()


_REQUEST_COUNTS: ContextVar[_Counts] = ContextVar("summarizer_request_counts")


class OpenAICompatibleProvider:
    """Structured calls against any OpenAI-compatible chat completions endpoint."""

    name = "openai"

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        context_tokens: int = API_CONTEXT_TOKENS,
        policy: RequestPolicy | None = None,
        name: str | None = None,
        compact_json_grammar: bool = False,
    ) -> None:
        self.model = model
        self.context_tokens = context_tokens
        if name:
            self.name = name
        self.policy = policy or RequestPolicy()
        self.compact_json_grammar = compact_json_grammar
        self._wait = WaitRetryAfterOrBackoff(self.policy.backoff_initial, self.policy.backoff_max)
        self._secret = api_key
        self._client = openai_client(
            api_key=api_key, base_url=base_url, timeout=self.policy.timeout, connect_timeout=self.policy.connect_timeout
        )
        self.endpoint = shown_endpoint(str(self._client.base_url))
        self._answered = False  # has the endpoint ever answered (anything) in this run?
        self.pace = SharedPace(self.policy.in_flight)  # shared by every worker using this provider
        self._hedger = Hedger() if self.policy.hedge else None
        # Patched once (about 1.7 ms a time); each request's counts reach it through _REQUEST_COUNTS.
        self._create = instructor.patch(create=self._counted_create, mode=instructor.Mode.JSON_SCHEMA)

    def _counted_create(self, **kwargs: Any) -> Any:
        """One chat completion, its transient faults retried; counts attempts and cached tokens for the request."""
        counts = _REQUEST_COUNTS.get()
        if self.compact_json_grammar:
            kwargs = _with_compact_grammar(kwargs)
        for attempt in Retrying(
            retry=retry_if_exception(is_transient),
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            before_sleep=self._tell_waiting,
            reraise=True,
        ):
            with attempt:
                counts.attempts += 1
                with self.pace.slot() as sent_at:
                    try:
                        response = self._send(kwargs, counts)
                    except openai.APIStatusError as exc:
                        self._answered = True
                        if isinstance(exc, openai.RateLimitError):
                            self.pace.throttled(retry_after_seconds(exc), sent_at)
                        raise
                self._answered = True
                self.pace.succeeded()
                counts.cached += _cached_prompt_tokens(response)
                return response
        raise AssertionError("unreachable: tenacity reraises")

    def _send(self, kwargs: dict[str, Any], counts: _Counts) -> Any:
        """One HTTP call, hedged when the policy says so (a copy counts as an attempt)."""
        if self._hedger is None:
            return self._client.chat.completions.create(**kwargs)

        def copied() -> None:
            counts.attempts += 1

        response = self._hedger.call(lambda: self._client.chat.completions.create(**kwargs), copied, counts.losing_copies.append)
        counts.count_losers(response)
        return response

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Send the request; retry transient faults; re-ask on invalid answers."""
        counts = _Counts()
        token = _REQUEST_COUNTS.set(counts)
        try:
            return self._complete(request, counts)
        finally:
            _REQUEST_COUNTS.reset(token)

    def _complete(self, request: ModelRequest[OutputT], counts: _Counts) -> ModelResult[OutputT]:
        started = time.monotonic()
        create = self._create
        messages = request.messages
        params = request.params.as_dict()
        while True:
            try:
                with validating_with(request.validation_context):  # not instructor's context=: see validating_with
                    output = create(
                        model=self.model,
                        messages=messages,
                        response_model=request.response_model,
                        max_retries=self._reasks_for(request),
                        **params,
                    )
                break
            except (InstructorRetryException, openai.APIError, IncompleteOutputException) as exc:
                salvaged = self._salvage(request, exc, counts, started)
                if salvaged is not None:
                    return salvaged
                if messages is request.messages and cut_off_or_malformed(exc):
                    # Transient too: once more, with a reminder to answer completely and briefly, and room to do so.
                    log.warning(self._redact(f"{self.endpoint}: the answer was cut off or not JSON; asking once more"))
                    messages = [*request.messages, {"role": "user", "content": REMINDER}]
                    params = {**params, "max_tokens": params["max_tokens"] * CUT_OFF_ROOM}
                    continue
                raise self._failure(exc, params["max_tokens"], counts, started) from None

        usage = _usage(getattr(output, "_total_usage", None), counts, started)
        raw_response = getattr(output, "_raw_response", None)
        raw = None
        if raw_response is not None and getattr(raw_response, "choices", None):
            raw = raw_response.choices[0].message.content
        return ModelResult(output=output, provider=self.name, model=self.model, usage=usage, raw=raw, endpoint=self.endpoint)

    def _reasks_for(self, request: ModelRequest[OutputT]) -> int:
        """The policy's re-asks, or fewer when the request allows fewer."""
        return self.policy.max_reasks if request.max_reasks is None else min(self.policy.max_reasks, request.max_reasks)

    def _failure(self, exc: Exception, max_tokens: int, counts: _Counts, started: float) -> SummarizerError:
        """The one error a failed request raises, its key redacted and what it spent attached.

        A refusal (wrong key, no permission, no such model) and an endpoint
        that never answered are setup errors; the rest fail this request only.
        """
        cause = root_cause(exc)
        error: SummarizerError
        if isinstance(cause, REFUSALS):
            error = EndpointRefusedError(self._redact(refusal_message(cause, self.endpoint, self.model)))
        elif (unreachable := self._unreachable(exc, counts.attempts)) is not None:
            error = EndpointError(self._redact(unreachable))
        else:
            error = ProviderError(self._redact(failure_message(exc, counts.attempts, max_tokens)))
            error.transient = is_transient(cause) or cut_off_or_malformed(exc)
        error.spent = _usage(getattr(exc, "total_usage", None), counts, started)
        return error

    def _salvage(
        self, request: ModelRequest[OutputT], exc: Exception, counts: _Counts, started: float
    ) -> ModelResult[OutputT] | None:
        """After the last re-ask, keep the valid part of the last answer if the request allows it."""
        # Also after a transport error (e.g. a re-ask that outgrew the context):
        # the last answer received is still worth keeping in part.
        if request.salvage is None or not isinstance(exc, InstructorRetryException) or exc.last_completion is None:
            return None
        try:
            content = exc.last_completion.choices[0].message.content or ""
            output, dropped = request.salvage(content)
        except Exception:  # noqa: BLE001 - nothing salvageable: report the original failure
            return None
        usage = _usage(exc.total_usage, counts, started)
        return ModelResult(
            output=output, provider=self.name, model=self.model, usage=usage, raw=content, dropped=dropped, endpoint=self.endpoint
        )

    def _tell_waiting(self, state: RetryCallState) -> None:
        """Log what a retry waits for, so a long wait is never silent."""
        cause = state.outcome.exception() if state.outcome else None
        seconds = state.upcoming_sleep
        what = describe_error(cause) if cause is not None else "a transient fault"
        log.warning(
            self._redact(f"{self.endpoint}: {what}; retrying in {seconds:.1f} s (attempt {state.attempt_number + 1} "
                         f"of {self.policy.attempts})")
        )  # fmt: skip

    def _unreachable(self, exc: Exception, attempts: int) -> str | None:
        """Why the endpoint cannot be reached at all, when no request of this run ever got an answer; else None.

        Then no other request will fare better: the run stops once, naming
        the endpoint, instead of failing every article the same way.
        """
        cause = root_cause(exc)
        if self._answered or not isinstance(cause, openai.APIConnectionError):
            return None
        if isinstance(cause, openai.APITimeoutError):
            return (
                f"{self.endpoint} did not answer within {self.policy.timeout:g} s in {attempts} attempts; is the server "
                "running? (a slow one needs a longer SUMMARIZER_TIMEOUT)"
            )
        return f"cannot connect to {self.endpoint} ({attempts} attempts); is the server running and the URL right?"

    def _redact(self, message: str) -> str:
        """Never let the key reach a message, even if an endpoint echoes it."""
        return message.replace(self._secret, "***") if self._secret else message

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()


CUT_OFF_ROOM = 2  # an answer cut off at the token limit is asked again with this many times the room
REMINDER = "Your last answer was cut off or was not valid JSON. Answer again: the complete JSON object, shorter."


def shown_endpoint(url: str) -> str:
    """The endpoint's URL as it may be shown: scheme, host, port and path, never user info or a query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def _cached_prompt_tokens(response: Any) -> int:
    """Prompt tokens the server took from its cache instead of evaluating (0 if it does not say).

    OpenAI reports ``usage.prompt_tokens_details.cached_tokens``; llama.cpp's
    server reports ``timings.cache_n``.
    """
    details = getattr(getattr(response, "usage", None), "prompt_tokens_details", None)
    timings = (getattr(response, "model_extra", None) or {}).get("timings") or {}
    counts = [getattr(details, "cached_tokens", None), timings.get("cache_n")]
    return max([count for count in counts if isinstance(count, int)], default=0)


def _usage(total: Any, counts: _Counts, started: float) -> Usage:
    """Tokens instructor summed over every re-ask and the losing hedged copies', the HTTP attempts, the time taken."""
    return Usage(
        prompt_tokens=(getattr(total, "prompt_tokens", 0) or 0) + counts.extra_prompt,
        cached_prompt_tokens=counts.cached,
        completion_tokens=(getattr(total, "completion_tokens", 0) or 0) + counts.extra_completion,
        attempts=counts.attempts,
        seconds=round(time.monotonic() - started, 3),
    )


def _with_compact_grammar(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Swap ``response_format`` for a llama.cpp llguidance grammar without free whitespace.

    llama.cpp's default JSON grammar lets the model indent, and a small model
    does: a third of its output tokens were spaces and newlines. The schema
    (and so the validation) is unchanged; only the whitespace is fixed.
    """
    response_format = kwargs.get("response_format") or {}
    schema = (response_format.get("json_schema") or {}).get("schema")
    if schema is None:
        return kwargs
    compact_schema = {
        **schema,
        "x-guidance": {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"},
    }
    changed = {key: value for key, value in kwargs.items() if key != "response_format"}
    changed["extra_body"] = {
        **(kwargs.get("extra_body") or {}),
        "grammar": "%llguidance {}\nstart: %json " + json.dumps(compact_schema),
    }
    return changed
