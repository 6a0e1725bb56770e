"""The Atom feed (RFC 4287) of the briefings kept: one entry per day, ids stable across runs, built with ElementTree."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 60


def _stable_id(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'summarizer-briefing:' + '/'.join(parts))}"


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(entries: Sequence[dict[str, Any]], *, title: str, site_url: str | None, updated: dt.datetime) -> str:
    """The feed of ``entries`` (newest first: ``date``, ``title``, ``top``, ``updated``); links relative unless ``site_url``."""
    ElementTree.register_namespace("", ATOM)
    base = (site_url.rstrip("/") + "/") if site_url else ""
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", _stable_id(title))
    _add(feed, "title", title)
    newest = max((entry.get("updated") or "" for entry in entries), default="") or updated.isoformat(timespec="seconds")
    _add(feed, "updated", newest)
    author = _add(feed, "author")
    _add(author, "name", "summarizer")
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}index.html")
    _add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}feed.xml")
    _add(feed, "generator", "summarizer")
    for entry in entries[:MAX_ENTRIES]:
        item = _add(feed, "entry")
        _add(item, "id", _stable_id(title, entry["date"]))
        _add(item, "title", entry["title"])
        _add(item, "updated", entry.get("updated") or f"{entry['date']}T00:00:00+00:00")
        _add(item, "published", f"{entry['date']}T00:00:00+00:00")
        _add(item, "link", rel="alternate", type="text/html", href=f"{base}{entry['date']}/index.html")
        summary = "; ".join(entry.get("top") or []) or "No story."
        _add(item, "summary", summary, type="text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="unicode") + "\n"
