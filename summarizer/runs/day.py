"""A news day: read every input, group the articles into stories, brief them, synthesize each story of two or more.

Copies of one text are briefed once (the kept copy). A story's synthesis
failing is recorded on that story; a failed brief leaves its story with the
other articles; an unreadable input is listed and the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Unpack

from summarizer.brief.schema import ArticleBrief
from summarizer.concurrency import ordered_map
from summarizer.inputs.loading import LoadedArticle, naming_source
from summarizer.providers.base import Provider
from summarizer.runs.context import ContextOptions, RunContext
from summarizer.runs.many_inputs import BriefOutcome, SynthesisRun, iter_briefs, load_inputs, synthesize_run
from summarizer.stories.grouping import Story, group_stories
from summarizer.stories.listing import StoryListing, listing_of
from summarizer.synthesis.schema import Synthesis


@dataclass
class StoryRun(SynthesisRun):
    """One story of the day: its articles' briefs (story order) and its synthesis when it has two or more."""

    synthesis: Synthesis | None = None
    story: Story = field(kw_only=True)

    @property
    def ok(self) -> bool:
        """Every article briefed, and a story of two or more synthesized in full."""
        if any(outcome.brief is None for outcome in self.outcomes):
            return False
        if len(self.briefed) < 2:
            return True
        return self.synthesis is not None and not self.synthesis.failed_groups


@dataclass
class DayRun:
    """Every story of the day (ranked), the inputs that failed, and the articles left out by date."""

    stories: list[StoryRun]
    unreadable: list[BriefOutcome] = field(default_factory=list)
    left_out: list[LoadedArticle] = field(default_factory=list)

    @property
    def outcomes(self) -> list[BriefOutcome]:
        """Every outcome: each story's articles (ranked order), then the unreadable inputs."""
        return [outcome for story in self.stories for outcome in story.outcomes] + self.unreadable

    @property
    def failures(self) -> list[BriefOutcome]:
        """Inputs that could not be read or briefed."""
        return [outcome for outcome in self.outcomes if outcome.brief is None]

    @property
    def briefs(self) -> list[ArticleBrief]:
        """Every brief made, in briefing order."""
        return [brief for story in self.stories for brief in story.briefs]

    @property
    def ok(self) -> bool:
        """True when every input was read and briefed and every story of two or more was synthesized."""
        return not self.unreadable and all(story.ok for story in self.stories)


def load_day(inputs: Iterable[str | Path], context: RunContext) -> tuple[list[LoadedArticle], list[LoadedArticle]]:
    """(loaded articles or errors, articles left out by date) of ``inputs``; pages and feeds fetched with the page cache."""
    loaded = load_inputs(inputs, context)
    return [item for item in loaded if item.left_out is None], [item for item in loaded if item.left_out is not None]


def _synthesize_story(run: StoryRun, provider: Provider, context: RunContext) -> None:
    if len(run.briefed) >= 2:
        synthesize_run(run, provider, context)


def run_day(inputs: Iterable[str | Path], context: RunContext | None = None, **options: Unpack[ContextOptions]) -> DayRun:
    """Group ``inputs`` into stories, brief each kept article, and synthesize every story of two or more articles.

    Takes a ``RunContext`` or its options (``provider``, ``settings``,
    ``cache``, ``progress``, ``window``, ``grouping``).
    """
    run_context = RunContext.of(context, **options)
    loaded, left_out = load_day(inputs, run_context)
    readable = {item.article.id: item for item in loaded if item.article is not None}
    unreadable = [
        BriefOutcome(source=item.source, error=naming_source(item.source, item.error or "unreadable"))
        for item in loaded
        if item.article is None
    ]
    stories = group_stories([item.article for item in readable.values() if item.article is not None], run_context.grouping)
    to_brief = [readable[article.id] for story in stories for article in story.articles]
    progress = run_context.progress
    if progress:
        progress.start(len(to_brief))
    outcomes: dict[str, BriefOutcome] = {}
    with run_context.active_provider() as provider:
        for outcome in iter_briefs(to_brief, provider, run_context):
            if outcome.article is not None:
                outcomes[outcome.article.id] = outcome
            if progress:
                progress.advance(outcome)
        runs = [StoryRun(story=story, outcomes=[outcomes[article.id] for article in story.articles]) for story in stories]
        # Stories are synthesized several at a time (each records its own result or error); the provider's
        # shared pace still bounds the requests in flight.
        workers = run_context.settings.workers_for(provider.name)
        for _ in ordered_map(lambda story_run: _synthesize_story(story_run, provider, run_context), runs, workers):
            pass
    return DayRun(stories=runs, unreadable=unreadable, left_out=left_out)


def find_stories(
    inputs: Iterable[str | Path], context: RunContext | None = None, **options: Unpack[ContextOptions]
) -> StoryListing:
    """The stories among ``inputs`` (duplicates collapsed, ranked), with no model call: what ``daily`` would group.

    Takes a ``RunContext`` or its options (``settings``, ``window``, ``grouping``).
    """
    run_context = RunContext.of(context, **options)
    loaded, left_out = load_day(inputs, run_context)
    articles = [item.article for item in loaded if item.article is not None]
    errors = [naming_source(item.source, item.error or "unreadable") for item in loaded if item.article is None]
    return listing_of(
        group_stories(articles, run_context.grouping), errors, [f"{item.source}: left out, {item.left_out}" for item in left_out]
    )
