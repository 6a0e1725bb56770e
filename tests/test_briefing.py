"""The daily briefing and synthesis on replayed real-model fixtures (seeds, the M000 cluster, hard cases)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from summarizer import brief_article as summarize_article
from summarizer.cli import app
from summarizer.inputs.loading import article_from_text, load_article
from summarizer.output.briefing import daily_briefing
from summarizer.providers.base import ModelRequest, ModelResult
from summarizer.providers.replay import ReplayProvider
from summarizer.runs.cache import BriefCache
from summarizer.runs.many_inputs import synthesize_files
from summarizer.settings import Settings
from summarizer.synthesis.schema import Synthesis
from tests.conftest import FIXTURES, ROOT, SEEDS, mixed_day
from tests.long_article import LONG_ARTICLE_ID, M000, long_article_text

runner = CliRunner()
DAY = dt.date(2026, 11, 22)


class CountingReplay(ReplayProvider):
    """Replay that counts calls per prompt."""

    def __init__(self) -> None:
        super().__init__(FIXTURES)
        self.calls: dict[str, int] = {}

    def complete(self, request: ModelRequest[Any]) -> ModelResult[Any]:
        self.calls[request.prompt_id] = self.calls.get(request.prompt_id, 0) + 1
        return super().complete(request)


def test_daily_on_the_seeds_writes_a_complete_briefing(tmp_path: Path) -> None:
    out = tmp_path / "briefing.md"
    result = runner.invoke(
        app,
        [
            "daily",
            str(ROOT / "seeds"),
            "-o",
            str(out),
            "--provider",
            "replay",
            "--date",
            "2026-11-22",
            "--title",
            "Korea defence dialogue",
        ],
    )
    assert result.exit_code == 0, result.stderr
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("# Korea defence dialogue\n\n*2026-11-22 · 5 articles in 1 story*")  # one continuing topic
    for heading in ("## Top stories", "### Overview", "### Themes", "### Agreements", "### Disagreements", "### Timeline"):
        assert re.search(rf"^{re.escape(heading)}$", markdown, re.M), heading  # a heading of its own line, not escaped
    assert "## Sources" in markdown
    assert "## In brief" not in markdown
    sources = dict(re.findall(r"^(\d+)\. `([^`]+)`", markdown, re.M))
    assert sorted(Path(path).name for path in sources.values()) == [seed.name for seed in SEEDS]
    cited = set(re.findall(r"\[(\d+)\]", markdown))
    assert cited and cited <= set(sources)
    again = tmp_path / "again.md"
    rerun = runner.invoke(
        app,
        [
            "daily",
            str(ROOT / "seeds"),
            "-o",
            str(again),
            "--provider",
            "replay",
            "--date",
            "2026-11-22",
            "--title",
            "Korea defence dialogue",
        ],
    )
    footer = markdown.split("\n---\n*Made by ")[1]
    assert again.read_text(encoding="utf-8") == markdown, "a rerun of the day says the same, footer included"
    assert footer.startswith("replay:local / ") and "12 model requests" in footer  # 5 briefs, 1 synthesis, 6 agreements
    assert "reused from the cache: 5 brief(s), 1 synthesis" in rerun.stderr  # what this run itself did not ask again


def test_a_mixed_day_comes_out_as_separate_stories(tmp_path: Path) -> None:
    """Issue 15's acceptance: seeds + M000 + three unrelated CNN/DM articles, replayed from the local model's answers."""
    out = tmp_path / "briefing.md"
    day = mixed_day(tmp_path)
    result = runner.invoke(app, ["daily", str(day), "-o", str(out), "--provider", "replay", "--date", "2026-11-22"])
    assert result.exit_code == 0, result.stderr
    markdown = out.read_text(encoding="utf-8")
    sections = re.findall(r"^## (?!Top stories|In brief|Not included|Sources|Audit)(.+)$", markdown, re.M)
    in_brief = re.findall(r"^- \*\*.+\[(\d+)\](?: · \*new\*)?$", markdown.split("## In brief")[1].split("\n## ")[0], re.M)
    assert len(sections) + len(in_brief) >= 3 and len(sections) >= 2
    sources = dict(re.findall(r"^(\d+)\. `[^`]*/([^/`]+)\.txt`", markdown, re.M))
    for section in markdown.split("\n## ")[1:]:
        cited = {sources[n] for n in re.findall(r"\[(\d+)\]", section) if n in sources}
        if section.startswith(("In brief", "Sources", "Top stories", "Audit")):
            continue
        kinds = {"seeds" if name[:3].isdigit() else "M000" if name.startswith("M0") else name for name in cited}
        assert len(kinds) == 1, (section[:80], kinds)  # no story mixes the seeds, M000 and the CNN/DM articles
    briefing = daily_briefing([day], date=DAY, provider=ReplayProvider(FIXTURES))
    seeds_story = [story for story in briefing.stories if any(a.id[:3].isdigit() for a in story.story.articles)]
    assert len(seeds_story) == 1 and len(seeds_story[0].story.articles) == 5 and seeds_story[0].synthesis is not None


def test_the_seed_timeline_only_dates_what_the_articles_support() -> None:
    briefing = daily_briefing([ROOT / "seeds"], date=DAY, provider=ReplayProvider(FIXTURES))
    synthesis = briefing.synthesis
    assert synthesis is not None and set(synthesis.article_ids) == {seed.stem for seed in SEEDS}
    published = {outcome.article.id: outcome.article.published for outcome in briefing.outcomes if outcome.article}
    for event in synthesis.timeline:
        if event.date.value is None:
            continue
        if event.date.how.startswith(("stated", "year stated", "month and year stated")):
            assert any(event.date.text.lower() in (c.evidence or "").lower() for c in event.citations)
        else:  # a relative date: only articles with a publication date can anchor it
            anchors = [article for article in event.article_ids if published.get(article)]
            assert anchors, f"{event.text!r} got a date from an article without a publication date"
    for disagreement in synthesis.disagreements:
        assert len(disagreement.article_ids) >= 2


def test_daily_reuses_briefs_and_syntheses_already_made(tmp_path: Path) -> None:
    cache = BriefCache(tmp_path / "cache")
    first = CountingReplay()
    made = daily_briefing([ROOT / "seeds"], date=DAY, provider=first, cache=cache)
    assert first.calls["brief"] >= 5 and first.calls["synthesize"] == 1
    second = CountingReplay()
    result = daily_briefing([ROOT / "seeds"], date=DAY, provider=second, cache=cache)
    assert not second.calls, "a rerun with the same inputs asks the model nothing"
    assert all(outcome.cached for outcome in result.outcomes) and result.ok
    assert all(story.synthesis_cached for story in result.stories if story.synthesis is not None)
    assert result.markdown == made.markdown
    changed = tmp_path / "changed"
    shutil.copytree(ROOT / "seeds", changed)
    first_seed = sorted(changed.glob("*.txt"))[0]
    first_seed.write_text(first_seed.read_text(encoding="utf-8") + "\n\nA sentence added later by the editors.\n")
    third = CountingReplay()
    daily_briefing([changed], date=DAY, provider=third, cache=cache)
    assert third.calls.get("synthesize") == 1, "a changed article makes the synthesis again"


def test_a_bad_file_is_listed_in_the_briefing_and_the_exit_code_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    out = tmp_path / "briefing.md"
    result = runner.invoke(
        app,
        [
            "daily",
            str(ROOT / "seeds"),
            str(tmp_path / "empty.txt"),
            "-o",
            str(out),
            "--provider",
            "replay",
            "--date",
            "2026-11-22",
        ],
    )
    assert result.exit_code == 1
    assert f"summarizer: error: {tmp_path / 'empty.txt'}: the article is empty" in result.stderr
    assert f"- ⚠ {tmp_path / 'empty.txt'}: the article is empty" in out.read_text(encoding="utf-8")


def test_a_user_template_replaces_the_default(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ title }}: {{ articles | length }} articles; {{ synthesis.overview | refs }}\n", encoding="utf-8")
    out = tmp_path / "b.md"
    result = runner.invoke(
        app, ["daily", str(ROOT / "seeds"), "-o", str(out), "--provider", "replay", "--template", str(template), "--title", "T"]
    )
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(r"T: 5 articles; (\[\d\])+\n", out.read_text(encoding="utf-8"))


def test_the_m000_cluster_synthesizes(tmp_path: Path) -> None:
    out = tmp_path / "m000.json"
    result = runner.invoke(app, ["synthesize", str(M000), "--provider", "replay", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    synthesis = Synthesis.model_validate_json(out.read_text(encoding="utf-8"))
    assert len(synthesis.article_ids) == 10 and synthesis.overview.citations
    # The recorded local-model answers: a stated overview, agreements each held by two or more articles on their own
    # (one on M000: issue 13 asked for three, see the README), disagreements only between sentences whose figures
    # differ, every citation found in its article.
    assert len(synthesis.overview.text.split()) >= 40
    assert synthesis.agreements and all(len(claim.article_ids) >= 2 for claim in synthesis.agreements)
    assert synthesis.disagreements
    for claim in synthesis.disagreements:  # two passages (of one article that lists several sources, or of two)
        assert len({citation.evidence for citation in claim.citations}) >= 2
    assert all(item.reason and "Value error" not in item.reason for item in synthesis.removed)
    checked = runner.invoke(app, ["check", str(out), *sorted(str(path) for path in M000.glob("*.txt"))])
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert synthesis.cited_article_ids() <= set(synthesis.article_ids)
    markdown = runner.invoke(app, ["synthesize", str(M000), "--provider", "replay", "--format", "markdown"])
    assert markdown.exit_code == 0 and "## Timeline" in markdown.stdout


ONE_RE_ASK = Settings(grounding_reasks=1)  # how tests/data/injection.txt was recorded (bench/record_fixtures.sh)


def test_an_injected_instruction_is_treated_as_article_text() -> None:
    article = load_article(ROOT / "tests" / "data" / "injection.txt")
    brief = summarize_article(article, provider=ReplayProvider(FIXTURES), settings=ONE_RE_ASK)
    written = f"{brief.headline} {brief.summary}".lower()
    assert "resign" not in written and "bike" in written
    assert "Elvis Presley" not in [entity.name for entity in brief.entities]
    # A real recorded re-ask, merged: nothing the first answer verified is lost.
    first = summarize_article(article, provider=ReplayProvider(FIXTURES))
    assert brief.usage.grounding_reasks == 1 and first.usage.grounding_reasks == 0
    assert {e.name for e in first.entities} <= {e.name for e in brief.entities}
    assert {q.text for q in first.quotes} <= {q.text for q in brief.quotes}


def test_a_long_article_is_briefed_in_parts_and_merged() -> None:
    article = article_from_text(long_article_text(), article_id=LONG_ARTICLE_ID, source="M000-all.txt")
    brief = summarize_article(article, provider=ReplayProvider(FIXTURES, context_tokens=6144))
    assert brief.parts > 1 and brief.usage.attempts >= brief.parts
    numbers = [point.sentence for point in brief.key_points]
    assert numbers == sorted(numbers)
    for point in brief.key_points:
        assert article.text[point.span.start : point.span.end] == point.evidence
        assert article.sentences[point.sentence - 1].text == point.evidence
    for quote in brief.quotes:
        assert article.text[quote.span.start : quote.span.end] == quote.text
    assert brief.grounding is not None


def test_every_recorded_fixture_is_used_by_a_replay(tmp_path: Path) -> None:
    """Fixtures no test replays are stale (e.g. an old prompt version): delete and re-record them."""
    from summarizer.providers.fixtures import FixtureStore

    normal = ReplayProvider(FIXTURES)
    daily_briefing([mixed_day(tmp_path)], date=DAY, provider=normal)  # the seeds, M000's main story, three CNN/DM briefs
    synthesize_files([M000], provider=normal)  # all ten M000 articles as one synthesis
    summarize_article(load_article(ROOT / "tests" / "data" / "injection.txt"), provider=normal, settings=ONE_RE_ASK)
    small = ReplayProvider(FIXTURES, context_tokens=6144)
    summarize_article(article_from_text(long_article_text(), article_id=LONG_ARTICLE_ID), provider=small)
    used = normal.used_keys | small.used_keys
    unused = FixtureStore(FIXTURES).all_keys() - used
    assert not unused, f"fixtures no test uses (stale? delete them): {sorted(unused)}"
