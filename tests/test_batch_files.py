"""Batch files: brief requests exported in the OpenAI batch format, briefs imported from results (vllm run-batch)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import brief_article
from summarizer.cli import app
from summarizer.inputs.loading import article_from_text
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.providers.policy import RequestPolicy
from summarizer.testing import fake_run_batch, lead_answer
from tests.conftest import SEEDS
from tests.fake_openai import FakeOpenAIServer, completion

runner = CliRunner()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_exported_request_is_the_body_the_synchronous_path_sends(tmp_path: Path) -> None:
    text = "Acme Corp said on Monday it will close its Leeds plant. About 300 workers are affected."
    (tmp_path / "acme.txt").write_text(text, encoding="utf-8")
    requests = tmp_path / "requests.jsonl"
    result = runner.invoke(app, ["batch", "export", str(tmp_path / "acme.txt"), "-o", str(requests), "--model", "m1"])
    assert result.exit_code == 0, result.stderr
    [line] = _lines(requests)
    assert line["method"] == "POST" and line["url"] == "/v1/chat/completions" and line["custom_id"].startswith("brief-")
    answer = {"headline": "Acme to close Leeds plant", "summary": "Acme will close its Leeds plant.", "key": [1], "quotes": []}
    with FakeOpenAIServer([completion(json.dumps(answer))]) as server:
        provider = OpenAICompatibleProvider(model="m1", base_url=server.base_url, api_key="k", policy=RequestPolicy())
        brief_article(article_from_text(text, article_id="acme", source=str(tmp_path / "acme.txt")), provider=provider)
    assert line["body"] == server.requests[0]


def test_results_become_briefs_and_what_failed_is_exported_again(tmp_path: Path) -> None:
    requests, results, out = tmp_path / "requests.jsonl", tmp_path / "results.jsonl", tmp_path / "briefs"
    assert runner.invoke(app, ["batch", "export", "seeds/", "-o", str(requests)]).exit_code == 0
    lines = _lines(requests)
    assert len(lines) == len(SEEDS) and len({line["custom_id"] for line in lines}) == len(SEEDS)
    failing, invalid = lines[1]["custom_id"], lines[3]["custom_id"]

    def model(body: dict[str, Any]) -> dict[str, Any] | str | None:
        identity = next(line["custom_id"] for line in lines if line["body"] == body)
        return None if identity == failing else "not json" if identity == invalid else lead_answer(body)

    assert fake_run_batch(requests, results, model) == len(SEEDS)
    imported = runner.invoke(app, ["batch", "import", str(results), "seeds/", "-o", str(out)])
    assert imported.exit_code == 1
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{seed.stem}.brief.json" for n, seed in enumerate(SEEDS) if n not in (1, 3)
    )
    errors = [line for line in imported.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert len(errors) == 2 and SEEDS[1].name in errors[0] and "failed in the batch" in errors[0]
    assert SEEDS[3].name in errors[1] and "invalid answer" in errors[1]
    again = tmp_path / "again.jsonl"
    assert runner.invoke(app, ["batch", "export", "seeds/", "-o", str(again)]).exit_code == 0
    assert sorted(line["custom_id"] for line in _lines(again)) == sorted([failing, invalid])
    brief = json.loads((out / f"{SEEDS[0].stem}.brief.json").read_text(encoding="utf-8"))
    assert brief["generated_by"]["provider"] == "batch" and brief["grounding"]["counts"]


def test_a_missing_results_file_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", "import", str(tmp_path / "none.jsonl"), "seeds/", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "cannot read the results file" in result.stderr


def test_a_large_export_is_split_into_files_within_the_batch_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.runs.batch_api import files as batch_files

    monkeypatch.setattr(batch_files, "MAX_REQUESTS_PER_FILE", 2)
    target = tmp_path / "requests.jsonl"
    assert runner.invoke(app, ["batch", "export", "seeds/", "-o", str(target)]).exit_code == 0
    written = sorted(tmp_path.glob("requests*.jsonl"))
    assert [path.name for path in written] == ["requests.2.jsonl", "requests.3.jsonl", "requests.jsonl"]
    assert sum(len(_lines(path)) for path in written) == len(SEEDS) and max(len(_lines(p)) for p in written) == 2
    assert not list(tmp_path.glob(".requests*")), "no temporary file left behind"


@pytest.mark.parametrize("run_log", ["kept", "off"])
def test_the_readme_round_trip_briefs_every_input_without_naming_the_model_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_log: str
) -> None:
    """README: export with --model, answer with run-batch, import with no --model: every input briefed.

    The model comes from the export's record in the run log, or (run log off)
    from the model the answers name, as vLLM writes it.
    """
    if run_log == "off":
        monkeypatch.setenv("SUMMARIZER_LEDGER", "off")
    requests, results, out = tmp_path / "requests.jsonl", tmp_path / "results.jsonl", tmp_path / "briefs"
    exported = runner.invoke(app, ["batch", "export", "seeds/", "-o", str(requests), "--model", "Qwen/Qwen2.5-7B-Instruct"])
    assert exported.exit_code == 0, exported.stderr
    assert fake_run_batch(requests, results, lead_answer) == len(SEEDS)
    imported = runner.invoke(app, ["batch", "import", str(results), "seeds/", "-o", str(out)])
    assert imported.exit_code == 0, imported.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{seed.stem}.brief.json" for seed in SEEDS)
    brief = json.loads((out / f"{SEEDS[0].stem}.brief.json").read_text(encoding="utf-8"))
    assert brief["generated_by"]["model"] == "Qwen/Qwen2.5-7B-Instruct"


def test_results_for_another_model_are_said_to_be_so_not_sent_again(tmp_path: Path) -> None:
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    assert runner.invoke(app, ["batch", "export", "seeds/", "-o", str(requests), "--model", "m1"]).exit_code == 0
    fake_run_batch(requests, results, lead_answer)
    imported = runner.invoke(app, ["batch", "import", str(results), "seeds/", "-o", str(tmp_path / "o"), "--model", "m2"])
    assert imported.exit_code == 1
    errors = [line for line in imported.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert len(errors) == len(SEEDS)
    assert all("(model m2) among the 5 results read" in line and "export again" not in line for line in errors)
