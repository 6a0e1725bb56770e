"""A cache of finished briefs and syntheses, so reruns (and the daily briefing) redo only what is missing.

A synthesis is named by ``SynthesisRecipe.key``: its briefs and articles,
its prompts, the schema and who answered; a rerun of a day with the same
inputs reuses it, so the briefing comes out the same.

Entries are named by ``BriefRecipe.key``: a brief is reused only when
everything that shapes it is the same: the article's text and metadata, the prompt (its id,
version and text), the schemas, the provider, endpoint and model that
answered, and the settings that change answers (context size, re-asks).
Switching from the local model to an API model, or from one endpoint to
another, briefs again. Entries are written atomically; a corrupt entry is
ignored and recomputed. Nothing secret is stored: the key holds no API key
(endpoints are shown without user info or query).

A cache that cannot be written is no reason to fail finished work: it is
turned off with one warning, and the run goes on without it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import ValidationError

from summarizer.brief.schema import ArticleBrief
from summarizer.files import remove_stale_temp_files, writable_dir_problem, write_atomic
from summarizer.synthesis.schema import Synthesis

log = logging.getLogger(__name__)


class BriefCache:
    """Briefs stored as JSON files named by a hash of everything that shapes them (``BriefRecipe.key``)."""

    def __init__(self, directory: Path) -> None:
        """A cache in ``directory`` (``Settings.brief_cache_dir``); see ``open`` to check it first."""
        self.directory = directory
        self.enabled = True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BriefCache) and other.directory == self.directory

    def __hash__(self) -> int:
        return hash(self.directory)

    @classmethod
    def open(cls, directory: Path) -> BriefCache | None:
        """The cache in ``directory`` if it can be written (stale temporary files cleaned), else None and a warning."""
        problem = writable_dir_problem(directory)
        if problem is not None:
            log.warning(f"brief cache off: {problem}")
            return None
        remove_stale_temp_files(directory)
        return cls(directory)

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

    def put(self, key: str, brief: ArticleBrief | Synthesis) -> None:
        """Store ``brief`` atomically; a failed write turns the cache off (one warning), never the brief."""
        if not self.enabled:
            return
        try:
            write_atomic(self._path(key), brief.model_dump_json(indent=1) + "\n")
        except OSError as exc:
            self.enabled = False
            log.warning(f"brief cache off: cannot write {self.directory} ({exc.strerror or exc})")

    def get_synthesis(self, key: str) -> Synthesis | None:
        """The cached synthesis (``SynthesisRecipe.key``), or None when absent or unreadable."""
        if not self.enabled:
            return None
        try:
            return Synthesis.model_validate_json(self._path(f"synthesis-{key}").read_text(encoding="utf-8"))
        except (OSError, ValidationError, ValueError):
            return None

    def put_synthesis(self, key: str, synthesis: Synthesis) -> None:
        """Store a complete synthesis (one with a failed group is made again next time)."""
        if not synthesis.failed_groups:
            self.put(f"synthesis-{key}", synthesis)
