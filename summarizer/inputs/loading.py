"""Read articles from files, directories, globs, JSONL, HTML, RSS/Atom feeds and URLs, with one clear error per bad input.

Every input yields ``LoadedArticle`` items, each holding an ``Article`` or the
error that stopped it, so one bad file (or one bad JSONL line) never stops
the others. Expanding what was named is ``expansion``'s job, building an
article from text or HTML ``building``'s; the date window is applied once,
in ``iter_articles`` (a feed entry outside it is not even fetched).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

from summarizer.concurrency import ordered_map
from summarizer.errors import InputError, SummarizerError
from summarizer.files import display_path
from summarizer.inputs.article import Article
from summarizer.inputs.building import (
    article_from_html,
    article_from_text,
    date_from_name,
    id_from_path,
    id_from_url,
    page_article,
    safe_id,
)
from summarizer.inputs.encoding import decode_text
from summarizer.inputs.expansion import (
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    UniqueIds,
    Unlisted,
    each_once,
    expand_inputs,
)
from summarizer.inputs.feed_articles import articles_from_feed
from summarizer.inputs.feeds import FEED_MEDIA_TYPES, XML_MEDIA_TYPES, named_as_feed
from summarizer.inputs.fetch import PageFetcher
from summarizer.inputs.fetched import is_url
from summarizer.inputs.loaded import LoadedArticle, naming_source, unexpected
from summarizer.inputs.window import DateWindow
from summarizer.settings import FEED_ENTRIES

MAX_INPUT_BYTES = 2_000_000  # about 300,000 words: far beyond any news article
MAX_FEED_BYTES = 200_000_000  # a JSONL file of many articles; each article still has MAX_INPUT_BYTES
INPUT_FETCHES_IN_FLIGHT = 4  # addresses named as inputs fetched at once (PageFetcher also limits each host)

__all__ = [
    "DateWindow",
    "LoadedArticle",
    "naming_source",
    "article_from_html",
    "article_from_text",
    "iter_articles",
    "load_article",
]


def _too_large(size: int, limit: int, what: str) -> str:
    return f"{size / 1e6:.1f} MB is too large for {what} (limit {limit / 1e6:.0f} MB)"


def _read(file: Path, limit: int = MAX_INPUT_BYTES, what: str = "a news article") -> bytes:
    shown = display_path(file)
    try:
        if not file.exists():
            raise InputError(f"{shown}: no such file")
        if file.is_dir():
            raise InputError(f"{shown}: is a directory")
        size = file.stat().st_size
        if size > limit:
            raise InputError(f"{shown}: {_too_large(size, limit, what)}")
        return file.read_bytes()
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({exc.strerror or exc})") from None


def _article_from_html(html: str, file: Path) -> Article:
    return article_from_html(html, source=display_path(file), article_id=id_from_path(file))


def _parse_published(value: object, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{where}: 'published' must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def _articles_from_jsonl(text: str, file: Path) -> Iterator[LoadedArticle]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{display_path(file)}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError(f"{where}: each line must be a JSON object with a 'text' string")
            size = len(record["text"].encode("utf-8", "surrogatepass"))
            if size > MAX_INPUT_BYTES:
                raise InputError(f"{where}: {_too_large(size, MAX_INPUT_BYTES, 'a news article')}")
            article_id = str(record.get("id") or f"{id_from_path(file)}-{number}")
            published = _parse_published(record.get("published"), where)
            article = article_from_text(
                record["text"],
                source=where,
                article_id=safe_id(article_id),
                title=record.get("title") or None,
                url=record.get("url") or None,
                published=published,
                published_from="the 'published' field" if published else None,
            )
            yield LoadedArticle(source=where, article=article)
        except json.JSONDecodeError as exc:
            yield LoadedArticle.failed(where, f"not valid JSON ({exc.msg})")
        except InputError as exc:
            yield LoadedArticle.failed(where, exc)


def load_article(path: str | Path, fetcher: PageFetcher | None = None) -> Article:
    """Read one article from a text or HTML file, an ``http(s)`` page (fetched with ``fetcher``, else one without
    a cache), or stdin when ``path`` is ``-``. A feed or JSONL file holds many articles: ``InputError``, use
    ``iter_articles``.
    """
    if str(path) == "-":
        return article_from_text(decode_text(sys.stdin.buffer.read(), "stdin"), source="-")
    if is_url(str(path)):
        return _fetched_article(str(path), fetcher)
    file = Path(path)
    if file.suffix.lower() in JSONL_SUFFIXES + FEED_SUFFIXES:
        raise InputError(f"{display_path(file)}: a JSONL file or feed holds many articles; use iter_articles")
    data = _read(file)
    text = decode_text(data, display_path(file))
    if file.suffix.lower() in HTML_SUFFIXES:
        return _article_from_html(text, file)
    published = date_from_name(file)
    return article_from_text(
        text,
        source=display_path(file),
        article_id=id_from_path(file),
        published=published,
        published_from="the file name" if published else None,
    )


def _fetched_article(url: str, fetcher: PageFetcher | None) -> Article:
    """The one article of the page at ``url``; ``InputError`` naming it when it is a feed or cannot be fetched."""
    with PageFetcher() if fetcher is None else nullcontext(fetcher) as active:
        page = active.fetch(url)
    if page.is_feed:
        raise InputError(f"{url}: a feed holds many articles; use iter_articles")
    return page_article(page, url, id_from_url(page.final_url))


def _load_url(url: str, reading: _Reading) -> Iterator[LoadedArticle]:
    """A page (one article) or a feed (one article per entry) at ``url``.

    An address given as a feed (by its name or by the content type it was
    served with) must parse as one: an HTML error page there is an error, not
    an article.
    """
    try:
        page = reading.fetcher().fetch(url)
        if page.is_feed:
            yield from reading.feed(page.body, url, base_url=page.final_url)
            return
        if named_as_feed(url) or page.media_type in FEED_MEDIA_TYPES + XML_MEDIA_TYPES:
            raise InputError(f"{url}: not an RSS or Atom feed (the server sent {page.media_type or 'an untyped answer'})")
        article = page_article(page, url, id_from_url(page.final_url))
    except InputError as exc:
        yield LoadedArticle.failed(url, exc)
        return
    yield LoadedArticle(source=url, article=article)


def _load_file(file: Path, reading: _Reading) -> Iterator[LoadedArticle]:
    shown = display_path(file)
    try:
        if file.suffix.lower() in FEED_SUFFIXES:
            yield from reading.feed(_read(file, MAX_FEED_BYTES, "a feed"), shown)
        elif file.suffix.lower() in JSONL_SUFFIXES:
            yield from _articles_from_jsonl(decode_text(_read(file, MAX_FEED_BYTES, "a JSONL file"), shown), file)
        else:
            yield LoadedArticle(source=shown, article=load_article(file))
    except InputError as exc:
        yield LoadedArticle.failed(shown, exc)


def _shown(item: str | Path | Unlisted) -> str:
    """How an input is named in its error line, as its loader names it."""
    if isinstance(item, Unlisted):
        return item.source
    return str(item) if is_url(str(item)) or str(item) == "-" else display_path(Path(item))


def _load(item: str | Path | Unlisted, reading: _Reading) -> Iterator[LoadedArticle]:
    """What one expanded input holds: a page or feed, standard input, a file (an error for each bad one)."""
    if isinstance(item, Unlisted):
        yield LoadedArticle.failed(item.source, item.error)
    elif is_url(str(item)):
        yield from _load_url(str(item), reading)
    elif str(item) == "-":
        try:
            yield LoadedArticle(source="-", article=load_article("-"))
        except InputError as exc:
            yield LoadedArticle.failed("-", exc)
    else:
        yield from _load_file(Path(item), reading)


def _guarded(item: str | Path | Unlisted, reading: _Reading) -> Iterator[LoadedArticle]:
    """What ``item`` holds; whatever unforeseen error it raises is its own one-line failure (setup errors stop the run)."""
    try:
        yield from _load(item, reading)
    except SummarizerError:
        raise  # a setup error stops the run once; run errors are caught where they happen
    except Exception as exc:  # noqa: BLE001 - whatever one input does, it is that input's failure alone
        yield LoadedArticle.failed(_shown(item), unexpected(exc))


class _Reading:
    """What reading one call's inputs shares: the fetcher (made on first use), the date window, the feed cap."""

    def __init__(self, fetcher: PageFetcher | None, window: DateWindow | None, feed_entries: int) -> None:
        self.given = fetcher
        self.window = window
        self.feed_entries = feed_entries
        self.made: list[PageFetcher] = []
        self._making = threading.Lock()  # inputs and a feed's pages are fetched from several threads

    def fetcher(self) -> PageFetcher:
        if self.given is not None:
            return self.given
        with self._making:
            if not self.made:
                self.made.append(PageFetcher())
            return self.made[0]

    def feed(self, body: bytes, source: str, base_url: str | None = None) -> Iterator[LoadedArticle]:
        return articles_from_feed(body, source, self.fetcher, self.window, base_url, self.feed_entries)

    def close(self) -> None:
        for own in self.made:
            own.close()


def iter_articles(
    inputs: Iterable[str | Path],
    *,
    fetcher: PageFetcher | None = None,
    window: DateWindow | None = None,
    feed_entries: int = FEED_ENTRIES,
) -> Iterator[LoadedArticle]:
    """Every article the inputs hold, or an error for each bad one, or why it was left out.

    Inputs are files (text, HTML, JSONL, RSS/Atom), directories, globs,
    ``http(s)`` URLs of pages or feeds, and '-' for stdin. A feed is read up
    to its ``feed_entries`` newest entries (one item says how many were not);
    an entry's own text is used when it is the full article, otherwise its
    link is fetched (with ``fetcher``; by default one without a disk cache).
    Addresses named as inputs are fetched several at a time; results come in
    input order. A file named by several inputs is read once; article ids are
    unique within the call (see ``UniqueIds``).
    """
    ids = UniqueIds()
    reading = _Reading(fetcher, window, feed_entries)

    def started(item: str | Path | Unlisted) -> Iterable[LoadedArticle]:
        loads = _guarded(item, reading)
        # A named address is fetched (and its feed read) in a worker; a file is read lazily, by the caller.
        return list(loads) if not isinstance(item, Unlisted) and is_url(str(item)) else loads

    try:
        for loads in ordered_map(started, each_once(expand_inputs(inputs)), INPUT_FETCHES_IN_FLIGHT, first_alone=0):
            for loaded in loads:
                yield loaded.within(window).with_unique_id(ids)
    finally:
        reading.close()
