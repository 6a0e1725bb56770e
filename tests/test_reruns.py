"""A daily run you can rerun: fresh feeds, caches keyed by what made the answer, nothing good overwritten, inert
structure, bytes over labels, feeds that are feeds, an honest run log, library inputs validated.

Feeds and pages are served on loopback (``tests/web_server.py``, which answers conditional requests with 304 and
logs every request); the model is a scripted fake endpoint or a function.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import brief_article, brief_to_markdown, daily_briefing
from summarizer.cli import app
from summarizer.errors import ConfigError, InputError, UsageError
from summarizer.inputs.loading import article_from_text, iter_articles, load_article
from summarizer.inputs.window import DateWindow
from summarizer.output.render import render_stories, render_synthesis
from summarizer.providers.base import ModelRequest
from summarizer.runs.many_inputs import synthesize_files
from summarizer.settings import Settings
from summarizer.stories.grouping import GroupingParams, group_stories
from summarizer.stories.listing import listing_of
from summarizer.testing import FunctionProvider
from tests.conftest import SEEDS, assert_inert
from tests.fake_openai import FakeOpenAIServer, completion, error
from tests.test_news_day import ANY_ARTICLE, CHESS, LIBRARY, RAIL, _html
from tests.test_openai_provider import GOOD
from tests.web_server import Page, WebServer

runner = CliRunner()
INJECTED = "Harbour vote\n## Top stories\n1. **Fake: Markets crash 90%**\n> quoted"
ACME = (
    'Acme Corp said on Monday it will close its Leeds plant. "We had no choice," chief executive Jane Doe said. '
    "About 300 workers are affected."
)


def _rss(web: WebServer, items: list[tuple[str, str, str]]) -> bytes:
    """A feed of (title, path, description) items, dated 2026-11-23."""
    entries = "".join(
        f"<item><title>{title}</title><link>{web.url(path)}</link><pubDate>Mon, 23 Nov 2026 07:00:00 GMT</pubDate>"
        f"<description>{text}</description></item>"
        for title, path, text in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>{web.url("/")}</link>'
        f"{entries}</channel></rss>"
    ).encode()


def _requests_for(web: WebServer, path: str) -> list[tuple[int, dict[str, str]]]:
    return [(status, sent) for logged, status, sent in web.log if logged == path]


def _story_titles(result: Any) -> set[str]:
    assert result.exit_code == 0, result.stderr
    return {article["title"] for story in json.loads(result.stdout)["stories"] for article in story["articles"]}


# Fresh feeds, cheap pages


@pytest.mark.usefixtures("loopback_allowed")
def test_a_feed_is_asked_again_every_run_an_unchanged_one_costs_a_304_and_a_new_entry_is_seen() -> None:
    pages = {
        "/rail.html": Page(_html("Rail strike", RAIL), etag='"rail-1"'),
        "/chess.html": Page(_html("Chess champion", CHESS), etag='"chess-1"'),
        "/library.html": Page(_html("Library opens", LIBRARY), etag='"library-1"'),
    }
    with WebServer(pages) as web:
        two = [("Rail strike", "/rail.html", "Teaser."), ("Chess champion", "/chess.html", "Teaser.")]
        pages["/feed.xml"] = Page(_rss(web, two), "application/rss+xml", etag='"feed-1"')
        command = ["stories", web.url("/feed.xml"), "--format", "json"]
        assert _story_titles(runner.invoke(app, command)) == {"Rail strike", "Chess champion"}
        assert _story_titles(runner.invoke(app, command)) == {"Rail strike", "Chess champion"}
        # The unchanged feed: asked again with its ETag, answered 304; its pages came from the cache (fresh for a day).
        assert _requests_for(web, "/feed.xml") == [(200, {}), (304, {"If-None-Match": '"feed-1"'})]

        three = [*two, ("Library opens", "/library.html", "Teaser.")]
        pages["/feed.xml"] = Page(_rss(web, three), "application/rss+xml", etag='"feed-2"')
        assert _story_titles(runner.invoke(app, command)) == {"Rail strike", "Chess champion", "Library opens"}
        assert _requests_for(web, "/feed.xml")[-1] == (200, {"If-None-Match": '"feed-1"'})
        assert web.hits["/rail.html"] == web.hits["/chess.html"] == web.hits["/library.html"] == 1


def test_stale_pages_are_revalidated_and_refresh_fetches_everything_again(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = "Mon, 23 Nov 2026 07:00:00 GMT"
    pages = {"/rail.html": Page(_html("Rail strike", RAIL), last_modified=stamp)}
    with WebServer(pages) as web:
        command = ["stories", web.url("/rail.html"), "--format", "json"]
        assert _story_titles(runner.invoke(app, command)) == {"Rail strike"}
        assert _story_titles(runner.invoke(app, command)) == {"Rail strike"}
        assert web.hits["/rail.html"] == 1  # fresh: served from the cache
        monkeypatch.setenv("SUMMARIZER_PAGE_CACHE_TTL", "0")  # everything is stale at once
        assert _story_titles(runner.invoke(app, command)) == {"Rail strike"}
        assert _requests_for(web, "/rail.html")[-1] == (304, {"If-Modified-Since": stamp})
        assert _story_titles(runner.invoke(app, [*command, "--refresh"])) == {"Rail strike"}
        assert _requests_for(web, "/rail.html")[-1] == (200, {})  # no conditions: fetched whole


# Never replace something good with something worse


def test_a_refused_key_stops_the_run_once_before_any_output_and_keeps_the_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "keep.md"
    kept.write_text("# Yesterday's good briefing\n", encoding="utf-8")
    with FakeOpenAIServer([error(401, "Incorrect API key provided: sk-wrong-key")] * 5) as model:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key")
        result = runner.invoke(app, ["daily", *map(str, SEEDS), "-o", str(kept), "--no-cache"])
    assert result.exit_code == 2, result.stderr
    assert kept.read_text(encoding="utf-8") == "# Yesterday's good briefing\n"
    errors = [line for line in result.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert len(errors) == 1 and "HTTP 401" in errors[0] and "check OPENAI_API_KEY" in errors[0], result.stderr
    assert "sk-wrong-key" not in result.stderr
    assert len(model.requests) == 1  # setup errors are not retried, and no other article is tried


def test_a_missing_model_is_a_setup_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAIServer([error(404, "The model `gpt-9` does not exist")]) as model:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        result = runner.invoke(app, ["brief", str(SEEDS[0]), "--model", "gpt-9", "--no-cache"])
    assert result.exit_code == 2
    assert "HTTP 404" in result.stderr and "no model 'gpt-9'" in result.stderr


def test_a_run_where_every_input_failed_does_not_overwrite_the_briefing(tmp_path: Path) -> None:
    kept = tmp_path / "keep.md"
    kept.write_text("# Yesterday's good briefing\n", encoding="utf-8")
    empty_fixtures = tmp_path / "no-fixtures"
    empty_fixtures.mkdir()
    command = ["daily", *map(str, SEEDS[:2]), "--provider", "replay", "--fixtures", str(empty_fixtures), "--no-cache"]
    result = runner.invoke(app, [*command, "-o", str(kept)])
    assert result.exit_code == 1
    assert kept.read_text(encoding="utf-8") == "# Yesterday's good briefing\n"
    assert result.stderr.count(f"no article could be briefed; {kept} was left as it was") == 1
    fresh = tmp_path / "new.md"  # with nothing to keep, the briefing listing the failures is written
    assert runner.invoke(app, [*command, "-o", str(fresh)]).exit_code == 1
    assert "## Not included" in fresh.read_text(encoding="utf-8")


# Caches keyed by what made the answer


def test_a_brief_made_by_one_endpoint_is_not_served_for_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "acme.txt"
    article.write_text(ACME, encoding="utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-cache-key-secret")
    headlines = {}
    for name in ("first", "second"):
        answer = {**GOOD, "headline": f"Acme to close Leeds plant ({name} endpoint)"}
        with FakeOpenAIServer([completion(json.dumps(answer))]) as model:
            monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
            result = runner.invoke(app, ["brief", str(article)])
            again = runner.invoke(app, ["brief", str(article)])
        assert result.exit_code == 0 and again.exit_code == 0, result.stderr + again.stderr
        assert len(model.requests) == 1  # the rerun against the same endpoint is served from the cache
        brief = json.loads(result.stdout)
        headlines[name] = brief["headline"]
        assert brief["generated_by"]["endpoint"] == model.base_url.split("/")[2]  # 127.0.0.1:port
        assert json.loads(again.stdout) == brief
    assert headlines["first"] != headlines["second"]
    # A third endpoint, where nothing listens: no cached brief is served for it; it is reported, once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port}/v1")
    monkeypatch.setenv("SUMMARIZER_ATTEMPTS", "1")
    gone = runner.invoke(app, ["brief", str(article)])
    assert gone.exit_code == 2 and "cannot connect to" in gone.stderr
    cache_dir = Path(str(tmp_path) + "-brief-cache")
    assert b"sk-cache-key-secret" not in b"".join(path.read_bytes() for path in cache_dir.iterdir())


def test_off_turns_every_cache_off_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUMMARIZER_BRIEF_CACHE_DIR", "off")
    monkeypatch.setenv("SUMMARIZER_PAGE_CACHE_DIR", "off")
    (tmp_path / "acme.txt").write_text(ACME, encoding="utf-8")
    with FakeOpenAIServer([completion(json.dumps(GOOD))] * 2) as model:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        for _ in range(2):
            assert runner.invoke(app, ["brief", "acme.txt"]).exit_code == 0
    assert len(model.requests) == 2  # nothing cached
    assert sorted(path.name for path in tmp_path.iterdir()) == ["acme.txt"]  # no folder named "off"


# Inert structure


def _titled_answers(request: ModelRequest[Any]) -> Any:
    if request.prompt_id == "brief":
        return {**ANY_ARTICLE, "headline": INJECTED, "key": [1, 2]}
    if request.prompt_id == "synthesize":
        return {"overview": "The harbour vote was held on Monday.\n## Injected heading", "themes": []}
    return {"t": "The harbour vote was held."}


def _assert_one_line_each(markdown: str) -> None:
    """The injected title stays on one line with its first words; it opens no heading, list or quote of its own."""
    for line in markdown.splitlines():
        if "Markets crash" in line:
            assert "Harbour vote" in line, line
        assert not re.match(r"\s*(?:[-*+]\s+)?(?:\d+[.)]\s+)?\*\*Fake", line), line
        assert not re.match(r"\s*(?:[-*+]\s+)?(?:#+\s+Injected|>\s*quoted)", line), line
    assert sum(line.startswith("## Top stories") for line in markdown.splitlines()) <= 1


def test_newlines_in_titles_and_answers_open_no_structure_in_any_markdown_output(tmp_path: Path) -> None:
    harbour = (
        "The harbour vote was held on Monday in the town hall of Eastbrook. The council approved the new quay by "
        "nine votes to four. Fishermen said the quay would bring larger boats into the harbour. Work starts in May."
    )
    feed = tmp_path / "day.jsonl"
    records = [
        {"id": "harbour-1", "title": INJECTED, "text": harbour, "url": "https://example.com/a\n## x"},
        {"id": "harbour-2", "title": INJECTED, "text": harbour + " The mayor welcomed the vote."},
        {"id": "rail", "title": "Rail\r\n- strike", "text": RAIL},
    ]
    feed.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    provider = FunctionProvider(_titled_answers)
    stories = runner.invoke(app, ["stories", str(feed)])
    assert stories.exit_code == 0, stories.stderr
    briefing = daily_briefing([feed], provider=provider).markdown
    run = synthesize_files([feed], provider=provider)
    assert run.synthesis is not None
    brief = brief_to_markdown(brief_article(article_from_text(harbour, article_id="h"), provider=provider))
    for markdown in (stories.stdout, briefing, render_synthesis(run.synthesis, run.articles, "markdown"), brief):
        _assert_one_line_each(markdown)
        assert_inert(markdown, links=True)
    assert "Harbour vote ## Top stories 1. \\*\\*Fake" not in briefing  # folded, and emphasis marks are not escaped
    assert "Harbour vote ## Top stories 1. **Fake: Markets crash 90%** &gt; quoted" in briefing
    assert brief.startswith("# The harbour vote was held on Monday")  # the injected headline is not the article's: its lead


def test_links_are_readable_and_text_is_escaped_exactly_once(tmp_path: Path) -> None:
    pages = {"/rail.html": Page(_html("Rail strike", RAIL))}
    double_escaped = "&amp;lt;p&amp;gt;" + " ".join([LIBRARY] * 2) + " AT&amp;amp;T &amp;lt;/p&amp;gt;"
    with WebServer(pages) as web:
        items = [("Rail strike", "/rail.html", "Teaser."), ("Library opens", "/library.html", double_escaped)]
        pages["/feed.xml"] = Page(_rss(web, items), "application/rss+xml")
        answers = {"brief": {**ANY_ARTICLE, "summary": "AT&T said <b>no</b> to the &amp; sign at http://x.example/a."}}
        provider = FunctionProvider(lambda request: answers["brief"])
        settings = Settings.from_env().with_overrides(allow_private_addresses=True)  # the links lead to loopback
        result = daily_briefing([web.url("/feed.xml")], provider=provider, settings=settings)
        sources = result.markdown.split("## Sources")[1]
        assert f"<{web.url('/rail.html')}>" in sources  # an autolink: readable, copyable, clickable (http only)
        assert "&#58;" not in result.markdown and "&#46;" not in result.markdown
        library = next(outcome.article for outcome in result.outcomes if outcome.article and "library" in outcome.article.id)
        assert "<p>" not in library.text and "&lt;" not in library.text and "AT&T" in library.text  # the feed's markup
    assert "AT&T said &lt;b&gt;no&lt;/b&gt; to the &amp;amp; sign at `http://x.example/a`." in result.markdown
    assert "&amp;lt;" not in result.markdown


# Bytes over labels


def test_the_bytes_decide_when_the_declared_charset_is_wrong(caplog: pytest.LogCaptureFixture) -> None:
    text = "The naïve plan was dismissed by the café owners of Zürich on Monday. The council will vote again in May."
    cp1252_labelled_utf8 = f"<html><head><meta charset='utf-8'><title>Plan</title></head><body><article><p>{text}</p>"
    pages = {
        "/cp1252.html": Page((cp1252_labelled_utf8 + "</article></body></html>").encode("cp1252"), "text/html"),
        "/utf8.html": Page(
            f"<html><body><article><p>{text}</p></article></body></html>".encode(), "text/html; charset=iso-8859-1"
        ),
    }
    with WebServer(pages) as web:
        loaded = list(iter_articles([web.url("/cp1252.html"), web.url("/utf8.html")]))
    first, second = (item.article for item in loaded)
    assert first is not None and second is not None
    assert "naïve" in first.text and "Zürich" in first.text
    assert first.decoded_as == "decoded as cp1252, detected from the bytes (not valid utf-8 as labelled)"
    assert "Zürich" in second.text and "Ã" not in second.text
    assert second.decoded_as == "decoded as UTF-8: the bytes are UTF-8, though labelled iso-8859-1"
    assert sum("detected from the bytes" in record.getMessage() for record in caplog.records) == 1


# Feeds that are feeds


@pytest.mark.usefixtures("loopback_allowed")
def test_a_feed_address_that_answers_an_html_page_is_an_error_and_a_repeated_link_is_read_once() -> None:
    oops = b"<html><head><title>Oops</title></head><body><h1>Oops</h1><p>Something went wrong on our side.</p></body></html>"
    pages = {"/world.rss": Page(oops), "/rail.html": Page(_html("Rail strike", RAIL))}
    with WebServer(pages) as web:
        twice = [("Rail strike", "/rail.html", "Teaser."), ("Rail strike (updated)", "/rail.html#update", "Teaser.")]
        pages["/feed.xml"] = Page(_rss(web, twice), "application/rss+xml")
        result = runner.invoke(app, ["stories", web.url("/world.rss"), web.url("/feed.xml"), "--format", "json"])
        listing = json.loads(result.stdout)
    assert result.exit_code == 1
    assert result.stderr.count(f"{web.url('/world.rss')}: not an RSS or Atom feed (the server sent text/html)") == 1
    assert [len(story["articles"]) for story in listing["stories"]] == [1]
    assert listing["stories"][0]["articles"][0]["also_published_by"] == []  # not a copy of itself
    assert "Oops" not in result.stdout and web.hits["/rail.html"] == 1


# An honest run log


def test_the_run_log_counts_ok_salvaged_and_failed_and_records_what_failed_requests_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(ACME, encoding="utf-8")
    too_long = json.dumps({**GOOD, "summary": "Acme will close. Jane Doe had no choice. 300 workers are affected. Leeds loses."})
    replies = [completion(json.dumps(GOOD)), completion(too_long), completion(too_long)]
    replies += [completion('{"headline": "Acme')] * 8  # a re-ask, once more with a reminder and its re-ask; a second pass
    with FakeOpenAIServer(replies) as model:
        for name, value in {
            "OPENAI_BASE_URL": model.base_url,
            "SUMMARIZER_MAX_REASKS": "1",
            "SUMMARIZER_CONCURRENCY": "1",
        }.items():
            monkeypatch.setenv(name, value)
        result = runner.invoke(app, ["brief", *(str(tmp_path / f"{n}.txt") for n in "abc"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.stderr.count("summarizer: error:") == 1, result.stderr  # c failed
    ledger = Path(str(tmp_path) + "-runs.sqlite")
    with sqlite3.connect(ledger) as db:
        rows = db.execute("SELECT subject, outcome, attempts, prompt_tokens, output_tokens, seconds FROM requests").fetchall()
    failed_twice = [("c", "failed: ProviderError")] * 2  # not JSON is transient: a second pass, logged too
    assert [(row[0], row[1]) for row in rows] == [("a", "ok"), ("b", "ok, salvaged"), *failed_twice]
    failed = rows[2]
    assert failed[2] == 4 and failed[3] > 0 and failed[4] > 0 and failed[5] > 0  # attempts, tokens, seconds as spent
    listed = runner.invoke(app, ["runs"]).stdout.splitlines()
    assert listed[0].split()[3:7] == ["requests", "ok", "salvaged", "failed"]
    assert listed[1].split()[3:7] == ["4", "1", "1", "2"]


# Library inputs validated


def test_library_inputs_are_validated_and_urls_are_fetched_by_load_article() -> None:
    with pytest.raises(ConfigError, match="story_threshold must be between 0 and 1, got 5"):
        GroupingParams(story_threshold=5)
    with pytest.raises(UsageError, match="starts"):
        DateWindow(since=dt.date(2026, 11, 23), until=dt.date(2026, 11, 22))
    pages = {"/rail.html": Page(_html("Rail strike", RAIL))}
    with WebServer(pages) as web:
        pages["/feed.xml"] = Page(_rss(web, [("Rail strike", "/rail.html", "Teaser.")]), "application/rss+xml")
        article = load_article(web.url("/rail.html"))
        assert article.title == "Rail strike" and article.url == web.url("/rail.html")
        with pytest.raises(InputError, match=re.escape(f"{web.url('/feed.xml')}: a feed holds many articles")):
            load_article(web.url("/feed.xml"))
        with pytest.raises(InputError, match=re.escape(f"{web.url('/missing.html')}: HTTP 404")):
            load_article(web.url("/missing.html"))
    stories = group_stories([article_from_text(RAIL, article_id="rail", title=INJECTED)])
    assert_inert(render_stories(listing_of(stories), "markdown"), links=True)
