"""The base of providers that wrap another (the run log, the budget, recording): they answer as it and close it."""

from __future__ import annotations

from typing import TypeVar

from summarizer.providers.base import ModelRequest, ModelResult, OutputT, Provider, endpoint_of

P = TypeVar("P")


class WrappedProvider:
    """Carries the inner provider's identity (name, model, context, endpoint); ``complete`` passes through."""

    def __init__(self, inner: Provider) -> None:
        """Wrap ``inner``."""
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.context_tokens = inner.context_tokens
        self.endpoint = endpoint_of(inner)

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Answer through the inner provider."""
        return self.inner.complete(request)

    def close(self) -> None:
        """Close the inner provider."""
        self.inner.close()


def unwrapped(provider: Provider, kind: type[P]) -> P:
    """The provider of type ``kind`` inside ``provider``'s wrappers (the run log, the budget, recording)."""
    current: object = provider
    while not isinstance(current, kind):
        if not isinstance(current, WrappedProvider):
            raise TypeError(f"no {kind.__name__} inside {type(provider).__name__}")
        current = current.inner
    return current
