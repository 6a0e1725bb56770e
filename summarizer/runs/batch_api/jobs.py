"""Batch jobs against a provider's batch API (``/v1/files``, ``/v1/batches``): submit, status, collect, cancel.

A job is the inputs, the model and the endpoint (its id is a hash of
them), so running ``submit`` again with the same inputs resumes the same
job. Its state is kept in the run log's SQLite file (``batch_files``: each
requests file with its upload's id, its batch's id, where its results
were saved), one committed row change per step. Every step is idempotent,
so a job killed at any point and run again pays nothing twice:

- ``submit`` exports the requests of the inputs whose brief is not yet
  made (``batch_files.export_requests``: what is in the brief cache is
  left out), unless earlier batches are still open; uploads each file not
  yet uploaded (an upload of the same name found in the provider's file
  list is reused: a kill between the upload and its record does not upload
  it again); creates each batch not yet created (likewise found by its
  metadata).
- ``collect`` downloads the output and error files of finished batches,
  then imports every result collected so far through the synchronous
  brief path (``BatchResults``): briefs go to the brief cache and the output
  folder, what failed or is missing is listed by input. A failed or
  expired batch's unfinished requests are sent again by the next
  ``submit`` (they are not in the cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError
from summarizer.files import write_atomic
from summarizer.providers.openai_client import openai_client
from summarizer.runs.batch_api.files import export_requests, write_request_files
from summarizer.runs.cache import BriefCache
from summarizer.runs.context import RunContext
from summarizer.settings import Settings

OPEN_STATES = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
DONE_STATES = frozenset({"completed", "failed", "expired", "cancelled"})
_TABLE = """
create table if not exists batch_files (
    job text not null, number integer not null, path text not null,
    file_id text, batch_id text, status text, results text, errors text, collected integer not null default 0,
    primary key (job, number)
)
"""


@dataclass(frozen=True)
class BatchFile:
    """One requests file of a job, and how far it has come."""

    job: str
    number: int
    path: Path
    file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None
    results: Path | None = None
    errors: Path | None = None
    collected: bool = False

    @property
    def open(self) -> bool:
        """Submitted and not yet collected (running, or finished with its files still to download)."""
        return self.batch_id is not None and not self.collected


class BatchJob:
    """One job: its files' state in the run log's SQLite file, its requests and results in a folder of its own."""

    def __init__(self, inputs: Sequence[str], context: RunContext) -> None:
        """The job of these inputs for the context's model at its endpoint (resumed when it exists).

        Its briefs go to the context's brief cache (the settings' one when the
        context has none: a job needs it to know what is already done).
        """
        settings, model = context.settings, context.settings.api_model
        if not (settings.base_url or settings.api_key):
            raise ConfigError("a batch job needs an endpoint: set OPENAI_API_KEY (and OPENAI_BASE_URL for another provider)")
        if settings.ledger_path is None or settings.brief_cache_dir is None:
            raise ConfigError("a batch job keeps its state in the run log and its briefs in the brief cache: turn both on")
        self.inputs = list(inputs)
        cache = context.cache or BriefCache.open(settings.brief_cache_dir)
        self.context = replace(context, settings=settings.with_overrides(model=model), cache=cache)
        identity = json.dumps([sorted(self.inputs), model, settings.base_url or "api.openai.com"])
        self.id = "job-" + hashlib.sha256(identity.encode()).hexdigest()[:16]
        self.folder = settings.brief_cache_dir.parent / "batches" / self.id
        self.folder.mkdir(parents=True, exist_ok=True)
        self.database = settings.ledger_path
        self.database.parent.mkdir(parents=True, exist_ok=True)
        self.client = openai_client(
            api_key=settings.api_key, base_url=settings.base_url, timeout=settings.timeout_for(False), max_retries=3
        )

    @property
    def settings(self) -> Settings:
        """The job's settings: the context's, its model named."""
        return self.context.settings

    @property
    def model(self) -> str:
        """The model every request of the job names."""
        return self.context.settings.api_model

    @property
    def cache(self) -> BriefCache:
        """Where the job's briefs go (and what is already briefed)."""
        assert self.context.cache is not None  # set in __init__
        return self.context.cache

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.database, timeout=30)) as connection, connection:
            connection.execute(_TABLE)
            yield connection

    def files(self) -> list[BatchFile]:
        """The job's files, in order."""
        with self._db() as db:
            rows = db.execute(
                "select number, path, file_id, batch_id, status, results, errors, collected from batch_files"
                " where job = ? order by number",
                (self.id,),
            ).fetchall()
        return [
            BatchFile(self.id, n, Path(p), f, b, s, Path(r) if r else None, Path(e) if e else None, bool(c))
            for n, p, f, b, s, r, e, c in rows
        ]

    def _set(self, number: int, **values: Any) -> None:
        assignments = ", ".join(f"{key} = ?" for key in values)
        with self._db() as db:
            db.execute(f"update batch_files set {assignments} where job = ? and number = ?", (*values.values(), self.id, number))

    def submit(self) -> list[BatchFile]:
        """Export what is missing (unless batches are open), upload what is not uploaded, create what is not created."""
        files = self.files()
        if self._may_add(files):
            target = self._next_target(files)
            report = export_requests(self.context.articles(self.inputs), target, self.settings, self.model, self.cache)
            self._record(report.files, len(files))
        return self._send_files()

    def submit_lines(self, lines: Sequence[dict[str, Any]]) -> list[BatchFile]:
        """Send these request lines as the job's next file (unless batches are open), then upload and create as ``submit``."""
        files = self.files()
        if lines and self._may_add(files):
            self._record(write_request_files(lines, self._next_target(files)), len(files))
        return self._send_files()

    @staticmethod
    def _may_add(files: Sequence[BatchFile]) -> bool:
        """Whether a new round of requests may start: every file sent and none still open."""
        return not any(file.open for file in files) and all(file.batch_id for file in files)

    def _next_target(self, files: Sequence[BatchFile]) -> Path:
        return self.folder / f"{self.id}-{len(files) + 1}.jsonl"

    def _record(self, paths: Sequence[Path], already: int) -> None:
        """Record new requests files, numbered after the ``already`` ones."""
        with self._db() as db:
            for offset, path in enumerate(paths):
                row = (self.id, already + 1 + offset, str(path))
                db.execute("insert or ignore into batch_files (job, number, path) values (?, ?, ?)", row)

    def _send_files(self) -> list[BatchFile]:
        for file in self.files():
            if file.file_id is None:
                self._set(file.number, file_id=self._upload(file))
        for file in self.files():
            if file.batch_id is None and file.file_id is not None:
                batch = self._create(file)
                self._set(file.number, batch_id=batch.id, status=batch.status)
        return self.files()

    def _upload(self, file: BatchFile) -> str:
        for known in self.client.files.list(purpose="batch"):
            if known.filename == file.path.name:
                return known.id  # uploaded before a kill stopped us from recording it
        with file.path.open("rb") as handle:
            uploaded = self.client.files.create(file=(file.path.name, handle), purpose="batch").id
        crash_point(self.settings, "uploaded")
        return uploaded

    def _create(self, file: BatchFile) -> Any:
        marker = {"summarizer_job": self.id, "file": str(file.number)}
        for known in self.client.batches.list():
            if known.metadata and {k: known.metadata.get(k) for k in marker} == marker:
                return known
        assert file.file_id is not None
        created = self.client.batches.create(
            input_file_id=file.file_id,
            endpoint="/v1/chat/completions",
            completion_window="24h",
            metadata=marker,
        )
        crash_point(self.settings, "created")
        return created

    def status(self) -> list[tuple[BatchFile, Any]]:
        """Each submitted file with its batch as the provider reports it now (state recorded)."""
        found: list[tuple[BatchFile, Any]] = []
        for file in self.files():
            if file.batch_id is None:
                found.append((file, None))
                continue
            batch = self.client.batches.retrieve(file.batch_id)
            self._set(file.number, status=batch.status)
            found.append((file, batch))
        return found

    def collect(self) -> list[Path]:
        """Download the output and error files of finished batches (once each); every results file collected so far."""
        for file, batch in self.status():
            if batch is None or batch.status not in DONE_STATES or file.collected:
                continue
            results = self._download(batch.output_file_id, self.folder / f"results-{file.number}.jsonl")
            errors = self._download(batch.error_file_id, self.folder / f"errors-{file.number}.jsonl")
            crash_point(self.settings, "downloaded")
            self._set(file.number, results=str(results or ""), errors=str(errors or ""), collected=1)
        collected = [path for file in self.files() for path in (file.results, file.errors) if path is not None]
        return [path for path in collected if path.is_file()]

    def _download(self, file_id: str | None, target: Path) -> Path | None:
        if not file_id:
            return None
        write_atomic(target, self.client.files.content(file_id).read())
        return target

    def cancel(self) -> list[str]:
        """Cancel every open batch of the job; their ids."""
        cancelled = []
        for file, batch in self.status():
            if batch is not None and batch.status in OPEN_STATES - {"cancelling"}:
                self.client.batches.cancel(batch.id)
                self._set(file.number, status="cancelling")
                cancelled.append(batch.id)
        return cancelled


def crash_point(settings: Settings, name: str) -> None:
    """Fault injection for the resumability tests: ``SUMMARIZER_CRASH_AT=name`` kills the process here, as kill -9 does
    (after the provider has acted, before the job records it: the worst moment).
    """
    if settings.crash_at == name:
        os.kill(os.getpid(), signal.SIGKILL)
