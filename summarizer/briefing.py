"""The daily briefing: brief every article, synthesize them, render one Markdown document."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import jinja2

from summarizer.articles import iter_articles
from summarizer.cache import BriefCache
from summarizer.config import Settings
from summarizer.core import BriefOutcome, provider_scope, brief_loaded
from summarizer.errors import InputError, SummarizerError
from summarizer.providers.base import Provider
from summarizer.render import template_environment
from summarizer.schemas import Article, ArticleBrief
from summarizer.synthesis import synthesize
from summarizer.synthesis_schema import Synthesis

DEFAULT_TITLE = "Daily briefing"


class BriefingProgress(Protocol):
    """Receives progress of a long run (the CLI shows it as a progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, outcome: BriefOutcome) -> None: ...

    def stage(self, message: str) -> None: ...


@dataclass
class SynthesisRun:
    """Briefs of every input and their synthesis (or why there is none)."""

    outcomes: list[BriefOutcome]
    synthesis: Synthesis | None
    synthesis_error: str | None = None

    @property
    def briefs(self) -> list[ArticleBrief]:
        return [outcome.brief for outcome in self.outcomes if outcome.brief is not None]

    @property
    def articles(self) -> list[Article]:
        return [outcome.article for outcome in self.outcomes if outcome.brief is not None and outcome.article is not None]

    @property
    def failures(self) -> list[BriefOutcome]:
        return [outcome for outcome in self.outcomes if outcome.brief is None]

    @property
    def ok(self) -> bool:
        """True when every article was briefed and the synthesis covers them all."""
        return not self.failures and self.synthesis is not None and not self.synthesis.failed_groups


@dataclass
class DailyBriefing(SynthesisRun):
    """The rendered briefing and everything it was built from."""

    markdown: str = ""
    date: dt.date = field(default_factory=dt.date.today)


def synthesize_files(
    inputs: Iterable[str | Path],
    *,
    provider: Provider | None = None,
    settings: Settings | None = None,
    cache: BriefCache | None = None,
    progress: BriefingProgress | None = None,
) -> SynthesisRun:
    """Brief every article in ``inputs`` (reusing cached briefs), then synthesize the briefs.

    A bad input or a failed brief is recorded and the rest go on; a failed
    synthesis is recorded in ``synthesis_error``.
    """
    settings = settings or Settings.from_env()
    loaded = list(iter_articles(inputs))
    if not loaded:
        raise InputError("no inputs given")
    if progress:
        progress.start(len(loaded))
    outcomes: list[BriefOutcome] = []
    with provider_scope(provider, settings) as active:
        for item in loaded:
            outcome = brief_loaded(item, active, grounding_reasks=settings.grounding_reasks, cache=cache)
            outcomes.append(outcome)
            if progress:
                progress.advance(outcome)
        run = SynthesisRun(outcomes=outcomes, synthesis=None)
        if not run.briefs:
            run.synthesis_error = "no article could be briefed"
            return run
        try:
            run.synthesis = synthesize(run.briefs, articles=run.articles, provider=active,
                                       progress=progress.stage if progress else None)  # fmt: skip
        except SummarizerError as exc:
            run.synthesis_error = str(exc)
    return run


def render_briefing(
    outcomes: Sequence[BriefOutcome],
    synthesis: Synthesis | None,
    *,
    date: dt.date,
    title: str = DEFAULT_TITLE,
    synthesis_error: str | None = None,
    template: Path | None = None,
) -> str:
    """Render the briefing Markdown; sources are numbered in input order and claims cite them as [n]."""
    briefed = [outcome for outcome in outcomes if outcome.brief is not None and outcome.article is not None]
    numbers = {outcome.brief.article_id: n for n, outcome in enumerate(briefed, start=1)}  # type: ignore[union-attr]
    environment = template_environment(template.parent if template is not None else None, numbers)
    name = template.name if template is not None else "daily.md.j2"
    try:
        loaded = environment.get_template(name)
    except jinja2.TemplateError as exc:
        raise InputError(f"template {template or name}: {exc}") from None
    try:
        return loaded.render(
            title=title,
            date=date.isoformat(),
            synthesis=synthesis,
            synthesis_error=synthesis_error,
            articles=[{"n": numbers[o.brief.article_id], "brief": o.brief, "article": o.article} for o in briefed],  # type: ignore[union-attr]
            failures=[outcome for outcome in outcomes if outcome.brief is None],
        )
    except jinja2.TemplateError as exc:
        raise InputError(f"template {template or name}: {exc}") from None


def daily_briefing(
    inputs: Iterable[str | Path],
    *,
    date: dt.date | None = None,
    title: str | None = None,
    template: Path | None = None,
    provider: Provider | None = None,
    settings: Settings | None = None,
    cache: BriefCache | None = None,
    progress: BriefingProgress | None = None,
) -> DailyBriefing:
    """Brief every article in ``inputs``, synthesize them, and render the briefing Markdown.

    Failed inputs and a failed synthesis are listed in the briefing itself;
    ``ok`` on the result says whether everything succeeded.
    """
    run = synthesize_files(inputs, provider=provider, settings=settings, cache=cache, progress=progress)
    day = date or dt.date.today()
    markdown = render_briefing(run.outcomes, run.synthesis, date=day, title=title or DEFAULT_TITLE,
                               synthesis_error=run.synthesis_error, template=template)  # fmt: skip
    return DailyBriefing(outcomes=run.outcomes, synthesis=run.synthesis, synthesis_error=run.synthesis_error,
                         markdown=markdown, date=day)  # fmt: skip


async def daily_briefing_async(inputs: Iterable[str | Path], **options: object) -> DailyBriefing:
    """``daily_briefing`` run in a worker thread, for async callers."""
    return await asyncio.to_thread(daily_briefing, list(inputs), **options)  # type: ignore[arg-type]
