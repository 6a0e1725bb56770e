"""One brief per input, written to a folder (or rendered for standard output): what ``summarizer brief`` does."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Unpack

from summarizer.errors import OutputError, UsageError
from summarizer.files import display_path, writable_dir_problem, write_atomic
from summarizer.output.render import SUFFIXES, render_brief
from summarizer.runs.context import ContextOptions, RunContext
from summarizer.runs.many_inputs import BriefOutcome, iter_briefs


def output_name(article_id: str, output_format: str) -> str:
    """The file name of an article's brief: ``<id>.brief.json`` or ``<id>.brief.md``."""
    return article_id + SUFFIXES[output_format]


def check_output_file(path: Path) -> None:
    """``UsageError`` unless ``path`` can be written (its folder is created if missing); call before any model call."""
    if (problem := writable_dir_problem(path.parent)) is not None:
        raise UsageError(problem)
    if path.is_dir():
        raise UsageError(f"{display_path(path)}: is a directory, not a file to write")


def write_output_file(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` atomically; ``OutputError`` (one line, no traceback) if it cannot be done."""
    try:
        write_atomic(path, content)
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)} ({exc.strerror or exc})") from None


def brief_files(
    inputs: Iterable[str | Path],
    context: RunContext | None = None,
    *,
    output_dir: Path | None = None,
    output_format: str = "json",
    **options: Unpack[ContextOptions],
) -> Iterator[BriefOutcome]:
    """Brief every article in ``inputs``, one outcome at a time, writing each brief into ``output_dir``.

    Each outcome's ``output`` is the file written (None without an output
    folder: render ``outcome.brief`` yourself, e.g. to standard output). A
    failed input, a failed write included, is an outcome with ``error`` set;
    the rest go on. An output folder that cannot be written is a
    ``UsageError`` before any model call. Every input gets its own file
    (article ids are unique within the run); a file written earlier in the
    same run is never overwritten. Articles outside the context's date
    window are left out (no outcome).
    """
    run_context = RunContext.of(context, **options)
    written: set[Path] = set()
    with run_context.active_provider() as provider:
        if output_dir is not None and (problem := writable_dir_problem(output_dir)) is not None:
            raise UsageError(problem)
        loaded = (item for item in run_context.articles(inputs) if item.left_out is None)  # left out: not a failure
        for outcome in iter_briefs(loaded, provider, run_context):
            if outcome.brief is not None and output_dir is not None:
                _write(outcome, output_dir / output_name(outcome.brief.article_id, output_format), output_format, written)
            yield outcome


def _write(outcome: BriefOutcome, target: Path, output_format: str, written: set[Path]) -> None:
    """Write ``outcome``'s brief to ``target``; a failure becomes the outcome's error."""
    assert outcome.brief is not None
    if target in written:  # unique ids make this unreachable; it guards the promise never to overwrite
        outcome.error, outcome.brief = f"{outcome.source}: {display_path(target)} was already written in this run", None
        return
    try:
        write_atomic(target, render_brief(outcome.brief, output_format))
    except OSError as exc:
        outcome.error = f"{outcome.source}: cannot write {display_path(target)} ({exc.strerror or exc})"
        outcome.brief = None
        return
    written.add(target)
    outcome.output = target
