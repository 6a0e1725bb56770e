"""The disk cache of fetched pages and feeds, by URL, with a bound on its size and on the age of what it keeps.

Each entry is two files: ``<key>.body`` (the bytes) and ``<key>.json`` (URL,
final URL, content type, validators, when it was fetched). ``prune`` removes
entries older than the age bound, then the least recently fetched until the
whole fits the size bound; a run prunes once when its fetcher closes, and
``summarizer cache prune`` does it on demand.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from summarizer.files import content_hash, write_atomic
from summarizer.inputs.fetched import FetchedPage
from summarizer.settings import PAGE_CACHE_MAX_DAYS, PAGE_CACHE_MAX_MB

PAGE_CACHE_MAX_BYTES = int(PAGE_CACHE_MAX_MB * 1e6)
PAGE_CACHE_MAX_AGE = PAGE_CACHE_MAX_DAYS * 86_400.0
ORPHAN_GRACE = 3_600.0  # a body without its meta younger than this may be one another run is writing


@dataclass(frozen=True)
class PruneReport:
    """What a prune removed and what is left."""

    removed: int
    removed_bytes: int
    kept: int
    kept_bytes: int


class PageCache:
    """Fetched answers on disk in ``directory``, bounded by ``max_bytes`` and ``max_age`` seconds."""

    def __init__(self, directory: Path, max_bytes: int = PAGE_CACHE_MAX_BYTES, max_age: float = PAGE_CACHE_MAX_AGE) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.max_age = max_age

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = content_hash(url, 40)
        return self.directory / f"{key}.json", self.directory / f"{key}.body"

    def get(self, url: str) -> FetchedPage | None:
        """The cached answer for ``url``, or None (nothing cached, or an entry that cannot be read)."""
        meta_path, body_path = self._paths(url)
        if not meta_path.is_file() or not body_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
            if meta.get("url") != url:
                return None
            return FetchedPage(
                url=url,
                final_url=meta["final_url"],
                content_type=meta["content_type"],
                body=body,
                etag=meta.get("etag"),
                last_modified=meta.get("last_modified"),
                fetched_at=float(meta.get("fetched_at", 0.0)),  # entries of older versions: stale, so revalidated
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is fetched again

    def put(self, page: FetchedPage) -> None:
        """Keep ``page`` (a cache that cannot be written costs a refetch next time, nothing more)."""
        meta_path, body_path = self._paths(page.url)
        meta = {
            "url": page.url,
            "final_url": page.final_url,
            "content_type": page.content_type,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "fetched_at": page.fetched_at,
        }
        try:
            write_atomic(body_path, page.body)  # the body first: an entry without its meta is never read
            write_atomic(meta_path, json.dumps(meta))
        except OSError:
            pass

    def prune(self, now: float | None = None) -> PruneReport:
        """Remove entries older than ``max_age``, then the oldest until the rest fits ``max_bytes``."""
        now = time.time() if now is None else now
        entries: list[tuple[float, int, list[Path]]] = []  # (last fetched, bytes, files)
        try:
            metas = list(self.directory.glob("*.json"))
            bodies = {path.stem: path for path in self.directory.glob("*.body")}
        except OSError:
            return PruneReport(0, 0, 0, 0)
        for meta in metas:
            files = [meta] + ([bodies.pop(meta.stem)] if meta.stem in bodies else [])
            entries.append((_fetched_at(meta), sum(_size(path) for path in files), files))
        entries += [(_mtime(body), _size(body), [body]) for body in bodies.values()]  # a body left without its meta
        entries.sort(key=lambda entry: entry[0], reverse=True)  # newest first
        kept = kept_bytes = removed = removed_bytes = 0
        for fetched_at, size, files in entries:
            orphan = not files[0].name.endswith(".json") and now - fetched_at > ORPHAN_GRACE  # else being written
            if orphan or now - fetched_at > self.max_age or kept_bytes + size > self.max_bytes:
                removed += 1
                removed_bytes += size
                for path in files:
                    path.unlink(missing_ok=True)
            else:
                kept += 1
                kept_bytes += size
        return PruneReport(removed, removed_bytes, kept, kept_bytes)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _fetched_at(meta: Path) -> float:
    """When an entry was last fetched or confirmed (its file's time when the meta cannot be read)."""
    try:
        return float(json.loads(meta.read_text(encoding="utf-8")).get("fetched_at") or _mtime(meta))
    except (OSError, ValueError, TypeError, AttributeError):
        return _mtime(meta)
