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
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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
from summarizer.inputs.feeds import FEED_MEDIA_TYPES, XML_MEDIA_TYPES, FeedEntry, named_as_feed, parse_feed
from summarizer.inputs.fetch import PageFetcher, is_url
from summarizer.inputs.window import DateWindow

MAX_INPUT_BYTES = 2_000_000  # about 300,000 words: far beyond any news article
MAX_FEED_BYTES = 200_000_000  # a JSONL file of many articles; each article still has MAX_INPUT_BYTES
FETCHES_IN_FLIGHT = 8  # pages of one feed fetched at once

__all__ = ["DateWindow", "LoadedArticle", "article_from_html", "article_from_text", "iter_articles", "load_article"]


def unexpected(exc: Exception) -> str:
    """One line for an error no check foresaw, naming its type (the input it is about is added by the caller)."""
    return f"cannot read it ({type(exc).__name__}: {str(exc)[:300]})"


def naming_source(source: str, message: str) -> str:
    """``message`` prefixed with the input it is about, unless it already names it."""
    return message if message.startswith(source) else f"{source}: {message}"


@dataclass(frozen=True)
class LoadedArticle:
    """One article read from an input, or the error that stopped it, or why it was left out (``--since``/``--until``)."""

    source: str
    article: Article | None = None
    error: str | None = None
    left_out: str | None = None

    @classmethod
    def failed(cls, source: str, problem: InputError | str) -> LoadedArticle:
        """The input ``source`` could not be read: one error line, naming it."""
        return cls(source=source, error=naming_source(source, str(problem)))

    def within(self, window: DateWindow | None) -> LoadedArticle:
        """The article, or why it is left out of ``window`` (errors and undated articles pass as they are)."""
        reason = window.outside(self.article.published) if window is not None and self.article is not None else None
        return self if reason is None else LoadedArticle(source=self.source, left_out=reason)

    def with_unique_id(self, ids: UniqueIds) -> LoadedArticle:
        """The article with an id not used before in the run."""
        if self.article is None:
            return self
        unique = ids.assign(self.article, self.source)
        return self if unique is self.article else LoadedArticle(source=self.source, article=unique)


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


FetcherSource = Callable[[], PageFetcher]


def _entry_article(entry: FeedEntry, where: str, fallback_id: str, fetcher: FetcherSource) -> Article:
    """A feed entry's article: its own text when it is the full article, else the page it links to."""
    if entry.link and not entry.is_full_article:
        return page_article(fetcher().fetch(entry.link), where, id_from_url(entry.link), entry)
    if not entry.text.strip():
        raise InputError(f"{where}: the feed entry has neither text nor a link")
    return article_from_text(
        entry.text,
        source=where,
        article_id=id_from_url(entry.link) if entry.link else fallback_id,
        title=entry.title,
        url=entry.link,
        published=entry.published,
        published_from="the feed entry" if entry.published else None,
        outlet=entry.outlet,
        author=entry.author,
    )


def _each_link_once(entries: list[FeedEntry]) -> list[FeedEntry]:
    """The entries with the first of any repeated link (a feed listing one story twice is read once)."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.link is not None:
            try:
                key = urlsplit(entry.link)._replace(fragment="").geturl()
            except ValueError:  # not a URL at all: fetching it fails for this entry alone
                key = entry.link
            if key in seen:
                continue
            seen.add(key)
        kept.append(entry)
    return kept


def _articles_from_feed(
    body: bytes, source: str, fetcher: FetcherSource, window: DateWindow | None, base_url: str | None = None
) -> Iterator[LoadedArticle]:
    """Every entry of a feed as an article; an entry outside the window is left out before its page is fetched."""
    try:
        entries = _each_link_once(parse_feed(body, source, base_url))
    except InputError as exc:
        yield LoadedArticle.failed(source, exc)
        return
    stem = id_from_url(source) if is_url(source) else safe_id(Path(source).stem)

    def load_entry(numbered: tuple[int, FeedEntry]) -> LoadedArticle:
        number, entry = numbered
        where = entry.link or f"{source}#{number}"
        reason = window.outside(entry.published) if window else None
        if reason:
            return LoadedArticle(source=where, left_out=reason)
        try:
            return LoadedArticle(source=where, article=_entry_article(entry, where, f"{stem}-{number}", fetcher))
        except InputError as exc:
            return LoadedArticle.failed(where, exc)
        except SummarizerError:
            raise  # a setup error stops the run once
        except Exception as exc:  # noqa: BLE001 - whatever one link does, it is that entry's failure alone
            return LoadedArticle.failed(where, unexpected(exc))

    # Entries' pages are fetched several at a time (the client is shared and thread-safe); results keep feed order.
    yield from ordered_map(load_entry, enumerate(entries, start=1), FETCHES_IN_FLIGHT)


def _load_url(url: str, fetcher: FetcherSource, window: DateWindow | None) -> Iterator[LoadedArticle]:
    """A page (one article) or a feed (one article per entry) at ``url``.

    An address given as a feed (by its name or by the content type it was
    served with) must parse as one: an HTML error page there is an error, not
    an article.
    """
    try:
        page = fetcher().fetch(url)
        if page.is_feed:
            yield from _articles_from_feed(page.body, url, fetcher, window, base_url=page.final_url)
            return
        if named_as_feed(url) or page.media_type in FEED_MEDIA_TYPES + XML_MEDIA_TYPES:
            raise InputError(f"{url}: not an RSS or Atom feed (the server sent {page.media_type or 'an untyped answer'})")
        article = page_article(page, url, id_from_url(page.final_url))
    except InputError as exc:
        yield LoadedArticle.failed(url, exc)
        return
    yield LoadedArticle(source=url, article=article)


def _load_file(file: Path, fetcher: FetcherSource, window: DateWindow | None) -> Iterator[LoadedArticle]:
    shown = display_path(file)
    try:
        if file.suffix.lower() in FEED_SUFFIXES:
            yield from _articles_from_feed(_read(file, MAX_FEED_BYTES, "a feed"), shown, fetcher, window)
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


def _load(item: str | Path | Unlisted, fetcher: FetcherSource, window: DateWindow | None) -> Iterator[LoadedArticle]:
    """What one expanded input holds: a page or feed, standard input, a file (an error for each bad one)."""
    if isinstance(item, Unlisted):
        yield LoadedArticle.failed(item.source, item.error)
    elif is_url(str(item)):
        yield from _load_url(str(item), fetcher, window)
    elif str(item) == "-":
        try:
            yield LoadedArticle(source="-", article=load_article("-"))
        except InputError as exc:
            yield LoadedArticle.failed("-", exc)
    else:
        yield from _load_file(Path(item), fetcher, window)


def iter_articles(
    inputs: Iterable[str | Path], *, fetcher: PageFetcher | None = None, window: DateWindow | None = None
) -> Iterator[LoadedArticle]:
    """Every article the inputs hold, or an error for each bad one, or why it was left out of ``window``.

    Inputs are files (text, HTML, JSONL, RSS/Atom), directories, globs,
    ``http(s)`` URLs of pages or feeds, and '-' for stdin. A feed entry's own
    text is used when it is the full article; otherwise its link is fetched
    (with ``fetcher``; by default one without a disk cache). A file named by
    several inputs is read once; article ids are unique within the call
    (see ``UniqueIds``).
    """
    ids = UniqueIds()
    made: list[PageFetcher] = []
    making = threading.Lock()  # a feed's pages are fetched from several threads

    def active_fetcher() -> PageFetcher:
        if fetcher is not None:
            return fetcher
        with making:
            if not made:
                made.append(PageFetcher())
            return made[0]

    try:
        for item in each_once(expand_inputs(inputs)):
            try:
                for loaded in _load(item, active_fetcher, window):
                    yield loaded.within(window).with_unique_id(ids)
            except SummarizerError:
                raise  # a setup error stops the run once; run errors are caught where they happen
            except Exception as exc:  # noqa: BLE001 - whatever one input does, it is that input's failure alone
                source = (
                    item.source if isinstance(item, Unlisted) else display_path(item) if isinstance(item, Path) else str(item)
                )
                yield LoadedArticle.failed(source, unexpected(exc))
    finally:
        for own in made:
            own.close()
