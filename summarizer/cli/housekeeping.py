"""The commands around a run: the prompt library, the run log, the page cache, the embedded model."""

from __future__ import annotations

from typing import Annotated

import typer

from summarizer.cli.messages import reports_errors, say
from summarizer.errors import UsageError
from summarizer.inputs.page_cache import PageCache
from summarizer.prompts import get_prompt, list_prompts
from summarizer.providers.ledger import Ledger
from summarizer.providers.model_file import install_model, model_info
from summarizer.settings import Settings

prompts_app = typer.Typer(help="Inspect the prompt library.", no_args_is_help=True, rich_markup_mode=None)
runs_app = typer.Typer(
    help="The run log: every model request, its tokens, time and cost.", invoke_without_command=True, rich_markup_mode=None
)
cache_app = typer.Typer(help="The page cache of fetched pages and feeds.", no_args_is_help=True, rich_markup_mode=None)
model_app = typer.Typer(help="Manage the embedded local model.", no_args_is_help=True, rich_markup_mode=None)


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


@cache_app.command("prune")
@reports_errors
def cache_prune(
    max_mb: Annotated[
        float | None, typer.Option("--max-mb", min=0, help="Keep at most this many MB [default: SUMMARIZER_PAGE_CACHE_MAX_MB].")
    ] = None,
    max_days: Annotated[
        float | None,
        typer.Option("--max-days", min=0, help="Drop entries not fetched for so long [default: SUMMARIZER_PAGE_CACHE_MAX_DAYS]."),
    ] = None,
) -> None:
    """Bring the page cache within its size and age bounds now (every run does so when it ends)."""
    settings = Settings.from_env().with_overrides(page_cache_max_mb=max_mb, page_cache_max_days=max_days)
    if settings.page_cache_dir is None:
        raise UsageError("the page cache is off (SUMMARIZER_PAGE_CACHE_DIR=off)")
    cache = PageCache(settings.page_cache_dir, settings.page_cache_max_bytes, settings.page_cache_max_age)
    report = cache.prune()
    typer.echo(
        f"{settings.page_cache_dir}: removed {report.removed} entries ({report.removed_bytes / 1e6:.1f} MB), "
        f"kept {report.kept} ({report.kept_bytes / 1e6:.1f} MB)"
    )
