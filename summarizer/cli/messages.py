"""The one place the command line prints ``summarizer: …`` lines (errors become one line and an exit code here), and where
library log records go.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

from summarizer.errors import RunError, SetupError

EXIT_FAILURES = 1
EXIT_USAGE = 2


def line(message: str) -> str:
    """``message`` as the program prints it: prefixed with its name."""
    return f"summarizer: {message}"


def say(message: str) -> None:
    """One line on stderr."""
    print(line(message), file=sys.stderr, flush=True)


class _SayHandler(logging.Handler):
    def __init__(self, named: bool = False) -> None:
        super().__init__()
        self.named = named

    def emit(self, record: logging.LogRecord) -> None:
        say(f"[{record.name}] {record.getMessage()}" if self.named else record.getMessage())


def route_library_logs(quiet: bool = False, verbose: bool = False) -> None:
    """Show the library's log records (model install progress, warnings) as ``summarizer:`` lines; nothing else.

    The library only logs; deciding what reaches the terminal is the
    application's job. Other libraries' records (httpx's "HTTP Request"
    lines, instructor's attempts with validator internals, which our own
    one-line errors already report) are not shown, unless ``verbose``: then
    every record of INFO and above, named by its logger.
    """
    logger = logging.getLogger("summarizer")
    if not any(isinstance(handler, _SayHandler) for handler in logger.handlers):
        logger.addHandler(_SayHandler())
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, (_SayHandler, logging.NullHandler))]:
        root.removeHandler(handler)
    if verbose:
        root.addHandler(_SayHandler(named=True))
        root.setLevel(logging.INFO)
        logging.getLogger("instructor").setLevel(logging.INFO)
    else:
        root.addHandler(logging.NullHandler())  # no last-resort printing of other libraries' warnings
        logging.getLogger("instructor").setLevel(logging.CRITICAL)


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
