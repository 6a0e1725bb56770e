"""A news day: read every input, group the articles into stories, brief them, synthesize each story of two or more.

Copies of one text are briefed once (the kept copy). A story's synthesis
failing is recorded on that story; a failed brief leaves its story with the
other articles; an unreadable input is listed and the rest go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Unpack

from summarizer.concurrency import ordered_map
from summarizer.inputs.loading import LoadedArticle, naming_source
from summarizer.memory.recall import recall_stories
from summarizer.providers.base import Provider
from summarizer.runs.context import ContextOptions, RunContext
from summarizer.runs.many_inputs import BriefOutcome, iter_briefs, load_inputs, synthesize_run
from summarizer.runs.remember import find_since, new_coverage, record_day
from summarizer.runs.story_run import DayRun, StoryRun
from summarizer.stories.grouping import group_stories
from summarizer.stories.listing import StoryListing, listing_of


def load_day(inputs: Iterable[str | Path], context: RunContext) -> tuple[list[LoadedArticle], list[LoadedArticle]]:
    """(loaded articles or errors, articles left out by date) of ``inputs``; pages and feeds fetched with the page cache."""
    loaded = load_inputs(inputs, context)
    return [item for item in loaded if item.left_out is None], [item for item in loaded if item.left_out is not None]


def _synthesize_story(run: StoryRun, provider: Provider, context: RunContext) -> None:
    if len(run.briefed) >= 2:
        synthesize_run(run, provider, context)


def run_day(
    inputs: Iterable[str | Path],
    context: RunContext | None = None,
    *,
    day: dt.date | None = None,
    **options: Unpack[ContextOptions],
) -> DayRun:
    """Group ``inputs`` into stories, brief each kept article, and synthesize every story of two or more articles.

    Takes a ``RunContext`` or its options (``provider``, ``settings``,
    ``cache``, ``progress``, ``window``, ``grouping``, ``memory``). With a
    story memory, the day (``day``, default today) is read against the
    briefings before it and recorded in it: a story whose articles were all
    shown before is listed and not briefed again, stories are ranked by
    their new coverage, and a developing story gets its "since" items.
    """
    run_context = RunContext.of(context, **options)
    memory = run_context.memory
    if memory is None:
        return _run_day(inputs, run_context, None)
    today = day or dt.date.today()  # once: a run that goes past midnight reads and records the same day
    if memory.read_only:
        return _run_day(inputs, run_context, today)
    with memory.writing():
        run = _run_day(inputs, run_context, today)
        record_day(memory, today, run.stories)
    return run


def _ranked(runs: list[StoryRun]) -> list[StoryRun]:
    """Stories with new coverage first, most new sources first (the grouping's order otherwise)."""
    order = {id(run): number for number, run in enumerate(runs)}
    return sorted(runs, key=lambda run: (run.quiet, -new_coverage(run), order[id(run)]))


def _run_day(inputs: Iterable[str | Path], run_context: RunContext, day: dt.date | None) -> DayRun:
    loaded, left_out = load_day(inputs, run_context)
    readable = {item.article.id: item for item in loaded if item.article is not None}
    unreadable = [
        BriefOutcome(source=item.source, error=naming_source(item.source, item.error or "unreadable"))
        for item in loaded
        if item.article is None
    ]
    stories = group_stories([item.article for item in readable.values() if item.article is not None], run_context.grouping)
    memory = run_context.memory
    statuses = recall_stories(memory, day, stories) if memory is not None and day is not None else [None] * len(stories)
    quiet = {id(story) for story, status in zip(stories, statuses, strict=True) if status and status.status == "no new reporting"}
    to_brief = [readable[article.id] for story in stories if id(story) not in quiet for article in story.articles]
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
        runs = _ranked(
            [
                StoryRun(story=story, outcomes=[outcomes[a.id] for a in story.articles if a.id in outcomes], memory=status)
                for story, status in zip(stories, statuses, strict=True)
            ]
        )
        # Stories are synthesized several at a time (each records its own result or error); the provider's
        # shared pace still bounds the requests in flight.
        workers = run_context.settings.workers_for(provider.name)
        for _ in ordered_map(lambda story_run: _synthesize_story(story_run, provider, run_context), runs, workers):
            pass
    if memory is not None:
        for story_run in runs:
            find_since(story_run, memory)
    return DayRun(stories=runs, unreadable=unreadable, left_out=left_out)


def find_stories(
    inputs: Iterable[str | Path],
    context: RunContext | None = None,
    *,
    day: dt.date | None = None,
    **options: Unpack[ContextOptions],
) -> StoryListing:
    """The stories among ``inputs`` (duplicates collapsed, ranked), with no model call: what ``daily`` would group.

    Takes a ``RunContext`` or its options (``settings``, ``window``,
    ``grouping``, ``memory``). With a story memory, each story gets its id
    and status as of ``day`` (default today); nothing is recorded.
    """
    run_context = RunContext.of(context, **options)
    loaded, left_out = load_day(inputs, run_context)
    articles = [item.article for item in loaded if item.article is not None]
    errors = [naming_source(item.source, item.error or "unreadable") for item in loaded if item.article is None]
    stories = group_stories(articles, run_context.grouping)
    listing = listing_of(stories, errors, [f"{item.source}: left out, {item.left_out}" for item in left_out])
    if run_context.memory is not None:
        statuses = recall_stories(run_context.memory, day or dt.date.today(), stories)
        for listed, status in zip(listing.stories, statuses, strict=True):
            listed.id, listed.status = status.id, status.label
    return listing
