"""The one place the command line prints ``summarizer: …`` lines, and where library log records go."""

from __future__ import annotations

import logging
import sys


def line(message: str) -> str:
    """``message`` as the program prints it: prefixed with its name."""
    return f"summarizer: {message}"


def say(message: str) -> None:
    """One line on stderr."""
    print(line(message), file=sys.stderr, flush=True)


class _SayHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        say(record.getMessage())


def route_library_logs(quiet: bool = False) -> None:
    """Show the library's log records (model install progress, warnings) as ``summarizer:`` lines.

    The library only logs; deciding what reaches the terminal is the
    application's job. instructor logs each failed attempt and a summary
    with validator internals, which our own one-line errors already report
    (naming the input), so its records are not shown.
    """
    logger = logging.getLogger("summarizer")
    if not any(isinstance(handler, _SayHandler) for handler in logger.handlers):
        logger.addHandler(_SayHandler())
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
