"""Brief requests as OpenAI batch files, and briefs from a batch's results: for ``vllm run-batch`` and batch APIs.

``export_requests`` writes one JSONL line per brief request, in the OpenAI
batch input format (``custom_id``, ``method``, ``url``, ``body``), the body
exactly as the synchronous path sends it (messages, response format,
sampling). The ``custom_id`` is a hash of that body (article text, prompt
and its version, schema, model), so a request is never listed twice and a
result finds its input with no other state. Articles whose brief is in the
brief cache (made from these results before) are left out, so a second
export holds only what is still missing. Files hold at most
``MAX_REQUESTS_PER_FILE`` requests and ``MAX_BYTES_PER_FILE`` bytes; a larger
export is split.

``BatchResults`` is a provider that answers each request from a results
file in the OpenAI batch output format (``custom_id``, ``response`` with
``status_code`` and ``body``, ``error``), as ``vllm run-batch`` writes it:
importing is briefing the same inputs with it, through the same assembly,
checks, cache and output files as ``summarizer brief``. A request with no
result, an error, or an answer that fails validation is an error for its
input, and the others go on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import instructor
from instructor.processing.response import handle_response_model
from pydantic import ValidationError

from summarizer.brief.pipeline import brief_requests
from summarizer.brief.recipe import BriefRecipe
from summarizer.errors import ProviderError, UsageError, plain_validation_error
from summarizer.inputs.loading import LoadedArticle, naming_source
from summarizer.providers.base import ModelRequest, ModelResult, OutputT, Provider, Usage
from summarizer.providers.ledger import Ledger, LedgerProvider
from summarizer.providers.prices import BATCH_PROVIDER, load_prices
from summarizer.runs.cache import BriefCache
from summarizer.settings import API_CONTEXT_TOKENS, Settings

CHAT_URL = "/v1/chat/completions"
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1000 * 1000


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


class BatchResults:
    """Implements ``Provider``: each request's answer is read from batch results files (by its ``custom_id``).

    With no ``results``, it answers nothing (an exporter's stand-in, so
    briefs are keyed as the results will be). Each file is indexed once (id
    to file and byte offset); answers are read when asked for, so memory
    holds the index, not the answers. A request with no result is kept in
    ``missing`` (its prompt id and batch line), for the next batch.
    """

    name = BATCH_PROVIDER

    def __init__(self, model: str, results: Sequence[Path] = (), context_tokens: int = API_CONTEXT_TOKENS) -> None:
        self.model = model
        self.context_tokens = context_tokens
        self.endpoint = "file"
        self._found = {identity: (path, offset) for path in results for identity, offset in _index(path).items()}
        self.missing: list[tuple[str, dict[str, Any]]] = []
        self._missing_lock = threading.Lock()

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """The answer recorded for ``request``, validated as the synchronous path validates it."""
        line = request_line(request_body(request, self.model))
        wanted = line["custom_id"]
        found = self._found.get(wanted)
        if found is None:
            with self._missing_lock:
                if all(known["custom_id"] != wanted for _, known in self.missing):
                    self.missing.append((request.prompt_id, line))
            raise ProviderError(f"no result for request {wanted} in the results; export again to send it")
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

    def close(self) -> None:
        """Nothing to release."""


def _said(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or error)
    return str(error)


def _index(results: Path) -> dict[str, int]:
    """``custom_id`` -> byte offset of its line, read in one pass; unreadable lines are skipped."""
    offsets: dict[str, int] = {}
    try:
        with results.open("rb") as file:
            offset = 0
            for raw in file:
                with contextlib.suppress(ValueError, KeyError, TypeError):  # a line that is not a result
                    offsets[str(json.loads(raw)["custom_id"])] = offset
                offset += len(raw)
    except OSError as exc:
        raise UsageError(f"cannot read the results file {results}: {exc.strerror or exc}") from None
    return offsets


@dataclass
class ExportReport:
    """What an export wrote: the files, requests and articles, and which inputs were skipped or failed."""

    files: list[Path] = field(default_factory=list)
    requests: int = 0
    articles: int = 0
    cached: int = 0
    errors: list[str] = field(default_factory=list)


def export_requests(
    loaded: Iterable[LoadedArticle], target: Path, settings: Settings, model: str, cache: BriefCache | None = None
) -> ExportReport:
    """Write the brief requests of ``loaded`` to ``target`` (split into ``target``'s siblings when too large).

    Streams: one article at a time, each file written to a temporary name
    and renamed when complete. Articles whose brief is already cached for
    ``model`` are left out.
    """
    answerer = BatchResults(model, context_tokens=settings.context_budget())
    recipe = BriefRecipe.of(answerer, settings)
    report = ExportReport()
    seen: set[str] = set()
    with _SplitWriter(target) as writer:
        for item in loaded:
            if item.article is None:
                report.errors.append(naming_source(item.source, item.error or "unreadable"))
                continue
            if cache is not None and cache.has(recipe.key(item.article)):
                report.cached += 1
                continue
            for _, request in brief_requests(item.article, recipe.prompt, answerer.context_tokens):
                line = request_line(request_body(request, model))
                if line["custom_id"] in seen:
                    continue
                seen.add(line["custom_id"])
                writer.write(line)
                report.requests += 1
            report.articles += 1
    report.files = writer.written
    return report


class _SplitWriter:
    """JSONL lines into ``target``, then ``target``'s numbered siblings, each at most the batch limits, atomically."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.written: list[Path] = []
        self._pending: list[tuple[Path, Path]] = []
        self._file: Any = None
        self._lines = 0
        self._bytes = 0

    def __enter__(self) -> _SplitWriter:
        return self

    def write(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        if self._file is None or self._lines >= MAX_REQUESTS_PER_FILE or self._bytes + len(line) > MAX_BYTES_PER_FILE:
            self._open_next()
        self._file.write(line)
        self._lines += 1
        self._bytes += len(line)

    def _open_next(self) -> None:
        if self._file is not None:
            self._file.close()
        number = len(self._pending) + 1
        final = self.target if number == 1 else self.target.with_name(f"{self.target.stem}.{number}{self.target.suffix}")
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{final.name}.", dir=final.parent)
        self._file = os.fdopen(handle, "wb")
        self._pending.append((Path(temporary), final))
        self._lines = self._bytes = 0

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if self._file is not None:
            self._file.close()
        if error is not None:
            for temporary, _ in self._pending:
                temporary.unlink(missing_ok=True)
            return
        for temporary, final in self._pending:
            os.replace(temporary, final)
            self.written.append(final)


def write_request_files(lines: Iterable[dict[str, Any]], target: Path) -> list[Path]:
    """Write batch request lines to ``target`` (split as ``export_requests`` splits); the files written."""
    with _SplitWriter(target) as writer:
        for line in lines:
            writer.write(line)
    return writer.written


def logged(provider: BatchResults, settings: Settings) -> Provider:
    """``provider`` writing every answer it reads into the run log, at the batch price (when the run log is on)."""
    if settings.ledger_path is None:
        return provider
    return LedgerProvider(provider, Ledger(settings.ledger_path), load_prices(settings.prices_path))
