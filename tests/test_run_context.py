"""One run context: built once from the options, handed down by every entry point, the dry run included."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import RunContext, Settings, UsageError, brief_article, run_day
from summarizer.cli import app
from summarizer.inputs.window import DateWindow
from summarizer.providers.replay import ReplayProvider
from summarizer.runs.cache import BriefCache
from summarizer.stories.grouping import GroupingParams
from summarizer.testing import FunctionProvider
from tests.conftest import FIXTURES, SEEDS, mixed_day

runner = CliRunner()


def _stories_of_two_or_more(day: Path, threshold: str) -> int:
    listed = runner.invoke(app, ["stories", str(day), "-f", "json", "--story-threshold", threshold])
    assert listed.exit_code == 0, listed.stderr
    return sum(len(story["articles"]) >= 2 for story in json.loads(listed.stdout)["stories"])


def test_the_dry_run_counts_the_stories_the_run_would_group(tmp_path: Path) -> None:
    day = mixed_day(tmp_path)
    for threshold in ("0.3", "0.6"):
        dry = runner.invoke(app, ["daily", str(day), "--dry-run", "--provider", "replay", "--story-threshold", threshold])
        assert dry.exit_code == 0, dry.stderr
        counted = re.search(r"for (\d+) synthes[ie]s", dry.stdout)
        syntheses = int(counted.group(1)) if counted else 0
        assert syntheses == _stories_of_two_or_more(day, threshold), (threshold, dry.stdout)
    # Before, the dry run grouped with the defaults whatever the options: 2 syntheses at 0.6 too.
    assert _stories_of_two_or_more(day, "0.6") == 0 < _stories_of_two_or_more(day, "0.3")


def test_a_context_travels_to_another_process_without_its_provider_and_progress(tmp_path: Path) -> None:
    context = RunContext(
        settings=Settings(provider="replay", concurrency=3),
        cache=BriefCache(tmp_path / "briefs"),
        window=DateWindow(since=None, until=None),
        grouping=GroupingParams(story_threshold=0.35),
        provider=ReplayProvider(FIXTURES),
    )
    arrived = pickle.loads(pickle.dumps(context))
    assert arrived == context  # settings, cache folder, window and grouping
    assert arrived.provider is None and arrived.progress is None  # objects of this process stay behind
    assert arrived.cache is not None and arrived.cache.directory == tmp_path / "briefs"


def test_options_are_resolved_once_and_a_context_is_used_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CONCURRENCY", "7")
    provider = FunctionProvider(lambda request: {"headline": "A", "summary": "B.", "key": [1], "quotes": []})
    given = RunContext.of(provider=provider)
    assert given.settings == Settings()  # a provider given: the environment is not read
    assert RunContext.of().settings.concurrency == 7  # nothing given: the environment
    assert RunContext.of(given) is given
    with pytest.raises(UsageError, match="either a run context or its options"):
        brief_article(SEEDS[0], given, provider=provider)
    brief = brief_article(SEEDS[0], given)
    assert brief.generated_by.provider == "function" and provider.requests


def test_run_day_takes_a_context_and_gives_the_same_day_as_its_options() -> None:
    provider = ReplayProvider(FIXTURES)
    by_options = run_day(SEEDS, provider=provider, settings=Settings(concurrency=1))
    by_context = run_day(SEEDS, RunContext(settings=Settings(concurrency=1), provider=provider))
    assert [s.synthesis for s in by_options.stories] == [s.synthesis for s in by_context.stories]
    assert [o.brief for o in by_options.outcomes] == [o.brief for o in by_context.outcomes]


def test_brief_files_keeps_the_context_s_date_window(tmp_path: Path) -> None:
    from summarizer import brief_files

    (tmp_path / "old.md").write_text("# Old news\n\nPublished: 2020-01-02\n\nThe council met on Monday. It voted.\n")
    (tmp_path / "new.md").write_text("# New news\n\nPublished: 2026-11-30\n\nThe council met on Monday. It voted.\n")

    def answer(request: object) -> dict[str, object]:
        return {"headline": "The council met", "summary": "The council met on Monday.", "key": [1], "quotes": []}

    context = RunContext.of(provider=FunctionProvider(answer), window=DateWindow(since=dt.date(2026, 11, 1), until=None))
    outcomes = {Path(outcome.source).name: outcome for outcome in brief_files([tmp_path], context)}
    assert list(outcomes) == ["new.md"] and outcomes["new.md"].brief is not None  # old.md is outside the window


def test_the_dry_run_names_the_context_s_provider_not_the_settings(tmp_path: Path) -> None:
    from summarizer.runs.estimate import estimate_run

    context = RunContext.of(provider=FunctionProvider(lambda request: {}, name="mine", model="m-7"))
    estimate = estimate_run([str(SEEDS[0])], context, synthesis="none")
    assert (estimate.provider, estimate.model) == ("mine", "m-7")
