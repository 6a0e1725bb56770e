"""RSS and Atom feeds (feedparser): each entry's title, link, date, outlet and its own text when it is a full article."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import feedparser
import lxml.html

from summarizer.errors import InputError

FEED_SUFFIXES = (".rss", ".atom", ".xml")
FULL_ARTICLE_WORDS = 150  # an entry's own text at least this long is the article; a teaser is not
_BLOCKS = ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "blockquote", "tr")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed."""

    title: str | None
    link: str | None
    published: dt.date | None
    text: str
    outlet: str | None
    author: str | None

    @property
    def is_full_article(self) -> bool:
        """True when the entry carries the article itself, not a teaser that links to it."""
        return len(self.text.split()) >= FULL_ARTICLE_WORDS


FEED_MEDIA_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
XML_MEDIA_TYPES = ("application/xml", "text/xml")  # a feed, or another XML document
FEED_NAMES = ("feed", "feeds", "rss", "atom")  # a last path segment that names a feed (/world/rss, /feed)


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """True for an RSS or Atom document (by content type, else by its first element)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in FEED_MEDIA_TYPES:
        return True
    head = body[:2000].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head)


def named_as_feed(url: str) -> bool:
    """True when an address says it is a feed: a feed extension (.rss, .atom, .xml) or a last segment like ``rss``."""
    segments = [segment for segment in urlsplit(url).path.lower().split("/") if segment]
    return bool(segments) and (segments[-1].endswith(FEED_SUFFIXES) or segments[-1] in FEED_NAMES)


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment, one paragraph per block element; markup and scripts dropped."""
    if "<" not in markup:
        markup = html.unescape(markup)  # entities left in a feed's text are its markup (escaped twice), not its words
        if "<" not in markup:
            return markup.strip()
    try:
        root = lxml.html.fromstring(f"<div>{markup}</div>")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in root.iter("script", "style"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n\n"))
    return "\n\n".join(line for line in lines if line)


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date()
    return None


def _entry_text(entry: Any) -> str:
    contents = [item.get("value", "") for item in entry.get("content", []) if isinstance(item, dict)]
    candidates = [html_to_text(value) for value in [*contents, entry.get("summary", "")] if value]
    return max(candidates, key=len, default="")


def parse_feed(body: bytes, source: str, base_url: str | None = None) -> list[FeedEntry]:
    """The entries of an RSS or Atom document; ``InputError`` when it is not a feed that can be read.

    Relative links resolve against ``base_url`` (the address the feed came from).
    """
    parsed = feedparser.parse(body, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f" ({type(problem).__name__}: {problem})" if problem else ""
        raise InputError(f"{source}: not a readable RSS or Atom feed, no entries{reason}")
    outlet = (parsed.feed.get("title") or "").strip() or None
    return [
        FeedEntry(
            title=(entry.get("title") or "").strip() or None,
            link=(entry.get("link") or "").strip() or None,
            published=_date(entry),
            text=_entry_text(entry),
            outlet=outlet,
            author=(entry.get("author") or "").strip() or None,
        )
        for entry in parsed.entries
    ]
