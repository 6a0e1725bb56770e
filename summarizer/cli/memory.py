"""The story memory on the command line: ``daily``'s memory options, ``history`` and ``forget``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli.messages import reports_errors, say
from summarizer.memory.store import StoryMemory
from summarizer.runs.context import RunContext
from summarizer.settings import Settings
from summarizer.synthesis.schema import figure_label

MemoryOption = Annotated[
    Path | None,
    typer.Option("--memory", help="The story memory (SQLite) [default: SUMMARIZER_MEMORY, else in the user data directory]."),
]
NoMemoryOption = Annotated[
    bool, typer.Option("--no-memory", help="Leave the story memory out: the briefing stands alone and is not recorded.")
]
MemoryDaysOption = Annotated[
    int | None,
    typer.Option("--memory-days", min=1, help="Match today's stories to those of the last N days [default: 14]."),
]


def with_memory(context: RunContext, path: Path | None, off: bool, days: int | None) -> RunContext:
    """``context`` with the story memory the options and settings name (none with ``--no-memory``)."""
    if off:
        return replace(context, memory=None)
    settings = context.settings
    chosen = StoryMemory.for_settings(settings) if path is None else StoryMemory(path, settings.memory_days)
    if chosen is not None and days is not None:
        chosen = replace(chosen, days=days)
    return replace(context, memory=chosen)


def _memory(path: Path | None) -> StoryMemory:
    chosen = StoryMemory.for_settings(Settings.from_env()) if path is None else StoryMemory(path)
    if chosen is None:
        raise typer.BadParameter("the story memory is off (SUMMARIZER_MEMORY); name one with --memory", param_hint="--memory")
    if not chosen.path.exists():
        raise typer.BadParameter(f"no story memory at {chosen.path}", param_hint="--memory")
    return chosen


@reports_errors
def history(
    story_id: Annotated[str | None, typer.Argument(help="One story's id: its days, articles, figures and what was said.")] = None,
    memory: MemoryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the remembered stories (days, articles), or one story's days, articles, figures and briefing sentences."""
    chosen = _memory(memory)
    if story_id is None:
        stories = chosen.stories()
        if as_json:
            sys.stdout.write(json.dumps([vars(story) for story in stories], indent=2, ensure_ascii=False) + "\n")
            return
        for story in stories:
            typer.echo(f"{story.id}  {story.first_seen} … {story.last_seen}  {story.days} day(s), {story.articles} article(s)  "
                       f"{story.headline[:80]}")  # fmt: skip
        return
    days = chosen.story_days(story_id)
    if not days:
        raise typer.BadParameter(f"no story {story_id!r} in {chosen.path}", param_hint="STORY_ID")
    found = chosen.history(story_id)
    if as_json:
        record = {"id": story_id, "days": [{"day": d, "status": s, "headline": h} for d, s, h in days],
                  "merged": [{"day": d, "story": s} for d, s in chosen.merges(story_id)],
                  "articles": [vars(a) for a in found.articles], "figures": [vars(f) for f in found.figures],
                  "events": [vars(e) for e in found.events], "said": found.sentences}  # fmt: skip
        sys.stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return
    for day, status, headline in days:
        typer.echo(f"{day}  {status}: {headline}")
        for sentence in found.sentences.get(day, []):
            typer.echo(f"    said: {sentence}")
    typer.echo("articles:")
    for article in found.articles:
        typer.echo(f"    {article.input_id}  {article.url or article.source}{'' if article.new else '  (shown before)'}")
    if found.figures:
        typer.echo("figures:")
        for figure in found.figures:
            label = figure_label(figure.quantity, figure.scope)
            typer.echo(f"    {figure.reported}  {label}: {figure.text}  [{figure.input_id}]")


@reports_errors
def forget(
    before: Annotated[str, typer.Option("--before", help="Drop every day before this date (YYYY-MM-DD).")],
    memory: MemoryOption = None,
) -> None:
    """Prune the story memory: drop every day before a date (and the text of articles no longer shown)."""
    try:
        day = dt.date.fromisoformat(before)
    except ValueError:
        raise typer.BadParameter(f"{before!r} is not a date like 2026-11-22", param_hint="--before") from None
    chosen = _memory(memory)
    with chosen.writing():
        dropped = chosen.forget(day.isoformat())
    say(f"{dropped} day(s) before {day} dropped from {chosen.path}")
