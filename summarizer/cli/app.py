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
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from summarizer.brief.verify import report_of
from summarizer.cli.messages import route_library_logs, say
from summarizer.cli.options import RunOptions, with_run_options
from summarizer.cli.progress import ProgressBar
from summarizer.errors import InputError, RunError, SetupError, UsageError
from summarizer.inputs.loading import DateWindow, iter_articles
from summarizer.output.briefing import DEFAULT_TITLE, daily_briefing
from summarizer.output.files import brief_files, check_output_file, write_output_file
from summarizer.output.render import FORMATS, render_brief, render_stories, render_synthesis
from summarizer.prompts import get_prompt, list_prompts
from summarizer.providers.ledger import Ledger
from summarizer.providers.model_file import install_model, model_info
from summarizer.runs.batch import synthesize_files
from summarizer.runs.context import RunContext
from summarizer.runs.day import find_stories
from summarizer.runs.estimate import estimate_run
from summarizer.settings import Settings
from summarizer.stories.grouping import GroupingParams
from summarizer.synthesis.verify import check_result

EXIT_FAILURES = 1
EXIT_USAGE = 2

app = typer.Typer(help="Structured, grounded summaries of news articles.", no_args_is_help=True, add_completion=False)
prompts_app = typer.Typer(help="Inspect the prompt library.", no_args_is_help=True)
runs_app = typer.Typer(help="The run log: every model request, its tokens, time and cost.", invoke_without_command=True)
model_app = typer.Typer(help="Manage the embedded local model.", no_args_is_help=True)
app.add_typer(prompts_app, name="prompts")
app.add_typer(model_app, name="model")
app.add_typer(runs_app, name="runs")

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a library error into one line on stderr: a setup error exits 2, a run error 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SetupError as exc:
            say(f"error: {exc}")
            raise typer.Exit(EXIT_USAGE) from None
        except RunError as exc:
            say(f"error: {exc}")
            raise typer.Exit(EXIT_FAILURES) from None

    return wrapper  # type: ignore[return-value]


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


FormatOption = Annotated[str, typer.Option("--format", "-f", help="json or markdown.")]


def _check_format(output_format: str) -> None:
    if output_format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")


def _dry_run(inputs: list[str], context: RunContext, synthesis: str) -> None:
    """Print what the run ``context`` stands for would ask of the model."""
    estimate = estimate_run(inputs, context, synthesis=synthesis)
    cost = "price unknown" if estimate.cost is None else f"${estimate.cost:.4f} at most"
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
    route_library_logs(quiet=options.quiet)
    return options.context(window=window, grouping=grouping)


@app.command()
@reports_errors
@with_run_options
def brief(
    files: Annotated[list[str], typer.Argument(help="Article files; '-' reads standard input.")],
    output_dir: Annotated[Path | None, typer.Option("-o", "--output-dir", help="Write <id>.brief.json|md here.")] = None,
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
    *,
    options: RunOptions,
) -> None:
    """Group the day's articles into stories, brief and synthesize them, and write one Markdown briefing.

    Exit code 1 if any input, brief or story synthesis failed (the briefing
    is still written, listing what is missing).
    """
    day = _parse_date(date)
    context = _start(options, _window(since, until), _grouping(story_threshold, copy_threshold))
    if options.dry_run:
        _dry_run(inputs, context, synthesis="stories")
        return
    check_output_file(output)
    with ProgressBar(quiet=options.quiet) as progress:
        result = daily_briefing(inputs, context.with_progress(progress), date=day, title=title, template=template)
    for failure in result.failures:
        say(f"error: {failure.error}")
    if not result.briefs and output.exists():
        say(f"error: no article could be briefed; {output} was left as it was")
        raise typer.Exit(EXIT_FAILURES)
    write_output_file(output, result.markdown)
    for story in result.stories:
        if story.synthesis_error:
            say(f"error: synthesis of {story.story.headline[:60]!r}: {story.synthesis_error}")
    if not options.quiet:
        say(f"{len(result.briefs)} of {len(result.outcomes)} articles briefed in {len(result.stories)} stories -> {output}")
    if not result.ok:
        raise typer.Exit(EXIT_FAILURES)


@app.command()
@reports_errors
def stories(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, globs, feeds (file or URL) or page URLs.")],
    output_format: FormatOption = "markdown",
    since: SinceOption = None,
    until: UntilOption = None,
    story_threshold: StoryThresholdOption = None,
    copy_threshold: CopyThresholdOption = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Fetch every page and feed again, ignoring the page cache.")] = False,
) -> None:
    """Group the articles into stories (copies of one text collapsed) and print the grouping; no model call.

    Exit code 1 if any input could not be read (the grouping of the rest is still printed).
    """
    _check_format(output_format)
    window = _window(since, until)
    settings = Settings.from_env().with_overrides(refresh=True if refresh else None)
    context = RunContext(settings=settings, window=window, grouping=_grouping(story_threshold, copy_threshold))
    listing = find_stories(inputs, context)
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


@app.command()
@reports_errors
def check(
    result_file: Annotated[Path, typer.Argument(help="A brief or synthesis JSON file.")],
    articles: Annotated[list[str], typer.Argument(help="The article file(s) it was made from.")],
) -> None:
    """Verify a brief (or synthesis) against its article(s); exit 1 if anything is not found there.

    A result file or article that cannot be read is a usage error (exit 2).
    """
    try:
        data = json.loads(result_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"{result_file}: cannot read JSON ({exc})") from None
    loaded = list(iter_articles(articles))
    problems = [item.error for item in loaded if item.error]
    if problems:
        raise UsageError(problems[0] or "unreadable article")
    try:
        checks = check_result(data, [item.article for item in loaded if item.article is not None])
    except ValidationError as exc:
        raise UsageError(f"{result_file}: not in the brief or synthesis schema ({exc.error_count()} errors)") from None
    except InputError as exc:
        raise UsageError(str(exc)) from None
    for item in checks:
        where = f" [{item.span.start}:{item.span.end}]" if item.span else ""
        note = f" -- {item.reason}" if item.reason else ""
        typer.echo(f"{item.verdict:<10} {item.kind:<8} {item.value[:90]!r}{where}{note}")
    report = report_of(checks)
    typer.echo(f"{len(checks)} items: " + ", ".join(f"{verdict} {count}" for verdict, count in report.counts.items()))
    if report.failed:
        raise typer.Exit(EXIT_FAILURES)


@prompts_app.command("list")
@reports_errors
def prompts_list() -> None:
    """List the prompts: id, version and description."""
    for prompt in list_prompts(Settings.from_env().prompts_dir):
        typer.echo(f"{prompt.id}\tv{prompt.version}\t{prompt.description}")


@prompts_app.command("show")
@reports_errors
def prompts_show(prompt_id: Annotated[str, typer.Argument(help="The prompt id, e.g. brief.")]) -> None:
    """Print a prompt's templates."""
    prompt = get_prompt(prompt_id, Settings.from_env().prompts_dir)
    typer.echo(f"id: {prompt.id}\nversion: {prompt.version}\nfile: {prompt.path}\n")
    typer.echo(f"--- system ---\n{prompt.system}\n\n--- user ---\n{prompt.user}")


def _ledger() -> Ledger:
    path = Settings.from_env().ledger_path
    if path is None:
        raise UsageError("the run log is off (SUMMARIZER_LEDGER=off)")
    return Ledger(path)


@runs_app.callback()
@reports_errors
def runs_list(
    context: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many recent runs.")] = 20,
) -> None:
    """List recent runs: when, provider and model, requests, tokens, seconds, cost."""
    if context.invoked_subcommand is not None:
        return
    ledger = _ledger()
    try:
        runs = ledger.runs(limit)
    finally:
        ledger.close()
    typer.echo(f"{'run':<12} {'started':<25} {'provider/model':<40} {'requests':>8} {'ok':>6} {'salvaged':>8} {'failed':>6} "
               f"{'tokens in/out':>15} {'seconds':>8} {'cost USD':>10}")  # fmt: skip
    for run in runs:
        cost = f"{run.cost:.4f}" + ("" if run.cost_complete else "+?")
        tokens = f"{run.prompt_tokens}/{run.output_tokens}"
        typer.echo(f"{run.run_id:<12} {run.started:<25} {(run.provider + '/' + run.model)[:40]:<40} {run.requests:>8} "
                   f"{run.ok:>6} {run.salvaged:>8} {run.failed:>6} {tokens:>15} {run.seconds:>8.1f} {cost:>10}")  # fmt: skip
    if any(not run.cost_complete for run in runs):
        typer.echo("+? : some requests have no known cost (a model with no price, or a failed request)")


@runs_app.command("show")
@reports_errors
def runs_show(run_id: Annotated[str, typer.Argument(help="A run id from `summarizer runs`.")]) -> None:
    """One run's requests: prompt, subject, tokens, attempts, seconds, outcome, cost."""
    ledger = _ledger()
    try:
        requests = ledger.requests(run_id)
    finally:
        ledger.close()
    if not requests:
        raise UsageError(f"no run {run_id!r} in the run log")
    for row in requests:
        cost = "price unknown" if row["cost"] is None else f"${row['cost']:.5f}"
        typer.echo(f"{row['at']} {row['prompt_id']} v{row['prompt_version']} {row['subject'][:40]!r} "
                   f"tokens {row['prompt_tokens']}/{row['cached_tokens']} cached/{row['output_tokens']} out, "
                   f"{row['attempts']} attempts, {row['seconds']:.1f} s, {row['outcome']}, {cost}")  # fmt: skip


@model_app.command("install")
@reports_errors
def model_install() -> None:
    """Download, assemble and verify the default local model (idempotent)."""
    path = install_model(Settings.from_env().model_dir, progress=say)
    typer.echo(str(path))


@model_app.command("info")
@reports_errors
def model_information() -> None:
    """Show the local model's name, path and state."""
    info = model_info(Settings.from_env().model_dir)
    typer.echo(f"model:     {info.name}")
    typer.echo(f"path:      {info.path}")
    typer.echo(f"installed: {'yes' if info.installed else 'no'}")
    typer.echo(f"size:      {info.size if info.size is not None else '-'} (expected {info.expected_size})")
    typer.echo(f"sha256:    {info.sha256}")
    if info.problem:
        typer.echo(f"problem:   {info.problem}")
