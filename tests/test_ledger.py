"""The run log: every request with its tokens, attempts and cost; never a key or article text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.providers.prices import Price, cost_of, load_prices
from tests.fake_openai import FakeOpenAIServer, completion, error
from tests.test_openai_provider import GOOD

runner = CliRunner()
SECRET = "sk-ledger-secret-123"
TEXT = (
    'Acme Corp said on Monday it will close its Leeds plant. "We had no choice," chief executive Jane Doe said. '
    "About 300 workers are affected."
)


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: str) -> Path:
    ledger = tmp_path / "runs.sqlite"
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    replies = [error(429, "slow down", {"retry-after": "0"}), completion(json.dumps(GOOD)), completion(json.dumps(GOOD))]
    with FakeOpenAIServer(replies) as server:
        for name, value in {
            "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": SECRET, "SUMMARIZER_MODEL": model,
            "SUMMARIZER_LEDGER": str(ledger), "SUMMARIZER_CONCURRENCY": "1",
        }.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        result = runner.invoke(app, ["brief", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    return ledger


def test_every_request_is_logged_with_retries_tokens_and_cost_and_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = _run(tmp_path, monkeypatch, "gpt-4o-mini")
    with sqlite3.connect(ledger) as db:
        rows = db.execute("SELECT subject, attempts, prompt_tokens, output_tokens, outcome, cost FROM requests").fetchall()
    assert [row[0] for row in rows] == ["a", "b"]
    assert [row[1] for row in rows] == [2, 1]  # the 429 retry is counted
    assert all(row[2] == 100 and row[3] == 20 and row[4] == "ok" for row in rows)
    assert rows[0][5] == pytest.approx((100 * 0.15 + 20 * 0.60) / 1e6)
    raw = ledger.read_bytes()
    assert SECRET.encode() not in raw and b"Leeds plant" not in raw and b"Authorization" not in raw

    listed = runner.invoke(app, ["runs"])
    assert listed.exit_code == 0 and "openai/gpt-4o-mini" in listed.stdout and "200/40" in listed.stdout
    run_id = listed.stdout.splitlines()[1].split()[0]
    shown = runner.invoke(app, ["runs", "show", run_id])
    assert shown.exit_code == 0 and "2 attempts" in shown.stdout and "$0.00003" in shown.stdout


def test_a_model_with_no_price_shows_tokens_and_no_made_up_cost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(tmp_path, monkeypatch, "some-unpriced-model")
    listed = runner.invoke(app, ["runs"])
    assert "0.0000+?" in listed.stdout and "no known cost" in listed.stdout
    run_id = listed.stdout.splitlines()[1].split()[0]
    assert "price unknown" in runner.invoke(app, ["runs", "show", run_id]).stdout


def test_prices_can_be_extended_and_the_local_model_is_free(tmp_path: Path) -> None:
    table = tmp_path / "prices.json"
    table.write_text(json.dumps({"my-model": {"input": 1.0, "output": 2.0}}))
    prices = load_prices(table)
    assert prices["my-model"] == Price(1.0, 1.0, 2.0)
    assert cost_of(prices, "openai", "my-model", 1_000_000, 0, 1_000_000) == 3.0
    assert cost_of(prices, "openai", "my-model", 1_000_000, 0, 1_000_000, batch=True) == 1.5
    assert cost_of(prices, "local", "qwen", 5000, 0, 500) == 0.0
    assert cost_of(prices, "openai", "unknown", 10, 0, 10) is None


def test_published_prices_cover_the_openai_models_with_their_batch_prices() -> None:
    """genai-prices (offline snapshot): gpt-4o-mini $0.15 in / $0.075 cached / $0.60 out per million; batch half."""
    assert cost_of({}, "openai", "gpt-4o-mini", 1_000_000, 0, 1_000_000) == 0.75
    assert cost_of({}, "openai", "gpt-4o-mini", 1_000_000, 1_000_000, 0) == 0.075
    assert cost_of({}, "openai", "gpt-4o-mini", 1_000_000, 0, 1_000_000, batch=True) == 0.375
    for model in ("gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"):
        assert cost_of({}, "openai", model, 1000, 0, 100) is not None
