"""A cache of finished briefs, so reruns (and the daily briefing) redo only what is missing.

A brief is reused only for the same article text and metadata, the same
prompt id and version, the same provider and model and the same grounding
setting. Entries are written atomically; a corrupt entry is ignored and
recomputed. Nothing secret is stored: the key holds no API key.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs
from pydantic import ValidationError

from summarizer.fixtures import canonical_json, write_atomic
from summarizer.schemas import Article, ArticleBrief


def default_brief_cache_dir() -> Path:
    """``SUMMARIZER_BRIEF_CACHE_DIR``, else the user cache directory's ``briefs/``."""
    override = os.environ.get("SUMMARIZER_BRIEF_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("summarizer")) / "briefs"


class BriefCache:
    """Briefs stored as JSON files named by a hash of everything that shapes them."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_brief_cache_dir()

    @staticmethod
    def key(article: Article, prompt_id: str, prompt_version: str, provider: str, model: str, grounding_reasks: int) -> str:
        """The hash of the article (text and metadata) and of how its brief is made."""
        identity = {
            "article": article.model_dump(mode="json"),
            "prompt": [prompt_id, prompt_version],
            "provider": [provider, model],
            "grounding_reasks": grounding_reasks,
        }
        return hashlib.sha256(canonical_json(identity).encode("utf-8")).hexdigest()[:32]

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str) -> ArticleBrief | None:
        """The cached brief, or None when absent or unreadable."""
        path = self._path(key)
        try:
            return ArticleBrief.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, key: str, brief: ArticleBrief) -> None:
        """Store ``brief`` atomically."""
        write_atomic(self._path(key), brief.model_dump_json(indent=1) + "\n")
