"""Replay answers from recorded fixtures, and record answers from any provider."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import FixtureMissError, plain_validation_error
from summarizer.providers.base import FlaggedItem, ModelRequest, ModelResult, OutputT, Provider, Usage
from summarizer.providers.fixtures import FixtureStore, fixture_key
from summarizer.providers.wrapper import WrappedProvider
from summarizer.settings import LOCAL_CONTEXT_TOKENS


class ReplayProvider:
    """Answers only from ``fixtures/``; a miss is an error that says how to record."""

    name = "replay"

    def __init__(self, fixtures_dir: Path, context_tokens: int = LOCAL_CONTEXT_TOKENS) -> None:
        self.store = FixtureStore(fixtures_dir)
        self.model = "recorded"
        self.context_tokens = context_tokens
        self.endpoint = f"fixtures:{fixtures_dir}"
        self.used_keys: set[str] = set()

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Return the recorded answer, re-validated against the request's context."""
        record = self.store.read(request)
        key = fixture_key(request)
        if record is None:
            raise FixtureMissError(
                f"no fixture {key} for prompt {request.prompt_id!r} v{request.prompt_version} "
                f"in {self.store.root}; record it with a real provider and SUMMARIZER_RECORD=1 "
                f"(or --record), e.g. `summarizer brief FILE --record`"
            )
        self.used_keys.add(key)
        try:
            output = request.response_model.model_validate(record["output"], context=request.validation_context)
        except ValidationError as exc:  # the rules changed since it was recorded
            raise FixtureMissError(
                f"fixture {key} for prompt {request.prompt_id!r} no longer passes validation "
                f"({plain_validation_error(exc)}); delete it and record again"
            ) from None
        return ModelResult(
            output=output,
            provider=f"replay:{record['provider']}",
            model=record["model"],
            # The recorded tokens, but this run's time: replay takes no model time.
            usage=Usage.model_validate(record["usage"]).model_copy(update={"seconds": 0.0}),
            raw=record.get("raw"),
            dropped=[FlaggedItem.model_validate(item) for item in record.get("dropped", [])],
            endpoint=self.endpoint,
        )

    def close(self) -> None:
        """Nothing to release."""


class RecordingProvider(WrappedProvider):
    """Wraps a real provider and writes each validated answer to the fixture store.

    A request already recorded is answered from its fixture instead, so an
    interrupted recording resumes where it stopped; delete stale fixtures to
    record them again.
    """

    def __init__(self, inner: Provider, fixtures_dir: Path) -> None:
        super().__init__(inner)
        self.store = FixtureStore(fixtures_dir)
        self._replay = ReplayProvider(fixtures_dir, context_tokens=inner.context_tokens)
        self.written: list[Path] = []

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Answer from the fixture if there is one; otherwise call the inner provider and store its answer."""
        if self.store.read(request) is not None:
            return self._replay.complete(request)
        result = self.inner.complete(request)
        record: dict[str, Any] = {
            "provider": result.provider,
            "model": result.model,
            "output": json.loads(result.output.model_dump_json()),
            "raw": result.raw,
            "usage": result.usage.model_dump(),
            "dropped": [item.model_dump() for item in result.dropped],
        }
        self.written.append(self.store.write(request, record))
        return result
