"""The web briefing: a static site from the same briefing as the Markdown, links to passages, charts, an Atom feed, and
nothing active from article or model text. The ``browser`` tests open it in Debian's Chromium through Playwright.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.output.briefing import DailyBriefing, daily_briefing
from summarizer.output.web.site import write_site
from summarizer.providers.replay import ReplayProvider
from summarizer.testing import FunctionProvider

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
M000 = ROOT / "tests/data/M000"
DAY = dt.date(2026, 11, 22)
CHROMIUM = Path("/usr/bin/chromium")
runner = CliRunner()

HOSTILE_TEXT = (
    "The harbour council approved the new ferry terminal on Monday after a long debate. "
    "<script>alert(1)</script> appeared in the page as text.\n\n"
    'Residents wrote <img src=x onerror=alert(2)> and <a href="javascript:alert(3)">a link</a> in their letters. '
    "The mayor said the terminal would open next year, and that the old quay would become a park.\n\n"
    "Work starts in the spring, the council said, and the ferry company will pay for half of it."
)


class _Links(HTMLParser):
    """Every href and id of a page, and whether it holds anything active."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.active: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "iframe", "object", "embed", "img", "link"):
            self.active.append(tag)
        self.active.extend(name for name in values if name.startswith("on"))
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


def _parsed(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _m000_briefing() -> DailyBriefing:
    return daily_briefing([M000], provider=ReplayProvider(FIXTURES), date=DAY)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DailyBriefing]:
    folder = tmp_path_factory.mktemp("site")
    briefing = _m000_briefing()
    write_site(briefing, folder, title="Daily briefing")
    return folder, briefing


def test_every_link_of_the_site_resolves_to_an_existing_page_and_anchor(site: tuple[Path, DailyBriefing]) -> None:
    folder, briefing = site
    pages = [folder / "index.html", folder / "archive.html", *folder.glob("*/index.html"), *folder.glob("*/articles/*.html")]
    cited = 0
    for page in pages:
        links = _parsed(page)
        assert not links.active, (page, links.active)
        for href in links.hrefs:
            if href.startswith(("http://", "https://")):
                continue
            target, _, anchor = href.partition("#")
            resolved = (page.parent / target).resolve() if target else page
            assert resolved.is_file(), (page, href)
            if anchor:
                assert anchor in _parsed(resolved).ids, (page, href)
                cited += 1
    assert cited >= 20
    assert len(list(folder.glob(f"{DAY}/articles/*.html"))) == len(briefing.briefs)


def test_the_web_page_and_the_markdown_say_the_same_things(site: tuple[Path, DailyBriefing]) -> None:
    folder, briefing = site

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    text = Text()
    text.feed((folder / "index.html").read_text(encoding="utf-8"))
    page = " ".join(" ".join(text.parts).split())
    markdown = " ".join(briefing.markdown.split())
    synthesis = briefing.synthesis
    assert synthesis is not None
    claims = [synthesis.overview, *synthesis.themes, *synthesis.agreements, *synthesis.disagreements, *synthesis.article_leads]
    claims += synthesis.dated_events()
    for claim in claims:
        said = " ".join(claim.text.split())
        assert said in page and said in markdown.replace("\\", ""), said
    headlines = re.findall(r"^\d+\. \*\*(.+?)\*\*", briefing.markdown, re.M)
    assert headlines and all(" ".join(h.split()).replace("\\", "") in page for h in headlines)
    for heading in ("Top stories", "Overview", "Agreements", "Timeline", "Sources"):
        assert heading in page and heading in markdown


def test_the_atom_feed_has_one_entry_per_day_with_stable_ids(tmp_path: Path) -> None:
    briefing = _m000_briefing()
    ids = []
    for number in range(3):
        day = DAY + dt.timedelta(days=number)
        write_site(DailyBriefing(stories=briefing.stories, markdown="", date=day), tmp_path, title="Morning <brief> & co")
        ids.append(feedparser.parse(str(tmp_path / "feed.xml")))
    feed = ids[-1]
    assert not feed.bozo, feed.bozo_exception
    assert [entry.link.rsplit("/", 2)[-2] for entry in feed.entries] == ["2026-11-24", "2026-11-23", "2026-11-22"]
    assert feed.feed.title == "Morning <brief> & co" and all(entry.summary for entry in feed.entries)
    assert {entry.id for entry in ids[0].entries} <= {entry.id for entry in feed.entries}, "ids stay the same across runs"
    write_site(DailyBriefing(stories=briefing.stories, markdown="", date=DAY), tmp_path, title="Morning <brief> & co")
    assert "2026-11-24" in (tmp_path / "index.html").read_text(encoding="utf-8"), "an older day leaves the latest index"
    assert [e.id for e in feedparser.parse(str(tmp_path / "feed.xml")).entries] == [e.id for e in feed.entries]


def _hostile_site(folder: Path) -> Path:
    (folder / "in").mkdir()
    (folder / "in/harbour.txt").write_text(HOSTILE_TEXT, encoding="utf-8")

    def answer(request: Any) -> dict[str, Any]:
        return {"headline": 'Ferry "terminal" <b>approved</b> <script>alert(4)</script>', "key": [1, 4],
                "summary": "The harbour council approved the new ferry terminal on Monday after a long debate.",
                "quotes": []}  # fmt: skip

    briefing = daily_briefing([folder / "in"], provider=FunctionProvider(answer), date=DAY)
    briefing.stories[0].story.articles[0].__dict__["url"] = "javascript:alert(5)"
    write_site(briefing, folder / "site", title='Brief "<b>" & <script>alert(6)</script>')
    return folder / "site"


def test_hostile_article_and_model_text_render_as_text(tmp_path: Path) -> None:
    site = _hostile_site(tmp_path)
    for page in [*site.glob("*.html"), *site.glob("*/index.html"), *site.glob("*/articles/*.html")]:
        html = page.read_text(encoding="utf-8")
        links = _parsed(page)
        assert not links.active, (page, links.active)
        assert "javascript:" not in " ".join(links.hrefs)
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "Content-Security-Policy" in html and "default-src &#39;none&#39;" in html


def test_daily_html_and_synthesize_and_brief_as_html_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "web"
    result = runner.invoke(app, ["daily", str(M000), "-o", str(tmp_path / "b.md"), "--date", str(DAY), "--html", str(out),
                                 "--provider", "replay"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "feed.xml").is_file() and (out / str(DAY) / "articles/1.html").is_file()
    served = runner.invoke(app, ["daily", str(M000), "-o", str(tmp_path / "b.md"), "--date", str(DAY), "--html", str(out),
                                 "--site-url", "https://news.example/brief/", "--provider", "replay"])  # fmt: skip
    assert served.exit_code == 0
    assert feedparser.parse(str(out / "feed.xml")).entries[0].link == f"https://news.example/brief/{DAY}/index.html"
    bad = runner.invoke(app, ["daily", str(M000), "-o", str(tmp_path / "b.md"), "--html", str(out),
                              "--site-url", "javascript:alert(1)", "--provider", "replay"])  # fmt: skip
    assert bad.exit_code == 2 and "not an http(s) address" in bad.output
    page = tmp_path / "s.html"
    result = runner.invoke(app, ["synthesize", str(M000), "--format", "html", "-o", str(page), "--provider", "replay"])
    assert result.exit_code == 0, result.output
    links = _parsed(page)
    anchors = [href[1:] for href in links.hrefs if href.startswith("#")]
    assert anchors and all(anchor in links.ids for anchor in anchors) and not links.active
    result = runner.invoke(app, ["brief", str(M000 / "M0006.txt"), "--format", "html", "--provider", "replay"])
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>") and not _parsed_text(result.stdout).active
    wrong = runner.invoke(app, ["stories", str(M000), "--format", "html"])
    assert wrong.exit_code == 2 and "choose one of json, markdown" in wrong.output


def _parsed_text(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


# --- in a real browser -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver (or deselect with -m 'not browser')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


class _Watched:
    """A page with every request, console message, page error and dialog recorded."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1000, "height": 800})
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def assert_quiet(self) -> None:
        assert not self.dialogs, self.dialogs
        assert not [m for m in self.console if m.startswith(("error", "pageerror"))], self.console
        assert all(url.startswith("file://") for url in self.requests), self.requests


def _distinct_colours(browser: Any, png: bytes) -> int:
    page = browser.new_page()  # about:blank: no policy of ours, so a canvas may read the screenshot back
    source = "data:image/png;base64," + base64.b64encode(png).decode()
    count = page.evaluate(
        """async (source) => { const image = new Image(); image.src = source; await image.decode();
        const canvas = document.createElement('canvas'); canvas.width = image.width; canvas.height = image.height;
        const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
        const data = context.getImageData(0, 0, image.width, image.height).data; const seen = new Set();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size; }""",
        source,
    )
    page.close()
    return int(count)


@pytest.mark.browser
def test_a_citation_click_shows_its_passage_highlighted_in_view(browser: Any, site: tuple[Path, DailyBriefing]) -> None:
    folder, _ = site
    watched = _Watched(browser)
    page = watched.page
    page.goto((folder / "index.html").as_uri())
    citations = page.locator("a.cite[href*='#']")  # a claim citing a whole article links to its page's top
    assert citations.count() >= 10
    for number in (0, citations.count() // 2, citations.count() - 1):
        page.goto((folder / "index.html").as_uri())
        link = page.locator("a.cite[href*='#']").nth(number)
        href, tooltip = link.get_attribute("href"), link.get_attribute("title")
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.split("/", 1)[-1] if href else "")
        target = page.locator(":target")
        assert target.count() == 1, href
        assert target.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
        box, height = target.bounding_box(), page.viewport_size["height"]
        assert box is not None and 0 <= box["y"] < height, "the passage is scrolled into view"
        if tooltip:
            assert " ".join(tooltip.split())[:40] in " ".join(target.inner_text().split()), "the tooltip is the passage"
    watched.assert_quiet()


@pytest.mark.browser
def test_the_figures_chart_is_drawn_one_mark_per_point(browser: Any, site: tuple[Path, DailyBriefing]) -> None:
    folder, briefing = site
    synthesis = briefing.synthesis
    assert synthesis is not None and synthesis.figures, "M000 gives the death toll on several days"
    watched = _Watched(browser)
    watched.page.goto((folder / "index.html").as_uri())
    charts = watched.page.locator("svg.chart")
    assert charts.count() == len(synthesis.figures)
    for chart, series in zip(charts.all(), synthesis.figures, strict=True):
        assert chart.locator("circle.point").count() == len([p for p in series.points if p.date is not None])
        assert chart.locator("circle.point.expected").count() == len([p for p in series.points if p.expected and p.date])
    first = charts.first
    first.scroll_into_view_if_needed()
    assert _distinct_colours(browser, first.screenshot()) > 20, "the chart is not blank"
    watched.assert_quiet()


@pytest.mark.browser
def test_a_hostile_article_runs_nothing_and_fetches_nothing_in_the_browser(browser: Any, tmp_path: Path) -> None:
    site = _hostile_site(tmp_path)
    watched = _Watched(browser)
    for page in [site / "index.html", *site.glob("*/articles/*.html"), site / "archive.html"]:
        watched.page.goto(page.as_uri())
        watched.page.wait_for_load_state("load")
        assert watched.page.locator("script, img, iframe").count() == 0
    watched.page.goto(next(site.glob("*/articles/*.html")).as_uri())
    body = watched.page.inner_text("body")
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
    watched.page.goto((site / "index.html").as_uri())
    assert 'Ferry "terminal" <b>approved</b>' in watched.page.inner_text("body")
    assert watched.page.title().startswith('Brief "<b>" & <script>alert(6)</script>')
    watched.assert_quiet()


@pytest.mark.browser
def test_three_days_make_a_feed_of_three_entries_and_an_archive(browser: Any, tmp_path: Path) -> None:
    briefing = _m000_briefing()
    for number in range(3):
        write_site(DailyBriefing(stories=briefing.stories, markdown="", date=DAY + dt.timedelta(days=number)), tmp_path,
                   title="Daily briefing")  # fmt: skip
    assert len(feedparser.parse(str(tmp_path / "feed.xml")).entries) == 3
    watched = _Watched(browser)
    watched.page.goto((tmp_path / "archive.html").as_uri())
    days = watched.page.locator("li a")
    assert days.count() == 3
    days.nth(2).click()
    watched.page.wait_for_load_state()
    assert watched.page.url.endswith(f"{DAY}/index.html") and "Top stories" in watched.page.inner_text("body")
    watched.assert_quiet()
    shutil.rmtree(tmp_path)


def test_with_a_story_memory_the_page_shows_each_status_and_what_changed_since(tmp_path: Path) -> None:
    from summarizer.memory.store import StoryMemory
    from summarizer.testing import lead_provider

    memory = StoryMemory(tmp_path / "memory.sqlite")
    for day, names in ((dt.date(2004, 12, 29), ["M0006"]), (dt.date(2005, 1, 1), ["M0006", "M0008"])):
        folder = tmp_path / day.isoformat()
        folder.mkdir()
        for name in names:
            shutil.copy(M000 / f"{name}.txt", folder / f"{name}.txt")
        briefing = daily_briefing([folder], provider=lead_provider(), memory=memory, date=day)
        write_site(briefing, tmp_path / "site", title="Daily briefing")
    page = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    story = briefing.stories[0]
    assert story.memory is not None and story.memory.status == "developing" and story.since
    assert '<span class="status">developing</span>' in page and "Since 2004-12-29" in page
    assert "shown in the briefing of 2004-12-29" in page, "the article shown the day before is marked"
    links = _parsed(tmp_path / "site/index.html")
    for item in story.since:
        assert any(href.endswith(f"#s{item.citation.sentence}") for href in links.hrefs), item


@pytest.mark.browser
def test_the_page_reads_on_a_phone_and_works_with_javascript_off(browser: Any, site: tuple[Path, DailyBriefing]) -> None:
    folder, _ = site
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False, is_mobile=True)
    page = context.new_page()
    page.goto((folder / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1, "no sideways scrolling on a phone"
    link = page.locator("a.cite[href*='#']").first
    link.click()
    page.wait_for_load_state()
    assert page.locator(":target").count() == 1, "a citation works without JavaScript"
    page.emulate_media(media="print")
    assert page.locator("nav").first.evaluate("e => getComputedStyle(e).display") == "none", "print leaves navigation out"
    context.close()
