"""The ``summarizer`` command: a thin typer shell over the library.

Each command parses options, builds settings, calls one library function and
turns library errors into a one-line message and an exit code:
0 everything succeeded, 1 some inputs failed, 2 bad usage or configuration.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from summarizer.briefing import DEFAULT_TITLE, daily_briefing, synthesize_files
from summarizer.cache import BriefCache
from summarizer.config import Settings, build_provider
from summarizer.core import summarize_files
from summarizer.articles import iter_articles
from summarizer.errors import InputError, SummarizerError
from summarizer.fixtures import write_atomic
from summarizer.local_model import install_model, model_info
from summarizer.prompts import get_prompt, list_prompts
from summarizer.progress import ProgressBar
from summarizer.verify import check_result, report_of
from summarizer.render import FORMATS, SUFFIXES, render_brief, render_synthesis

EXIT_FAILURES = 1
EXIT_USAGE = 2

app = typer.Typer(help="Structured, grounded summaries of news articles.", no_args_is_help=True, add_completion=False)
prompts_app = typer.Typer(help="Inspect the prompt library.", no_args_is_help=True)
model_app = typer.Typer(help="Manage the embedded local model.", no_args_is_help=True)
app.add_typer(prompts_app, name="prompts")
app.add_typer(model_app, name="model")

F = TypeVar("F", bound=Callable[..., Any])


def _say(message: str) -> None:
    typer.echo(f"summarizer: {message}", err=True)


def reports_errors(command: F) -> F:
    """Turn a ``SummarizerError`` into one line on stderr and exit code 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SummarizerError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper  # type: ignore[return-value]


ProviderOption = Annotated[
    str | None,
    typer.Option("--provider", help="openai, local or replay [env: SUMMARIZER_PROVIDER; default: openai if "
                 "OPENAI_API_KEY or OPENAI_BASE_URL is set, else local]"),
]  # fmt: skip
ModelOption = Annotated[str | None, typer.Option("--model", help="Model name for the openai provider [env: SUMMARIZER_MODEL].")]
ModelPathOption = Annotated[
    Path | None, typer.Option("--model-path", help="A GGUF file for the local provider [env: SUMMARIZER_MODEL_PATH].")
]
ThreadsOption = Annotated[int | None, typer.Option("--threads", help="CPU threads for the local model [env: SUMMARIZER_THREADS].")]
RecordOption = Annotated[
    bool, typer.Option("--record", help="Write every real answer to the fixtures directory [env: SUMMARIZER_RECORD=1].")
]
FixturesOption = Annotated[
    Path | None, typer.Option("--fixtures", help="Fixtures directory [env: SUMMARIZER_FIXTURES_DIR; default: ./fixtures].")
]


def _settings(
    provider: str | None, model: str | None, model_path: Path | None, threads: int | None,
    record: bool, fixtures: Path | None,
) -> Settings:  # fmt: skip
    return Settings.from_env().with_overrides(
        provider=provider, model=model, model_path=model_path, threads=threads,
        record=True if record else None, fixtures_dir=fixtures,
    )  # fmt: skip


NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Brief every article again instead of reusing cached briefs.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr (errors are still shown).")]


def _cache(no_cache: bool) -> BriefCache | None:
    return None if no_cache else BriefCache()


def _output_name(article_id: str, output_format: str) -> str:
    return article_id + SUFFIXES[output_format]


@app.command()
@reports_errors
def brief(
    files: Annotated[list[str], typer.Argument(help="Article files; '-' reads standard input.")],
    output_dir: Annotated[Path | None, typer.Option("-o", "--output-dir", help="Write <stem>.brief.json|md here.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="json or markdown.")] = "json",
    provider: ProviderOption = None,
    model: ModelOption = None,
    model_path: ModelPathOption = None,
    threads: ThreadsOption = None,
    record: RecordOption = False,
    fixtures: FixturesOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
) -> None:
    """Write a structured brief of each article: one file per article, or stdout for one.

    Inputs may be files (.txt, .md, .html, .jsonl), directories or globs.
    Briefs already made the same way are reused, so a rerun after an
    interruption redoes only what is missing.
    """
    if output_format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    several = len(files) > 1 or any(not Path(f).is_file() and f != "-" for f in files)
    if output_dir is None and several:
        raise typer.BadParameter("several inputs (or a directory, glob or JSONL) need an output directory", param_hint="-o")
    settings = _settings(provider, model, model_path, threads, record, fixtures)
    active = build_provider(settings)
    failures = done = 0
    try:
        outcomes = summarize_files(files, active, grounding_reasks=settings.grounding_reasks, cache=_cache(no_cache))
        for done, outcome in enumerate(outcomes, start=1):
            if outcome.brief is None:
                failures += 1
                _say(f"error: {outcome.error}")
                continue
            rendered = render_brief(outcome.brief, output_format)
            if output_dir is None:
                sys.stdout.write(rendered)
            else:
                target = output_dir / _output_name(outcome.brief.article_id, output_format)
                write_atomic(target, rendered)
                if not quiet:
                    how = "cached" if outcome.cached else f"{outcome.brief.usage.seconds:.1f} s"
                    _say(f"[{done}] {outcome.source} -> {target} ({how})")
    finally:
        active.close()
    if failures:
        _say(f"{failures} of {done} inputs failed")
        raise typer.Exit(EXIT_FAILURES)


@app.command()
@reports_errors
def daily(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories or globs.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The briefing Markdown file to write.")] = Path("briefing.md"),
    date: Annotated[str | None, typer.Option("--date", help="Briefing date, YYYY-MM-DD [default: today].")] = None,
    title: Annotated[str, typer.Option("--title", help="Briefing title.")] = DEFAULT_TITLE,
    template: Annotated[Path | None, typer.Option("--template", help="A Jinja2 Markdown template to use instead.")] = None,
    provider: ProviderOption = None,
    model: ModelOption = None,
    model_path: ModelPathOption = None,
    threads: ThreadsOption = None,
    record: RecordOption = False,
    fixtures: FixturesOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
) -> None:
    """Brief every article, synthesize them, and write one Markdown briefing.

    Exit code 1 if any article or the synthesis failed (the briefing is still
    written, listing what is missing).
    """
    day = _parse_date(date)
    if template is not None and not template.is_file():
        raise typer.BadParameter(f"{template}: no such template file", param_hint="--template")
    settings = _settings(provider, model, model_path, threads, record, fixtures)
    with ProgressBar(quiet=quiet) as progress:
        result = daily_briefing(inputs, date=day, title=title, template=template, settings=settings,
                                cache=_cache(no_cache), progress=progress)  # fmt: skip
    write_atomic(output, result.markdown)
    if result.synthesis_error:
        _say(f"error: synthesis: {result.synthesis_error}")
    if not quiet:
        _say(f"{len(result.briefs)} of {len(result.outcomes)} articles briefed -> {output}")
    if not result.ok:
        raise typer.Exit(EXIT_FAILURES)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-22", param_hint="--date") from None


@app.command("synthesize")
@reports_errors
def synthesize_command(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories or globs.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="json or markdown.")] = "json",
    provider: ProviderOption = None,
    model: ModelOption = None,
    model_path: ModelPathOption = None,
    threads: ThreadsOption = None,
    record: RecordOption = False,
    fixtures: FixturesOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
) -> None:
    """Brief the articles and write what they say together (themes, agreements, timeline...)."""
    if output_format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    settings = _settings(provider, model, model_path, threads, record, fixtures)
    with ProgressBar(quiet=quiet) as progress:
        result = synthesize_files(inputs, settings=settings, cache=_cache(no_cache), progress=progress)
    if result.synthesis is None:
        _say(f"error: synthesis: {result.synthesis_error}")
        raise typer.Exit(EXIT_FAILURES)
    rendered = render_synthesis(result.synthesis, result.articles, output_format)
    if output is None:
        sys.stdout.write(rendered)
    else:
        write_atomic(output, rendered)
    if not result.ok:
        raise typer.Exit(EXIT_FAILURES)


@app.command()
@reports_errors
def check(
    result_file: Annotated[Path, typer.Argument(help="A brief or synthesis JSON file.")],
    articles: Annotated[list[str], typer.Argument(help="The article file(s) it was made from.")],
) -> None:
    """Verify a brief (or synthesis) against its article(s); exit 1 if anything is not found there."""
    try:
        data = json.loads(result_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{result_file}: cannot read JSON ({exc})") from None
    loaded = list(iter_articles(articles))
    problems = [item.error for item in loaded if item.error]
    if problems:
        raise InputError(problems[0])
    try:
        checks = check_result(data, [item.article for item in loaded if item.article is not None])
    except ValidationError as exc:
        raise InputError(f"{result_file}: not in the brief or synthesis schema ({exc.error_count()} errors)") from None
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
    for prompt in list_prompts():
        typer.echo(f"{prompt.id}\tv{prompt.version}\t{prompt.description}")


@prompts_app.command("show")
@reports_errors
def prompts_show(prompt_id: Annotated[str, typer.Argument(help="The prompt id, e.g. brief.")]) -> None:
    """Print a prompt's templates."""
    prompt = get_prompt(prompt_id)
    typer.echo(f"id: {prompt.id}\nversion: {prompt.version}\nfile: {prompt.path}\n")
    typer.echo(f"--- system ---\n{prompt.system}\n\n--- user ---\n{prompt.user}")


@model_app.command("install")
@reports_errors
def model_install() -> None:
    """Download, assemble and verify the default local model (idempotent)."""
    path = install_model(progress=_say)
    typer.echo(str(path))


@model_app.command("info")
@reports_errors
def model_information() -> None:
    """Show the local model's name, path and state."""
    info = model_info()
    typer.echo(f"model:     {info.name}")
    typer.echo(f"path:      {info.path}")
    typer.echo(f"installed: {'yes' if info.installed else 'no'}")
    typer.echo(f"size:      {info.size if info.size is not None else '-'} (expected {info.expected_size})")
    typer.echo(f"sha256:    {info.sha256}")
    if info.problem:
        typer.echo(f"problem:   {info.problem}")


def main() -> None:
    """Console-script entry point."""
    app()
