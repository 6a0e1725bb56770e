"""The articles of one RSS or Atom feed: its newest entries, each its own text or the page it links to.

A feed's links are someone else's: each is fetched as a link found in content
(public addresses only, unless allowed), several at a time, and whatever one
link does is that entry's failure alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from summarizer.concurrency import ordered_map
from summarizer.errors import InputError, SummarizerError
from summarizer.inputs.article import Article
from summarizer.inputs.building import article_from_text, id_from_url, page_article, safe_id
from summarizer.inputs.feeds import FeedEntry, parse_feed
from summarizer.inputs.fetch import PageFetcher
from summarizer.inputs.fetched import is_url
from summarizer.inputs.loaded import LoadedArticle, unexpected
from summarizer.inputs.window import DateWindow
from summarizer.settings import FEED_ENTRIES

FETCHES_IN_FLIGHT = 8  # pages of one feed fetched at once (PageFetcher also limits each host)

FetcherSource = Callable[[], PageFetcher]


def _entry_article(entry: FeedEntry, where: str, fallback_id: str, fetcher: FetcherSource) -> Article:
    """A feed entry's article: its own text when it is the full article, else the page it links to."""
    if entry.link and not entry.is_full_article:
        page = fetcher().fetch(entry.link, found_in_content=True)
        return page_article(page, where, id_from_url(entry.link), entry)
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


def newest_entries(entries: list[FeedEntry], limit: int) -> list[int]:
    """Positions of the ``limit`` newest entries, in feed order: dated ones by date, then undated ones as listed."""
    by_age = sorted(range(len(entries)), key=lambda i: -(entries[i].published or dt.date.min).toordinal())
    return sorted(by_age[:limit])  # a stable sort: equal dates (and undated entries) keep the feed's order


def articles_from_feed(
    body: bytes,
    source: str,
    fetcher: FetcherSource,
    window: DateWindow | None,
    base_url: str | None = None,
    limit: int = FEED_ENTRIES,
) -> Iterator[LoadedArticle]:
    """The newest ``limit`` entries of a feed as articles (one line says how many older ones were not read);
    an entry outside the window is left out before its page is fetched.
    """
    try:
        entries = _each_link_once(parse_feed(body, source, base_url))
    except InputError as exc:
        yield LoadedArticle.failed(source, exc)
        return
    kept = [(position + 1, entries[position]) for position in newest_entries(entries, limit)]  # numbered as listed
    if len(kept) < len(entries):
        yield LoadedArticle.feed_capped(source, len(entries) - len(kept), len(entries), len(kept))
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
    yield from ordered_map(load_entry, kept, FETCHES_IN_FLIGHT, first_alone=0)
