"""The one provider interface every model backend implements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from summarizer.schemas import RemovedItem, Usage

OutputT = TypeVar("OutputT", bound=BaseModel)


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings that change the answer (and so the fixture key)."""

    temperature: float = 0.0
    max_tokens: int = 700
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
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
    salvage: Callable[[str], tuple[OutputT, list[RemovedItem]]] | None = None
    # At most this many validation re-asks for this request (None: the provider's setting).
    max_reasks: int | None = None


@dataclass
class ModelResult(Generic[OutputT]):
    """A validated answer with its provenance and cost."""

    output: OutputT
    provider: str
    model: str
    usage: Usage
    raw: str | None = None
    dropped: list[RemovedItem] = field(default_factory=list)  # what salvage removed from the last answer, and why


class Provider(Protocol):
    """A backend that turns a ``ModelRequest`` into a validated ``ModelResult``."""

    name: str
    model: str
    context_tokens: int

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Return a validated answer or raise ``ProviderError``/``FixtureMissError``."""
        ...

    def close(self) -> None:
        """Release what the provider holds (servers, connections)."""
        ...
