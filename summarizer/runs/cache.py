"""A cache of finished briefs, so reruns (and the daily briefing) redo only what is missing.

A brief is reused only for the same article text and metadata, the same
prompt id and version, the same provider and model and the same grounding
setting. Entries are written atomically; a corrupt entry is ignored and
recomputed. Nothing secret is stored: the key holds no API key.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from summarizer.brief.schema import ArticleBrief
from summarizer.files import content_hash, write_atomic
from summarizer.inputs.article import Article


class BriefCache:
    """Briefs stored as JSON files named by a hash of everything that shapes them."""

    def __init__(self, directory: Path) -> None:
        """A cache in ``directory`` (``Settings.brief_cache_dir``)."""
        self.directory = directory

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
