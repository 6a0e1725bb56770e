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

Importing is briefing the same inputs with the provider ``build_provider``
makes of the results (``providers/batch_results``), through the same
assembly, checks, cache and output files as ``summarizer brief``. The
export records each request's model in the run log, so the import needs
no ``--model``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.brief.pipeline import brief_requests
from summarizer.brief.recipe import BriefRecipe
from summarizer.inputs.loading import LoadedArticle, naming_source
from summarizer.providers.batch_results import BatchResults, record_export, request_body, request_line
from summarizer.runs.cache import BriefCache
from summarizer.settings import Settings

MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1000 * 1000


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
    with _SplitWriter(target) as writer, _ExportRecord(settings.ledger_path, model) as record:
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
                record.add(line["custom_id"])
                report.requests += 1
            report.articles += 1
    report.files = writer.written
    return report


class _ExportRecord:
    """The exported requests' models, written to the run log in chunks (so an import finds the model by itself)."""

    def __init__(self, database: Path | None, model: str) -> None:
        self.database, self.model = database, model
        self._pending: list[tuple[str, str]] = []

    def __enter__(self) -> _ExportRecord:
        return self

    def add(self, identity: str) -> None:
        self._pending.append((identity, self.model))
        if len(self._pending) >= 5000:
            self._flush()

    def _flush(self) -> None:
        record_export(self.database, self._pending)
        self._pending = []

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if error is None:
            self._flush()


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
