"""Regenerate the "Every command and option" section of docs/cli.md from the commands themselves.

Usage: python tools/cli_reference.py   (rewrites docs/cli.md in place; tests/test_docs.py checks the result)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.cli import app  # noqa: E402

HEADING = "## Every command and option"
NOTE = "Generated from the commands themselves (`tests/test_docs.py` fails when an option is missing here)."


def commands(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
    """Every leaf command under ``command`` as (its full name, the click command)."""
    children = getattr(command, "commands", None)
    if not children:
        yield " ".join(path), command
        return
    if getattr(command, "invoke_without_command", False) and len(path) > 1:
        yield " ".join(path), command
    for name in sorted(children):
        yield from commands(children[name], [*path, name])


def section(name: str, command: Any) -> str:
    """One command's heading, first help line, arguments and options table."""
    lines = [f"### `{name}`", "", " ".join((command.help or "").strip().split("\n\n")[0].split()), ""]
    arguments = [(parameter.name or "").upper() for parameter in command.params if parameter.param_type_name == "argument"]
    if arguments:
        lines += [f"Arguments: {', '.join(f'`{argument}`' for argument in arguments)}.", ""]
    options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
    if options:
        lines += ["| option | meaning |", "| --- | --- |"]
        for option in options:
            flags = ", ".join(f"`{flag}`" for flag in option.opts)
            lines.append(f"| {flags} | {(option.help or '').replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Rewrite the generated section of docs/cli.md."""
    path = ROOT / "docs" / "cli.md"
    text = path.read_text(encoding="utf-8")
    head = text.split(HEADING, 1)[0]
    body = "\n".join(section(name, command) for name, command in commands(typer.main.get_command(app), ["summarizer"]))
    path.write_text(f"{head}{HEADING}\n\n{NOTE}\n\n{body}", encoding="utf-8")


if __name__ == "__main__":
    main()
