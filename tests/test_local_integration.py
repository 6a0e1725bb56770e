"""End to end on the real embedded model (slow; deselect with -m 'not local_model')."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from summarizer.inputs.loading import load_article
from tests.conftest import SEEDS, SUMMARIZER


@pytest.mark.local_model
def test_the_local_model_briefs_a_seed_end_to_end_and_the_terminal_shows_only_the_tools_lines(tmp_path: Path) -> None:
    # The command a user runs, in its own process: the embedded model's server, openai's HTTP client and
    # wordllama's logging set-up all load here, so any line they print would reach this stderr.
    command = [
        *SUMMARIZER,
        "brief",
        str(SEEDS[1]),
        "-o",
        str(tmp_path),
        "--provider",
        "local",
        "--no-cache",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("summarizer: ") for line in lines), done.stderr
    brief = json.loads(next(tmp_path.glob("*.brief.json")).read_text(encoding="utf-8"))
    article = load_article(SEEDS[1])
    assert brief["generated_by"]["provider"] == "local" and brief["generated_by"]["endpoint"] == "embedded"
    assert brief["generated_by"]["model"] == "qwen2.5-coder-1.5b-instruct-q4_k_m"
    assert brief["headline"] and brief["summary"] and brief["key_points"]
    assert brief["usage"]["completion_tokens"] > 0 and brief["usage"]["attempts"] >= 1
    for point in brief["key_points"]:
        assert article.text[point["span"]["start"] : point["span"]["end"]] == point["evidence"]
    for quote in brief["quotes"]:
        assert article.text[quote["span"]["start"] : quote["span"]["end"]] == quote["text"]
    text = article.text.casefold()
    for entity in brief["entities"]:
        assert entity["name"].casefold().replace(".", "") in text.replace(".", "")
