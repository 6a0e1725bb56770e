"""The ``summarizer`` command: a thin typer shell over the library.

Each command parses options, builds settings, calls one library function and
turns library errors into a one-line message and an exit code:
0 everything succeeded, 1 some inputs failed, 2 bad usage or configuration.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from summarizer.config import Settings, build_provider
from summarizer.core import summarize_files
from summarizer.errors import SummarizerError
from summarizer.fixtures import write_atomic
from summarizer.local_model import install_model, model_info
from summarizer.prompts import get_prompt, list_prompts
from summarizer.render import FORMATS, SUFFIXES, render_brief

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


def _output_name(source: str, output_format: str) -> str:
    stem = "stdin" if source == "-" else Path(source).name.rsplit(".", 1)[0]
    return stem + SUFFIXES[output_format]


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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on stderr.")] = False,
) -> None:
    """Write a structured brief of each article: one file per input, or stdout for one input."""
    if output_format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if output_dir is None and len(files) > 1:
        raise typer.BadParameter("several inputs need an output directory", param_hint="-o")
    settings = _settings(provider, model, model_path, threads, record, fixtures)
    active = build_provider(settings)
    failures = 0
    try:
        for index, outcome in enumerate(summarize_files(files, active), start=1):
            if outcome.brief is None:
                failures += 1
                _say(f"error: {outcome.error}")
                continue
            rendered = render_brief(outcome.brief, output_format)
            if output_dir is None:
                sys.stdout.write(rendered)
            else:
                target = output_dir / _output_name(outcome.source, output_format)
                write_atomic(target, rendered)
                if not quiet:
                    _say(f"[{index}/{len(files)}] {outcome.source} -> {target} ({outcome.brief.usage.seconds:.1f} s)")
    finally:
        active.close()
    if failures:
        _say(f"{failures} of {len(files)} inputs failed")
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
