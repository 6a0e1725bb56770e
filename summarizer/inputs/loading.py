"""Read articles from files, directories, globs, JSONL, HTML, RSS/Atom feeds and URLs, with one clear error per bad input.

Every input yields ``LoadedArticle`` items, each holding an ``Article`` or the
error that stopped it, so one bad file (or one bad JSONL line) never stops
the others.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from summarizer.concurrency import ordered_map
from summarizer.errors import InputError, UsageError
from summarizer.files import content_hash, display_path
from summarizer.inputs.article import Article
from summarizer.inputs.encoding import decode_text
from summarizer.inputs.feeds import FEED_SUFFIXES, FeedEntry, parse_feed
from summarizer.inputs.fetch import FetchedPage, PageFetcher, is_url
from summarizer.inputs.page import analyse_page

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES
MAX_INPUT_BYTES = 2_000_000  # about 300,000 words: far beyond any news article
MAX_FEED_BYTES = 200_000_000  # a JSONL file of many articles; each article still has MAX_INPUT_BYTES
MAX_ID_CHARS = 120
FETCHES_IN_FLIGHT = 8  # pages of one feed fetched at once
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedArticle:
    """One article read from an input, or the error that stopped it, or why it was left out (``--since``/``--until``)."""

    source: str
    article: Article | None = None
    error: str | None = None
    left_out: str | None = None


@dataclass(frozen=True)
class DateWindow:
    """Publication dates to keep (either end open); an article with no known date is kept."""

    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UsageError(f"the window starts ({self.since}) after it ends ({self.until})")

    def outside(self, published: dt.date | None) -> str | None:
        """Why ``published`` is outside the window, or None when it is inside (or unknown)."""
        if published is None:
            return None
        if self.since is not None and published < self.since:
            return f"published {published}, before --since {self.since}"
        if self.until is not None and published > self.until:
            return f"published {published}, after --until {self.until}"
        return None


def article_from_text(
    text: str,
    *,
    source: str = "-",
    article_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    published_from: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    decoded_as: str | None = None,
) -> Article:
    """Build an ``Article``: page debris and metadata lines found, the id defaulting to a content hash.

    Metadata passed in wins over metadata found in the text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError(f"{source}: the article is empty")
    page = analyse_page(text, title=title)
    if article_id is None:
        article_id = "sha-" + content_hash(text, 12)
    article = Article(
        id=article_id,
        source=source,
        title=page.title,
        text=text,
        url=url,
        outlet=outlet or page.outlet,
        author=author or page.author,
        dateline=page.dateline,
        published=published or page.published,
        published_from=published_from if published else page.published_from,
        decoded_as=decoded_as,
        skipped_lines=page.skipped,
    )
    if not article.sentences:
        raise InputError(f"{source}: no article sentences (only page debris)")
    return article


def _safe_id(name: str) -> str:
    """An article id usable as a file name in any script: letters and digits of any language kept, the rest '-'.

    Undecodable bytes of a file name are kept as their escapes (``caf-xe9``),
    so names that differ only there still get different ids.
    """
    cleaned = re.sub(r"[^\w.-]+", "-", display_path(name)).strip("-.")[:MAX_ID_CHARS]
    return cleaned or "article"


def _id_from_path(path: Path) -> str:
    return _safe_id(path.stem)


def _too_large(size: int, limit: int, what: str) -> str:
    return f"{size / 1e6:.1f} MB is too large for {what} (limit {limit / 1e6:.0f} MB)"


def _date_from_name(path: Path) -> dt.date | None:
    match = _DATE_IN_NAME.search(path.name)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


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


def article_from_html(
    html: str | bytes,
    *,
    source: str,
    article_id: str,
    url: str | None = None,
    entry: FeedEntry | None = None,
    decoded_as: str | None = None,
) -> Article:
    """The main text and metadata of an HTML page (trafilatura); a feed entry's title, date and outlet fill the gaps.

    ``decoded_as`` notes how the page's bytes were read when its label was wrong.
    """
    import trafilatura  # imported lazily: it loads lxml and more

    # A trafilatura Document (its type also admits a dict, which as_dict=False never returns). Dates come from the
    # page's metadata only: the extensive search also reads years out of the text ("since 2022") as the page's date.
    document: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        as_dict=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        raise InputError(f"{source}: no article text found in the HTML")
    published, published_from = None, None
    if entry is not None and entry.published is not None:  # the feed states it; a page's metadata may be a guess
        published, published_from = entry.published, "the feed entry"
    elif document.date:
        try:
            published, published_from = dt.date.fromisoformat(document.date[:10]), "HTML metadata"
        except ValueError:
            published = None
    return article_from_text(
        document.text,
        source=source,
        article_id=article_id,
        title=document.title or (entry.title if entry else None) or None,
        url=url or document.url or None,
        published=published,
        published_from=published_from,
        outlet=document.sitename or (entry.outlet if entry else None) or None,
        author=document.author or (entry.author if entry else None) or None,
        decoded_as=decoded_as,
    )


def _article_from_html(html: str, file: Path) -> Article:
    return article_from_html(html, source=display_path(file), article_id=_id_from_path(file))


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
            article_id = str(record.get("id") or f"{_id_from_path(file)}-{number}")
            published = _parse_published(record.get("published"), where)
            article = article_from_text(
                record["text"],
                source=where,
                article_id=_safe_id(article_id),
                title=record.get("title") or None,
                url=record.get("url") or None,
                published=published,
                published_from="the 'published' field" if published else None,
            )
            yield LoadedArticle(source=where, article=article)
        except json.JSONDecodeError as exc:
            yield LoadedArticle(source=where, error=f"{where}: not valid JSON ({exc.msg})")
        except InputError as exc:
            yield LoadedArticle(source=where, error=str(exc))


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
    published = _date_from_name(file)
    return article_from_text(
        text,
        source=display_path(file),
        article_id=_id_from_path(file),
        published=published,
        published_from="the file name" if published else None,
    )


FetcherSource = Callable[[], PageFetcher]


def _id_from_url(url: str) -> str:
    """An id from the address: its last path segment without extension, else its host."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    return _safe_id(Path(segments[-1]).stem if segments else parts.netloc)


def _in_window(loaded: LoadedArticle, window: DateWindow | None) -> LoadedArticle:
    if window is None or loaded.article is None:
        return loaded
    reason = window.outside(loaded.article.published)
    return loaded if reason is None else LoadedArticle(source=loaded.source, left_out=reason)


def _entry_article(entry: FeedEntry, where: str, fallback_id: str, fetcher: FetcherSource) -> Article:
    """A feed entry's article: its own text when it is the full article, else the page it links to."""
    if entry.link and not entry.is_full_article:
        return _page_article(fetcher().fetch(entry.link), where, _id_from_url(entry.link), entry)
    if not entry.text.strip():
        raise InputError(f"{where}: the feed entry has neither text nor a link")
    return article_from_text(
        entry.text,
        source=where,
        article_id=_id_from_url(entry.link) if entry.link else fallback_id,
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
            key = urlsplit(entry.link)._replace(fragment="").geturl()
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
        yield LoadedArticle(source=source, error=str(exc))
        return
    stem = _id_from_url(source) if is_url(source) else _safe_id(Path(source).stem)

    def load_entry(numbered: tuple[int, FeedEntry]) -> LoadedArticle:
        number, entry = numbered
        where = entry.link or f"{source}#{number}"
        reason = window.outside(entry.published) if window else None
        if reason:
            return LoadedArticle(source=where, left_out=reason)
        try:
            article = _entry_article(entry, where, f"{stem}-{number}", fetcher)
        except InputError as exc:
            message = str(exc)
            return LoadedArticle(source=where, error=message if message.startswith(where) else f"{where}: {message}")
        return _in_window(LoadedArticle(source=where, article=article), window)

    # Entries' pages are fetched several at a time (the client is shared and thread-safe); results keep feed order.
    yield from ordered_map(load_entry, enumerate(entries, start=1), FETCHES_IN_FLIGHT)


def _page_article(page: FetchedPage, source: str, article_id: str, entry: FeedEntry | None = None) -> Article:
    """The article of a fetched page (HTML, or plain text), its bytes decoded as they are, not as labelled."""
    decoded = page.decoded()
    if decoded.note:
        log.warning(f"{source}: {decoded.note}")
    url = entry.link if entry is not None and entry.link else page.final_url
    if page.media_type == "text/plain":
        return article_from_text(decoded.text, source=source, article_id=article_id, url=url, decoded_as=decoded.note)
    return article_from_html(decoded.text, source=source, article_id=article_id, url=url, entry=entry, decoded_as=decoded.note)


def _fetched_article(url: str, fetcher: PageFetcher | None) -> Article:
    """The one article of the page at ``url``; ``InputError`` naming it when it is a feed or cannot be fetched."""
    with PageFetcher() if fetcher is None else nullcontext(fetcher) as active:
        page = active.fetch(url)
    if page.is_feed:
        raise InputError(f"{url}: a feed holds many articles; use iter_articles")
    return _page_article(page, url, _id_from_url(page.final_url))


FEED_NAMES = ("feed", "feeds", "rss", "atom")  # a last path segment that names a feed (/world/rss, /feed)
FEED_MEDIA_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")


def named_as_feed(url: str) -> bool:
    """True when an address says it is a feed: a feed extension (.rss, .atom, .xml) or a last segment like ``rss``."""
    segments = [segment for segment in urlsplit(url).path.lower().split("/") if segment]
    return bool(segments) and (segments[-1].endswith(FEED_SUFFIXES) or segments[-1] in FEED_NAMES)


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
        if named_as_feed(url) or page.media_type in FEED_MEDIA_TYPES:
            raise InputError(f"{url}: not an RSS or Atom feed (the server sent {page.media_type or 'an untyped answer'})")
        article = _page_article(page, url, _id_from_url(page.final_url))
    except InputError as exc:
        yield LoadedArticle(source=url, error=str(exc))
        return
    yield _in_window(LoadedArticle(source=url, article=article), window)


def _load_file(file: Path, fetcher: FetcherSource, window: DateWindow | None) -> Iterator[LoadedArticle]:
    shown = display_path(file)
    if file.suffix.lower() in FEED_SUFFIXES:
        try:
            body = _read(file, MAX_FEED_BYTES, "a feed")
        except InputError as exc:
            yield LoadedArticle(source=shown, error=str(exc))
            return
        yield from _articles_from_feed(body, shown, fetcher, window)
        return
    if file.suffix.lower() in JSONL_SUFFIXES:
        try:
            text = decode_text(_read(file, MAX_FEED_BYTES, "a JSONL file"), shown)
        except InputError as exc:
            yield LoadedArticle(source=shown, error=str(exc))
            return
        for loaded in _articles_from_jsonl(text, file):
            yield _in_window(loaded, window)
        return
    try:
        yield _in_window(LoadedArticle(source=shown, article=load_article(file)), window)
    except InputError as exc:
        yield LoadedArticle(source=shown, error=str(exc))


@dataclass(frozen=True)
class _Unlisted:
    """An input that could not be expanded into files, and why."""

    source: str
    error: str


def _directory_files(path: Path) -> list[Path] | _Unlisted:
    try:
        return sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file())
    except OSError as exc:
        return _Unlisted(display_path(path), f"{display_path(path)}: cannot list this directory ({exc.strerror or exc})")


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[str | Path | _Unlisted]:
    """Expand directories (their supported files, sorted) and globs; an input that matches nothing is an error."""
    for item in inputs:
        text = str(item)
        path = Path(item)
        if is_url(text) or text == "-" or path.is_file():
            yield item
        elif path.is_dir():
            files = _directory_files(path)
            if isinstance(files, _Unlisted):
                yield files
            elif not files:
                shown = display_path(path)
                yield _Unlisted(shown, f"{shown}: no article files ({', '.join(SUPPORTED_SUFFIXES)}) in this directory")
            else:
                yield from files
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
                yield _Unlisted(display_path(text), f"{display_path(text)}: no files match this pattern")
            yield from matches
        else:
            yield item  # reported as missing when read


class _UniqueIds:
    """Article ids of one run, each used once: a repeated id gets a short hash of its source appended.

    Two inputs named ``story`` in different folders (or ``story.txt`` beside
    ``story.md``) keep one output and one citation number each. The first
    keeps the plain id, so ids stay stable from run to run.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()

    def assign(self, loaded: LoadedArticle) -> LoadedArticle:
        if loaded.article is None:
            return loaded
        wanted = loaded.article.id
        unique = wanted
        salt = 0
        while unique.casefold() in self.used:  # casefold: some file systems ignore case
            salt += 1
            unique = f"{wanted}-{content_hash(f'{loaded.source}#{salt}', 8)}"
        self.used.add(unique.casefold())
        if unique == wanted:
            return loaded
        return LoadedArticle(source=loaded.source, article=loaded.article.model_copy(update={"id": unique}))


def _resolved(path: str | Path) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(path)


def _once(items: Iterable[str | Path | _Unlisted]) -> Iterator[str | Path | _Unlisted]:
    """Each file or URL once, however many of the inputs (a folder and a glob, say) name it."""
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, _Unlisted) and str(item) != "-":
            key = str(item) if is_url(str(item)) else _resolved(item)
            if key in seen:
                continue
            seen.add(key)
        yield item


def iter_articles(
    inputs: Iterable[str | Path], *, fetcher: PageFetcher | None = None, window: DateWindow | None = None
) -> Iterator[LoadedArticle]:
    """Every article the inputs hold, or an error for each bad one, or why it was left out of ``window``.

    Inputs are files (text, HTML, JSONL, RSS/Atom), directories, globs,
    ``http(s)`` URLs of pages or feeds, and '-' for stdin. A feed entry's own
    text is used when it is the full article; otherwise its link is fetched
    (with ``fetcher``; by default one without a disk cache). A file named by
    several inputs is read once; article ids are unique within the call
    (see ``_UniqueIds``).
    """
    ids = _UniqueIds()
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
        for item in _once(expand_inputs(inputs)):
            if isinstance(item, _Unlisted):
                yield LoadedArticle(source=item.source, error=item.error)
            elif is_url(str(item)):
                for loaded in _load_url(str(item), active_fetcher, window):
                    yield ids.assign(loaded)
            elif str(item) == "-":
                try:
                    yield ids.assign(_in_window(LoadedArticle(source="-", article=load_article("-")), window))
                except InputError as exc:
                    yield LoadedArticle(source="-", error=str(exc))
            else:
                for loaded in _load_file(Path(item), active_fetcher, window):
                    yield ids.assign(loaded)
    finally:
        for own in made:
            own.close()
