"""``StoryMemory``: the stories of earlier briefings, in an embedded SQLite database.

One writer at a time: a run that records holds a lock file beside the
database (a second run stops at once with a clear message). A day is
recorded in one transaction, so a run killed at any point leaves the memory
as it was. Recording a day again replaces that day; what a day's briefing
reads is only the days before it, so rerunning a day gives the same
briefing. Article text is kept compressed, for finding what a new article
adds to what was shown before.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import ConfigError
from summarizer.memory.records import (
    ArticleRecord,
    EventRecord,
    FigureRecord,
    RememberedStory,
    StoryDay,
    StoryHistory,
)
from summarizer.memory.signature import Signature
from summarizer.settings import MEMORY_DAYS, Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS days (day TEXT PRIMARY KEY, recorded TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_days (
    story_id TEXT NOT NULL, day TEXT NOT NULL, status TEXT NOT NULL, headline TEXT NOT NULL,
    vector BLOB NOT NULL, terms TEXT NOT NULL, actors TEXT NOT NULL, sentences TEXT NOT NULL,
    PRIMARY KEY (story_id, day)
);
CREATE INDEX IF NOT EXISTS story_days_day ON story_days (day);
CREATE TABLE IF NOT EXISTS articles (
    story_id TEXT NOT NULL, day TEXT NOT NULL, key TEXT NOT NULL, input_id TEXT NOT NULL, source TEXT NOT NULL,
    url TEXT, title TEXT, published TEXT, new INTEGER NOT NULL, PRIMARY KEY (story_id, day, key)
);
CREATE INDEX IF NOT EXISTS articles_key ON articles (key, day);
CREATE INDEX IF NOT EXISTS articles_url ON articles (url, day);
CREATE INDEX IF NOT EXISTS articles_day ON articles (day);
CREATE TABLE IF NOT EXISTS figures (
    story_id TEXT NOT NULL, day TEXT NOT NULL, quantity TEXT NOT NULL, scope TEXT NOT NULL, value REAL NOT NULL,
    text TEXT NOT NULL, reported TEXT, input_id TEXT NOT NULL, evidence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_story ON figures (story_id, day);
CREATE TABLE IF NOT EXISTS events (story_id TEXT NOT NULL, day TEXT NOT NULL, date TEXT NOT NULL, text TEXT NOT NULL,
    input_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_story ON events (story_id, day);
CREATE TABLE IF NOT EXISTS merges (day TEXT NOT NULL, story_id TEXT NOT NULL, into_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS texts (key TEXT PRIMARY KEY, text BLOB NOT NULL);
"""
_DAY_TABLES = ("story_days", "articles", "figures", "events", "merges")


class MemoryBusy(ConfigError):
    """Another run is recording into the same story memory."""


@dataclass(frozen=True)
class StorySummary:
    """One story as ``summarizer history`` lists it."""

    id: str
    headline: str
    first_seen: str
    last_seen: str
    days: int
    articles: int


@dataclass(frozen=True)
class StoryMemory:
    """The story memory at ``path``; ``days``: how far back today's stories are matched to earlier ones.

    ``read_only``: a run reads it but records nothing (a stage of a batch
    day that is not finished). A plain value (it pickles): each call opens
    its own connection.
    """

    path: Path
    days: int = MEMORY_DAYS
    read_only: bool = False

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ConfigError(f"memory days must be at least 1, got {self.days}")

    @classmethod
    def for_settings(cls, settings: Settings) -> StoryMemory | None:
        """The memory the settings name (None when it is off)."""
        return cls(settings.memory_path, settings.memory_days) if settings.memory_path is not None else None

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"story memory {self.path}: {getattr(exc, 'strerror', None) or exc}") from None
        with closing(connection):
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.executescript(_SCHEMA)
            except sqlite3.DatabaseError as exc:
                raise ConfigError(f"story memory {self.path}: {exc}") from None
            yield connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection in one write transaction: committed when the block ends, rolled back if it raises."""
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def writing(self) -> Iterator[StoryMemory]:
        """Hold the memory for one run that will record: ``MemoryBusy`` at once if another run holds it, ``ConfigError``
        if it cannot be opened (checked here, before the run's work).
        """
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run, closed below
        except OSError as exc:
            raise ConfigError(f"story memory {self.path}: {exc.strerror or exc}") from None
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.seek(0)
                holder = lock.read().strip() or "another process"
                raise MemoryBusy(
                    f"story memory {self.path} is in use by another run ({holder}); run again when it ends"
                ) from None
            lock.truncate(0)
            lock.write(f"pid {os.getpid()}")
            lock.flush()
            try:
                with self._connection():
                    pass  # a damaged database fails here, once, before any work
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def record(self, day: str, stories: Sequence[StoryDay], texts: dict[str, str]) -> None:
        """Replace ``day`` with ``stories`` (and keep the new articles' ``texts`` by key), in one transaction."""
        with self._transaction() as connection:
            for table in _DAY_TABLES:
                connection.execute(f"DELETE FROM {table} WHERE day = ?", (day,))  # noqa: S608 - fixed names
            connection.execute("INSERT OR REPLACE INTO days VALUES (?, ?)", (day, dt.datetime.now(dt.UTC).isoformat()))
            for story in stories:
                _insert_story(connection, story)
            connection.executemany(
                "INSERT OR IGNORE INTO texts VALUES (?, ?)",
                [(key, zlib.compress(text.encode("utf-8"))) for key, text in texts.items()],
            )

    def briefing_days(self, before: str) -> list[str]:
        """The days recorded before ``before``, oldest first."""
        with self._connection() as connection:
            return [row[0] for row in connection.execute("SELECT day FROM days WHERE day < ? ORDER BY day", (before,))]

    def remembered(self, day: str, story_ids: Iterable[str] = ()) -> list[RememberedStory]:
        """The stories shown in the ``days`` days before ``day`` (and ``story_ids``, however long ago), each with its
        signature as of its latest day before ``day``.
        """
        start = (dt.date.fromisoformat(day) - dt.timedelta(days=self.days)).isoformat()
        query = """
            SELECT s.story_id, (SELECT MIN(day) FROM story_days f WHERE f.story_id = s.story_id), s.day, s.headline,
                   s.vector, s.terms
            FROM story_days s
            WHERE s.day < ? AND (s.day >= ? OR s.story_id IN (SELECT value FROM json_each(?)))
              AND s.day = (SELECT MAX(day) FROM story_days l WHERE l.story_id = s.story_id AND l.day < ?)
            ORDER BY s.story_id
        """
        with self._connection() as connection:
            rows = connection.execute(query, (day, start, json.dumps(sorted(set(story_ids))), day)).fetchall()
        return [RememberedStory(r[0], r[1], r[2], r[3], Signature.stored(r[4], json.loads(r[5]))) for r in rows]

    def shown(self, day: str, keys: Iterable[str], urls: Iterable[str]) -> dict[str, tuple[str, str]]:
        """For each content key or address shown before ``day``: (the story it was shown in, the first day shown)."""
        found: dict[str, tuple[str, str]] = {}
        with self._connection() as connection:
            for column, values in (("key", keys), ("url", urls)):
                for value in dict.fromkeys(values):
                    row = connection.execute(
                        f"SELECT story_id, day FROM articles WHERE {column} = ? AND day < ? ORDER BY day LIMIT 1",  # noqa: S608
                        (value, day),
                    ).fetchone()
                    if row is not None:
                        found[value] = (row[0], row[1])
        return found

    def history(self, story_id: str, before: str | None = None) -> StoryHistory:
        """What the briefings before ``before`` (all, when None) showed of ``story_id``."""
        until = before or "9999-12-31"
        with self._connection() as connection:
            days = connection.execute(
                "SELECT day, actors, sentences FROM story_days WHERE story_id = ? AND day < ? ORDER BY day", (story_id, until)
            ).fetchall()
            articles = connection.execute(
                "SELECT key, input_id, source, url, title, published, new FROM articles"
                " WHERE story_id = ? AND day < ? ORDER BY day, input_id",
                (story_id, until),
            ).fetchall()
            figures = connection.execute(
                "SELECT quantity, scope, value, text, reported, input_id, evidence FROM figures"
                " WHERE story_id = ? AND day < ? ORDER BY reported, day, rowid",
                (story_id, until),
            ).fetchall()
            events = connection.execute(
                "SELECT date, text, input_id FROM events WHERE story_id = ? AND day < ? ORDER BY date, day, rowid",
                (story_id, until),
            ).fetchall()
        actors = list(dict.fromkeys(name for _, names, _ in days for name in json.loads(names)))
        return StoryHistory(
            days=[row[0] for row in days],
            articles=[
                ArticleRecord(key=r[0], input_id=r[1], source=r[2], url=r[3], title=r[4], published=r[5], new=bool(r[6]))
                for r in articles
            ],
            figures=[FigureRecord(*row) for row in figures],
            events=[EventRecord(*row) for row in events],
            actors=actors,
            sentences={row[0]: json.loads(row[2]) for row in days},
        )

    def texts(self, keys: Iterable[str]) -> dict[str, str]:
        """The kept text of each article key (keys never kept are left out)."""
        found = {}
        with self._connection() as connection:
            for key in dict.fromkeys(keys):
                row = connection.execute("SELECT text FROM texts WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    found[key] = zlib.decompress(row[0]).decode("utf-8")
        return found

    def stories(self) -> list[StorySummary]:
        """Every remembered story, latest first: its days and how many articles were shown."""
        query = """
            SELECT s.story_id, (SELECT headline FROM story_days h WHERE h.story_id = s.story_id ORDER BY day DESC LIMIT 1),
                   MIN(s.day), MAX(s.day), COUNT(*),
                   (SELECT COUNT(DISTINCT key) FROM articles a WHERE a.story_id = s.story_id)
            FROM story_days s GROUP BY s.story_id ORDER BY MAX(s.day) DESC, s.story_id
        """
        with self._connection() as connection:
            return [StorySummary(*row) for row in connection.execute(query)]

    def story_days(self, story_id: str) -> list[tuple[str, str, str]]:
        """(day, status, headline) of each day ``story_id`` was shown."""
        with self._connection() as connection:
            return connection.execute(
                "SELECT day, status, headline FROM story_days WHERE story_id = ? ORDER BY day", (story_id,)
            ).fetchall()

    def merges(self, story_id: str) -> list[tuple[str, str]]:
        """(day, earlier story) of each story merged into ``story_id``."""
        with self._connection() as connection:
            return connection.execute("SELECT day, story_id FROM merges WHERE into_id = ? ORDER BY day", (story_id,)).fetchall()

    def forget(self, before: str) -> int:
        """Drop every day before ``before`` (and texts no longer shown); the number of days dropped."""
        with self._transaction() as connection:
            dropped = connection.execute("DELETE FROM days WHERE day < ?", (before,)).rowcount
            for table in _DAY_TABLES:
                connection.execute(f"DELETE FROM {table} WHERE day < ?", (before,))  # noqa: S608 - fixed names
            connection.execute("DELETE FROM texts WHERE key NOT IN (SELECT key FROM articles)")
        with self._connection() as connection:
            connection.execute("VACUUM")
        return int(dropped)


def _insert_story(connection: sqlite3.Connection, story: StoryDay) -> None:
    terms = json.dumps([[term, count] for term, count in story.signature.terms.items()])
    connection.execute(
        "INSERT INTO story_days VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (story.story_id, story.day, story.status, story.headline, story.signature.vector_bytes(), terms,
         json.dumps(story.actors), json.dumps(story.sentences)),
    )  # fmt: skip
    connection.executemany(
        "INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(story.story_id, story.day, a.key, a.input_id, a.source, a.url, a.title, a.published, int(a.new))
         for a in story.articles],
    )  # fmt: skip
    connection.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(story.story_id, story.day, f.quantity, f.scope, f.value, f.text, f.reported, f.input_id, f.evidence)
         for f in story.figures],
    )  # fmt: skip
    connection.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
        [(story.story_id, story.day, e.date, e.text, e.input_id) for e in story.events],
    )
    connection.executemany(
        "INSERT INTO merges VALUES (?, ?, ?)", [(story.day, merged, story.story_id) for merged in story.merged]
    )
