"""The daily briefing: brief every article, synthesize them, render one Markdown document."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from summarizer.errors import TemplateError
from summarizer.output.render import template_environment
from summarizer.providers.base import Provider, Usage
from summarizer.providers.prices import Price, cost_of, load_prices
from summarizer.runs.batch import BriefOutcome, RunProgress, SynthesisRun, synthesize_files
from summarizer.runs.cache import BriefCache
from summarizer.settings import Settings, settings_for_call
from summarizer.synthesis.schema import Synthesis

DEFAULT_TITLE = "Daily briefing"
DAILY_TEMPLATE = "daily.md.j2"


@dataclass(frozen=True)
class RunTotals:
    """What the model calls of a briefing took: who made it, requests, tokens, cost (None: price unknown)."""

    made_by: str
    requests: int
    prompt_tokens: int
    output_tokens: int
    cost: float | None
    cached_briefs: int


def run_totals(run: SynthesisRun, prices: dict[str, Price]) -> RunTotals:
    """Add up the usage of the briefs made in this run (cached ones cost nothing now) and of the synthesis."""
    spent = [(o.brief.generated_by, o.brief.usage) for o in run.outcomes if o.brief is not None and not o.cached]
    if run.synthesis is not None:
        spent.append((run.synthesis.generated_by, run.synthesis.usage))
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
    )


@dataclass
class DailyBriefing(SynthesisRun):
    """The rendered briefing and everything it was built from."""

    markdown: str = ""
    date: dt.date = field(default_factory=dt.date.today)


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


def render_briefing(
    outcomes: Sequence[BriefOutcome],
    synthesis: Synthesis | None,
    *,
    date: dt.date,
    title: str = DEFAULT_TITLE,
    synthesis_error: str | None = None,
    template: Path | None = None,
    totals: RunTotals | None = None,
) -> str:
    """Render the briefing Markdown; sources are numbered in input order and claims cite them as [n]."""
    briefed = [outcome for outcome in outcomes if outcome.brief is not None and outcome.article is not None]
    numbers = {outcome.brief.article_id: n for n, outcome in enumerate(briefed, start=1)}  # type: ignore[union-attr]
    loaded = load_briefing_template(template, numbers)
    try:
        return loaded.render(
            title=title,
            date=date.isoformat(),
            synthesis=synthesis,
            synthesis_error=synthesis_error,
            articles=[{"n": numbers[o.brief.article_id], "brief": o.brief, "article": o.article} for o in briefed],  # type: ignore[union-attr]
            failures=[outcome for outcome in outcomes if outcome.brief is None],
            totals=totals,
        )
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {template or DAILY_TEMPLATE}: {exc}") from None


def daily_briefing(
    inputs: Iterable[str | Path],
    *,
    date: dt.date | None = None,
    title: str | None = None,
    template: Path | None = None,
    provider: Provider | None = None,
    settings: Settings | None = None,
    cache: BriefCache | None = None,
    progress: RunProgress | None = None,
) -> DailyBriefing:
    """Brief every article in ``inputs``, synthesize them, and render the briefing Markdown.

    The template is loaded first, so a broken one fails before any model
    call. Failed inputs and a failed synthesis are listed in the briefing
    itself; ``ok`` on the result says whether everything succeeded.
    """
    load_briefing_template(template)
    run = synthesize_files(inputs, provider=provider, settings=settings, cache=cache, progress=progress)
    day = date or dt.date.today()
    chosen = settings_for_call(settings, provider_given=provider is not None)
    totals = run_totals(run, load_prices(chosen.prices_path))
    markdown = render_briefing(
        run.outcomes,
        run.synthesis,
        date=day,
        title=title or DEFAULT_TITLE,
        synthesis_error=run.synthesis_error,
        template=template,
        totals=totals,
    )
    return DailyBriefing(
        outcomes=run.outcomes, synthesis=run.synthesis, synthesis_error=run.synthesis_error, markdown=markdown, date=day
    )


async def daily_briefing_async(inputs: Iterable[str | Path], **options: object) -> DailyBriefing:
    """``daily_briefing`` run in a worker thread, for async callers."""
    return await asyncio.to_thread(daily_briefing, list(inputs), **options)  # type: ignore[arg-type]
