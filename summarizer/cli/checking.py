"""``summarizer check``: verify a summary, brief or synthesis against its article(s)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from summarizer.brief.verify import report_of
from summarizer.checks.summary import check_summary
from summarizer.cli.messages import EXIT_FAILURES, reports_errors
from summarizer.errors import InputError, UsageError
from summarizer.inputs.article import Article
from summarizer.runs.context import RunContext
from summarizer.settings import Settings
from summarizer.synthesis.verify import check_result


@reports_errors
def check(
    inputs: Annotated[
        list[str],
        typer.Argument(help="A brief or synthesis JSON file, or a summary (text or Markdown file), then the article file(s)."),
    ],
    summary: Annotated[
        str | None, typer.Option("--summary", help="A summary to check, as text: every input is an article.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json (summaries).")] = "text",
) -> None:
    """Verify a summary, brief or synthesis against its article(s); exit 1 if anything is not supported there.

    A summary from any source (``--summary TEXT``, or a text or Markdown file)
    is checked sentence by sentence against one article; a brief or synthesis
    of ours (JSON) item by item. An input that cannot be read is a usage error (exit 2).
    """
    if output_format not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--format")
    if summary is None:
        if len(inputs) < 2:
            raise typer.BadParameter("give a summary (or brief, or synthesis) and its article(s), or --summary TEXT")
        summary_file, inputs = Path(inputs[0]), inputs[1:]
        try:
            text = summary_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{summary_file}: cannot read ({exc})") from None
        data = _json_object(text)
        if data is not None:
            _check_result(summary_file, data, _articles_to_check(inputs))
            return
        summary = text
    articles = _articles_to_check(inputs)
    if len(articles) != 1:
        raise UsageError(f"a summary is checked against one article, not {len(articles)}")
    result = check_summary(summary, articles[0])
    if output_format == "json":
        typer.echo(result.model_dump_json(indent=2))
    else:
        for number, sentence in enumerate(result.sentences, start=1):
            note = f" -- {sentence.reason}" if sentence.reason else f" -- note: {sentence.note}" if sentence.note else ""
            typer.echo(f"{sentence.verdict:<12} [{number}] {sentence.text[:100]!r}{note}")
            for passage in sentence.passages:
                typer.echo(f"{'':<12} sentence {passage.sentence} [{passage.start}:{passage.end}] {passage.text[:90]!r}")
        counts = ", ".join(f"{verdict} {count}" for verdict, count in result.counts().items())
        typer.echo(f"{len(result.sentences)} sentences: {counts}")
    if not result.supported:
        raise typer.Exit(EXIT_FAILURES)


def _json_object(text: str) -> dict[str, object] | None:
    """``text`` as a JSON object (a brief or synthesis of ours), or None for a summary in plain text or Markdown."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _articles_to_check(inputs: list[str]) -> list[Article]:
    loaded = list(RunContext(settings=Settings.from_env()).articles(inputs))
    problems = [item.error for item in loaded if item.error]
    if problems or not loaded:
        raise UsageError(problems[0] if problems else "no article given")
    return [item.article for item in loaded if item.article is not None]


def _check_result(result_file: Path, data: dict[str, object], articles: list[Article]) -> None:
    """A brief or synthesis of ours, item by item: names, numbers, quotes, dates, evidence."""
    try:
        checks = check_result(data, articles)
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
