"""The daily briefing: group the day's articles into stories, brief and synthesize them, render one Markdown document."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

import jinja2

from summarizer.errors import TemplateError
from summarizer.output.render import template_environment
from summarizer.providers.base import Usage
from summarizer.providers.prices import Price, cost_of, load_prices
from summarizer.runs.context import ContextOptions, RunContext
from summarizer.runs.day import DayRun, StoryRun, run_day
from summarizer.synthesis.schema import Synthesis

DEFAULT_TITLE = "Daily briefing"
DAILY_TEMPLATE = "daily.md.j2"
TOP_STORIES = 10


@dataclass(frozen=True)
class RunTotals:
    """What the model calls of a briefing took: who made it, requests, tokens, cost (None: price unknown).

    Briefs and syntheses reused from the cache count as what they took when
    they were made, so a rerun of a day says the same; ``cached_briefs`` and
    ``cached_syntheses`` say how many were reused this time.
    """

    made_by: str
    requests: int
    prompt_tokens: int
    output_tokens: int
    cost: float | None
    cached_briefs: int
    cached_syntheses: int = 0


def run_totals(run: DayRun, prices: dict[str, Price]) -> RunTotals:
    """Add up the usage of every brief and synthesis of the briefing (reused ones as they were made)."""
    spent = [(o.brief.generated_by, o.brief.usage) for o in run.outcomes if o.brief is not None]
    spent += [(story.synthesis.generated_by, story.synthesis.usage) for story in run.stories if story.synthesis is not None]
    total = sum((usage for _, usage in spent), Usage())
    makers = [o.brief.generated_by for o in run.outcomes if o.brief is not None] + [maker for maker, _ in spent]
    made_by = ", ".join(dict.fromkeys(f"{maker.provider} / {maker.model}" for maker in makers)) or "no model call"
    costs = [
        cost_of(prices, maker.provider, maker.model, usage.prompt_tokens, usage.cached_prompt_tokens, usage.completion_tokens)
        for maker, usage in spent
    ]
    cost = None if any(c is None for c in costs) else sum(c for c in costs if c is not None)
    return RunTotals(
        made_by=made_by,
        requests=total.attempts,
        prompt_tokens=total.prompt_tokens,
        output_tokens=total.completion_tokens,
        cost=cost,
        cached_briefs=sum(o.cached for o in run.outcomes),
        cached_syntheses=sum(story.synthesis_cached for story in run.stories),
    )


@dataclass
class DailyBriefing(DayRun):
    """The rendered briefing and the day it was built from (stories, failures, articles left out)."""

    markdown: str = ""
    date: dt.date = field(default_factory=dt.date.today)

    @property
    def synthesis(self) -> Synthesis | None:
        """The synthesis of the day's top story of two or more articles (the whole day when it is one story)."""
        return next((story.synthesis for story in self.stories if story.synthesis is not None), None)


def load_briefing_template(template: Path | None, numbers: dict[str, int] | None = None) -> jinja2.Template:
    """The briefing template (a user's file, or the packaged one); ``TemplateError`` if it does not load."""
    if template is not None and not template.is_file():
        raise TemplateError(f"template {template}: no such file")
    environment = template_environment(template.parent if template is not None else None, numbers or {})
    name = template.name if template is not None else DAILY_TEMPLATE
    try:
        return environment.get_template(name)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {template or name}: {exc}") from None


def _story_item(rank: int, run: StoryRun, numbers: dict[str, int]) -> dict[str, Any]:
    story = run.story
    status = run.memory
    return {
        "rank": rank,
        "id": status.id if status else None,
        "status": status.label if status else None,
        "last_seen": status.last_seen if status else None,
        "since": [{**item.model_dump(), "n": numbers.get(item.citation.article_id)} for item in run.since],
        "trail": run.trail,
        "earlier": run.earlier,
        "headline": story.headline,
        "sources": story.sources,
        "latest": story.latest,
        "synthesis": run.synthesis,
        "synthesis_error": run.synthesis_error,
        "articles": [
            {
                "n": numbers[o.article.id],
                "brief": o.brief,
                "article": o.article,
                "copies": story.copies.get(o.article.id, []),
                "shown_on": status.shown_on.get(o.article.id) if status else None,
            }
            for o in run.briefed
            if o.article is not None
        ],
        "failed": [outcome for outcome in run.outcomes if outcome.brief is None],
    }


def briefing_context(run: DayRun) -> dict[str, Any]:
    """What the template sees, and the source ``numbers`` (in reading order) for ``refs``.

    ``stories`` (two or more articles, with synthesis), ``in_brief`` (one
    article each), ``top`` (both, ranked), ``quiet`` (with a story memory:
    stories whose articles were all shown before), ``articles`` (every
    briefed article, by number), ``failures``, ``left_out``, and
    ``synthesis`` (the top story's, for one-story templates).
    """
    several = [story for story in run.stories if len(story.briefed) >= 2]
    single = [story for story in run.stories if len(story.briefed) == 1]
    numbers: dict[str, int] = {}
    for story in several + single:
        for outcome in story.briefed:
            if outcome.article is not None:
                numbers[outcome.article.id] = len(numbers) + 1
    ranks = {id(story): rank for rank, story in enumerate([s for s in run.stories if s.briefed], start=1)}
    stories = [_story_item(ranks[id(story)], story, numbers) for story in several]
    in_brief = [_story_item(ranks[id(story)], story, numbers) for story in single]
    top = sorted(stories + in_brief, key=lambda item: item["rank"])[:TOP_STORIES]
    return {
        "stories": stories,
        "in_brief": in_brief,
        "top": top,
        "story_count": len(stories) + len(in_brief),
        "quiet": [
            {
                "id": story.memory.id,
                "headline": story.story.headline,
                "articles": len(story.story.all_articles),
                "last_seen": story.memory.last_seen,
            }
            for story in run.stories
            if story.quiet and story.memory is not None
        ],
        "synthesis": next((item["synthesis"] for item in stories if item["synthesis"] is not None), None),
        "articles": sorted((a for item in stories + in_brief for a in item["articles"]), key=lambda a: a["n"]),
        "failures": run.failures,
        "left_out": run.left_out,
        "numbers": numbers,
    }


def render_briefing(
    run: DayRun, *, date: dt.date, title: str = DEFAULT_TITLE, template: Path | None = None, totals: RunTotals | None = None
) -> str:
    """Render the briefing Markdown: top stories, a section per story, "In brief", "Not included", sources, audit."""
    context = briefing_context(run)
    loaded = load_briefing_template(template, context.pop("numbers"))
    try:
        return loaded.render(title=title, date=date.isoformat(), totals=totals, **context)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {template or DAILY_TEMPLATE}: {exc}") from None


def daily_briefing(
    inputs: Iterable[str | Path],
    context: RunContext | None = None,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    template: Path | None = None,
    **options: Unpack[ContextOptions],
) -> DailyBriefing:
    """Group the articles of ``inputs`` into stories, brief and synthesize them, and render the briefing Markdown.

    Takes a ``RunContext`` or its options (``provider``, ``settings``,
    ``cache``, ``progress``, ``window``, ``grouping``). The template is
    loaded first, so a broken one fails before any model call. Failed inputs
    and failed syntheses are listed in the briefing itself; ``ok`` on the
    result says whether everything succeeded.
    """
    load_briefing_template(template)
    run_context = RunContext.of(context, **options)
    day = date or dt.date.today()
    run = run_day(inputs, run_context, day=day)
    totals = run_totals(run, load_prices(run_context.settings.prices_path))
    markdown = render_briefing(run, date=day, title=title or DEFAULT_TITLE, template=template, totals=totals)
    return DailyBriefing(stories=run.stories, unreadable=run.unreadable, left_out=run.left_out, markdown=markdown, date=day)


async def daily_briefing_async(inputs: Iterable[str | Path], **arguments: Any) -> DailyBriefing:
    """``daily_briefing`` run in a worker thread, for async callers (the same arguments)."""
    return await asyncio.to_thread(daily_briefing, list(inputs), **arguments)
