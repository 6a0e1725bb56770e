"""Test doubles for code that uses summarizer: a provider whose answers come from a function.

Like pydantic-ai's ``FunctionModel`` or httpx's ``MockTransport``: no model,
no network, and the same validation path as the real providers::

    from summarizer.testing import FunctionProvider
    provider = FunctionProvider(lambda request: {...})   # the model's JSON answer, as a dict
    brief = brief_article("article.txt", provider=provider)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from summarizer.errors import ProviderError, plain_validation_error
from summarizer.providers.base import ModelRequest, ModelResult, Usage
from summarizer.settings import LOCAL_CONTEXT_TOKENS

Answer = Callable[[ModelRequest[Any]], dict[str, Any]]


class FunctionProvider:
    """Implements ``Provider``: ``answer(request)`` returns the model's JSON answer as a dict.

    The answer is validated against the request's response model *with* its
    validation context, as the real providers do; an invalid answer raises
    ``ProviderError``, as a real provider does once its re-asks are used up.
    Every request is kept in ``requests`` for assertions.
    """

    def __init__(
        self,
        answer: Answer,
        *,
        context_tokens: int = LOCAL_CONTEXT_TOKENS,
        name: str = "function",
        model: str = "test",
        usage: Usage | None = None,
    ) -> None:
        self.answer = answer
        self.context_tokens = context_tokens
        self.name = name
        self.model = model
        self.endpoint = f"function:{name}"
        self.usage = usage or Usage(prompt_tokens=100, completion_tokens=10, attempts=1)
        self.requests: list[ModelRequest[Any]] = []

    def complete(self, request: ModelRequest[Any]) -> ModelResult[Any]:
        """Validate ``answer(request)`` as the request's response model."""
        self.requests.append(request)
        try:
            output = request.response_model.model_validate(self.answer(request), context=request.validation_context)
        except ValidationError as exc:
            raise ProviderError(f"invalid output after re-asks: {plain_validation_error(exc)}") from exc
        return ModelResult(output=output, provider=self.name, model=self.model, usage=self.usage, endpoint=self.endpoint)

    def close(self) -> None:
        """Nothing to release."""
