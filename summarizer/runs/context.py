"""``RunContext``: what one run is, built once and handed down.

Every library entry point (``brief_article``, ``synthesize``,
``brief_files``, ``synthesize_files``, ``run_day``, ``daily_briefing``,
``find_stories``, the dry-run ``estimate_run``) takes the same options
(``ContextOptions``: settings, provider, brief cache, progress, date window,
grouping) or a ready ``RunContext``, and resolves them here, once: the
settings a call uses are chosen in ``RunContext.of`` and nowhere else.

The context is a frozen value. It pickles for another process or machine:
the settings, cache folder, window and grouping travel; the provider and the
progress display are objects of this process and stay behind (a worker
builds its provider from the settings).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, TypedDict

from summarizer.brief.recipe import BriefRecipe
from summarizer.errors import UsageError
from summarizer.inputs.fetch import PageFetcher
from summarizer.inputs.loading import LoadedArticle, iter_articles
from summarizer.inputs.window import DateWindow
from summarizer.memory.store import StoryMemory
from summarizer.providers.base import Provider
from summarizer.providers.factory import provider_scope
from summarizer.runs.cache import BriefCache
from summarizer.settings import Settings, settings_for_call
from summarizer.stories.grouping import GroupingParams
from summarizer.synthesis.pipeline import SynthesisRecipe


class RunProgress(Protocol):
    """Receives progress of a long run (the CLI shows it as a progress bar)."""

    def start(self, total: int) -> None:
        """The run has ``total`` inputs."""

    def advance(self, outcome: Any) -> None:
        """One input is done (a ``BriefOutcome``: briefed or failed)."""

    def stage(self, message: str) -> None:
        """What the run is doing now (e.g. a synthesis level)."""


class ContextOptions(TypedDict, total=False):
    """The options every entry point takes (each may be left out)."""

    settings: Settings | None
    provider: Provider | None
    cache: BriefCache | None
    progress: RunProgress | None
    window: DateWindow | None
    grouping: GroupingParams | None
    memory: StoryMemory | None


@dataclass(frozen=True)
class RunContext:
    """The resolved settings, the brief cache, the date window and grouping of a run; its provider and progress, if given.

    ``memory``: the story memory a daily briefing reads and records (None:
    each day stands alone). ``provider`` None: one is built from ``settings`` for the run (and
    closed after it). ``cache`` None: no brief is reused or stored.
    """

    settings: Settings
    cache: BriefCache | None = None
    window: DateWindow | None = None
    grouping: GroupingParams = field(default_factory=GroupingParams)
    memory: StoryMemory | None = None
    provider: Provider | None = field(default=None, compare=False, repr=False)
    progress: RunProgress | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, context: RunContext | None = None, /, **options: Any) -> RunContext:
        """``context`` as given, else one built from ``options`` (``ContextOptions``).

        Settings: the ones given; else defaults when a provider is given (the
        environment is then not read); else the environment.
        """
        if context is not None:
            if any(value is not None for value in options.values()):
                raise UsageError(f"pass either a run context or its options ({', '.join(sorted(options))}), not both")
            return context
        unknown = set(options) - set(ContextOptions.__annotations__)
        if unknown:
            raise TypeError(f"unknown run options: {', '.join(sorted(unknown))}")
        provider = options.get("provider")
        return cls(
            settings=settings_for_call(options.get("settings"), provider_given=provider is not None),
            cache=options.get("cache"),
            window=options.get("window"),
            grouping=options.get("grouping") or GroupingParams(),
            memory=options.get("memory"),
            provider=provider,
            progress=options.get("progress"),
        )

    def with_progress(self, progress: RunProgress | None) -> RunContext:
        """The same run, reporting to ``progress``."""
        return replace(self, progress=progress)

    @contextmanager
    def active_provider(self) -> Iterator[Provider]:
        """The run's provider: the one given, else one built from the settings and closed when the block ends."""
        with provider_scope(self.provider, self.settings) as provider:
            yield provider

    def provider_name(self) -> str:
        """The name of the provider the run uses (before it is built)."""
        return self.provider.name if self.provider is not None else self.settings.provider_name()

    def workers(self) -> int:
        """Requests in flight at once for the run's provider."""
        return self.settings.workers_for(self.provider_name())

    def page_fetcher(self) -> PageFetcher:
        """A fetcher with the settings' page cache, its policy, deadline and address policy."""
        return PageFetcher.for_settings(self.settings)

    def articles(self, inputs: Iterable[str | Path]) -> Iterator[LoadedArticle]:
        """Every article of ``inputs`` (``iter_articles``) with the run's fetcher, date window and feed cap."""
        with self.page_fetcher() as fetcher:
            yield from iter_articles(inputs, fetcher=fetcher, window=self.window, feed_entries=self.settings.feed_entries)

    def brief_recipe(self, provider: Provider) -> BriefRecipe:
        """How the run makes briefs with ``provider``."""
        return BriefRecipe.of(provider, self.settings)

    def synthesis_recipe(self, provider: Provider) -> SynthesisRecipe:
        """How the run makes syntheses with ``provider``."""
        return SynthesisRecipe.of(provider, self.settings)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the provider and progress display: they belong to this process."""
        return {**self.__dict__, "provider": None, "progress": None}
