"""A scripted in-process provider: answers come from a function of the request, validated like real ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from summarizer.errors import ProviderError
from summarizer.providers.base import ModelRequest, ModelResult
from summarizer.schemas import Usage


class ScriptedProvider:
    """Implements the ``Provider`` protocol; ``answer(request)`` returns the output as a dict.

    The answer is validated against the request's response model *with* its
    validation context, as the real providers do; an invalid answer raises
    ``ProviderError``, as a real provider does once its re-asks are used up.
    """

    name = "scripted"
    model = "fake"

    def __init__(self, answer: Callable[[ModelRequest[Any]], dict[str, Any]], context_tokens: int = 8192) -> None:
        self.answer = answer
        self.context_tokens = context_tokens
        self.requests: list[ModelRequest[Any]] = []

    def complete(self, request: ModelRequest[Any]) -> ModelResult[Any]:
        self.requests.append(request)
        try:
            output = request.response_model.model_validate(self.answer(request), context=request.validation_context)
        except ValidationError as exc:  # what the real providers raise once re-asks are used up
            raise ProviderError(f"invalid output after re-asks: {exc.errors()[0]['msg']}") from exc
        usage = Usage(prompt_tokens=100, completion_tokens=10, attempts=1)
        return ModelResult(output=output, provider=self.name, model=self.model, usage=usage)

    def close(self) -> None:
        pass
