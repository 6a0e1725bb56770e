"""Story memory across days: M000 replayed day by day, a feed that keeps its old entries, reruns, a killed writer."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import SetupError
from summarizer.inputs.building import article_from_text
from summarizer.memory.matching import EarlierStory, Match, TodayStory, match_stories
from summarizer.memory.signature import Signature
from summarizer.memory.store import MemoryBusy, StoryMemory
from summarizer.output.briefing import DailyBriefing, daily_briefing
from summarizer.settings import Settings
from summarizer.testing import lead_provider
from tests.web_server import Page, WebServer

ROOT = Path(__file__).resolve().parents[1]
M000 = ROOT / "tests/data/M000"
UNRELATED = sorted((ROOT / "tests/data/cnndm").glob("*.txt")) + sorted((ROOT / "tests/data/sport").glob("*.txt"))
runner = CliRunner()


def _settings() -> Settings:
    return Settings(brief_cache_dir=None, page_cache_dir=None, ledger_path=None, memory_path=None)


def _m000_days(folder: Path) -> list[tuple[dt.date, Path]]:
    """M000 in one folder per publication date, with an unrelated CNN / Daily Mail article added to each day."""
    by_day: dict[dt.date, list[Path]] = {}
    for path in sorted(M000.glob("*.txt")):
        published = article_from_text(path.read_text(encoding="utf-8"), article_id=path.stem, source=path.stem).published
        assert published is not None
        by_day.setdefault(published, []).append(path)
    days = []
    for number, (day, paths) in enumerate(sorted(by_day.items())):
        target = folder / day.isoformat()
        target.mkdir(parents=True)
        for path in [*paths, UNRELATED[number % len(UNRELATED)]]:
            shutil.copy(path, target / path.name)
        days.append((day, target))
    return days


def _briefing(inputs: list[Path], day: dt.date, memory: StoryMemory) -> tuple[DailyBriefing, int]:
    provider = lead_provider()
    briefing = daily_briefing(inputs, provider=provider, settings=_settings(), memory=memory, date=day)
    return briefing, len(provider.requests)


def _story_of(briefing: DailyBriefing, article_id: str):  # noqa: ANN202 - a StoryRun
    return next(run for run in briefing.stories if article_id in {a.id for a in run.story.all_articles})


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[dt.date, Path]], dict[str, DailyBriefing], Path]:
    """M000 day by day through one memory (matched 90 days back: the cluster spans five months)."""
    folder = tmp_path_factory.mktemp("m000-days")
    memory = StoryMemory(folder / "memory.sqlite", days=90)
    days = _m000_days(folder / "days")
    briefings = {}
    for day, inputs in days:
        briefings[day.isoformat()], _ = _briefing([inputs], day, memory)
    return days, briefings, folder / "memory.sqlite"


def test_the_tsunami_story_keeps_its_id_and_later_days_say_what_changed_since(replayed) -> None:  # noqa: ANN001
    _, briefings, _ = replayed
    first = _story_of(briefings["2004-12-29"], "M0006")
    assert first.memory is not None and first.memory.status == "new" and not first.since
    tsunami = first.memory.id
    continued = (("2005-01-01", "M0008"), ("2005-01-18", "M0004"), ("2005-01-20", "M0009"), ("2005-03-26", "M0007"))
    matched = {day: _story_of(briefings[day], article_id).memory for day, article_id in continued}
    assert {day: status.id for day, status in matched.items() if status} == dict.fromkeys(matched, tsunami)
    assert all(status is not None and status.status in ("developing", "back") for status in matched.values())
    later = _story_of(briefings["2005-01-01"], "M0008")
    figures = [item for item in later.since if item.kind == "figure"]
    assert any(item.text.startswith("deaths: 80,000 people on 2004-12-29 → ") for item in figures), later.since
    for item in later.since:  # each item cites a new article and its passage
        article = next(a for a in later.story.all_articles if a.id == item.citation.article_id)
        assert later.memory is not None and later.memory.is_new(article.id)
        assert item.start is not None and item.end is not None and article.text[item.start : item.end] == item.citation.evidence
    markdown = briefings["2005-01-01"].markdown
    assert "### Since 2004-12-29" in markdown or "Since 2004-12-29: " in markdown
    assert "Across the story's days: deaths: 80,000 people on 2004-12-29 → " in markdown
    march = _story_of(briefings["2005-03-26"], "M0007")  # the timeline reaches back to days this input does not hold
    assert any(event.input_id == "M0009" and event.date == "2005-01-23" for event in march.earlier), march.earlier
    assert "Earlier in the story: 2005-01-23 — " in briefings["2005-03-26"].markdown
    unrelated = _story_of(briefings["2005-01-01"], UNRELATED[2].stem)
    assert unrelated.memory is not None and unrelated.memory.status == "new"


def test_a_day_of_articles_all_shown_before_is_no_new_reporting_with_no_model_request(replayed, tmp_path: Path) -> None:  # noqa: ANN001
    days, _, path = replayed
    copy = tmp_path / "memory.sqlite"
    shutil.copy(path, copy)
    briefing, requests = _briefing([days[0][1], days[2][1]], dt.date(2005, 6, 1), StoryMemory(copy, days=365))
    assert requests == 0
    assert briefing.stories and all(run.quiet for run in briefing.stories)
    assert "## No new reporting" in briefing.markdown and "## In brief" not in briefing.markdown


def test_rerunning_a_day_gives_the_same_briefing_byte_for_byte(replayed, tmp_path: Path) -> None:  # noqa: ANN001
    days, briefings, path = replayed
    copy = tmp_path / "memory.sqlite"
    shutil.copy(path, copy)
    memory = StoryMemory(copy, days=90)
    for day, inputs in (days[2], days[4]):  # earlier days, with later days already recorded
        again, _ = _briefing([inputs], day, memory)
        assert again.markdown == briefings[day.isoformat()].markdown
    again, _ = _briefing([days[4][1]], days[4][0], memory)  # twice in a row: the day replaced, never "no new reporting"
    assert again.markdown == briefings[days[4][0].isoformat()].markdown


def test_old_feed_entries_are_never_listed_as_new(loopback_allowed: None, tmp_path: Path) -> None:
    pages = {
        f"/{path.stem}.html": Page(f"<html><body><article>{path.read_text(encoding='utf-8')}</article></body></html>".encode())
        for path in [*sorted(M000.glob("*.txt"))[:4], *UNRELATED[:2]]
    }
    names = [name.lstrip("/") for name in pages]
    memory = StoryMemory(tmp_path / "memory.sqlite")
    shown: dict[str, set[str]] = {}
    with WebServer(pages) as web:
        for number in range(3):  # the feed gains two entries a day and keeps the old ones
            items = "".join(f"<item><title>{n}</title><link>{web.url('/' + n)}</link></item>" for n in names[: 2 * number + 2])
            pages["/feed.xml"] = Page(f'<rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode(),
                                      "application/rss+xml")  # fmt: skip
            provider = lead_provider()
            day = dt.date(2026, 12, 1) + dt.timedelta(days=number)
            settings = Settings(brief_cache_dir=None, page_cache_dir=None, ledger_path=None, allow_private_addresses=True)
            briefing = daily_briefing([web.url("/feed.xml")], provider=provider, settings=settings, memory=memory, date=day)
            new = {a.id for run in briefing.stories for a in run.story.all_articles if run.memory and run.memory.is_new(a.id)}
            old = {a.id for run in briefing.stories for a in run.story.all_articles} - new
            assert old == set().union(*shown.values()), f"day {number + 1}: shown before = every earlier entry"
            assert not new & old
            shown[day.isoformat()] = new
            briefed = {brief.article_id for brief in briefing.briefs}
            quiet = {a.id for run in briefing.stories if run.quiet for a in run.story.all_articles}
            assert not briefed & quiet, "a story with nothing new is not briefed again"
    assert [len(ids) for ids in shown.values()] == [2, 2, 2]


def test_a_second_writer_stops_with_a_clear_message_and_the_cli_exits_2(tmp_path: Path) -> None:
    memory = StoryMemory(tmp_path / "memory.sqlite")
    with memory.writing():
        with pytest.raises(MemoryBusy, match="in use by another run"):
            with memory.writing():
                pass
        (tmp_path / "a.txt").write_text((M000 / "M0006.txt").read_text(encoding="utf-8"), encoding="utf-8")
        result = runner.invoke(app, ["daily", str(tmp_path / "a.txt"), "-o", str(tmp_path / "b.md"),
                                     "--memory", str(memory.path), "--provider", "replay"])  # fmt: skip
        assert result.exit_code == 2 and "in use by another run" in result.output
        assert not (tmp_path / "b.md").exists()
    assert isinstance(MemoryBusy("x"), SetupError)


_KILLED_WRITER = """
import sys, numpy as np
from pathlib import Path
from summarizer.memory.records import FigureRecord, StoryDay
from summarizer.memory.signature import Signature
from summarizer.memory.store import StoryMemory
memory = StoryMemory(Path(sys.argv[1]))
signature = Signature(np.ones(256, dtype=np.float32), {1: 1.0})
figures = [FigureRecord("deaths", "", float(n), str(n), "2026-12-02", "a", "x" * 200) for n in range(20_000)]
stories = [StoryDay(f"s{n}", "2026-12-02", "new", "h", signature, figures=figures) for n in range(200)]
print("writing", flush=True)
memory.record("2026-12-02", stories, {})
print("written", flush=True)
"""


def test_a_writer_killed_mid_transaction_leaves_the_memory_as_it_was(replayed, tmp_path: Path) -> None:  # noqa: ANN001
    days, briefings, path = replayed
    copy = tmp_path / "memory.sqlite"
    shutil.copy(path, copy)
    before = StoryMemory(copy).stories()
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(copy)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    time.sleep(1.0)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the writer finished before it was killed: make it write more"
    memory = StoryMemory(copy, days=90)
    assert memory.stories() == before and "2026-12-02" not in memory.briefing_days("9999-12-31")
    again, _ = _briefing([days[1][1]], days[1][0], memory)  # the memory still works, and says the same
    assert again.markdown == briefings[days[1][0].isoformat()].markdown


def test_daily_json_stories_history_and_forget_on_the_command_line(tmp_path: Path) -> None:
    days = _m000_days(tmp_path / "days")
    memory = tmp_path / "memory.sqlite"
    for day, inputs in days[:3]:
        result = runner.invoke(app, ["daily", str(inputs), "--date", day.isoformat(), "-o", str(tmp_path / f"{day}.md"),
                                     "--json", str(tmp_path / f"{day}.json"), "--memory", str(memory),
                                     "--memory-days", "30", "--provider", "replay"])  # fmt: skip
        assert result.exit_code in (0, 1), result.output
    third = json.loads((tmp_path / f"{days[2][0]}.json").read_text(encoding="utf-8"))
    assert third["date"] == days[2][0].isoformat()
    for story in third["stories"]:
        assert story["id"] and story["status"] in ("new", "developing", "back", "no new reporting")
        assert all(set(a) >= {"id", "new"} and ("path" in a or "url" in a) for a in story["articles"])
        for item in story["since"]:
            assert item["kind"] in ("figure", "event", "actor", "new")
            assert item["citation"] in {a["id"] for a in story["articles"]}
    endpoint = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "sk-test"}  # nothing listens: no request may go
    quiet = runner.invoke(app, ["daily", str(days[0][1]), "--date", "2005-06-01", "-o", str(tmp_path / "quiet.md"),
                                "--memory", str(memory), "--provider", "openai"], env=endpoint)  # fmt: skip
    assert quiet.exit_code == 0 and "## No new reporting" in (tmp_path / "quiet.md").read_text(encoding="utf-8")
    last_run = runner.invoke(app, ["runs"]).stdout.splitlines()[1].split()
    assert last_run[3:5] == ["0", "0"], "the run log shows the day's run with no model request"
    listed = runner.invoke(app, ["stories", str(days[0][1]), "--format", "json", "--memory", str(memory), "--date", "2005-01-02"])
    stories = json.loads(listed.stdout)["stories"]
    assert stories and all(s["status"] == "no new reporting" and s["id"] for s in stories)
    history = runner.invoke(app, ["history", "--memory", str(memory), "--json"])
    ids = [story["id"] for story in json.loads(history.stdout)]
    assert set(ids) >= {s["id"] for s in stories}
    one = runner.invoke(app, ["history", stories[0]["id"], "--memory", str(memory), "--json"])
    assert json.loads(one.stdout)["days"][0]["day"] == days[0][0].isoformat()
    forgot = runner.invoke(app, ["forget", "--before", days[1][0].isoformat(), "--memory", str(memory)])
    assert forgot.exit_code == 0 and "1 day(s)" in forgot.output
    assert StoryMemory(memory).briefing_days("9999-12-31") == [*(d.isoformat() for d, _ in days[1:3]), "2005-06-01"]
    off = runner.invoke(app, ["daily", str(days[0][1]), "-o", str(tmp_path / "off.md"), "--no-memory", "--provider", "replay"])
    assert "no new reporting" not in (tmp_path / "off.md").read_text(encoding="utf-8"), off.output


def test_an_overview_keeps_no_today_that_means_nothing_outside_its_article() -> None:
    from summarizer.synthesis.anchoring import anchored_claim
    from summarizer.synthesis.schema import Citation, Claim

    oxfam = article_from_text((M000 / "M0007.txt").read_text(encoding="utf-8"), article_id="M0007", source="M0007")
    lead = oxfam.sentences[0].text
    assert "Oxfam International today reveal" in lead and oxfam.published == dt.date(2005, 3, 26)
    claim = Claim(text=f"{lead} Relief work goes on today.", citations=[Citation(article_id="M0007", sentence=1, evidence=lead)])
    removed: list = []
    anchored = anchored_claim(claim, {"M0007": oxfam.published}, "overview", removed)
    assert "figures published by Oxfam International on 26 March 2005 reveal" in anchored.text
    assert anchored.text.endswith("Relief work goes on on 26 March 2005."), "the cited article's 'today' dates it"
    assert "today" not in anchored.text.casefold() and not removed
    other = Citation(article_id="M0006", sentence=1, evidence="The death toll continues to rise.")
    unsourced = anchored_claim(Claim(text="Aid arrived. More comes today.", citations=[other]), {"M0006": None}, "x", removed)
    assert unsourced.text == "Aid arrived." and [item.value for item in removed] == ["More comes today."]
    undated = anchored_claim(
        Claim(text=f"{lead} More came.", citations=claim.citations), {"M0007": None}, "overview", removed := []
    )
    assert undated.text == "More came." and removed[0].value == lead


def _signature(*terms: int) -> Signature:
    vector = np.zeros(256, dtype=np.float32)
    vector[list(terms)] = 1.0
    return Signature(vector, dict.fromkeys(terms, 2.0))


def test_a_merge_keeps_the_older_id_and_a_split_goes_on_in_the_larger_part() -> None:
    older = EarlierStory("2026-12-01-aaaa", "2026-12-01", _signature(1, 2, 3))
    newer = EarlierStory("2026-12-03-bbbb", "2026-12-03", _signature(7, 8, 9))
    unrelated = EarlierStory("2026-12-02-cccc", "2026-12-02", _signature(20, 21, 22))
    joined = TodayStory(size=4, signature=_signature(1, 2, 7), sharing=frozenset({newer.id, older.id}))
    assert match_stories([joined], [older, newer, unrelated]) == [Match(older.id, "shared articles", 1.0, (newer.id,))]
    big = TodayStory(size=3, signature=_signature(20, 21, 22))
    small = TodayStory(size=1, signature=_signature(20, 21, 23))
    fresh = TodayStory(size=2, signature=_signature(40, 41, 42))
    small_match, big_match, fresh_match = match_stories([small, big, fresh], [older, newer, unrelated])
    assert big_match.story_id == unrelated.id and big_match.by == "similar text"
    assert small_match.story_id is None and small_match.by == f"split from {unrelated.id}"
    assert fresh_match.story_id is None and fresh_match.by == ""


def test_a_damaged_or_unwritable_memory_stops_once_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text((M000 / "M0006.txt").read_text(encoding="utf-8"), encoding="utf-8")
    damaged = tmp_path / "memory.sqlite"
    damaged.write_bytes(b"not a database at all " * 100)
    result = runner.invoke(app, ["daily", str(tmp_path / "a.txt"), "-o", str(tmp_path / "b.md"), "--memory", str(damaged),
                                 "--provider", "replay"])  # fmt: skip
    assert result.exit_code == 2 and f"story memory {damaged}: file is not a database" in result.output
    assert not (tmp_path / "b.md").exists()
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")  # a file where the memory's folder should be
    result = runner.invoke(app, ["daily", str(tmp_path / "a.txt"), "-o", str(tmp_path / "b.md"),
                                 "--memory", str(blocked / "memory.sqlite"), "--provider", "replay"])  # fmt: skip
    assert result.exit_code == 2 and "story memory" in result.output and "Traceback" not in result.output
