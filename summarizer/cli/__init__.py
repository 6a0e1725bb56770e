"""The command line: the typer app, its shared options, progress and messages. Nothing below imports it."""

from summarizer.cli.app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
