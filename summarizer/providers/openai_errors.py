"""What went wrong with a request to an OpenAI-compatible endpoint: which faults are transient, how long to wait,
and the one line that says why a request failed or the endpoint refused the run.
"""

from __future__ import annotations

import json

import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError
from tenacity import RetryCallState, wait_exponential_jitter

from summarizer.errors import plain_error_message, plain_validation_error

TRANSIENT_ERRORS = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APITimeoutError,
    openai.APIConnectionError,
)
MAX_RETRY_AFTER_SECONDS = 60.0
# Answers that no other request of the run would fare better with: the run stops once (exit 2), before any output.
REFUSALS = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError)


def root_cause(exc: BaseException) -> BaseException:
    """The error behind instructor's retry wrapper (the transport error, or the last validation error)."""
    return (exc.__cause__ or exc) if isinstance(exc, InstructorRetryException) else exc


def is_transient(exc: BaseException) -> bool:
    """Whether another attempt may fare better: a rate limit, a server error, a time-out, a dropped connection."""
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The wait a 429 or 503 asked for (``Retry-After`` in seconds, capped), or None."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    value = response.headers.get("retry-after")
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_SECONDS) if value is not None else None
    except ValueError:
        return None  # an HTTP date; fall back to backoff


class WaitRetryAfterOrBackoff:
    """Wait what the server asked for (Retry-After), else exponential backoff with jitter."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_exponential_jitter(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        """Seconds to wait before the next attempt."""
        asked = retry_after_seconds(state.outcome.exception() if state.outcome else None)
        return asked if asked is not None else self._backoff(state)


def describe_error(exc: BaseException) -> str:
    """A one-line cause without secrets (the SDK's messages never echo the key)."""
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from the endpoint: {exc.message}"
    if isinstance(exc, openai.APITimeoutError):
        return "the endpoint timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect to the endpoint"
    return f"{type(exc).__name__}: {exc}"


def cut_off_or_malformed(exc: Exception) -> bool:
    """Whether the answer stopped at the token limit or was not JSON at all (worth one more try)."""
    cause = root_cause(exc)
    if isinstance(exc, IncompleteOutputException) or isinstance(cause, IncompleteOutputException):
        return True
    if isinstance(cause, ValidationError):
        return any(error["type"] in ("json_invalid", "json_type") for error in cause.errors())
    return isinstance(cause, json.JSONDecodeError)


def failure_message(exc: Exception, attempts: int, max_tokens: int) -> str:
    """One line saying why a request failed: transport, truncation, or answers that never validated."""
    if isinstance(exc, IncompleteOutputException):
        return f"the answer was cut off at max_tokens={max_tokens} (finish_reason=length)"
    cause = root_cause(exc)
    if isinstance(cause, openai.APIError):
        return f"{describe_error(cause)} (after {attempts} attempts)"
    assert isinstance(exc, InstructorRetryException)
    why = plain_validation_error(cause) if isinstance(cause, ValidationError) else first_line(plain_error_message(str(cause)))
    return f"no valid answer after {exc.n_attempts} tries ({attempts} requests): {why}"


def refusal_message(cause: openai.APIStatusError, endpoint: str, model: str) -> str:
    """Why the endpoint refused the run, and what to check."""
    hint = {
        401: "the API key was not accepted; check OPENAI_API_KEY",
        403: "the API key may not use this endpoint or model",
        404: f"no model {model!r} or no chat completions at this URL; check --model and OPENAI_BASE_URL",
    }.get(cause.status_code, "")
    body = cause.body
    said = body.get("message") if isinstance(body, dict) else None
    return f"{endpoint} refused the request: HTTP {cause.status_code} ({first_line(str(said or cause.message))}); {hint}"


def first_line(text: str) -> str:
    """The first lines of an error text, plain and short."""
    lines = [plain_error_message(line) for line in text.strip().splitlines() if plain_error_message(line)]
    return " / ".join(lines[:3])[:400] if lines else "unknown error"
