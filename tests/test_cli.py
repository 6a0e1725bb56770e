"""The command line, through typer's test runner, on replayed real-model fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.brief.schema import ArticleBrief
from summarizer.cli import app
from tests.conftest import SEEDS

runner = CliRunner()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_brief_prints_a_valid_json_brief_for_each_seed(seed: Path) -> None:
    result = runner.invoke(app, ["brief", str(seed), "--provider", "replay"])
    assert result.exit_code == 0, result.stderr
    brief = ArticleBrief.model_validate_json(result.stdout)
    assert brief.article_id == seed.stem
    text = seed.read_text(encoding="utf-8")
    for point in brief.key_points:
        assert text[point.span.start : point.span.end] == point.evidence
    for quote in brief.quotes:
        assert text[quote.span.start : quote.span.end] == quote.text


def test_brief_writes_one_markdown_file_per_input(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["brief", *map(str, SEEDS[:2]), "-o", str(tmp_path), "--format", "markdown", "--provider", "replay"]
    )
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == [f"{SEEDS[0].stem}.brief.md", f"{SEEDS[1].stem}.brief.md"]
    markdown = (tmp_path / written[0]).read_text()
    assert markdown.startswith("# ") and "## Key points" in markdown and "prompt brief v" in markdown


def test_one_bad_file_fails_alone_with_a_one_line_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(
        app, ["brief", str(empty), str(SEEDS[0]), str(missing), "-o", str(tmp_path / "out"), "--provider", "replay"]
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert errors == [f"summarizer: error: {empty}: the article is empty", f"summarizer: error: {missing}: no such file"]
    assert "Traceback" not in result.stderr
    assert json.loads((tmp_path / "out" / f"{SEEDS[0].stem}.brief.json").read_text())["article_id"] == SEEDS[0].stem
    assert "2 of 3 inputs failed" in result.stderr


def test_a_replay_miss_is_reported_per_file() -> None:
    result = runner.invoke(app, ["brief", "-", "--provider", "replay"], input="An unseen article. Nobody recorded it.")
    assert result.exit_code == 1
    assert "no fixture" in result.stderr and "--record" in result.stderr


def test_several_inputs_need_an_output_directory() -> None:
    result = runner.invoke(app, ["brief", *map(str, SEEDS[:2]), "--provider", "replay"])
    assert result.exit_code == 2
    assert "output directory" in result.stderr


def test_an_unknown_provider_is_a_usage_error() -> None:
    result = runner.invoke(app, ["brief", str(SEEDS[0]), "--provider", "nope"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "summarizer: error: unknown provider 'nope'; choose one of openai, local, replay"


def test_record_with_replay_is_refused() -> None:
    result = runner.invoke(app, ["brief", str(SEEDS[0]), "--provider", "replay", "--record"])
    assert result.exit_code == 2 and "--record needs a real provider" in result.stderr


def test_prompts_list_and_show() -> None:
    listed = runner.invoke(app, ["prompts", "list"])
    assert listed.exit_code == 0 and [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        "agree",
        "brief",
        "synthesize",
    ]
    shown = runner.invoke(app, ["prompts", "show", "brief"])
    assert shown.exit_code == 0 and "--- system ---" in shown.stdout and "<article id=" in shown.stdout
    missing = runner.invoke(app, ["prompts", "show", "nope"])
    assert missing.exit_code == 2 and "no prompt with id 'nope'" in missing.stderr


@pytest.mark.parametrize(
    "command", [["brief"], ["prompts", "list"], ["prompts", "show"], ["model", "install"], ["model", "info"]]
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and len(result.stdout.split("Usage:")[1].strip()) > 40
