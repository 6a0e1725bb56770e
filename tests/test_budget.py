"""Budgets stop sending before they are crossed; a dry run makes no request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.brief.pipeline import build_brief_request
from summarizer.cli import app
from summarizer.inputs.loading import load_article
from summarizer.providers.budget import estimate_tokens
from tests.fake_openai import FakeOpenAIServer, completion
from tests.test_openai_provider import GOOD

runner = CliRunner()
TEXT = (
    'Acme Corp said on Monday it will close its Leeds plant. "We had no choice," Jane Doe said. About 300 workers are affected.'
)


def _articles(tmp_path: Path) -> list[str]:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    return [str(tmp_path / f"{name}.txt") for name in ("a", "b", "c")]


def _endpoint(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for name, value in {"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-budget", "SUMMARIZER_CONCURRENCY": "1"}.items():
        monkeypatch.setenv(name, value)


def test_a_dry_run_counts_requests_tokens_and_cost_and_sends_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAIServer([]) as server:
        _endpoint(monkeypatch, server.base_url)
        paths = _articles(tmp_path)
        (tmp_path / "d.txt").write_text(TEXT.replace("Leeds", "York").replace("Monday", "Friday"), encoding="utf-8")
        (tmp_path / "e.txt").write_text(
            "Acme Corp workers in Leeds said on Tuesday they would strike over the plant closure. "
            "The union said 300 jobs were at stake and called the decision unfair to the town.",
            encoding="utf-8",
        )
        inputs = [*paths, str(tmp_path / "d.txt"), str(tmp_path / "e.txt")]
        result = runner.invoke(app, ["daily", *inputs, "-o", str(tmp_path / "b.md"), "--dry-run"])
        one = runner.invoke(app, ["synthesize", *inputs[:2], "--dry-run"])
        assert server.requests == []
    assert result.exit_code == 0, result.stderr
    # a, b and c are one text (b and c are copies, not briefed); d changes two of its 22 words (too many for so short a
    # text to count as a copy) and e is another report: one story of three articles, one synthesis
    assert "5 articles (0 unreadable, 2 copies of other articles not briefed) with openai / gpt-4o-mini" in result.stdout
    assert "at most 16 requests (3 briefs, 13 for 1 synthesis: 1 overview and up to 12 agreements each)" in result.stdout
    assert "$" in result.stdout
    assert not (tmp_path / "b.md").exists()
    assert "at most 15 requests (2 briefs, 13 for 1 synthesis" in one.stdout  # synthesize briefs every input, copies too


def test_max_tokens_stops_before_the_budget_is_crossed_and_lists_what_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _articles(tmp_path)
    request = build_brief_request(load_article(paths[0]))
    worst = 3 * (sum(estimate_tokens(m["content"]) for m in request.messages) + request.params.max_tokens)
    budget = worst + 150  # room for one request's worst case plus what two cheap answers (120 tokens each) spend
    with FakeOpenAIServer([completion(json.dumps(GOOD))] * 3) as server:
        _endpoint(monkeypatch, server.base_url)
        result = runner.invoke(app, ["brief", *paths, "-o", str(tmp_path / "out"), "--max-tokens", str(budget)])
        sent = len(server.requests)
    assert result.exit_code == 1 and sent == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.brief.json", "b.brief.json"]
    assert f"summarizer: error: {paths[2]}: not sent: up to {worst:,} more tokens could exceed the budget" in result.stderr


def test_max_cost_needs_a_price(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAIServer([]) as server:
        _endpoint(monkeypatch, server.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "unpriced-model")
        result = runner.invoke(app, ["brief", *_articles(tmp_path), "-o", str(tmp_path / "out"), "--max-cost", "0.01"])
        assert server.requests == []
    assert result.exit_code == 2 and "no price for model 'unpriced-model'" in result.stderr


def test_max_cost_refuses_a_request_that_could_cross_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAIServer([completion(json.dumps(GOOD))] * 3) as server:
        _endpoint(monkeypatch, server.base_url)
        result = runner.invoke(app, ["brief", *_articles(tmp_path), "-o", str(tmp_path / "out"), "--max-cost", "0.0001"])
        assert server.requests == []  # one brief's worst case on gpt-4o-mini is more than $0.0001
    assert result.exit_code == 1 and result.stderr.count("could exceed the budget of $0.0001") == 3
