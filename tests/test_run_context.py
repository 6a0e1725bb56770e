"""One run context: built once from the options, handed down by every entry point, the dry run included."""

from __future__ import annotations

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
