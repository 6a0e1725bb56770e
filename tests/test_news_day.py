"""A news day: feeds and pages over loopback HTTP, dates, duplicates, stories, and the briefing by story."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import brief_article, brief_to_markdown, daily_briefing
from summarizer.cli import app
from summarizer.errors import ProviderError
from summarizer.inputs.fetch import PageFetcher
from summarizer.inputs.loading import article_from_text, iter_articles
from summarizer.output.render import markdown_safe, render_stories, render_synthesis
from summarizer.providers.base import FlaggedItem, ModelRequest
from summarizer.runs.many_inputs import synthesize_files
from summarizer.stories.grouping import group_stories
from summarizer.stories.listing import listing_of
from summarizer.testing import FunctionProvider
from tests.conftest import ROOT, assert_inert, mixed_day
from tests.fake_openai import FakeOpenAIServer, completion
from tests.web_server import Page, WebServer

runner = CliRunner()
ANY_ARTICLE = {"headline": "A headline", "summary": "A summary.", "key": [1], "quotes": []}

# Three short, unrelated news items written for these tests.
LIBRARY = (
    "The town of Eastbrook opened its new public library on Saturday after three years of building work. "
    "The library holds 40,000 books and a children's reading room on the ground floor. "
    "Mayor Alice Moreno said the building would stay open until nine in the evening on weekdays. "
    "The project cost 12 million euros, most of it paid by the regional government. "
    "Local schools plan weekly visits, and volunteers will run reading classes for adults. "
    "The old library, a former post office, will become a community centre next year. "
    "Residents queued from early morning, and the first 500 visitors received a free tote bag. "
    "Architects designed the roof to collect rainwater for the garden behind the building. "
    "The library also lends tools, musical instruments and board games. "
    "Moreno thanked the builders, who finished two months ahead of schedule despite a wet winter. "
    "Opening hours on Sundays will be decided after a public consultation in the spring."
)
RAIL = (
    "Train drivers in the northern region began a two-day strike on Monday over pay and rest periods. "
    "The operator cancelled 300 services, and commuters crowded onto replacement buses. "
    "The drivers' union says its members have not had a pay rise since 2022. "
    "The operator offered a raise of four percent, which the union rejected as too low."
)
CHESS = (
    "A sixteen-year-old from Valmora won the national chess championship on Sunday. "
    "She beat the defending champion in the final round after a five-hour game. "
    "Her coach said she trains six hours a day and studies endgames every morning. "
    "The win qualifies her for the world junior championship in the autumn."
)


def _html(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(sentence)}.</p>" for sentence in text.split(". ") if sentence)
    page = f"<html><head><title>{escape(title)}</title></head><body><nav>Home | News</nav><article><h1>{escape(title)}</h1>"
    return (page + paragraphs + "</article><footer>Copyright Example</footer></body></html>").encode()


def _rss(server: WebServer, items: list[dict[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(item['title'])}</title><link>{server.url(item['path'])}</link>"
        f"<pubDate>{item['date']}</pubDate><description>{escape(item['text'])}</description></item>"
        for item in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>'
        f"<link>{server.url('/')}</link><description>test feed</description>{entries}</channel></rss>"
    ).encode()


def _news_day_server() -> WebServer:
    pages = {
        "/rail.html": Page(_html("Rail strike", RAIL)),
        "/chess.html": Page(_html("Chess champion", CHESS)),
        "/slow.html": Page(_html("Slow", CHESS), delay=3),
        "/huge.html": Page(size=20_000_000),
        "/broken.xml": Page(b"<?xml version='1.0'?><rss version='2.0'><chan", "application/rss+xml"),
    }
    server = WebServer(pages)
    items = [
        {"title": "Library opens", "path": "/library.html", "date": "Sat, 21 Nov 2026 09:00:00 GMT", "text": LIBRARY},
        {"title": "Rail strike", "path": "/rail.html", "date": "Mon, 23 Nov 2026 07:00:00 GMT", "text": "Drivers strike."},
        {"title": "Chess champion", "path": "/chess.html", "date": "Sun, 22 Nov 2026 18:00:00 GMT", "text": "A new champion."},
        {"title": "Gone", "path": "/missing.html", "date": "Sun, 22 Nov 2026 10:00:00 GMT", "text": "Teaser."},
        {"title": "Slow", "path": "/slow.html", "date": "Sun, 22 Nov 2026 11:00:00 GMT", "text": "Teaser."},
        {"title": "Huge", "path": "/huge.html", "date": "Sun, 22 Nov 2026 12:00:00 GMT", "text": "Teaser."},
    ]
    pages["/feed.xml"] = Page(_rss(server, items), "application/rss+xml")
    return server


@pytest.mark.usefixtures("loopback_allowed")
def test_a_feed_and_its_pages_go_through_daily_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _news_day_server() as web, FakeOpenAIServer([completion(json.dumps(ANY_ARTICLE)) for _ in range(3)]) as model:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-news-day-secret")
        monkeypatch.setenv("SUMMARIZER_FETCH_TIMEOUT", "1")
        out = tmp_path / "briefing.md"
        result = runner.invoke(
            app, ["daily", web.url("/feed.xml"), web.url("/broken.xml"), "--provider", "openai", "-o", str(out), "--no-cache"]
        )
        markdown = out.read_text(encoding="utf-8")
        assert result.exit_code == 1, result.stderr  # some inputs failed; the briefing is still written
        # The full-text entry is used as it is (its link is never fetched); the teasers' pages are fetched.
        assert web.hits["/library.html"] == 0 and web.hits["/rail.html"] == 1 and web.hits["/chess.html"] == 1
        assert web.most_in_flight > 1  # a feed's pages are fetched several at a time (the slow one did not hold the rest)
        in_brief = markdown.split("## In brief")[1].split("## Not included")[0]
        # "A headline" is not what the articles say: each in-brief line is headed by its article's own title
        assert sorted(line.split("**")[1] for line in in_brief.splitlines() if line.startswith("- **")) == [
            "Chess champion", "Library opens", "Rail strike",
        ]  # fmt: skip
        not_included = markdown.split("## Not included")[1].split("## Sources")[0]
        expected = {
            "/missing.html": "HTTP 404 Not Found",
            "/slow.html": "took longer than 1 s",
            "/huge.html": "20.0 MB is too large for a page (limit 10 MB)",
            "/broken.xml": "not a readable RSS or Atom feed",
        }
        for path, reason in expected.items():
            line = f"{web.url(path)}: {reason}"
            assert result.stderr.count(line) == 1, (line, result.stderr)
            assert markdown.count(str(markdown_safe(line))) == 1, line  # the address shown as text, not a live link
        assert not_included.count("\n- ⚠ ") == 4
        assert "sk-news-day-secret" not in markdown + result.stderr
        assert "Example Wire" in markdown  # the feed's title is the outlet of its entries

        # A rerun reads the fetched pages from the page cache, not the server (the failed ones are tried again);
        # the feed is asked again (it has no validators here, so it is fetched whole).
        again = runner.invoke(app, ["stories", web.url("/feed.xml"), "--format", "json"])
        assert web.hits["/rail.html"] == 1 and web.hits["/chess.html"] == 1 and web.hits["/feed.xml"] == 2
        assert web.hits["/missing.html"] == 2
        assert again.exit_code == 1 and len(json.loads(again.stdout)["stories"]) == 3


@pytest.mark.usefixtures("loopback_allowed")
def test_since_and_until_keep_articles_by_publication_date(tmp_path: Path) -> None:
    with _news_day_server() as web:
        result = runner.invoke(
            app, ["stories", web.url("/feed.xml"), "--since", "2026-11-23", "--until", "2026-11-23", "--format", "json"]
        )
        listing = json.loads(result.stdout)
        assert [article["title"] for story in listing["stories"] for article in story["articles"]] == ["Rail strike"]
        assert len(listing["left_out"]) == 5 and any("before --since 2026-11-23" in line for line in listing["left_out"])
        assert listing["not_included"] == []  # entries outside the dates are not fetched, so none failed
        assert web.hits["/missing.html"] == 0 and web.hits["/slow.html"] == 0
        assert result.exit_code == 0
    bad = runner.invoke(app, ["stories", "seeds", "--since", "2026-11-24", "--until", "2026-11-23"])
    assert bad.exit_code == 2 and "after --until" in bad.stderr


def test_an_atom_file_feed_is_read_and_an_entry_without_text_or_link_is_one_error(tmp_path: Path) -> None:
    feed = tmp_path / "day.atom"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title>'
        f"<entry><title>Library opens</title><updated>2026-11-21T09:00:00Z</updated><content type='html'>{escape(LIBRARY)}"
        "</content></entry><entry><title>Empty</title><updated>2026-11-21T10:00:00Z</updated></entry></feed>",
        encoding="utf-8",
    )
    loaded = list(iter_articles([feed]))
    assert loaded[0].article is not None and loaded[0].article.outlet == "Atom Daily"
    assert str(loaded[0].article.published) == "2026-11-21" and loaded[0].article.title == "Library opens"
    assert loaded[1].error == f"{feed}#2: the feed entry has neither text nor a link"


def test_a_fetcher_rejects_what_is_not_http_and_reports_redirect_loops(tmp_path: Path) -> None:
    pages = {"/loop": Page(status=302, content_type="text/html")}
    with WebServer(pages) as web, PageFetcher(tmp_path / "pages", timeout=2) as fetcher:
        web.pages["/loop"] = Page(status=200, body=_html("Rail", RAIL))
        assert b"Train drivers" in fetcher.fetch(web.url("/loop")).body
        with pytest.raises(Exception, match="not an http"):
            fetcher.fetch("file:///etc/passwd")
    assert list((tmp_path / "pages").glob("*.body"))  # cached on disk


def _set_of(article_id: str) -> str:
    return "seeds" if article_id[:3].isdigit() else "M000" if article_id.startswith("M0") else "cnndm:" + article_id


def test_stories_of_the_mixed_day_never_mix_sets_and_need_no_model(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stories", str(mixed_day(tmp_path)), "--format", "json", "--provider", "replay"])
    assert result.exit_code != 0  # `stories` takes no provider option: it never calls a model
    result = runner.invoke(app, ["stories", str(mixed_day(tmp_path / "again")), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    stories = json.loads(result.stdout)["stories"]
    sets = [{_set_of(article["id"]) for article in story["articles"]} for story in stories]
    assert all(len(found) == 1 for found in sets), sets
    assert {"seeds"} in sets and sum(found == {"seeds"} for found in sets) == 1  # one continuing topic, one story
    assert {"cnndm:cnn-test-578677b3280b0f5ab8b45fdd948707262c9ffed3"} in sets
    assert len(stories) >= 5


def test_copies_of_one_text_collapse_and_keep_every_source() -> None:
    original = (ROOT / "seeds" / "002_dfff59161a823c23.txt").read_text(encoding="utf-8")
    body = original.split("\n", 3)[3]
    boilerplate = "Skip to main content\n\nWorld | Politics\n\n" + body + "\n\nShare this article\n\nSign up for our newsletter"
    edited = body.replace("pressed its call", "renewed its call", 1).replace("rebuffed", "turned down", 1)
    articles = [
        article_from_text(original, article_id="reuters", outlet="Reuters"),
        article_from_text("Blinken rebuff: US presses on\n\n" + boilerplate, article_id="wire-copy", outlet="Other Site"),
        article_from_text(edited, article_id="edited-copy", outlet="Third Site"),
        article_from_text(CHESS, article_id="chess"),
    ]
    stories = group_stories(articles)
    assert len(stories) == 2
    top = stories[0]
    assert len(top.articles) == 1 and top.sources == 3  # one article, three outlets
    kept = top.articles[0]
    assert sorted(a.id for a in [kept, *top.copies[kept.id]]) == ["edited-copy", "reuters", "wire-copy"]
    markdown = render_stories(listing_of(stories), "markdown")
    assert "also published by" in markdown and markdown.count("also published by") == 2


HOSTILE = (
    "Officials met on Monday in the capital to discuss the harbour plan. <script>alert('x')</script> was posted at "
    "[the site](javascript:alert(1)) and <img src=x onerror=alert(1)> appeared on www.evil.example.\n\n"
    "The harbour plan was approved by the council on Monday after a long debate."
)


HOSTILE_TOO = (
    "The council approved the harbour plan on Monday, ending a debate that lasted for months. "
    "Critics of the harbour plan posted <script>alert('y')</script> and [a petition](javascript:alert(5)) online.\n\n"
    "Work on the harbour is due to start next spring, the council said."
)


def _answers(request: ModelRequest[Any]) -> Any:
    if request.prompt_id == "brief":
        return {**ANY_ARTICLE, "headline": "<img src=x onerror=alert(1)> news", "key": [1, 2]}
    if request.prompt_id == "synthesize":
        return {"overview": "<script>alert(2)</script> The harbour plan was approved by the council.", "themes": []}
    if request.prompt_id == "agree":
        return {"t": "The harbour plan was approved by the council [link](javascript:alert(3))."}
    raise ProviderError(f"unexpected prompt {request.prompt_id}")


def test_raw_html_and_script_links_are_inert_in_every_markdown_output(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "two.txt").write_text(HOSTILE_TOO, encoding="utf-8")
    (tmp_path / "other.txt").write_text(CHESS + " <script>alert(4)</script> was in the page.", encoding="utf-8")
    provider = FunctionProvider(_answers, name="scripted", model="fake")
    briefing = daily_briefing([tmp_path], provider=provider)
    assert "\n## In brief\n" in briefing.markdown and "\n### Overview\n" in briefing.markdown  # a story section, an in-brief line
    assert_inert(briefing.markdown)
    assert "&lt;script&gt;" in briefing.markdown
    run = synthesize_files([tmp_path / "one.txt", tmp_path / "two.txt"], provider=provider)
    assert run.synthesis is not None
    assert_inert(render_synthesis(run.synthesis, run.articles, "markdown"))
    fused = FlaggedItem(field="overview", value="<script>alert(5)</script> [x](javascript:y)", reason="not verified: a fusion")
    marked = render_synthesis(run.synthesis.model_copy(update={"unverified": [fused]}), run.articles, "markdown")
    assert "⚠ Not verified: " in marked and "&lt;script&gt;alert(5)" in marked  # a kept, unverified sentence is marked
    assert_inert(marked)
    hostile_title = article_from_text(HOSTILE, article_id="x", title="<script>t</script> [a](javascript:b)")
    listing = listing_of(group_stories([hostile_title]))
    assert_inert(render_stories(listing, "markdown"))
    brief = brief_article(tmp_path / "one.txt", provider=provider)
    assert_inert(brief_to_markdown(brief))
    assert "&lt;img src=x onerror=alert(1)&gt; news" in brief_to_markdown(brief)  # the model's headline, shown as text


def test_relative_feed_links_resolve_and_a_page_may_name_its_charset_in_html() -> None:
    latin = (
        "<html><head><meta charset='iso-8859-1'><title>Caf\xe9 reopens</title></head><body><article>"
        "<p>The caf\xe9 on the main square reopened on Friday after a fire in the spring.</p>"
        "<p>Its owner, Ren\xe9e Dubois, said the kitchen had been rebuilt from scratch.</p></article></body></html>"
    ).encode("latin-1")
    pages = {"/news/cafe.html": Page(latin, content_type="text/html")}  # no charset in the header
    with WebServer(pages) as web:
        pages["/feeds/local.xml"] = Page(
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
            b"<item><title>Cafe</title><link>../news/cafe.html</link><description>Short.</description></item>"
            b"</channel></rss>",
            "application/rss+xml",
        )
        with PageFetcher(allow_private=True) as fetcher:  # the feed's links lead to the loopback server
            loaded = list(iter_articles([web.url("/feeds/local.xml")], fetcher=fetcher))
    assert loaded[0].error is None, loaded[0].error
    article = loaded[0].article
    assert article is not None and article.url == web.url("/news/cafe.html")
    assert "Renée Dubois" in article.text and "café" in article.text


def test_different_sports_stories_stay_apart_and_one_continuing_topic_stays_together() -> None:
    sport = [ROOT / "tests/data/cnndm/dm-test-373f32bd4d4f536e54f29b2a35bc2035df40b310.txt"]
    sport += sorted((ROOT / "tests/data/sport").glob("*.txt"))
    articles = [item.article for item in iter_articles([*sport, ROOT / "seeds"]) if item.article is not None]
    stories = group_stories(articles)
    sizes = sorted(len(story.articles) for story in stories)
    assert sizes == [1, 1, 1, 1, 1, 5], [[a.id for a in s.articles] for s in stories]  # five matches, one topic


@pytest.mark.usefixtures("loopback_allowed")
def test_brief_and_synthesize_fetch_pages_with_the_page_cache_and_timeout_of_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [completion(json.dumps(ANY_ARTICLE)) for _ in range(2)]
    with _news_day_server() as web, FakeOpenAIServer(answers) as model:
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("SUMMARIZER_FETCH_TIMEOUT", "1")
        pages = [web.url("/rail.html"), web.url("/slow.html")]
        first = runner.invoke(app, ["brief", *pages, "-o", str(tmp_path / "briefs"), "--provider", "openai", "--no-cache"])
        assert first.exit_code == 1
        assert f"{web.url('/slow.html')}: took longer than 1 s" in first.stderr  # not the default 20 s
        assert web.hits["/rail.html"] == 1
        again = runner.invoke(app, ["synthesize", web.url("/rail.html"), "--provider", "openai", "--dry-run"])
        assert again.exit_code == 0, again.stderr
        assert web.hits["/rail.html"] == 1, "read from the page cache"
