"""Articles from text and HTML: page debris and metadata found, ids made from file names and addresses.

The text is kept as it is (every span points into it); what a page's
metadata, a feed entry or a JSONL record says fills what the text lacks.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from summarizer.errors import InputError
from summarizer.files import content_hash, display_path
from summarizer.inputs.article import Article
from summarizer.inputs.feeds import FeedEntry
from summarizer.inputs.fetched import FetchedPage
from summarizer.inputs.page import analyse_page

log = logging.getLogger(__name__)

MAX_ID_CHARS = 120
MAX_ARTICLE_CHARS = 300_000  # about 50,000 words: twice the longest long-form feature; a page past it is not an article
MAX_TITLE_CHARS = 300  # headlines run to 100 or so


def shortened(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary where there is one, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


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
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"{source}: its text is {len(text):,} characters, more than an article may have ({MAX_ARTICLE_CHARS:,})")
    page = analyse_page(text, title=shortened(title, MAX_TITLE_CHARS) if title else None)
    if article_id is None:
        article_id = "sha-" + content_hash(text, 12)
    article = Article(
        id=article_id,
        source=source,
        title=shortened(page.title, MAX_TITLE_CHARS) if page.title else None,
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


def safe_id(name: str) -> str:
    """An article id usable as a file name in any script: letters and digits of any language kept, the rest '-'.

    Undecodable bytes of a file name are kept as their escapes (``caf-xe9``),
    so names that differ only there still get different ids.
    """
    cleaned = re.sub(r"[^\w.-]+", "-", display_path(name)).strip("-.")[:MAX_ID_CHARS]
    return cleaned or "article"


def id_from_path(path: Path) -> str:
    """An article id from a file's stem."""
    return safe_id(path.stem)


def id_from_url(url: str) -> str:
    """An id from the address: its last path segment without extension, else its host."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    return safe_id(Path(segments[-1]).stem if segments else parts.netloc)


def date_from_name(path: Path) -> dt.date | None:
    """A publication date written in a file name (``2026-11-22-harbour.txt``), if any."""
    match = _DATE_IN_NAME.search(path.name)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


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


def page_article(page: FetchedPage, source: str, article_id: str, entry: FeedEntry | None = None) -> Article:
    """The article of a fetched page (HTML, or plain text), its bytes decoded as they are, not as labelled."""
    decoded = page.decoded()
    if decoded.note:
        log.warning(f"{source}: {decoded.note}")
    url = entry.link if entry is not None and entry.link else page.final_url
    if page.media_type == "text/plain":
        return article_from_text(decoded.text, source=source, article_id=article_id, url=url, decoded_as=decoded.note)
    return article_from_html(decoded.text, source=source, article_id=article_id, url=url, entry=entry, decoded_as=decoded.note)
