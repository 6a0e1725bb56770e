"""``summarizer batch``: brief requests as OpenAI batch files or batch API jobs, and briefs from their results."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli.messages import EXIT_FAILURES, reports_errors, route_library_logs, say
from summarizer.cli.options import BATCH_OPTIONS, FormatOption, OutputDirOption, RunOptions, with_run_options
from summarizer.errors import UsageError
from summarizer.output.files import brief_files
from summarizer.providers.factory import build_provider
from summarizer.runs.batch_api.files import export_requests
from summarizer.runs.batch_api.jobs import BatchJob
from summarizer.runs.context import RunContext
from summarizer.runs.outcome import BriefOutcome

batch_app = typer.Typer(
    help="Batch files and batch API jobs: export brief requests, import a batch's results.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

InputsArgument = Annotated[list[str], typer.Argument(help="The articles of the job (the same each time: they name it).")]


def _start(options: RunOptions) -> RunContext:
    route_library_logs(quiet=options.quiet, verbose=options.verbose)
    return options.context()


@batch_app.command("export")
@reports_errors
@with_run_options(BATCH_OPTIONS)
def export(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, globs or JSONL.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The requests file (JSONL) to write.")] = Path("requests.jsonl"),
    *,
    options: RunOptions,
) -> None:
    """Write one OpenAI batch request per brief, for a batch API or ``vllm run-batch -i``, calling no model.

    Articles whose brief was already imported (it is in the brief cache)
    are left out: export again after an import to get what is still missing.
    The model of each request is recorded in the run log, so ``batch import``
    finds it by itself.
    """
    context = _start(options)
    settings = context.settings
    report = export_requests(context.articles(inputs), output, settings, settings.api_model, context.cache)
    for error in report.errors:
        say(f"error: {error}")
    files = ", ".join(str(path) for path in report.files) or "no file (nothing to ask)"
    say(f"{report.requests} requests for {report.articles} articles -> {files}; {report.cached} already briefed")
    if report.errors:
        raise typer.Exit(EXIT_FAILURES)


@batch_app.command("import")
@reports_errors
@with_run_options(BATCH_OPTIONS)
def import_results(
    results: Annotated[Path, typer.Argument(help="The results file (OpenAI batch output format, e.g. from vllm run-batch).")],
    inputs: Annotated[list[str], typer.Argument(help="The same inputs the requests were exported from.")],
    output_dir: OutputDirOption = Path("briefs"),
    output_format: FormatOption = "json",
    *,
    options: RunOptions,
) -> None:
    """Brief every input from the batch's results, as ``summarizer brief -o`` does; list what is missing or invalid.

    The model is the one the export recorded (or the answers name); --model
    overrides it.
    """
    context = _start(options)
    provider = build_provider(context.settings, batch_results=[results])
    try:
        outcomes = _briefed(inputs, replace(context, provider=provider), output_dir, output_format, options.quiet)
    finally:
        provider.close()
    failures = [outcome for outcome in outcomes if outcome.brief is None]
    if failures:
        say(f"{len(failures)} of {len(outcomes)} inputs have no valid result (model {provider.model})")
        raise typer.Exit(EXIT_FAILURES)


def _briefed(inputs: list[str], context: RunContext, output_dir: Path, output_format: str, quiet: bool) -> list[BriefOutcome]:
    """Brief ``inputs`` into ``output_dir``, printing each error (and, unless ``quiet``, each file written)."""
    outcomes = []
    for done, outcome in enumerate(brief_files(inputs, context, output_dir=output_dir, output_format=output_format), start=1):
        outcomes.append(outcome)
        if outcome.brief is None:
            say(f"error: {outcome.error}")
        elif not quiet:
            say(f"[{done}] {outcome.source} -> {outcome.output}{' (cached)' if outcome.cached else ''}")
    return outcomes


@batch_app.command("submit")
@reports_errors
@with_run_options(BATCH_OPTIONS)
def submit(inputs: InputsArgument, *, options: RunOptions) -> None:
    """Upload the brief requests not yet briefed and create their batches; run again to resume, it pays nothing twice."""
    job = BatchJob(inputs, _start(options))
    for file in job.submit():
        say(f"{job.id} file {file.number}: {file.path.name} -> {file.file_id} -> batch {file.batch_id} ({file.status})")


@batch_app.command("status")
@reports_errors
@with_run_options(BATCH_OPTIONS)
def status(inputs: InputsArgument, *, options: RunOptions) -> None:
    """Each batch of the job: its state and request counts."""
    job = BatchJob(inputs, _start(options))
    for file, batch in job.status():
        counts = batch.request_counts if batch is not None else None
        shown = f"{counts.completed} done, {counts.failed} failed of {counts.total}" if counts else "not submitted"
        state = batch.status if batch is not None else "-"
        typer.echo(f"{job.id} file {file.number}: batch {file.batch_id} {state}: {shown}")


@batch_app.command("collect")
@reports_errors
@with_run_options(BATCH_OPTIONS)
def collect(
    inputs: InputsArgument,
    output_dir: OutputDirOption = Path("briefs"),
    output_format: FormatOption = "json",
    finish_sync: Annotated[
        bool, typer.Option("--finish-sync", help="Brief what has no valid result now, through the synchronous API.")
    ] = False,
    *,
    options: RunOptions,
) -> None:
    """Download finished batches' results and brief every input from them; what failed is listed (submit sends it
    again), or with ``--finish-sync`` briefed at once through the synchronous API.
    """
    job = BatchJob(inputs, _start(options))
    results = job.collect()
    if not results:
        raise UsageError(f"no results collected yet for {job.id}; run `summarizer batch status` to see where it is")
    open_batches = [str(file.batch_id) for file in job.files() if file.open]
    provider = build_provider(job.settings, batch_results=results)
    try:
        outcomes = _briefed(inputs, replace(job.context, provider=provider), output_dir, output_format, quiet=True)
    finally:
        provider.close()
    failures = [outcome for outcome in outcomes if outcome.brief is None]
    if finish_sync and failures and not open_batches:
        say(f"{len(failures)} inputs with no valid result: briefing them through the synchronous API")
        again = _briefed([o.source for o in failures], job.context, output_dir, output_format, quiet=True)
        outcomes = [outcome for outcome in outcomes if outcome.brief is not None] + again
        failures = [outcome for outcome in again if outcome.brief is None]
    running = f"; still running: {', '.join(open_batches)}" if open_batches else ""
    say(f"{len(outcomes) - len(failures)} of {len(outcomes)} inputs briefed -> {output_dir}{running}")
    if failures:
        raise typer.Exit(EXIT_FAILURES)


@batch_app.command("cancel")
@reports_errors
@with_run_options(BATCH_OPTIONS)
def cancel(inputs: InputsArgument, *, options: RunOptions) -> None:
    """Cancel the job's open batches."""
    cancelled = BatchJob(inputs, _start(options)).cancel()
    say(f"cancelled {len(cancelled)} batch(es): {', '.join(cancelled) or 'none open'}")
