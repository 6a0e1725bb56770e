"""The docs cannot drift: every command and option is in docs/cli.md, every setting in docs/configuration.md."""

from __future__ import annotations

import re

import typer

from summarizer.cli.app import app
from tests.conftest import ROOT
from tools.cli_reference import commands as leaf_commands  # the walk that writes the reference checks it

DOCS = ROOT / "docs"


def _sections(markdown: str) -> dict[str, str]:
    """``### `summarizer …``` heading -> the text up to the next heading."""
    parts = re.split(r"^### `([^`]+)`$", markdown, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    sections = _sections((DOCS / "cli.md").read_text(encoding="utf-8"))
    commands = dict(leaf_commands(typer.main.get_command(app), ["summarizer"]))
    assert len(commands) >= 15
    missing = []
    for name, command in commands.items():
        if name not in sections:
            missing.append(name)
            continue
        for parameter in command.params:
            if parameter.param_type_name == "option" and parameter.name != "help":
                missing += [f"{name} {flag}" for flag in parameter.opts if f"`{flag}`" not in sections[name]]
    assert not missing, f"not in docs/cli.md: {missing}"


def test_every_setting_the_settings_read_is_in_the_configuration_doc() -> None:
    read = set(re.findall(r'"((?:SUMMARIZER|OPENAI)_[A-Z_]+)"', (ROOT / "summarizer" / "settings.py").read_text()))
    assert {"SUMMARIZER_ENGINE", "SUMMARIZER_FETCH_TIMEOUT", "OPENAI_API_KEY"} <= read
    documented = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert not [name for name in sorted(read) if f"`{name}" not in documented]


def test_the_readme_is_a_front_door_and_its_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    links = re.findall(r"\]\(((?:docs/)?[\w./-]+\.md)\)", readme)
    assert {"docs/cli.md", "docs/configuration.md", "docs/library.md", "docs/design.md", "docs/benchmarks.md"} <= set(links)
    assert all((ROOT / link).is_file() for link in links), links
