"""Setup errors fail once, before any article, with exit 2; settings are read in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import ConfigError, ModelFileError, Settings, brief_files, synthesize_files
from summarizer.cli import app
from summarizer.providers.base import ModelRequest
from summarizer.testing import FunctionProvider
from tests.conftest import SEEDS

runner = CliRunner()


def test_a_model_file_that_is_not_a_model_fails_once_before_any_article(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    result = runner.invoke(app, ["brief", *map(str, SEEDS), "-o", str(tmp_path / "out"), "--model-path", str(fake)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"summarizer: error: {fake} is not a GGUF model file"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SUMMARIZER_THREADS", "two", "SUMMARIZER_THREADS must be an integer, got 'two'"),
        ("SUMMARIZER_THREADS", "0", "threads must be at least 1, got 0"),
        ("SUMMARIZER_SPECULATIVE", "eagle", "unknown speculative mode 'eagle'; use ngram"),
        ("SUMMARIZER_PROVIDER", "gemini", "unknown provider 'gemini'; choose one of openai, local, replay"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(
    variable: str, value: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    provider = [] if variable == "SUMMARIZER_PROVIDER" else ["--provider", "replay"]
    result = runner.invoke(app, ["daily", str(SEEDS[0]), "-o", str(tmp_path / "b.md"), *provider])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"summarizer: error: {message}"
    assert not (tmp_path / "b.md").exists()


def test_a_setup_error_during_the_run_stops_it_instead_of_failing_every_article() -> None:
    calls: list[str] = []

    def broken(request: ModelRequest[Any]) -> dict[str, Any]:
        calls.append(request.prompt_id)
        raise ModelFileError("the model file vanished")

    with pytest.raises(ModelFileError):
        list(brief_files(SEEDS, provider=FunctionProvider(broken)))
    assert calls == ["brief"]  # asked once, not once per article
    with pytest.raises(ModelFileError):
        synthesize_files(SEEDS, provider=FunctionProvider(broken))


def test_a_run_error_names_its_input_and_the_others_go_on(tmp_path: Path) -> None:
    from summarizer.errors import ProviderError

    def flaky(request: ModelRequest[Any]) -> dict[str, Any]:
        raise ProviderError("no valid answer after 3 tries")

    outcomes = list(brief_files(SEEDS[:2], provider=FunctionProvider(flaky)))
    assert [outcome.error for outcome in outcomes] == [
        f"{SEEDS[0]}: no valid answer after 3 tries",
        f"{SEEDS[1]}: no valid answer after 3 tries",
    ]


def test_library_calls_given_settings_or_a_provider_do_not_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer import brief_article

    monkeypatch.setenv("SUMMARIZER_GROUNDING_REASKS", "3")
    monkeypatch.setenv("SUMMARIZER_THREADS", "not a number")  # would fail if anything read it
    answers: list[ModelRequest[Any]] = []

    def answer(request: ModelRequest[Any]) -> dict[str, Any]:
        answers.append(request)
        return {"headline": "Invented", "summary": "Nobody said this.", "key": [1], "quotes": []}

    brief = brief_article(SEEDS[0], provider=FunctionProvider(answer))
    assert len(answers) == 1 and brief.usage.grounding_reasks == 0  # the environment's 3 re-asks were not taken
    with pytest.raises(ConfigError, match="SUMMARIZER_THREADS"):
        Settings.from_env()


def test_settings_hold_the_two_cache_folders_apart_and_keep_the_old_name(tmp_path: Path) -> None:
    old = Settings.from_env({"SUMMARIZER_CACHE_DIR": str(tmp_path / "c")})
    assert old.model_dir == tmp_path / "c" / "models"
    new = Settings.from_env({"SUMMARIZER_MODEL_DIR": str(tmp_path / "m"), "SUMMARIZER_BRIEF_CACHE_DIR": str(tmp_path / "b")})
    assert (new.model_dir, new.brief_cache_dir) == (tmp_path / "m", tmp_path / "b")
    assert "sk-secret" not in repr(Settings(api_key="sk-secret"))


def test_version() -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"summarizer {version('summarizer')}"
