"""A rich progress bar on stderr for long runs: articles done, failures, elapsed time.

It stays silent when stderr is not a terminal or with ``--quiet``; errors are
still printed, one line each, by the CLI.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from summarizer.cli.messages import line
from summarizer.runs.many_inputs import BriefOutcome


class ProgressBar:
    """Implements ``RunProgress`` with a rich progress bar."""

    def __init__(self, *, quiet: bool = False, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = not quiet and self.console.is_terminal
        self.failures = 0
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed: {task.fields[failures]}"),
            TimeElapsedColumn(),
            console=self.console,
            disable=not self.enabled,
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self._progress.stop()

    def start(self, total: int) -> None:
        """Show a bar for ``total`` articles."""
        self._task = self._progress.add_task("briefing", total=total, failures=0)

    def advance(self, outcome: BriefOutcome) -> None:
        """Count one finished article (a failure too)."""
        if outcome.brief is None:
            self.failures += 1
            self.console.print(line(f"error: {outcome.error}"), markup=False, highlight=False, soft_wrap=True)
        if self._task is not None:
            self._progress.update(self._task, advance=1, failures=self.failures)

    def stage(self, message: str) -> None:
        """Show what the run is doing now (e.g. a synthesis level)."""
        if self._task is not None:
            self._progress.update(self._task, description=message)
