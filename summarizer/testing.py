"""Test doubles for code that uses summarizer: a provider whose answers come from a function.

Like pydantic-ai's ``FunctionModel`` or httpx's ``MockTransport``: no model,
no network, and the same validation path as the real providers::

    from summarizer.testing import FunctionProvider
    provider = FunctionProvider(lambda request: {...})   # the model's JSON answer, as a dict
    brief = brief_article("article.txt", provider=provider)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
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


BatchAnswer = Callable[[dict[str, Any]], "dict[str, Any] | str | None"]


def fake_run_batch(requests: Path, results: Path, answer: BatchAnswer) -> int:
    """What ``vllm run-batch -i requests -o results`` does, with ``answer(body)`` as the model; lines written.

    ``answer`` returns the model's JSON answer (a dict), raw text (a str,
    e.g. an invalid answer), or None for a request that failed (written as
    an error line). Streams: one line in, one line out.
    """
    written = 0
    with requests.open(encoding="utf-8") as source, results.open("w", encoding="utf-8") as sink:
        for line in source:
            request = json.loads(line)
            given = answer(request["body"])
            if given is None:
                record = {"id": f"r{written}", "custom_id": request["custom_id"], "response": None,
                          "error": {"code": "server_error", "message": "the model failed"}}  # fmt: skip
            else:
                content = given if isinstance(given, str) else json.dumps(given)
                body = {
                    "id": f"c{written}", "object": "chat.completion", "model": request["body"].get("model"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
                }  # fmt: skip
                record = {"id": f"r{written}", "custom_id": request["custom_id"],
                          "response": {"status_code": 200, "request_id": f"q{written}", "body": body}, "error": None}  # fmt: skip
            sink.write(json.dumps(record) + "\n")
            written += 1
    return written


def lead_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A valid answer for any of our request bodies: a brief of the article's first numbered sentence (headline and
    summary), an overview with no themes, or an agreement sentence, by the schema the body asks for.
    """
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema") or {}
    fields = set(schema.get("properties") or {})
    if "overview" in fields:
        return {"overview": "The articles report the news of the day.", "themes": []}
    if fields == {"t"}:
        return {"t": "The articles report the same statement."}
    prompt = body["messages"][-1]["content"]
    found = re.search(r"^\[1\] (.+)$", prompt, re.MULTILINE)
    lead = found.group(1) if found else "The article."
    return {"headline": " ".join(lead.split()[:10]), "summary": lead[:300], "key": [1], "quotes": []}


def lead_provider(**options: Any) -> FunctionProvider:
    """A ``FunctionProvider`` that answers every request with ``lead_answer`` (its article's lead, a plain overview)."""

    def answer(request: ModelRequest[Any]) -> dict[str, Any]:
        schema = request.response_model.model_json_schema()
        return lead_answer({"messages": request.messages, "response_format": {"json_schema": {"schema": schema}}})

    return FunctionProvider(answer, **options)
