"""Faults from a fake OpenAI-compatible server on loopback: each retried within bounds or failing one article only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.brief.pipeline import build_brief_request
from summarizer.cli import app
from summarizer.errors import EndpointError, ProviderError
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.providers.policy import RequestPolicy
from tests.fake_openai import FakeOpenAIServer, completion, dropped, error, raw, slow
from tests.test_openai_provider import ARTICLE, GOOD


def _provider(server: FakeOpenAIServer, **options: Any) -> OpenAICompatibleProvider:
    policy = RequestPolicy(**{"backoff_initial": 0.01, "backoff_max": 0.05, "timeout": 0.5, **options})
    return OpenAICompatibleProvider(model="fake-model", base_url=server.base_url, api_key="sk-fault", policy=policy)


@pytest.mark.parametrize(
    ("fault", "name"),
    [
        (slow(completion(json.dumps(GOOD)), 1.5), "timeout"),
        (dropped(), "connection closed"),
        (error(502), "502"),
        (error(429, "slow down", {"retry-after": "0"}), "429"),
    ],
)
def test_a_transient_fault_is_retried_and_the_answer_is_kept(fault: object, name: str) -> None:
    with FakeOpenAIServer([fault, completion(json.dumps(GOOD))]) as server:  # type: ignore[list-item]
        result = _provider(server).complete(build_brief_request(ARTICLE))
    assert result.output.headline == GOOD["headline"], name
    assert result.usage.attempts == 2 and len(server.requests) == 2


def test_repeated_timeouts_stop_at_the_bound_with_the_cause() -> None:
    replies = [completion(json.dumps(GOOD)), *[slow(completion(json.dumps(GOOD)), 1.0)] * 3]
    with FakeOpenAIServer(replies) as server:
        provider = _provider(server, timeout=0.3, attempts=2)
        provider.complete(build_brief_request(ARTICLE))  # the endpoint answers once...
        with pytest.raises(ProviderError, match="timed out.*after 2 attempts"):  # ...then hangs: this request fails
            provider.complete(build_brief_request(ARTICLE))
    assert len(server.requests) == 3


def test_an_endpoint_that_never_answers_is_a_setup_error_naming_it() -> None:
    with FakeOpenAIServer([slow(completion(json.dumps(GOOD)), 1.0)] * 2) as server:
        with pytest.raises(EndpointError, match=f"{server.base_url} did not answer within 0.3 s in 2 attempts"):
            _provider(server, timeout=0.3, attempts=2).complete(build_brief_request(ARTICLE))


def test_a_truncated_http_body_is_reported_not_crashed_on() -> None:
    with FakeOpenAIServer([raw(200, b'{"id": "x", "choices": [{"mess')] * 3) as server:
        with pytest.raises(ProviderError):
            _provider(server, attempts=1, max_reasks=0).complete(build_brief_request(ARTICLE))
    assert 1 <= len(server.requests) <= 3


def test_a_batch_keeps_going_when_one_article_fails_for_good(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a1", "a2", "a3"):
        (tmp_path / f"{name}.txt").write_text(ARTICLE.text, encoding="utf-8")
    replies = [completion(json.dumps(GOOD)), error(400, "bad request"), error(503), completion(json.dumps(GOOD))]
    with FakeOpenAIServer(replies) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-batch-secret")
        monkeypatch.setenv("SUMMARIZER_CONCURRENCY", "1")  # the scripted replies go to the articles in order
        result = CliRunner().invoke(
            app,
            [
                "brief",
                str(tmp_path / "a1.txt"),
                str(tmp_path / "a2.txt"),
                str(tmp_path / "a3.txt"),
                "-o",
                str(tmp_path / "out"),
                "--no-cache",
            ],
        )
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a1.brief.json", "a3.brief.json"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert len(errors) == 1
    assert (
        errors[0].startswith(f"summarizer: error: {tmp_path / 'a2.txt'}: HTTP 400 from the endpoint:")
        and "bad request" in errors[0]
    )
    assert errors[0].endswith("(after 1 attempts)")  # a client error is not retried
    assert "sk-batch-secret" not in result.output
    third = json.loads((tmp_path / "out" / "a3.brief.json").read_text())
    assert third["usage"]["attempts"] == 2  # the 503, then the answer
    assert len(server.requests) == 4


def test_a_summary_that_stays_too_long_is_cut_to_three_sentences_not_lost() -> None:
    from summarizer import brief_article as summarize_article

    long_summary = "Acme will close its plant. Jane Doe had no choice. About 300 workers are affected. Leeds loses jobs."
    answer = json.dumps({**GOOD, "summary": long_summary})
    with FakeOpenAIServer([completion(answer)] * 2) as server:
        brief = summarize_article(ARTICLE, provider=_provider(server, max_reasks=1))
    assert len(server.requests) == 2  # one re-ask with the reason, then the salvage; no grounding re-ask for the cut
    assert brief.summary == "Acme will close its plant. Jane Doe had no choice. About 300 workers are affected."
    assert [(item.field, item.value) for item in brief.removed] == [("summary", "Leeds loses jobs.")]
