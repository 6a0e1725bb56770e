"""The prompt library: loading, rendering, strictness, packaging."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.brief.pipeline import build_brief_request
from summarizer.errors import PromptError
from summarizer.inputs.loading import article_from_text
from summarizer.prompts import get_prompt, list_prompts, packaged_prompts_dir
from summarizer.settings import Settings


def _write(directory: Path, name: str, body: str) -> None:
    (directory / name).write_text(body, encoding="utf-8")


def test_the_library_has_the_brief_prompt_with_a_version() -> None:
    prompt = get_prompt("brief")
    assert prompt.version and prompt.path.parent == packaged_prompts_dir()
    assert "brief" in [p.id for p in list_prompts()]


def test_rendering_delimits_and_numbers_the_article() -> None:
    article = article_from_text("First sentence. Second one.", article_id="x1")
    messages = build_brief_request(article).messages
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]  # system, worked example, article
    user = messages[-1]["content"]
    assert user.startswith('<article id="x1">')
    assert "[1] First sentence.\n[2] Second one." in user
    assert "</article>\n<quotes>\nnone\n</quotes>" in user  # the numbered quotations code found (none here)


def test_a_missing_variable_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "p.toml", 'id = "p"\nversion = "1"\nsystem = "s"\nuser = "Hello {{ name }}"\n')
    prompt = get_prompt("p", tmp_path)
    assert prompt.render(name="you")[1]["content"] == "Hello you"
    with pytest.raises(PromptError, match="'name' is undefined"):
        prompt.render()


def test_malformed_prompt_files_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, "bad.toml", 'id = "bad"\nsystem = "s"\n')
    with pytest.raises(PromptError, match="lacks version, user"):
        list_prompts(tmp_path)


def test_unknown_prompt_id(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="no prompt with id 'nope'"):
        get_prompt("nope")


def test_prompts_dir_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_PROMPTS_DIR", str(tmp_path))
    assert Settings.from_env().prompts_dir == tmp_path
    _write(tmp_path, "brief.toml", 'id = "brief"\nversion = "9"\nsystem = "s"\nuser = "u"\n')
    assert get_prompt("brief", Settings.from_env().prompts_dir).version == "9"


def test_the_synthesis_worked_example_obeys_its_own_rules() -> None:
    import re

    from summarizer.synthesis.draft import SynthesisDraft

    ((example_user, example_answer),) = get_prompt("synthesize").examples
    points = {}
    for line in example_user.splitlines():
        match = re.match(r"\[((\d+)\.\d+)\] (.*)", line)
        if match:
            points[match.group(1)] = {"articles": [match.group(2)], "text": match.group(3), "names": match.group(3)}
    draft = SynthesisDraft.model_validate_json(example_answer, context={"points": points})
    assert draft.agreements and draft.disagreements and draft.events and draft.actors
