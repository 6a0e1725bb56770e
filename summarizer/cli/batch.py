"""``summarizer batch``: brief requests as OpenAI batch files, and briefs from their results (``vllm run-batch``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli.messages import EXIT_FAILURES, reports_errors, route_library_logs, say
from summarizer.errors import UsageError
from summarizer.inputs.loading import iter_articles
from summarizer.output.files import brief_files
from summarizer.output.render import FORMATS
from summarizer.runs.batch_api.files import BatchResults, export_requests, logged
from summarizer.runs.batch_api.jobs import BatchJob
from summarizer.runs.cache import BriefCache
from summarizer.runs.context import RunContext
from summarizer.settings import Settings

batch_app = typer.Typer(help="Batch files: export brief requests, import a batch's results.", no_args_is_help=True)

ModelOption = Annotated[
    str | None, typer.Option("--model", help="The model named in every request [env: SUMMARIZER_MODEL; default: default].")
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Neither skip nor store briefs in the brief cache.")]


def _cache(settings: Settings, no_cache: bool) -> BriefCache | None:
    return None if no_cache or settings.brief_cache_dir is None else BriefCache.open(settings.brief_cache_dir)


@batch_app.command("export")
@reports_errors
def export(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, globs or JSONL.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The requests file (JSONL) to write.")] = Path("requests.jsonl"),
    model: ModelOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Write one OpenAI batch request per brief, for a batch API or ``vllm run-batch -i``, calling no model.

    Articles whose brief was already imported (it is in the brief cache)
    are left out: export again after an import to get what is still missing.
    """
    route_library_logs(quiet=True, verbose=False)
    settings = Settings.from_env()
    name = model or settings.model or "default"
    report = export_requests(iter_articles(inputs), output, settings, name, _cache(settings, no_cache))
    for error in report.errors:
        say(f"error: {error}")
    files = ", ".join(str(path) for path in report.files) or "no file (nothing to ask)"
    say(f"{report.requests} requests for {report.articles} articles -> {files}; {report.cached} already briefed")
    if report.errors:
        raise typer.Exit(EXIT_FAILURES)


@batch_app.command("import")
@reports_errors
def import_results(
    results: Annotated[Path, typer.Argument(help="The results file (OpenAI batch output format, e.g. from vllm run-batch).")],
    inputs: Annotated[list[str], typer.Argument(help="The same inputs the requests were exported from.")],
    output_dir: Annotated[Path, typer.Option("-o", "--output-dir", help="Write <id>.brief.json|md here.")] = Path("briefs"),
    output_format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = "json",
    model: ModelOption = None,
    no_cache: NoCacheOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
) -> None:
    """Brief every input from the batch's results, as ``summarizer brief -o`` does; list what is missing or invalid."""
    route_library_logs(quiet=quiet, verbose=False)
    settings = Settings.from_env()
    answers = BatchResults(model or settings.model or "default", [results], context_tokens=settings.context_budget())
    provider = logged(answers, settings)
    context = RunContext(settings=settings, cache=_cache(settings, no_cache), provider=provider)
    failures = done = 0
    for done, outcome in enumerate(brief_files(inputs, context, output_dir=output_dir, output_format=output_format), start=1):
        if outcome.brief is None:
            failures += 1
            say(f"error: {outcome.error}")
        elif not quiet:
            say(f"[{done}] {outcome.source} -> {outcome.output}{' (cached)' if outcome.cached else ''}")
    provider.close()
    if failures:
        say(f"{failures} of {done} inputs have no valid result; `summarizer batch export` again lists only those")
        raise typer.Exit(EXIT_FAILURES)


def _job(inputs: list[str], model: str | None) -> BatchJob:
    settings = Settings.from_env()
    return BatchJob(inputs, model or settings.model or "gpt-4o-mini", settings)


InputsArgument = Annotated[list[str], typer.Argument(help="The articles of the job (the same each time: they name it).")]


@batch_app.command("submit")
@reports_errors
def submit(inputs: InputsArgument, model: ModelOption = None) -> None:
    """Upload the brief requests not yet briefed and create their batches; run again to resume, it pays nothing twice."""
    route_library_logs(quiet=True, verbose=False)
    job = _job(inputs, model)
    for file in job.submit():
        say(f"{job.id} file {file.number}: {file.path.name} -> {file.file_id} -> batch {file.batch_id} ({file.status})")


@batch_app.command("status")
@reports_errors
def status(inputs: InputsArgument, model: ModelOption = None) -> None:
    """Each batch of the job: its state and request counts."""
    route_library_logs(quiet=True, verbose=False)
    job = _job(inputs, model)
    for file, batch in job.status():
        counts = batch.request_counts if batch is not None else None
        shown = f"{counts.completed} done, {counts.failed} failed of {counts.total}" if counts else "not submitted"
        state = batch.status if batch is not None else "-"
        typer.echo(f"{job.id} file {file.number}: batch {file.batch_id} {state}: {shown}")


@batch_app.command("collect")
@reports_errors
def collect(
    inputs: InputsArgument,
    output_dir: Annotated[Path, typer.Option("-o", "--output-dir", help="Write <id>.brief.json|md here.")] = Path("briefs"),
    output_format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = "json",
    model: ModelOption = None,
    finish_sync: Annotated[
        bool, typer.Option("--finish-sync", help="Brief what has no valid result now, through the synchronous API.")
    ] = False,
) -> None:
    """Download finished batches' results and brief every input from them; what failed is listed (submit sends it
    again), or with ``--finish-sync`` briefed at once through the synchronous API.
    """
    route_library_logs(quiet=True, verbose=False)
    job = _job(inputs, model)
    results = job.collect()
    if not results:
        raise UsageError(f"no results collected yet for {job.id}; run `summarizer batch status` to see where it is")
    open_batches = [str(file.batch_id) for file in job.files() if file.open]
    provider = logged(BatchResults(job.model, results, context_tokens=job.settings.context_budget()), job.settings)
    context = RunContext(settings=job.settings, cache=job.cache, provider=provider)
    outcomes = list(brief_files(inputs, context, output_dir=output_dir, output_format=output_format))
    provider.close()
    failures = [outcome for outcome in outcomes if outcome.brief is None]
    if finish_sync and failures and not open_batches:
        say(f"{len(failures)} inputs with no valid result: briefing them through the synchronous API")
        direct = RunContext(settings=job.settings, cache=job.cache)
        again = list(brief_files([o.source for o in failures], direct, output_dir=output_dir, output_format=output_format))
        outcomes = [outcome for outcome in outcomes if outcome.brief is not None] + again
        failures = [outcome for outcome in again if outcome.brief is None]
    for outcome in failures:
        say(f"error: {outcome.error}")
    running = f"; still running: {', '.join(open_batches)}" if open_batches else ""
    say(f"{len(outcomes) - len(failures)} of {len(outcomes)} inputs briefed -> {output_dir}{running}")
    if failures:
        raise typer.Exit(EXIT_FAILURES)


@batch_app.command("cancel")
@reports_errors
def cancel(inputs: InputsArgument, model: ModelOption = None) -> None:
    """Cancel the job's open batches."""
    route_library_logs(quiet=True, verbose=False)
    cancelled = _job(inputs, model).cancel()
    say(f"cancelled {len(cancelled)} batch(es): {', '.join(cancelled) or 'none open'}")
