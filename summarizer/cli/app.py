"""The ``summarizer`` command: a thin typer shell over the library.

Each command parses its options, makes one library call and turns the
outcome into an exit code. Errors become one line and an exit code in one
place (``reports_errors``): 0 everything succeeded, 1 some inputs (or the
synthesis, or a check) failed, 2 bad usage or setup, raised once, before any
article.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli.batch import batch_app
from summarizer.cli.checking import check
from summarizer.cli.housekeeping import cache_app, model_app, prompts_app, runs_app
from summarizer.cli.memory import MemoryDaysOption, MemoryOption, NoMemoryOption, forget, history, with_memory
from summarizer.cli.messages import EXIT_FAILURES, reports_errors, route_library_logs, say
from summarizer.cli.options import (
    AllowPrivateOption,
    FeedEntriesOption,
    FormatOption,
    RefreshOption,
    RunOptions,
    with_run_options,
)
from summarizer.cli.progress import ProgressBar
from summarizer.inputs.window import DateWindow
from summarizer.memory.store import StoryMemory
from summarizer.output.batch_day import advance_day
from summarizer.output.briefing import DEFAULT_TITLE, daily_briefing
from summarizer.output.briefing_json import briefing_json
from summarizer.output.files import brief_files, check_output_file, write_output_file
from summarizer.output.render import FORMATS, render_brief, render_stories, render_synthesis
from summarizer.output.web.environment import http_url
from summarizer.output.web.site import write_site
from summarizer.runs.context import RunContext
from summarizer.runs.day import find_stories
from summarizer.runs.estimate import estimate_run
from summarizer.runs.many_inputs import synthesize_files
from summarizer.settings import Settings
from summarizer.stories.grouping import GroupingParams

app = typer.Typer(
    help="Structured, grounded summaries of news articles.", no_args_is_help=True, add_completion=False, rich_markup_mode=None
)
app.add_typer(prompts_app, name="prompts")
app.add_typer(model_app, name="model")
app.add_typer(runs_app, name="runs")
app.add_typer(batch_app, name="batch")
app.add_typer(cache_app, name="cache")
app.command()(check)
app.command()(history)
app.command()(forget)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {package_version('summarizer')}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Structured, grounded summaries of news articles."""


def _check_format(output_format: str, allowed: tuple[str, ...] = FORMATS) -> None:
    if output_format not in allowed:
        raise typer.BadParameter(f"choose one of {', '.join(allowed)}", param_hint="--format")


def _dry_run(inputs: list[str], context: RunContext, synthesis: str, batch: bool = False) -> None:
    """Print what the run ``context`` stands for would ask of the model (with ``batch``, at both prices)."""
    estimate = estimate_run(inputs, context, synthesis=synthesis)
    cost = "price unknown" if estimate.cost is None else f"${estimate.cost:.4f} at most"
    if batch and estimate.batch_cost is not None:
        cost += f" (${estimate.batch_cost:.4f} at most through the batch API)"
    copies = f", {estimate.copies} copies of other articles not briefed" if estimate.copies else ""
    model = f"{estimate.provider} / {estimate.model}"
    typer.echo(f"{estimate.articles} articles ({estimate.unreadable} unreadable{copies}) with {model}")
    syntheses = (
        f"{estimate.synthesis_requests} for {estimate.syntheses} synthes{'es' if estimate.syntheses != 1 else 'is'}: "
        f"1 overview and up to {estimate.groups_per_synthesis} agreements each"
        if estimate.syntheses
        else "no synthesis"
    )
    typer.echo(f"at most {estimate.requests} requests ({estimate.brief_requests} briefs, {syntheses}), no re-asks counted")
    typer.echo(f"about {estimate.prompt_tokens:,} prompt tokens, at most {estimate.max_output_tokens:,} output tokens: {cost}")


def _start(options: RunOptions, window: DateWindow | None = None, grouping: GroupingParams | None = None) -> RunContext:
    """The run's context: settings from the environment and options (a bad value exits 2 here); library logs shown."""
    route_library_logs(quiet=options.quiet, verbose=options.verbose)
    return options.context(window=window, grouping=grouping)


@app.command()
@reports_errors
@with_run_options
def brief(
    files: Annotated[list[str], typer.Argument(help="Article files; '-' reads standard input.")],
    output_dir: Annotated[Path | None, typer.Option("-o", "--output-dir", help="Write <id>.brief.json|md|html here.")] = None,
    output_format: FormatOption = "json",
    *,
    options: RunOptions,
) -> None:
    """Write a structured brief of each article: one file per article, or stdout for one.

    Inputs may be files (.txt, .md, .html, .jsonl), directories or globs.
    Briefs already made the same way are reused, so a rerun after an
    interruption redoes only what is missing.
    """
    _check_format(output_format)
    several = len(files) > 1 or any(not Path(f).is_file() and f != "-" for f in files)
    if output_dir is None and several:
        raise typer.BadParameter("several inputs (or a directory, glob or JSONL) need an output directory", param_hint="-o")
    context = _start(options)
    if options.dry_run:
        _dry_run(files, context, synthesis="none")
        return
    failures = done = 0
    outcomes = brief_files(files, context, output_dir=output_dir, output_format=output_format)
    for done, outcome in enumerate(outcomes, start=1):
        if outcome.brief is None:
            failures += 1
            say(f"error: {outcome.error}")
        elif outcome.output is None:
            sys.stdout.write(render_brief(outcome.brief, output_format))
        elif not options.quiet:
            how = "cached" if outcome.cached else f"{outcome.brief.usage.seconds:.1f} s"
            say(f"[{done}] {outcome.source} -> {outcome.output} ({how})")
    if failures:
        say(f"{failures} of {done} inputs failed")
        raise typer.Exit(EXIT_FAILURES)


def _parse_date(value: str | None, option: str = "--date") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-22", param_hint=option) from None


SinceOption = Annotated[str | None, typer.Option("--since", help="Keep articles published on or after this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Keep articles published on or before this date (YYYY-MM-DD).")]


StoryThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--story-threshold",
        min=0.0,
        max=1.0,
        help=f"How close articles must be to share a story (default {GroupingParams().story_threshold}).",
    ),
]
CopyThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--copy-threshold",
        min=0.0,
        max=1.0,
        help=f"Shared 5-word runs (Jaccard) for a copy (default {GroupingParams().duplicate_threshold}).",
    ),
]


def _grouping(story_threshold: float | None, copy_threshold: float | None) -> GroupingParams:
    defaults = GroupingParams()
    return replace(
        defaults,
        story_threshold=defaults.story_threshold if story_threshold is None else story_threshold,
        duplicate_threshold=defaults.duplicate_threshold if copy_threshold is None else copy_threshold,
    )


def _window(since: str | None, until: str | None) -> DateWindow | None:
    """The --since/--until window (articles with no known date are kept), or None when neither is given."""
    first, last = _parse_date(since, "--since"), _parse_date(until, "--until")
    if first and last and first > last:
        raise typer.BadParameter(f"--since {first} is after --until {last}", param_hint="--since")
    return DateWindow(first, last) if first or last else None


@app.command()
@reports_errors
@with_run_options
def daily(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, globs, feeds (file or URL) or page URLs.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The briefing Markdown file to write.")] = Path("briefing.md"),
    date: Annotated[str | None, typer.Option("--date", help="Briefing date, YYYY-MM-DD [default: today].")] = None,
    title: Annotated[str, typer.Option("--title", help="Briefing title.")] = DEFAULT_TITLE,
    template: Annotated[Path | None, typer.Option("--template", help="A Jinja2 Markdown template to use instead.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    story_threshold: StoryThresholdOption = None,
    copy_threshold: CopyThresholdOption = None,
    batch: Annotated[
        bool, typer.Option("--batch", help="Through the provider's batch API, in stages: each call advances what it can.")
    ] = False,
    json_output: Annotated[Path | None, typer.Option("--json", help="Also write the whole briefing as JSON here.")] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write the briefing as a web site in this folder (pages, archive, feed)."),
    ] = None,
    site_url: Annotated[
        str | None, typer.Option("--site-url", help="Where the --html site is served (http/https), for the feed's links.")
    ] = None,
    memory: MemoryOption = None,
    no_memory: NoMemoryOption = False,
    memory_days: MemoryDaysOption = None,
    *,
    options: RunOptions,
) -> None:
    """Group the day's articles into stories, brief and synthesize them, and write one Markdown briefing.

    The story memory (on by default) makes each briefing know the earlier
    ones: a story is new, developing, back, or has no new reporting.

    Exit code 1 if any input, brief or story synthesis failed (the briefing
    is still written, listing what is missing). With ``--batch`` each call
    sends the next stage's requests or waits for them, and writes the
    briefing when every answer is in (run it again until it says "done").
    """
    day = _parse_date(date)
    context = _start(options, _window(since, until), _grouping(story_threshold, copy_threshold))
    context = with_memory(context, memory, no_memory, memory_days)
    if options.dry_run:
        _dry_run(inputs, context, synthesis="stories", batch=batch)
        return
    check_output_file(output)
    if site_url is not None and http_url(site_url) is None:
        raise typer.BadParameter(f"{site_url!r} is not an http(s) address", param_hint="--site-url")
    if json_output is not None:
        check_output_file(json_output)
    if batch:
        progress_made = advance_day(inputs, context, date=day,
                                    title=title, template=template)  # fmt: skip
        say(f"{progress_made.stage}: {progress_made.message}")
        if progress_made.briefing is None:
            return
        result = progress_made.briefing
    else:
        with ProgressBar(quiet=options.quiet) as progress:
            result = daily_briefing(inputs, context.with_progress(progress), date=day, title=title, template=template)
    for failure in result.failures:
        say(f"error: {failure.error}")
    for capped in (item for item in result.left_out if item.entries_left_out):
        say(f"note: {capped.source}: {capped.left_out}")
    if not result.briefs and output.exists():
        say(f"error: no article could be briefed; {output} was left as it was")
        raise typer.Exit(EXIT_FAILURES)
    write_output_file(output, result.markdown)
    if json_output is not None:
        write_output_file(json_output, json.dumps(briefing_json(result), indent=2, ensure_ascii=False) + "\n")
    if html is not None:
        page = write_site(result, html, title=title, site_url=site_url)
        if not options.quiet:
            say(f"web briefing -> {page} (and {html / 'index.html'}, {html / 'feed.xml'})")
    for story in result.stories:
        if story.synthesis_error:
            say(f"error: synthesis of {story.story.headline[:60]!r}: {story.synthesis_error}")
    if not options.quiet:
        reused = sum(o.cached for o in result.outcomes), sum(story.synthesis_cached for story in result.stories)
        if any(reused):
            say(f"reused from the cache: {reused[0]} brief(s), {reused[1]} synthes{'es' if reused[1] != 1 else 'is'}")
        say(f"{len(result.briefs)} of {len(result.outcomes)} articles briefed in {len(result.stories)} stories -> {output}")
    if not result.ok:
        raise typer.Exit(EXIT_FAILURES)


@app.command()
@reports_errors
def stories(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, globs, feeds (file or URL) or page URLs.")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="json or markdown.")] = "markdown",
    since: SinceOption = None,
    until: UntilOption = None,
    story_threshold: StoryThresholdOption = None,
    copy_threshold: CopyThresholdOption = None,
    refresh: RefreshOption = False,
    feed_entries: FeedEntriesOption = None,
    allow_private_addresses: AllowPrivateOption = False,
    date: Annotated[str | None, typer.Option("--date", help="The day to read against the memory [default: today].")] = None,
    memory: Annotated[
        Path | None, typer.Option("--memory", help="A story memory: each story's id and status against it (nothing recorded).")
    ] = None,
) -> None:
    """Group the articles into stories (copies of one text collapsed) and print the grouping; no model call.

    Exit code 1 if any input could not be read (the grouping of the rest is still printed).
    """
    _check_format(output_format, ("json", "markdown"))
    route_library_logs()
    window = _window(since, until)
    settings = Settings.from_env().with_overrides(
        refresh=True if refresh else None,
        feed_entries=feed_entries,
        allow_private_addresses=True if allow_private_addresses else None,
    )
    remembered = StoryMemory(memory, settings.memory_days) if memory is not None else None
    context = RunContext(settings=settings, window=window, grouping=_grouping(story_threshold, copy_threshold), memory=remembered)
    listing = find_stories(inputs, context, day=_parse_date(date))
    sys.stdout.write(render_stories(listing, output_format))
    for line in listing.not_included:
        say(f"error: {line}")
    if listing.not_included:
        raise typer.Exit(EXIT_FAILURES)


@app.command("synthesize")
@reports_errors
@with_run_options
def synthesize_command(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories or globs.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    output_format: FormatOption = "json",
    *,
    options: RunOptions,
) -> None:
    """Brief the articles and write what they say together (themes, agreements, timeline...)."""
    _check_format(output_format)
    context = _start(options)
    if options.dry_run:
        _dry_run(inputs, context, synthesis="one")
        return
    if output is not None:
        check_output_file(output)
    with ProgressBar(quiet=options.quiet) as progress:
        result = synthesize_files(inputs, context.with_progress(progress))
    if result.synthesis is None:
        say(f"error: synthesis: {result.synthesis_error}")
        raise typer.Exit(EXIT_FAILURES)
    rendered = render_synthesis(result.synthesis, result.articles, output_format)
    if output is None:
        sys.stdout.write(rendered)
    else:
        write_output_file(output, rendered)
    if not result.ok:
        raise typer.Exit(EXIT_FAILURES)
