"""Hostile servers on loopback: bad links, slow servers, odd pages, compression bombs, huge feeds, internal addresses.

Limits are lowered (a 1 s deadline, 1 MB pages, 20 feed entries) so each case runs in about a second;
the real limits are in docs/configuration.md. Every case ends as one input's one-line error (or a stated
limit), never as a lost run.
"""

from __future__ import annotations

import gzip
import json
import socket
import time
import zlib
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.inputs.addresses import is_internal
from summarizer.inputs.building import MAX_ARTICLE_CHARS, MAX_TITLE_CHARS, article_from_html
from summarizer.inputs.fetch import FETCHES_PER_HOST, PageFetcher
from summarizer.inputs.loading import LoadedArticle, iter_articles
from summarizer.inputs.page_cache import PageCache
from summarizer.text.sentences import split_sentences
from tests.fake_openai import FakeOpenAIServer, completion
from tests.test_news_day import ANY_ARTICLE, CHESS, LIBRARY, RAIL
from tests.web_server import Answer, Page, WebServer, drip_answer, redirect_answer

runner = CliRunner()
REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture(autouse=True)
def names_resolve_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback names resolve (at once); ``slow.example`` takes 5 s, as a resolver that is not answering."""

    def resolve(host: str, *args: object, **kwargs: object) -> object:
        if host == "slow.example":
            time.sleep(5)
        if host not in ("127.0.0.1", "localhost", "::1", "2130706433"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return REAL_GETADDRINFO(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


LOW_LIMIT = 1_000_000  # bytes of one page in these tests (10 MB in use)


def _html(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(sentence)}.</p>" for sentence in text.split(". ") if sentence)
    return f"<html><head><title>{escape(title)}</title></head><body><article>{paragraphs}</article></body></html>".encode()


def _rss(links: list[str], date: str = "Mon, 23 Nov 2026 07:00:00 GMT") -> bytes:
    items = "".join(
        f"<item><title>Entry {n}</title><link>{escape(link)}</link><pubDate>{date}</pubDate>"
        f"<description>Teaser {n}.</description></item>"
        for n, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def _redirect_to(location: str) -> Page:
    return Page(answer=redirect_answer(location))


def _raw(status_line: bytes, headers: dict[str, str], body: bytes = b"") -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(status_line + b"\r\n")
        for name, value in headers.items():
            handler.wfile.write(f"{name}: {value}\r\n".encode())
        handler.wfile.write(b"\r\n" + body)
        handler.wfile.flush()

    return answer


def _drip(every: float, total: int = 1_000) -> Answer:
    """A page sent one byte every ``every`` seconds."""
    return drip_answer(b"x", every, total)


def _no_headers(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(5)  # accepts the connection, never answers in time


def _one_error_each(loaded: list[LoadedArticle]) -> dict[str, str]:
    errors = {item.source: item.error for item in loaded if item.error is not None}
    for error in errors.values():
        assert "\n" not in error and "Traceback" not in error and len(error) < 700, error
    return errors


HOSTILE_LINKS = [
    "data:text/html,<p>hello</p>",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://127.0.0.1/x",
    "http://" + "a" * 300 + ".example/",  # a DNS label over 63 characters
    "http://[::1/",  # a broken IPv6 host
    "http://exa mple.example/",
    "http://ex\x01ample.example/",
    "http://127.0.0.1:99999/",  # a port out of range
    "http://%zz%00/",
    "https://xn--/",
    "http://例え.テスト/%E0%A4%A",
    "not a url at all",
    "//no-scheme.example/x",
]
REDIRECT_TARGETS = ["data:text/html,hi", "javascript:alert(1)", "file:///etc/passwd", "ftp://x/", "http://" + "b" * 300 + "/"]


def test_fuzzed_links_and_redirects_are_each_one_entrys_error_and_the_good_entries_are_read() -> None:
    pages = {"/rail.html": Page(_html("Rail strike", RAIL)), "/chess.html": Page(_html("Chess champion", CHESS))}
    for n, target in enumerate(REDIRECT_TARGETS):
        pages[f"/redirect-{n}"] = _redirect_to(target)
    with WebServer(pages) as web:
        links = [web.url("/rail.html"), *HOSTILE_LINKS, *(web.url(f"/redirect-{n}") for n in range(len(REDIRECT_TARGETS)))]
        pages["/feed.xml"] = Page(_rss([*links, web.url("/chess.html")]), "application/rss+xml")
        with PageFetcher(timeout=2, allow_private=True) as fetcher:
            loaded = list(iter_articles([web.url("/feed.xml")], fetcher=fetcher))
    titles = [item.article.title for item in loaded if item.article is not None]
    # An entry whose link feedparser drops as invalid is read as its own text ("Teaser n."), like any entry without a link.
    assert {"Rail strike", "Chess champion"} <= set(titles) and all(t.startswith("Entry") for t in titles[1:-1]), titles
    errors = _one_error_each(loaded)
    assert len(errors) + len(titles) == len(loaded) == 2 + len(HOSTILE_LINKS) + len(REDIRECT_TARGETS)
    assert len(errors) >= len(HOSTILE_LINKS) - 2 + len(REDIRECT_TARGETS), errors
    redirected = [errors[web.url(f"/redirect-{n}")] for n in range(len(REDIRECT_TARGETS))]
    assert all(("redirected to" in e or "not an address" in e or "cannot resolve" in e) for e in redirected), redirected
    assert "redirected to a data: address, which is not fetched" in redirected[0]


def test_a_daily_run_over_a_hostile_feed_writes_the_briefing_with_what_was_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = {"/rail.html": Page(_html("Rail strike", RAIL)), "/slow.html": Page(answer=_drip(0.3))}
    pages["/to-data"] = _redirect_to("data:text/html,hi")
    with WebServer(pages) as web, FakeOpenAIServer([completion(json.dumps(ANY_ARTICLE)) for _ in range(4)]) as model:
        links = [web.url("/rail.html"), web.url("/to-data"), "http://" + "a" * 300 + ".example/", web.url("/slow.html")]
        links.append(web.url("/never.html"))  # beyond the feed's cap of 4: not read, and said so
        pages["/feed.xml"] = Page(_rss(links), "application/rss+xml")
        monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-hostile")
        monkeypatch.setenv("SUMMARIZER_FETCH_TIMEOUT", "1")
        monkeypatch.setenv("SUMMARIZER_ALLOW_PRIVATE_ADDRESSES", "1")
        monkeypatch.setenv("SUMMARIZER_FEED_ENTRIES", "4")
        out = tmp_path / "briefing.md"
        started = time.monotonic()
        result = runner.invoke(app, ["daily", web.url("/feed.xml"), "--provider", "openai", "-o", str(out), "--no-cache"])
        took = time.monotonic() - started
    assert result.exit_code == 1, result.stderr  # some inputs failed
    assert "Traceback" not in result.stderr and took < 10
    briefing = out.read_text(encoding="utf-8")
    assert "Rail strike" in briefing or "A headline" in briefing
    assert "redirected to a data: address" in briefing and "took longer than 1 s" in briefing
    assert web.hits["/never.html"] == 0 and "1 older entry of 5 not read" in briefing
    assert "note: " + web.url("/feed.xml") + ": 1 older entry of 5 not read" in result.stderr
    assert "3 not included" in briefing and ("cannot resolve aaaa" in briefing or "not an address that can be" in briefing)


def test_the_deadline_covers_the_whole_fetch_and_a_slow_host_holds_only_its_own() -> None:
    pages = {
        "/drip.html": Page(answer=_drip(0.2)),  # each byte well within any read timeout
        "/silent.html": Page(answer=_no_headers),
        "/rail.html": Page(_html("Rail strike", RAIL)),
    }
    with WebServer(pages) as web, PageFetcher(timeout=1, allow_private=True) as fetcher:
        port = web.url("/").split(":")[2].split("/")[0]
        for url in (web.url("/drip.html"), web.url("/silent.html"), f"http://slow.example:{port}/"):
            started = time.monotonic()
            with pytest.raises(Exception, match=r"took longer than 1 s"):
                fetcher.fetch(url)
            assert time.monotonic() - started < 1.8, url
        # Named inputs are fetched at once: the two slow ones cost one deadline together, not one each.
        started = time.monotonic()
        inputs = [web.url("/drip.html"), web.url("/silent.html"), web.url("/rail.html")]
        loaded = list(iter_articles(inputs, fetcher=fetcher))
        took = time.monotonic() - started
    assert took < 1.8, took
    assert [item.article is not None for item in loaded] == [False, False, True]


def test_one_host_gets_a_few_fetches_at_a_time() -> None:
    pages = {f"/p{n}.html": Page(_html(f"Page {n}", LIBRARY), delay=0.2) for n in range(12)}
    with WebServer(pages) as web:
        pages["/feed.xml"] = Page(_rss([web.url(f"/p{n}.html") for n in range(12)]), "application/rss+xml")
        with PageFetcher(timeout=5, allow_private=True) as fetcher:
            loaded = list(iter_articles([web.url("/feed.xml")], fetcher=fetcher))
    assert sum(item.article is not None for item in loaded) == 12
    assert 1 < web.most_in_flight <= FETCHES_PER_HOST + 1  # the feed itself may still be finishing


def test_compression_is_read_one_layer_deep_within_the_size_limit() -> None:
    zeros = b"\0" * (20 * LOW_LIMIT)
    once = gzip.compress(zeros)
    twice = gzip.compress(once)
    deflated = zlib.compress(zeros)
    good = gzip.compress(_html("Rail strike", RAIL))
    pages = {
        "/bomb": Page(answer=_raw(b"HTTP/1.1 200 OK", _headers("gzip", once), once)),
        "/stacked": Page(answer=_raw(b"HTTP/1.1 200 OK", _headers("gzip, gzip", twice), twice)),
        "/deflate-bomb": Page(answer=_raw(b"HTTP/1.1 200 OK", _headers("deflate", deflated), deflated)),
        "/brotli": Page(answer=_raw(b"HTTP/1.1 200 OK", _headers("br", b"xyz"), b"xyz")),
        "/damaged": Page(answer=_raw(b"HTTP/1.1 200 OK", _headers("gzip", good[:-30] + b"\1" * 30), good[:-30] + b"\1" * 30)),
        "/good": Page(answer=_raw(b"HTTP/1.1 200 OK", _headers("gzip", good), good)),
    }
    with WebServer(pages) as web, PageFetcher(timeout=5, max_bytes=LOW_LIMIT, allow_private=True) as fetcher:
        for path in ("/bomb", "/deflate-bomb"):
            with pytest.raises(Exception, match=r"once decompressed is too large for a page \(limit 1 MB\)"):
                fetcher.fetch(web.url(path))
        with pytest.raises(Exception, match=r"compressed more than once \(Content-Encoding: gzip, gzip\)"):
            fetcher.fetch(web.url("/stacked"))
        with pytest.raises(Exception, match=r"an encoding that is not read \(br\)"):
            fetcher.fetch(web.url("/brotli"))
        with pytest.raises(Exception, match=r"damaged"):
            fetcher.fetch(web.url("/damaged"))
        assert b"Train drivers" in fetcher.fetch(web.url("/good")).body


def _headers(encoding: str, body: bytes) -> dict[str, str]:
    # The test server closes each connection after one answer (HTTP/1.0 handler), and says so.
    headers = {"Content-Type": "text/html", "Content-Encoding": encoding, "Content-Length": str(len(body))}
    return headers | {"Connection": "close"}


def test_long_text_is_linear_and_capped() -> None:
    # The splitter once rescanned each line's prefix at every boundary: 240k characters took 27 s.
    paragraph = "The council met again today. " * 10_000  # one line of 290,000 characters
    started = time.monotonic()
    assert len(split_sentences(paragraph)) == 10_000
    for hostile in ("x" * 2_000_000, "!" * 2_000_000, "a. " * 700_000):
        split_sentences(hostile)
    assert time.monotonic() - started < 5
    one_word = "<html><body><p>" + "y" * (MAX_ARTICLE_CHARS + 10) + "</p></body></html>"
    with pytest.raises(Exception, match=r"more than an article may have \(300,000\)"):
        article_from_html(one_word, source="huge.html", article_id="huge")
    tags = "<title>" + "<b>Rail</b> " * 50_000 + "</title>"
    page = f"<html><head>{tags}</head><body>{_html('x', RAIL).decode()}</body></html>"
    article = article_from_html(page, source="t.html", article_id="t")
    assert article.title is not None and len(article.title) <= MAX_TITLE_CHARS


def test_a_feed_is_read_up_to_its_newest_entries_and_says_how_many_it_left_out() -> None:
    pages = {f"/p{n}.html": Page(_html(f"Page {n}", LIBRARY)) for n in range(60)}
    with WebServer(pages) as web:
        newest = _rss([web.url(f"/p{n}.html") for n in range(5)], "Tue, 24 Nov 2026 07:00:00 GMT")
        older = _rss([web.url(f"/p{n}.html") for n in range(5, 60)], "Mon, 23 Nov 2026 07:00:00 GMT")
        items = older.split(b"<item>", 1)[1].rsplit(b"</channel>", 1)[0]
        pages["/feed.xml"] = Page(newest.replace(b"</channel>", b"<item>" + items + b"</channel>"), "application/rss+xml")
        with PageFetcher(timeout=5, allow_private=True) as fetcher:
            loaded = list(iter_articles([web.url("/feed.xml")], fetcher=fetcher, feed_entries=20))
    capped = [item for item in loaded if item.entries_left_out]
    assert len(capped) == 1 and capped[0].entries_left_out == 40
    assert "40 older entries of 60 not read: a feed is read up to its newest 20" in (capped[0].left_out or "")
    assert sum(item.article is not None for item in loaded) == 20
    assert sum(web.hits[f"/p{n}.html"] for n in range(60)) == 20 and all(web.hits[f"/p{n}.html"] for n in range(5))


def test_the_page_cache_is_pruned_by_age_and_size(tmp_path: Path) -> None:
    pages = {f"/p{n}.html": Page(_html(f"Page {n}", LIBRARY) + b" " * 10_000) for n in range(6)}
    with WebServer(pages) as web:
        with PageFetcher(tmp_path / "pages", allow_private=True, cache_max_bytes=10**9) as fetcher:
            for n in range(6):
                fetcher.fetch(web.url(f"/p{n}.html"))
        cache = PageCache(tmp_path / "pages", max_bytes=35_000, max_age=3_600)
        assert cache.get(web.url("/p5.html")) is not None
        report = cache.prune(now=time.time())
        assert report.kept == 3 and report.removed == 3 and report.kept_bytes <= 35_000  # the newest three fit
        assert cache.get(web.url("/p0.html")) is None and cache.get(web.url("/p5.html")) is not None
        assert cache.prune(now=time.time() + 7_200).kept == 0  # all older than an hour
    assert not list((tmp_path / "pages").iterdir())
    result = runner.invoke(app, ["cache", "prune", "--max-mb", "0"])
    assert result.exit_code == 0 and "removed" in result.stdout


def test_links_found_in_content_may_not_reach_internal_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = {"/secret.html": Page(_html("Internal memo", RAIL))}
    with WebServer(pages) as web:
        port = web.url("/").split(":")[2].split("/")[0]
        internal = [f"http://{host}:{port}/secret.html" for host in ("127.0.0.1", "localhost", "2130706433", "[::1]")]
        pages["/feed.xml"] = Page(_rss(internal), "application/rss+xml")
        pages["/elsewhere"] = _redirect_to(f"http://localhost:{port}/secret.html")  # another host: the policy applies
        pages["/same-host"] = _redirect_to(web.url("/secret.html"))
        with PageFetcher(timeout=2) as fetcher:
            loaded = list(iter_articles([web.url("/feed.xml")], fetcher=fetcher))
            assert fetcher.fetch(web.url("/secret.html")).body  # an address the user names is fetched as given
            assert fetcher.fetch(web.url("/same-host")).body  # and so are its redirects on its own host
            with pytest.raises(Exception, match=r"localhost is an internal address"):
                fetcher.fetch(web.url("/elsewhere"))

        # DNS cannot rebind around the check: it is made on the address the name resolves to.
        def rebinding(host: str, *args: object, **kwargs: object) -> object:
            return REAL_GETADDRINFO("127.0.0.1" if host == "news.example" else host, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        with PageFetcher(timeout=2) as fetcher:
            with pytest.raises(Exception, match=r"news.example is an internal address \(127.0.0.1\)"):
                fetcher.fetch(f"http://news.example:{port}/secret.html", found_in_content=True)
        with PageFetcher(timeout=2, allow_private=True) as fetcher:
            allowed = list(iter_articles([web.url("/feed.xml")], fetcher=fetcher))
    errors = _one_error_each(loaded)
    assert len(errors) == 4 and all("is an internal address" in error for error in errors.values()), errors
    # The two named fetches and the three allowed links (the server listens on IPv4 only: [::1] cannot connect).
    assert web.hits["/secret.html"] == 2 + 3
    assert [item.article is not None for item in allowed] == [True, True, True, False]


def test_internal_addresses_are_told_apart_from_public_ones() -> None:
    import ipaddress

    internal = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"]
    internal += ["::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"]
    assert all(is_internal(ipaddress.ip_address(address)) for address in internal)
    assert not any(is_internal(ipaddress.ip_address(address)) for address in ("93.184.216.34", "2606:4700::1111", "8.8.8.8"))
