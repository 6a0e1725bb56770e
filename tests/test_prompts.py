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


def _example_sentences(example_user: str) -> list[str]:
    """The article sentences of a worked example's input, without the tags and article numbers."""
    import re

    return [
        re.sub(r"^(?:<lead>)?\[\d+\] |</lead>$", "", line)
        for line in example_user.splitlines()
        if "[" in line or line[:1].isupper()
    ]


def test_the_synthesis_worked_examples_pass_the_checks_code_applies_to_real_answers() -> None:
    from summarizer.brief.schema import ArticleBrief, GeneratedBy
    from summarizer.checks.support import find_support
    from summarizer.inputs.loading import article_from_text
    from summarizer.nlp.features import sentence_features
    from summarizer.synthesis.compose import unfinished
    from summarizer.synthesis.draft import AgreementDraft, SynthesisDraft
    from summarizer.synthesis.material import gather_material
    from summarizer.text.sentences import split_sentences

    def pool(example_user: str) -> list:  # type: ignore[type-arg]
        text = "\n\n".join(_example_sentences(example_user))
        article = article_from_text(text, source="example", article_id="example")
        who = GeneratedBy(provider="-", model="-", prompt_id="-", prompt_version="-")
        brief = ArticleBrief(
            article_id="example", source="example", headline="-", summary="-", key_points=[], entities=[], quotes=[],
            dates=[], generated_by=who,
        )  # fmt: skip
        return gather_material([brief], [article]).sentences

    ((synthesis_user, synthesis_answer),) = get_prompt("synthesize").examples
    draft = SynthesisDraft.model_validate_json(synthesis_answer)
    sentences = [s.text for s in split_sentences(draft.overview)] + [theme.text for theme in draft.themes]
    for text, features in zip(sentences, sentence_features(sentences), strict=True):
        assert find_support(text, features, pool(synthesis_user), 0.5).problem is None, text
    assert not any(unfinished(s.text) for s in split_sentences(draft.overview))
    ((agree_user, agree_answer),) = get_prompt("agree").examples
    agreement = AgreementDraft.model_validate_json(agree_answer)
    (features,) = sentence_features([agreement.text])
    assert find_support(agreement.text, features, pool(agree_user)).problem is None
