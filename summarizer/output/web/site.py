"""``write_site``: a daily briefing as a static site that opens from disk: the day's page, one page per article, the
archive and an Atom feed.

```
DIR/index.html                 the latest day's briefing
DIR/archive.html               every day kept
DIR/feed.xml                   one Atom entry per day
DIR/2026-12-06/index.html      that day's briefing
DIR/2026-12-06/articles/3.html source [3], every sentence an anchor (#s1, #s2, …; #s0 is the title)
DIR/2026-12-06/entry.json      what the feed and archive say of the day
```

Every file is written atomically; writing an older day leaves the latest
one in ``index.html``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from summarizer.errors import OutputError
from summarizer.files import write_atomic
from summarizer.output.briefing import DailyBriefing, briefing_context
from summarizer.output.web.charts import chart_of
from summarizer.output.web.environment import web_environment
from summarizer.output.web.feed import atom_feed
from summarizer.output.web.paragraphs import paragraphs_of

_DAY_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ENTRY_FILE = "entry.json"


def _page_context(briefing: DailyBriefing) -> tuple[dict[str, Any], dict[str, int]]:
    context = briefing_context(briefing)
    numbers = context.pop("numbers")
    for item in context["stories"]:
        synthesis = item["synthesis"]
        item["charts"] = [chart_of(series) for series in synthesis.figures] if synthesis is not None else []
    return context, numbers


def _day_page(context: dict[str, Any], numbers: dict[str, int], *, date: str, title: str, prefix: str = "") -> str:
    """The day's briefing page; ``prefix`` is the day folder as seen from the page (``""`` inside it)."""

    def link(number: int, sentence: int | None) -> str:
        return f"{prefix}articles/{number}.html" + (f"#s{sentence}" if sentence is not None else "")

    environment = web_environment(numbers, link)
    return environment.get_template("day.html.j2").render(title=title, date=date, prefix=prefix, totals=None, **context)


def _entry(context: dict[str, Any], date: str, title: str) -> dict[str, Any]:
    top = [item["articles"][0]["brief"].headline if len(item["articles"]) == 1 else item["headline"] for item in context["top"]]
    return {
        "date": date,
        "title": f"{title} — {date}",
        "top": top,
        "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _entries(directory: Path) -> list[dict[str, Any]]:
    entries = []
    for folder in sorted(directory.iterdir(), reverse=True):
        entry = folder / ENTRY_FILE
        if folder.is_dir() and _DAY_FOLDER.match(folder.name) and entry.is_file():
            try:
                entries.append(json.loads(entry.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue  # a damaged entry leaves that day out of the feed, not the site
    return entries


def write_site(briefing: DailyBriefing, directory: Path, *, title: str, site_url: str | None = None) -> Path:
    """Write the day's pages, refresh the archive and feed, and the index when this is the latest day; the day's page."""
    day = briefing.date.isoformat()
    folder = directory / day
    try:
        context, numbers = _page_context(briefing)
        environment = web_environment(numbers, lambda n, s: "")
        article_page = environment.get_template("article.html.j2")
        for item in context["articles"]:
            article = item["article"]
            page = article_page.render(article=article, n=item["n"], date=day, paragraphs=paragraphs_of(article))
            write_atomic(folder / "articles" / f"{item['n']}.html", page)
        write_atomic(folder / "index.html", _day_page(context, numbers, date=day, title=title))
        write_atomic(folder / ENTRY_FILE, json.dumps(_entry(context, day, title), indent=2, ensure_ascii=False) + "\n")
        entries = _entries(directory)
        if entries and entries[0]["date"] == day:
            write_atomic(directory / "index.html", _day_page(context, numbers, date=day, title=title, prefix=f"{day}/"))
        archive = environment.get_template("archive.html.j2").render(title=title, entries=entries)
        write_atomic(directory / "archive.html", archive)
        write_atomic(directory / "feed.xml", atom_feed(entries, title=title, site_url=site_url, updated=dt.datetime.now(dt.UTC)))
    except OSError as exc:
        raise OutputError(f"cannot write the web briefing to {directory}: {exc.strerror or exc}") from None
    return folder / "index.html"
