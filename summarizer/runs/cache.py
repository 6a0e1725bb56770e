"""A cache of finished briefs, so reruns (and the daily briefing) redo only what is missing.

A brief is reused only for the same article text and metadata, the same
prompt id and version, the same provider and model and the same grounding
setting. Entries are written atomically; a corrupt entry is ignored and
recomputed. Nothing secret is stored: the key holds no API key.

A cache that cannot be written is no reason to fail finished work: it is
turned off with one warning, and the run goes on without it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import ValidationError

from summarizer.brief.schema import ArticleBrief
from summarizer.files import content_hash, remove_stale_temp_files, writable_dir_problem, write_atomic
from summarizer.inputs.article import Article

log = logging.getLogger(__name__)


class BriefCache:
    """Briefs stored as JSON files named by a hash of everything that shapes them."""

    def __init__(self, directory: Path) -> None:
        """A cache in ``directory`` (``Settings.brief_cache_dir``); see ``open`` to check it first."""
        self.directory = directory
        self.enabled = True

    @classmethod
    def open(cls, directory: Path) -> BriefCache | None:
        """The cache in ``directory`` if it can be written (stale temporary files cleaned), else None and a warning."""
        problem = writable_dir_problem(directory)
        if problem is not None:
            log.warning(f"brief cache off: {problem}")
            return None
        remove_stale_temp_files(directory)
        return cls(directory)

    @staticmethod
    def key(article: Article, prompt_id: str, prompt_version: str, provider: str, model: str, grounding_reasks: int) -> str:
        """The hash of the article (text and metadata) and of how its brief is made."""
        identity = {
            "article": article.model_dump(mode="json"),
            "prompt": [prompt_id, prompt_version],
            "provider": [provider, model],
            "grounding_reasks": grounding_reasks,
        }
        return content_hash(identity)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def has(self, key: str) -> bool:
        """True when a brief is stored under ``key`` (not read; ``get`` may still find it unreadable)."""
        return self.enabled and self._path(key).is_file()

    def get(self, key: str) -> ArticleBrief | None:
        """The cached brief, or None when absent or unreadable."""
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            return ArticleBrief.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, key: str, brief: ArticleBrief) -> None:
        """Store ``brief`` atomically; a failed write turns the cache off (one warning), never the brief."""
        if not self.enabled:
            return
        try:
            write_atomic(self._path(key), brief.model_dump_json(indent=1) + "\n")
        except OSError as exc:
            self.enabled = False
            log.warning(f"brief cache off: cannot write {self.directory} ({exc.strerror or exc})")
