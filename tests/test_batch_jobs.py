"""Batch jobs against a fake OpenAI batch API on loopback: submit, status, collect, cancel; resumed without paying twice."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.inputs.loading import iter_articles
from summarizer.memory.store import StoryMemory
from summarizer.runs.batch_api.files import export_requests
from summarizer.runs.batch_api.jobs import BatchJob
from summarizer.runs.context import RunContext
from summarizer.settings import Settings
from summarizer.testing import lead_answer
from tests.conftest import SEEDS, SUMMARIZER
from tests.fake_batch_api import FakeBatchAPI

runner = CliRunner()


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Any:
    def start(api: FakeBatchAPI) -> FakeBatchAPI:
        monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-batch")
        return api

    return start


def _poll_until_done(times: int = 4) -> None:
    for _ in range(times):
        assert runner.invoke(app, ["batch", "status", "seeds/"]).exit_code == 0


def test_a_job_submitted_twice_uploads_once_and_collects_the_same_briefs_as_the_synchronous_path(
    tmp_path: Path, endpoint: Any
) -> None:
    with endpoint(FakeBatchAPI()) as api:
        first = runner.invoke(app, ["batch", "submit", "seeds/"])
        assert first.exit_code == 0, first.stderr
        again = runner.invoke(app, ["batch", "submit", "seeds/"])  # e.g. a cron job running it again: nothing is sent twice
        assert again.exit_code == 0, again.stderr
        assert (api.uploads, api.created) == (1, 1)
        status = runner.invoke(app, ["batch", "status", "seeds/"])
        assert "in_progress" in status.stdout
        _poll_until_done()
        out = tmp_path / "briefs"
        collected = runner.invoke(app, ["batch", "collect", "seeds/", "-o", str(out)])
        assert collected.exit_code == 0, collected.stderr
    assert len(list(out.iterdir())) == len(SEEDS)
    sync = tmp_path / "sync"
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    from summarizer.testing import fake_run_batch

    assert (
        runner.invoke(app, ["batch", "export", "seeds/", "-o", str(requests), "--model", "gpt-4o-mini", "--no-cache"]).exit_code
        == 0
    )
    fake_run_batch(requests, results, lead_answer)
    imported = runner.invoke(
        app, ["batch", "import", str(results), "seeds/", "-o", str(sync), "--model", "gpt-4o-mini", "--no-cache"]
    )
    assert imported.exit_code == 0, imported.stderr
    for path in out.iterdir():
        made, expected = json.loads(path.read_text()), json.loads((sync / path.name).read_text())
        for brief in (made, expected):
            brief.pop("generated_at", None)
        assert made == expected


def test_a_kill_between_upload_and_its_record_does_not_upload_again(tmp_path: Path, endpoint: Any) -> None:
    with endpoint(FakeBatchAPI()) as api:
        job = BatchJob(["seeds/"], RunContext(settings=Settings.from_env()))
        exported = export_requests(iter_articles(["seeds/"]), job._next_target([]), job.settings, job.model, job.cache)
        job._record(exported.files, 0)
        [file] = job.files()
        job._upload(file)  # uploaded, then "killed" before the id was recorded
        assert api.uploads == 1
        assert runner.invoke(app, ["batch", "submit", "seeds/"]).exit_code == 0
        assert (api.uploads, api.created) == (1, 1)


def test_failed_and_expired_requests_are_listed_and_only_they_are_sent_again(tmp_path: Path, endpoint: Any) -> None:
    failing = {SEEDS[2].stem}

    def model(body: dict[str, Any]) -> dict[str, Any] | None:
        return None if any(f'id="{stem}"' in body["messages"][-1]["content"] for stem in failing) else lead_answer(body)

    with endpoint(FakeBatchAPI(answer=model)) as api:
        assert runner.invoke(app, ["batch", "submit", "seeds/"]).exit_code == 0
        _poll_until_done()
        out = tmp_path / "briefs"
        collected = runner.invoke(app, ["batch", "collect", "seeds/", "-o", str(out)])
        assert collected.exit_code == 1
        assert SEEDS[2].name in collected.stderr and "failed in the batch" in collected.stderr
        assert len(list(out.iterdir())) == len(SEEDS) - 1
        failing.clear()  # the model works now: the next round sends only the request that failed
        resubmitted = runner.invoke(app, ["batch", "submit", "seeds/"])
        assert resubmitted.exit_code == 0 and (api.uploads, api.created) == (2, 2)
        second = api.files[sorted(api.files, key=lambda k: int(k.split("-")[1]))[-1]]
        assert len(second["content"].decode().splitlines()) == 1
        _poll_until_done()
        assert runner.invoke(app, ["batch", "collect", "seeds/", "-o", str(out)]).exit_code == 0
    assert len(list(out.iterdir())) == len(SEEDS)


def test_cancel_stops_the_open_batches(endpoint: Any) -> None:
    with endpoint(FakeBatchAPI()) as api:
        assert runner.invoke(app, ["batch", "submit", "seeds/"]).exit_code == 0
        cancelled = runner.invoke(app, ["batch", "cancel", "seeds/"])
        assert cancelled.exit_code == 0 and "cancelled 1 batch" in cancelled.stderr
        assert [batch["status"] for batch in api.batches.values()] == ["cancelled"]


def _sync_briefing(tmp_path: Path, inputs: list[str]) -> str:
    """The same day made synchronously, the model answering as the fake batch API does."""
    from summarizer import daily_briefing
    from summarizer.memory.store import StoryMemory
    from summarizer.providers.batch_results import request_body
    from summarizer.testing import FunctionProvider

    settings = Settings.from_env().with_overrides(  # an endpoint's settings (its context size), as the batch runs had
        brief_cache_dir=tmp_path / "sync-cache", api_key="sk-test-batch", base_url="http://127.0.0.1:9/v1"
    )

    def answer(request: Any) -> dict[str, Any]:
        return lead_answer(request_body(request, "gpt-4o-mini"))

    provider = FunctionProvider(answer, name="batch", model="gpt-4o-mini", context_tokens=settings.context_budget())
    provider.endpoint = "file"
    memory = StoryMemory(tmp_path / "sync-memory.sqlite")  # a first day, as the batch runs' own memory holds it
    return daily_briefing(inputs, provider=provider, settings=settings, date=DAY, memory=memory).markdown


DAY = __import__("datetime").date(2026, 11, 22)


def _story_sections(markdown: str) -> str:
    """The briefing without its footer line (which names the provider and counts requests)."""
    return markdown.split("\n---\n")[0]


def test_daily_batch_runs_in_stages_to_the_briefing_the_synchronous_run_writes(tmp_path: Path, endpoint: Any) -> None:
    out = tmp_path / "day.md"
    args = ["daily", "tests/data/M000", "-o", str(out), "--date", "2026-11-22", "--batch", "-q"]
    stages = []
    with endpoint(FakeBatchAPI()) as api:
        for _ in range(12):
            result = runner.invoke(app, args)
            assert result.exit_code in (0, 1), result.stderr
            stages.append(result.stderr.split(":")[1].strip())
            memory = StoryMemory(Path(os.environ["SUMMARIZER_MEMORY"]))
            recorded = memory.briefing_days("9999-12-31") if memory.path.exists() else []
            assert recorded == (["2026-11-22"] if stages[-1] == "done" else []), "only the finished day is recorded"
            if stages[-1] == "done":
                break
    assert stages[0] == "briefs" and "syntheses" in stages and stages[-1] == "done"
    assert api.uploads == api.created == 2, "one batch of briefs, one of the stories' synthesis requests"
    assert _story_sections(out.read_text(encoding="utf-8")) == _story_sections(_sync_briefing(tmp_path, ["tests/data/M000"]))
    batch_memory, sync_memory = StoryMemory(Path(os.environ["SUMMARIZER_MEMORY"])), StoryMemory(tmp_path / "sync-memory.sqlite")
    assert batch_memory.stories() == sync_memory.stories(), "the batch day records what the synchronous run records"


def test_daily_batch_killed_in_every_stage_uploads_nothing_twice_and_loses_nothing(tmp_path: Path) -> None:
    """Each command a separate process, as cron runs it; SIGKILLed once in each stage at the worst moment."""
    import os
    import subprocess

    out = tmp_path / "day.md"
    summarizer = SUMMARIZER
    args = [*summarizer, "daily", "tests/data/M000", "-o", str(out), "--date", "2026-11-22", "--batch", "-q"]
    with FakeBatchAPI() as api:
        base = {**os.environ, "OPENAI_BASE_URL": api.base_url, "OPENAI_API_KEY": "sk-test-batch"}

        def run(crash: str | None = None) -> subprocess.CompletedProcess[str]:
            env = {**base, **({"SUMMARIZER_CRASH_AT": crash} if crash else {})}
            return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)

        assert run("uploaded").returncode == -9  # briefs stage: killed after the upload, before recording it
        results = [run()]
        assert run("downloaded").returncode in (-9, 0)  # killed after downloading results, or still waiting
        created = api.created
        while "syntheses" not in results[-1].stderr and len(results) < 8:
            results.append(run())
        assert run("created").returncode in (-9, 0)  # synthesis stage (or already sent): killed after creating a batch
        while not results[-1].stderr.startswith("summarizer: done") and len(results) < 16:
            results.append(run())
        assert results[-1].returncode == 0 and results[-1].stderr.startswith("summarizer: done"), results[-1].stderr
    assert api.uploads == 2 and api.created == 2 and created >= 1, (api.uploads, api.created)
    assert _story_sections(out.read_text(encoding="utf-8")) == _story_sections(_sync_briefing(tmp_path, ["tests/data/M000"]))


def test_an_expired_batch_leaves_its_unanswered_requests_for_the_next_submit_and_the_ledger_prices_them_as_batch(
    tmp_path: Path, endpoint: Any
) -> None:
    from summarizer.providers.ledger import Ledger

    api = FakeBatchAPI(expire=True)
    with endpoint(api):
        assert runner.invoke(app, ["batch", "submit", "seeds/"]).exit_code == 0
        _poll_until_done()
        out = tmp_path / "briefs"
        collected = runner.invoke(app, ["batch", "collect", "seeds/", "-o", str(out)])
        assert collected.exit_code == 1 and "no result for request" in collected.stderr
        answered = len(list(out.iterdir()))
        assert 0 < answered < len(SEEDS)
        api.expire = False
        assert runner.invoke(app, ["batch", "submit", "seeds/"]).exit_code == 0
        second = api.files[sorted(api.files, key=lambda k: int(k.split("-")[1]))[-1]]
        assert len(second["content"].decode().splitlines()) == len(SEEDS) - answered, "only the unanswered go again"
        _poll_until_done()
        assert runner.invoke(app, ["batch", "collect", "seeds/", "-o", str(out)]).exit_code == 0
    assert len(list(out.iterdir())) == len(SEEDS)
    ledger = Ledger(Settings.from_env().ledger_path)  # type: ignore[arg-type]
    rows = [row for run in ledger.runs() for row in ledger.requests(run.run_id)]
    ledger.close()
    ok = [row for row in rows if row["outcome"] == "ok"]
    assert ok and all(row["provider"] == "batch" for row in ok)
    batch_price = (100 * 0.075 + 20 * 0.30) / 1_000_000  # gpt-4o-mini at half its price: 100 prompt, 20 output tokens
    assert all(row["cost"] == pytest.approx(batch_price) for row in ok)


def test_collect_finish_sync_briefs_what_failed_through_the_synchronous_api(tmp_path: Path, endpoint: Any) -> None:
    failing = {SEEDS[1].stem}

    def model(body: dict[str, Any]) -> dict[str, Any] | None:
        return None if any(f'id="{stem}"' in body["messages"][-1]["content"] for stem in failing) else lead_answer(body)

    api = FakeBatchAPI(answer=model)
    with endpoint(api):
        assert runner.invoke(app, ["batch", "submit", "seeds/"]).exit_code == 0
        _poll_until_done()
        failing.clear()  # the synchronous endpoint answers it
        out = tmp_path / "briefs"
        collected = runner.invoke(app, ["batch", "collect", "seeds/", "-o", str(out), "--finish-sync"])
        assert collected.exit_code == 0, collected.stderr
    assert len(list(out.iterdir())) == len(SEEDS) and api.synchronous == 1
