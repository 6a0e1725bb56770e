"""A cache of finished briefs, so reruns (and the daily briefing) redo only what is missing.

A brief is reused only when everything that shapes it is the same
(``BriefRecipe``): the article's text and metadata, the prompt (its id,
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
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from summarizer.brief.draft import BriefDraft
from summarizer.brief.pipeline import brief_prompt
from summarizer.brief.schema import ArticleBrief
from summarizer.files import content_hash, remove_stale_temp_files, writable_dir_problem, write_atomic
from summarizer.inputs.article import Article
from summarizer.providers.base import Provider, endpoint_of
from summarizer.settings import Settings

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _schemas_digest() -> str:
    """A hash of what the model is asked to write and of the brief made from it: either changing makes cached briefs stale."""
    return content_hash([BriefDraft.model_json_schema(), ArticleBrief.model_json_schema()], 16)


@dataclass(frozen=True)
class BriefRecipe:
    """Everything besides the article that shapes a brief; part of every cache key."""

    prompt_id: str
    prompt_version: str
    prompt_digest: str  # the prompt's text: an edited prompt in SUMMARIZER_PROMPTS_DIR with the same version is another recipe
    schemas_digest: str
    provider: str
    endpoint: str
    model: str
    context_tokens: int  # decides whether a long article is briefed in parts
    max_reasks: int
    grounding_reasks: int

    @classmethod
    def of(cls, provider: Provider, settings: Settings) -> BriefRecipe:
        """How ``provider`` with ``settings`` makes briefs (made once per run)."""
        prompt = brief_prompt(settings)
        return cls(
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            prompt_digest=content_hash([prompt.system, prompt.user, prompt.fix, list(prompt.examples)], 16),
            schemas_digest=_schemas_digest(),
            provider=provider.name,
            endpoint=endpoint_of(provider),
            model=provider.model,
            context_tokens=provider.context_tokens,
            max_reasks=settings.max_reasks,
            grounding_reasks=settings.grounding_reasks,
        )


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
    def key(article: Article, recipe: BriefRecipe) -> str:
        """The hash of the article (text and metadata) and of how its brief is made."""
        return content_hash({"article": article.model_dump(mode="json"), "recipe": asdict(recipe)})

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


@dataclass(frozen=True)
class RecipeCache:
    """The cached briefs of one recipe, by article: what a run reads and writes."""

    cache: BriefCache
    recipe: BriefRecipe

    def has(self, article: Article) -> bool:
        """True when a brief of ``article`` made this way is stored."""
        return self.cache.has(BriefCache.key(article, self.recipe))

    def get(self, article: Article) -> ArticleBrief | None:
        """The cached brief of ``article`` made this way, or None."""
        return self.cache.get(BriefCache.key(article, self.recipe))

    def put(self, article: Article, brief: ArticleBrief) -> None:
        """Store the brief of ``article`` made this way."""
        self.cache.put(BriefCache.key(article, self.recipe), brief)


def recipe_cache(cache: BriefCache | None, provider: Provider, settings: Settings) -> RecipeCache | None:
    """``cache`` seen through the recipe of ``provider`` and ``settings`` (None without a cache)."""
    return None if cache is None else RecipeCache(cache, BriefRecipe.of(provider, settings))
