"""The run log: every model request of every run, with its tokens, time, attempts, outcome and cost, in SQLite.

It lives in the user data directory (``Settings.ledger_path``). A run is
one provider's life: opened when the provider is built, closed when it is.
Each request row holds the prompt id and version, what it was about (an
article id), the token counts the endpoint reported (re-asks included),
the HTTP attempts (retries included), the seconds, the outcome and the
cost from ``prices``. Never stored: keys, headers, prompts, answers or
article text.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import SummarizerError
from summarizer.providers.base import ModelRequest, ModelResult, OutputT, Provider, Usage
from summarizer.providers.prices import Price, cost_of
from summarizer.providers.wrapper import WrappedProvider

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT, provider TEXT NOT NULL, model TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
    run_id TEXT NOT NULL REFERENCES runs(run_id), at TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
    prompt_id TEXT NOT NULL, prompt_version TEXT NOT NULL, subject TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
    seconds REAL NOT NULL, attempts INTEGER NOT NULL, outcome TEXT NOT NULL, cost REAL
);
"""


OK = "ok"
SALVAGED = "ok, salvaged"
FAILED = "failed"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RunSummary:
    """One run as ``summarizer runs`` lists it."""

    run_id: str
    started: str
    finished: str | None
    provider: str
    model: str
    requests: int
    ok: int
    salvaged: int  # answered, with the invalid part of the last answer dropped
    failed: int
    prompt_tokens: int
    output_tokens: int
    seconds: float
    cost: float  # of the requests whose cost is known
    cost_complete: bool  # False when some request's cost is unknown (no price for its model, or it failed)


class Ledger:
    """The SQLite run log (thread-safe: concurrent workers share one connection behind a lock)."""

    def __init__(self, path: Path) -> None:
        """Open (and create if needed) the log at ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def start_run(self, provider: str, model: str) -> str:
        """A new run's id."""
        run_id = uuid.uuid4().hex[:12]
        with self._lock, self._db:
            self._db.execute("INSERT INTO runs VALUES (?, ?, NULL, ?, ?)", (run_id, _now(), provider, model))
        return run_id

    def finish_run(self, run_id: str) -> None:
        """Mark the run finished."""
        with self._lock, self._db:
            self._db.execute("UPDATE runs SET finished = ? WHERE run_id = ?", (_now(), run_id))

    def record(self, run_id: str, row: dict[str, Any]) -> None:
        """Add one request row (the keys of the ``requests`` table but ``run_id`` and ``at``)."""
        columns = ["run_id", "at", *row]
        values = [run_id, _now(), *row.values()]
        with self._lock, self._db:
            self._db.execute(f"INSERT INTO requests ({', '.join(columns)}) VALUES ({', '.join('?' * len(values))})", values)

    def runs(self, limit: int = 20) -> list[RunSummary]:
        """The most recent runs, newest first, with their totals."""
        query = """
            SELECT r.run_id, r.started, r.finished, r.provider, r.model, COUNT(q.run_id),
                   COALESCE(SUM(q.outcome = 'ok'), 0), COALESCE(SUM(q.outcome = 'ok, salvaged'), 0),
                   COALESCE(SUM(q.outcome LIKE 'failed%'), 0), COALESCE(SUM(q.prompt_tokens), 0),
                   COALESCE(SUM(q.output_tokens), 0), COALESCE(SUM(q.seconds), 0), SUM(q.cost), COUNT(q.cost)
            FROM runs r LEFT JOIN requests q ON q.run_id = r.run_id
            GROUP BY r.run_id ORDER BY r.started DESC, r.rowid DESC LIMIT ?"""
        with self._lock:
            rows = self._db.execute(query, (limit,)).fetchall()
        return [
            RunSummary(
                run_id=row[0],
                started=row[1],
                finished=row[2],
                provider=row[3],
                model=row[4],
                requests=row[5],
                ok=row[6],
                salvaged=row[7],
                failed=row[8],
                prompt_tokens=row[9],
                output_tokens=row[10],
                seconds=row[11],
                cost=row[12] or 0.0,
                cost_complete=row[13] == row[5],
            )  # fmt: skip
            for row in rows
        ]

    def requests(self, run_id: str) -> list[dict[str, Any]]:
        """One run's requests, in order."""
        with self._lock:
            cursor = self._db.execute("SELECT * FROM requests WHERE run_id = ? ORDER BY rowid", (run_id,))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


class LedgerProvider(WrappedProvider):
    """Wraps a provider: every request it answers (or fails) becomes a row of the run log."""

    def __init__(self, inner: Provider, ledger: Ledger, prices: dict[str, Price]) -> None:
        """Start a run in ``ledger`` for ``inner``."""
        super().__init__(inner)
        self.ledger = ledger
        self.prices = prices
        self.run_id = ledger.start_run(inner.name, inner.model)

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Answer through the inner provider and log the request, failed or not, with what it spent."""
        started = time.monotonic()
        try:
            result = self.inner.complete(request)
        except SummarizerError as exc:
            # What the failed request spent, as the provider counted it; else at least the time it took.
            spent = exc.spent if isinstance(exc.spent, Usage) else Usage(seconds=round(time.monotonic() - started, 3))
            self._log(request, spent, f"{FAILED}: {type(exc).__name__}")
            raise
        self._log(request, result.usage, SALVAGED if result.dropped else OK)
        return result

    def _log(self, request: ModelRequest[Any], usage: Usage, outcome: str) -> None:
        tokens = (usage.prompt_tokens, usage.cached_prompt_tokens, usage.completion_tokens)
        # A request that failed before any answer reported tokens has an unknown cost, not zero.
        known = not outcome.startswith(FAILED) or any(tokens)
        cost = cost_of(self.prices, self.name, self.model, *tokens) if known else None
        self.ledger.record(self.run_id, {
            "provider": self.name, "model": self.model, "prompt_id": request.prompt_id,
            "prompt_version": request.prompt_version, "subject": request.subject, "prompt_tokens": usage.prompt_tokens,
            "cached_tokens": usage.cached_prompt_tokens, "output_tokens": usage.completion_tokens,
            "seconds": usage.seconds, "attempts": usage.attempts, "outcome": outcome, "cost": cost,
        })  # fmt: skip

    def close(self) -> None:
        """Close the inner provider and finish the run."""
        try:
            self.inner.close()
        finally:
            self.ledger.finish_run(self.run_id)
            self.ledger.close()
