"""``BatchResults``: a provider whose answers are read from batch results files (``vllm run-batch``, a batch API).

A request line's ``custom_id`` is a hash of its body (article text, prompt
and version, schema, model, sampling), so a result finds its request with
no other state. The model a request names is part of that hash, and the
results format does not repeat it; so an export records the model of each
request it wrote in the run log (``record_export``), and an import that is
not told the model reads it from there, else from the results' own answers
(``resolve_model``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import instructor
from instructor.processing.response import handle_response_model
from pydantic import ValidationError

from summarizer.errors import ProviderError, UsageError, plain_validation_error
from summarizer.providers.base import ModelRequest, ModelResult, OutputT, Usage
from summarizer.providers.prices import BATCH_PROVIDER
from summarizer.settings import API_CONTEXT_TOKENS

CHAT_URL = "/v1/chat/completions"
_EXPORTS = "create table if not exists batch_exports (custom_id text primary key, model text not null)"


def request_body(request: ModelRequest[Any], model: str) -> dict[str, Any]:
    """The chat-completion body the synchronous path sends for ``request`` (instructor's JSON-schema mode)."""
    _, body = handle_response_model(
        request.response_model,
        mode=instructor.Mode.JSON_SCHEMA,
        model=model,
        messages=request.messages,
        **request.params.as_dict(),
    )
    return body


def custom_id(body: dict[str, Any]) -> str:
    """The request's identity: a hash of its whole body (article text, prompt, schema, model, sampling)."""
    return "brief-" + hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:40]


def request_line(body: dict[str, Any]) -> dict[str, Any]:
    """One line of a batch input file: the body, named by its ``custom_id``."""
    return {"custom_id": custom_id(body), "method": "POST", "url": CHAT_URL, "body": body}


@dataclass(frozen=True)
class ResultsIndex:
    """Where each result is (``custom_id`` -> file and byte offset), and which models the answers name."""

    found: dict[str, tuple[Path, int]]
    answered_by: frozenset[str]

    @classmethod
    def read(cls, results: Sequence[Path]) -> ResultsIndex:
        """Index ``results`` in one pass each; lines that are not results are skipped."""
        found: dict[str, tuple[Path, int]] = {}
        models: set[str] = set()
        for path in results:
            try:
                with path.open("rb") as file:
                    offset = 0
                    for raw in file:
                        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
                            result = json.loads(raw)
                            found[str(result["custom_id"])] = (path, offset)
                            model = ((result.get("response") or {}).get("body") or {}).get("model")
                            if isinstance(model, str) and model:
                                models.add(model)
                        offset += len(raw)
            except OSError as exc:
                raise UsageError(f"cannot read the results file {path}: {exc.strerror or exc}") from None
        return cls(found, frozenset(models))


def record_export(database: Path | None, lines: Iterable[tuple[str, str]]) -> None:
    """Remember the model of each exported request (``custom_id``, model) in the run log, for the import."""
    if database is None:
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(database, timeout=30)) as db, db:
        db.execute(_EXPORTS)
        db.executemany("insert or replace into batch_exports (custom_id, model) values (?, ?)", lines)


def _recorded_models(database: Path | None, identities: Iterable[str]) -> set[str]:
    if database is None or not database.exists():
        return set()
    found: set[str] = set()
    wanted = list(identities)
    with closing(sqlite3.connect(database, timeout=30)) as db:
        db.execute(_EXPORTS)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = db.execute(f"select distinct model from batch_exports where custom_id in ({marks})", chunk)
            found.update(model for (model,) in rows)
    return found


def resolve_model(index: ResultsIndex, database: Path | None, default: str) -> str:
    """The model the results' requests were exported for: as the export recorded it, else as the answers name it.

    Several recorded models in one results file is a usage error (``--model``
    chooses); with no record and no single model named by the answers, it is
    ``default``.
    """
    recorded = _recorded_models(database, index.found)
    if len(recorded) > 1:
        raise UsageError(f"the results answer requests exported for several models ({', '.join(sorted(recorded))}); "
                         "name one with --model")  # fmt: skip
    if recorded:
        return recorded.pop()
    if len(index.answered_by) == 1:
        return next(iter(index.answered_by))
    return default


class BatchResults:
    """Implements ``Provider``: each request's answer is read from batch results files (by its ``custom_id``).

    With no results, it answers nothing (an exporter's stand-in, so briefs
    are keyed as the results will be). Answers are read when asked for, so
    memory holds the index, not the answers. A request with no result is
    kept in ``missing`` (its prompt id and batch line), for the next batch.
    """

    name = BATCH_PROVIDER

    def __init__(self, model: str, index: ResultsIndex | None = None, context_tokens: int = API_CONTEXT_TOKENS) -> None:
        self.model = model
        self.context_tokens = context_tokens
        self.endpoint = "file"
        self._index = index or ResultsIndex({}, frozenset())
        self.missing: list[tuple[str, dict[str, Any]]] = []
        self._missing_lock = threading.Lock()

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """The answer recorded for ``request``, validated as the synchronous path validates it."""
        line = request_line(request_body(request, self.model))
        wanted = line["custom_id"]
        found = self._index.found.get(wanted)
        if found is None:
            with self._missing_lock:
                if all(known["custom_id"] != wanted for _, known in self.missing):
                    self.missing.append((request.prompt_id, line))
            raise ProviderError(self._not_found(wanted))
        path, offset = found
        with path.open("rb") as file:
            file.seek(offset)
            result = json.loads(file.readline())
        response = result.get("response") or {}
        if result.get("error") or response.get("status_code") != 200:
            error = result.get("error") or (response.get("body") or {}).get("error") or f"HTTP {response.get('status_code')}"
            raise ProviderError(f"request {wanted} failed in the batch: {_said(error)}")
        body = response.get("body") or {}
        try:
            content = body["choices"][0]["message"]["content"]
            output = request.response_model.model_validate_json(content, context=request.validation_context)
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderError(f"request {wanted}: the result holds no answer ({exc!r})") from None
        except ValidationError as exc:
            raise ProviderError(f"request {wanted}: invalid answer ({plain_validation_error(exc)})") from None
        tokens = body.get("usage") or {}
        usage = Usage(
            prompt_tokens=int(tokens.get("prompt_tokens") or 0),
            completion_tokens=int(tokens.get("completion_tokens") or 0),
            attempts=1,
        )
        return ModelResult(output=output, provider=self.name, model=self.model, usage=usage, raw=content, endpoint=self.endpoint)

    def _not_found(self, wanted: str) -> str:
        held = len(self._index.found)
        if not held:
            return f"no result for request {wanted} (model {self.model}): no batch results yet"
        return (f"no result for request {wanted} (model {self.model}) among the {held} results read: they answer "
                "requests made from other inputs or settings (model, prompt, context size), or it was not sent")  # fmt: skip

    def close(self) -> None:
        """Nothing to release."""


def _said(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or error)
    return str(error)
