"""The one provider interface every model backend implements, and what a request and its result hold.

Providers deal in requests and results only, never in briefs: a request
carries rendered messages, a response model and its validation context; a
result carries the validated output, its cost (``Usage``) and what salvage
dropped from a last invalid answer (``FlaggedItem``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo

from summarizer.prompts import Prompt

OutputT = TypeVar("OutputT", bound=BaseModel)


class StrictModel(BaseModel):
    """Base of every model-facing schema: unknown keys are an error.

    The model writes short JSON keys (each forced token costs a decoding
    step); Python code reads the long field names, and dumps use the short
    keys again, so recorded answers keep their shape.
    """

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)


class Usage(BaseModel):
    """Token usage summed over every attempt (re-asks and retries included)."""

    prompt_tokens: int = 0
    cached_prompt_tokens: int = Field(default=0, description="Prompt tokens the server reused from its cache.")
    completion_tokens: int = 0
    attempts: int = 0
    grounding_reasks: int = Field(default=0, description="Follow-up requests that named unsupported items.")
    seconds: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens + other.cached_prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            attempts=self.attempts + other.attempts,
            grounding_reasks=self.grounding_reasks + other.grounding_reasks,
            seconds=round(self.seconds + other.seconds, 3),
        )


class FlaggedItem(BaseModel):
    """Something the model wrote that the article does not support (removed, or kept and marked), and why."""

    field: str
    value: str
    reason: str


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings that change the answer (and so the fixture key)."""

    temperature: float = 0.0
    max_tokens: int = 700
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The parameters as the request (and the fixture key) carry them."""
        return {"temperature": self.temperature, "max_tokens": self.max_tokens, "seed": self.seed}


@dataclass(frozen=True)
class ModelRequest(Generic[OutputT]):
    """Everything one structured call needs, rendered before the call."""

    prompt_id: str
    prompt_version: str
    messages: list[dict[str, str]]
    response_model: type[OutputT]
    params: GenerationParams = field(default_factory=GenerationParams)
    # Passed to pydantic validators (e.g. the article's sentences); not part
    # of the fixture key because it is derived from the rendered messages.
    validation_context: dict[str, Any] | None = None
    # When re-asks are used up, turn the last answer's raw JSON into a valid
    # output by dropping the items that fail; returns (output, what was dropped
    # and why). None: a last invalid answer is a failure.
    salvage: Callable[[str], tuple[OutputT, list[FlaggedItem]]] | None = None
    # At most this many validation re-asks for this request (None: the provider's setting).
    max_reasks: int | None = None
    # What the request is about, for the run log (an article id, or "synthesis"); not part of the fixture key.
    subject: str = ""

    @classmethod
    def from_prompt(
        cls,
        prompt: Prompt,
        variables: Mapping[str, Any],
        response_model: type[OutputT],
        params: GenerationParams,
        *,
        validation_context: dict[str, Any] | None = None,
        salvage: Callable[[str], tuple[OutputT, list[FlaggedItem]]] | None = None,
        max_reasks: int | None = None,
        subject: str = "",
    ) -> ModelRequest[OutputT]:
        """The request ``prompt`` makes with ``variables``: its messages rendered, its id and version carried."""
        return cls(
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            messages=prompt.render(**variables),
            response_model=response_model,
            params=params,
            validation_context=validation_context,
            salvage=salvage,
            max_reasks=max_reasks,
            subject=subject,
        )


@dataclass
class ModelResult(Generic[OutputT]):
    """A validated answer with its provenance and cost."""

    output: OutputT
    provider: str
    model: str
    usage: Usage
    endpoint: str = ""  # where the answer came from (``Provider.endpoint``)
    raw: str | None = None
    dropped: list[FlaggedItem] = field(default_factory=list)  # what salvage removed from the last answer, and why


class Provider(Protocol):
    """A backend that turns a ``ModelRequest`` into a validated ``ModelResult``.

    ``endpoint`` says where answers come from, without secrets (an API's
    URL, the embedded model's file): answers from different endpoints are
    never taken for one another (the brief cache keys on it).
    """

    name: str
    model: str
    context_tokens: int
    endpoint: str

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Return a validated answer or raise ``ProviderError``/``FixtureMissError``."""
        ...

    def close(self) -> None:
        """Release what the provider holds (servers, connections)."""
        ...


# The validation context of the request being answered, for validators that run inside a client library.
# instructor takes a ``context`` argument but then also renders every message as a Jinja template with it,
# which would turn article text such as "{{ 7*7 }}" into "49": the context goes this way instead.
_ACTIVE_CONTEXT: ContextVar[dict[str, Any] | None] = ContextVar("summarizer_validation_context", default=None)


@contextmanager
def validating_with(context: dict[str, Any] | None) -> Iterator[None]:
    """Make ``context`` the validation context of answers validated in this block (this thread or task)."""
    token = _ACTIVE_CONTEXT.set(context)
    try:
        yield
    finally:
        _ACTIVE_CONTEXT.reset(token)


def endpoint_of(provider: object) -> str:
    """``provider.endpoint``, or its name for a provider written before endpoints were part of the protocol."""
    return str(getattr(provider, "endpoint", "") or getattr(provider, "name", ""))


def endpoint_host(endpoint: str) -> str | None:
    """What a result records of an endpoint: an API's host (and port), else its kind (``embedded``, ``fixtures``)."""
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    if parts.hostname:
        return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
    return endpoint.split(":", 1)[0]


def validation_context_of(info: ValidationInfo) -> dict[str, Any]:
    """The context a validator sees: pydantic's own (``model_validate(..., context=)``), else the active one."""
    return info.context or _ACTIVE_CONTEXT.get() or {}
