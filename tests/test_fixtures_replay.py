"""Fixture keys, recording and replay."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from summarizer import brief_article as summarize_article
from summarizer.brief.draft import BriefDraft
from summarizer.brief.pipeline import build_brief_request
from summarizer.errors import FixtureMissError
from summarizer.inputs.loading import article_from_text, load_article
from summarizer.prompts import get_prompt
from summarizer.providers.base import GenerationParams, ModelResult, Usage
from summarizer.providers.fixtures import fixture_key
from summarizer.providers.replay import RecordingProvider, ReplayProvider
from tests.conftest import FIXTURES, SEEDS

ARTICLE = article_from_text("Acme said on Monday it will grow. Jane Doe agreed.", article_id="acme")
DRAFT = BriefDraft(headline="Acme grows", summary="Acme will grow.", key=[1], quotes=[])


class QueuedProvider:
    """A fake provider answering from a queue; counts its calls."""

    name = "fake"
    model = "fake-model"
    context_tokens = 8192

    def __init__(self, *outputs: BriefDraft) -> None:
        self.outputs = list(outputs)
        self.calls = 0

    def complete(self, request):  # type: ignore[no-untyped-def]
        self.calls += 1
        return ModelResult(
            output=self.outputs.pop(0),
            provider=self.name,
            model=self.model,
            usage=Usage(prompt_tokens=50, completion_tokens=10, attempts=1),
            raw="{}",
        )

    def close(self) -> None:
        pass


def test_key_is_stable_and_changes_with_prompt_version_messages_and_params() -> None:
    request = build_brief_request(ARTICLE)
    assert fixture_key(request) == fixture_key(build_brief_request(ARTICLE))
    bumped = dataclasses.replace(get_prompt("brief"), version="999")
    assert fixture_key(build_brief_request(ARTICLE, bumped)) != fixture_key(request)
    other_text = article_from_text("Acme said on Monday it will shrink. Jane Doe agreed.", article_id="acme")
    assert fixture_key(build_brief_request(other_text)) != fixture_key(request)
    hotter = dataclasses.replace(request, params=GenerationParams(temperature=0.7))
    assert fixture_key(hotter) != fixture_key(request)


def test_record_then_replay_gives_the_same_brief(tmp_path: Path) -> None:
    recorder = RecordingProvider(QueuedProvider(DRAFT), tmp_path)
    recorded = summarize_article(ARTICLE, provider=recorder)
    assert len(recorder.written) == 1
    stored = json.loads(recorder.written[0].read_text())
    assert stored["output"]["headline"] == "Acme grows"
    assert stored["request"]["prompt_id"] == "brief" and stored["usage"]["prompt_tokens"] == 50
    replayed = summarize_article(ARTICLE, provider=ReplayProvider(tmp_path))
    assert replayed.model_dump(exclude={"generated_by"}) == recorded.model_dump(exclude={"generated_by"})
    assert replayed.generated_by.provider == "replay:fake"
    again = RecordingProvider(QueuedProvider(DRAFT), tmp_path)
    summarize_article(ARTICLE, provider=again)  # already recorded: answered from the fixture, nothing written
    assert again.written == [] and again.inner.calls == 0  # type: ignore[attr-defined]


def test_a_replay_miss_names_the_key_the_prompt_and_how_to_record(tmp_path: Path) -> None:
    request = build_brief_request(ARTICLE)
    with pytest.raises(FixtureMissError) as caught:
        summarize_article(ARTICLE, provider=ReplayProvider(tmp_path))
    message = str(caught.value)
    assert fixture_key(request) in message
    assert "prompt 'brief' v" in message
    assert "SUMMARIZER_RECORD=1" in message and "--record" in message


def test_recorded_fixtures_hold_no_secret_and_are_sorted_json() -> None:
    files = sorted(FIXTURES.glob("*/*.json"))
    assert files, "no recorded fixtures"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "sk-" not in text and "authorization" not in text.lower() and "api_key" not in text.lower()
        document = json.loads(text)
        assert text == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        assert document["key"] == path.stem


def test_every_seed_replays_from_the_local_model() -> None:
    replay = ReplayProvider(FIXTURES)
    for seed in SEEDS:
        brief = summarize_article(load_article(seed), provider=replay)
        assert brief.generated_by.provider.startswith("replay:local")
        assert brief.key_points and brief.headline
