"""One input's outcome: its brief (made, or read from the cache) or the error that stopped it.

Shared by every engine (this process, the worker pool, Ray actors) and by
batch imports, so none of them imports another.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from summarizer.brief.pipeline import brief_with
from summarizer.brief.recipe import BriefRecipe
from summarizer.brief.schema import ArticleBrief
from summarizer.errors import RunError
from summarizer.inputs.article import Article
from summarizer.inputs.loading import LoadedArticle, naming_source
from summarizer.providers.base import Provider
from summarizer.runs.cache import BriefCache


@dataclass
class BriefOutcome:
    """The result for one input article: a brief, or the error that stopped it (naming the input)."""

    source: str
    brief: ArticleBrief | None = None
    error: str | None = None
    article: Article | None = None
    cached: bool = False
    output: Path | None = None
    transient: bool = False  # the error may not happen again (see ``RunError.transient``)

    @property
    def ok(self) -> bool:
        """True when the article was briefed."""
        return self.brief is not None


def brief_cached(
    article: Article, provider: Provider, recipe: BriefRecipe, cache: BriefCache | None = None
) -> tuple[ArticleBrief, bool]:
    """Brief ``article``, reusing a cached brief made the same way (``recipe.key``); returns (brief, was_cached)."""
    if cache is None:
        return brief_with(article, provider, recipe), False
    key = recipe.key(article)
    cached = cache.get(key)
    if cached is not None:
        return cached, True
    brief = brief_with(article, provider, recipe)
    cache.put(key, brief)
    return brief, False


def brief_loaded(loaded: LoadedArticle, provider: Provider, recipe: BriefRecipe, cache: BriefCache | None = None) -> BriefOutcome:
    """The outcome for one loaded input: its brief, or the error from loading or briefing it."""
    if loaded.article is None:
        return BriefOutcome(source=loaded.source, error=naming_source(loaded.source, loaded.error or "unreadable"))
    try:
        brief, cached = brief_cached(loaded.article, provider, recipe, cache)
    except RunError as exc:
        error = naming_source(loaded.source, str(exc))
        return BriefOutcome(source=loaded.source, article=loaded.article, error=error, transient=exc.transient)
    return BriefOutcome(source=loaded.source, article=loaded.article, brief=brief, cached=cached)
