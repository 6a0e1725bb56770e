"""Find page debris and metadata lines in article text, without touching article sentences.

Saved web pages carry navigation ("Accessibility links", "Home / China /
National affairs"), widget labels ("XS SM MD LG"), photo captions and credits,
bylines and date lines. This module classifies each *line*; it never edits
one. Lines it skips are excluded from the sentences the model sees, but the
article text itself is left intact so every span still points into the
original file. Byline, date line, dateline and outlet become metadata.

The rules are conservative: a line of eight or more words that ends like a
sentence is only ever skipped as a photo caption (when the page repeats it
with a credit) or as a repeat of the title.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from summarizer.inputs.article import LINE_PREFIX, SkippedLine
from summarizer.text.dates import find_full_date, is_date_line, leading_full_date

_FURNITURE = frozenset(
    """accessibility links|breaking news|editor's picks|editors' picks|skip to content|skip to main content|
    advertisement|sponsored|share|share this article|share this|related|related articles|related stories|
    read more|most popular|most read|sign up|subscribe|follow us|print|email|comments|show comments|
    top stories|trending|more from this section|back to top|menu|search|close|scroll down for video|
    xs|sm|md|lg|xl""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ")")
_BREADCRUMB = re.compile(r"[^/>›|.!?]{1,40}(?:\s[/>›»]\s[^/>›»|.!?]{1,40})+")
_PHOTO_CREDIT = re.compile(r"(?i)\b(?:photo|image|picture|video)\s*(?:credit)?\s*:|^\(?(?:file\s+)?photo\b.*\)$")
_SOURCE_LINE = re.compile(r"(?i)^(?:source|via)\s*:\s*(?P<outlet>.{2,60})$")
_BYLINE = re.compile(r"^By\s+(?P<author>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*(?:$|\||,)")
_DATELINE = re.compile(r"^(?P<city>[A-Z][A-Z.' -]{1,30}[A-Z])(?:\s*\((?P<agency>[^)]{1,20})\))?\s*(?:,|—|–|-|:)\s*\S")
_HEADER_LINES = 8


@dataclass
class PageAnalysis:
    """What the lines of an article say about it, apart from its sentences."""

    skipped: list[SkippedLine] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    dateline: str | None = None
    published: dt.date | None = None
    published_from: str | None = None


@dataclass(frozen=True)
class _Line:
    index: int
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def ends_like_sentence(self) -> bool:
        return self.text.endswith(_SENTENCE_END)


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for index, raw in enumerate(text.splitlines(keepends=True)):
        body = raw.strip()
        if body:
            start = offset + len(raw) - len(raw.lstrip())
            lines.append(_Line(index=index, start=start, end=start + len(body), text=body))
        offset += len(raw)
    return lines


def _looks_like_a_name(text: str) -> bool:
    words = text.split()
    return not any(ch.isdigit() for ch in text) and all(word[0].isupper() or word in ("of", "the", "and") for word in words)


def _metadata_date(line: _Line, page: PageAnalysis, reason: str) -> None:
    found = find_full_date(line.text)
    if found is not None and page.published is None:
        page.published = found
        page.published_from = f"{reason} {line.text!r}"


def _classify(
    line: _Line, position: int, in_footer: bool, continues: bool, page: PageAnalysis, before_date_line: bool = False
) -> str | None:
    """The reason to skip ``line``, or None to keep it (recording metadata on the way).

    ``before_date_line``: the next line is a date line, so a first line is
    the title even when it ends like a sentence ("... in the U.S.").
    """
    text = line.text
    folded = text.casefold().rstrip(":")
    if folded in _FURNITURE:
        return "page furniture"
    if _BREADCRUMB.fullmatch(text) and not line.ends_like_sentence:
        return "breadcrumb"
    if _PHOTO_CREDIT.search(text):
        return "photo caption or credit"
    source = _SOURCE_LINE.match(text)
    if source and line.words <= 8:
        page.outlet = page.outlet or source.group("outlet").strip()
        return "source line"
    byline = _BYLINE.match(text)
    if byline and line.words <= 20 and ("|" in text or not line.ends_like_sentence):
        page.author = page.author or byline.group("author")
        parts = [part.strip() for part in text.split("|")]
        for part in parts[1:]:
            if find_full_date(part) is None and not part.lower().startswith("updated") and page.outlet is None:
                page.outlet = part
        _metadata_date(line, page, "byline")
        return "byline"
    if any(is_date_line(part) for part in text.split("|")):
        _metadata_date(line, page, "date line")
        city = re.search(r"\s[-–—]\s*([A-Z][A-Z .'-]+[A-Z])$", text)
        if city and page.dateline is None:
            page.dateline = city.group(1)
        return "date line"
    if page.title is None and position == 0 and (not line.ends_like_sentence or before_date_line) and line.words <= 25:
        page.title = text
        return "title"
    if page.title is not None and folded == page.title.casefold():
        return "repeated title"
    if line.words <= 4 and not line.ends_like_sentence and not continues and (position < _HEADER_LINES or in_footer):
        # Mid-article short lines, and lines continuing an unfinished one, are kept:
        # they may be a sentence broken across lines.
        if position < _HEADER_LINES and page.title is not None and page.outlet is None and _looks_like_a_name(text):
            page.outlet = text
            return "outlet name"
        return "short line without a sentence"
    return None


def analyse_page(text: str, title: str | None = None) -> PageAnalysis:
    """Classify the lines of ``text``: which to skip (and why) and what metadata they give.

    A ``title`` known from elsewhere (HTML metadata, JSONL) is not looked for
    again; a line repeating it is skipped.
    """
    page = PageAnalysis(title=title)
    lines = _lines(text)
    position = 0  # lines so far that are not page furniture or breadcrumbs
    reasons: dict[int, str] = {}
    body_lines = [line.index for line in lines if line.words >= 8 and line.ends_like_sentence]
    last_body_line = body_lines[-1] if body_lines else -1
    previous: _Line | None = None
    prefixes: list[SkippedLine] = []
    for number, line in enumerate(lines):
        if position < _HEADER_LINES:
            line = _without_leading_date(line, page, prefixes)
        continues = previous is not None and previous.index not in reasons and not previous.ends_like_sentence
        before_date_line = number + 1 < len(lines) and is_date_line(lines[number + 1].text)
        reason = _classify(line, position, line.index > last_body_line, continues, page, before_date_line)
        previous = line
        if reason not in ("page furniture", "breadcrumb"):
            position += 1
        if reason:
            reasons[line.index] = reason
    # A caption the page prints twice, once with "| Photo Credit: ...": drop the bare copy too.
    credited = {line.text.split("|")[0].strip() for line in lines if reasons.get(line.index) == "photo caption or credit"}
    for line in lines:
        if line.index not in reasons and line.text in credited:
            reasons[line.index] = "photo caption or credit"
    first_kept = next((line for line in lines if line.index not in reasons), None)
    if first_kept is not None:
        dateline = _DATELINE.match(first_kept.text)
        if dateline:
            page.dateline = page.dateline or dateline.group("city").strip()
            if dateline.group("agency"):
                page.outlet = page.outlet or dateline.group("agency")
    skipped = [
        SkippedLine(start=line.start, end=line.end, text=line.text, reason=reasons[line.index])
        for line in lines
        if line.index in reasons
    ]
    page.skipped = sorted([*skipped, *(p for p in prefixes if not any(s.start <= p.start < s.end for s in skipped))], key=_start)
    return page


def _start(line: SkippedLine) -> int:
    return line.start


_AGENCY_TAG = re.compile(r"^\((?P<agency>[A-Z][A-Za-z.&]{1,15}(?: [A-Z][A-Za-z.&]{1,15}){0,2})\)\s*(?:[-–—]\s*)?(?=[A-Z\"“])")


def _without_leading_date(line: _Line, page: PageAnalysis, prefixes: list[SkippedLine]) -> _Line:
    """``line`` without a full date (a date line that lost its line break) or an agency tag ("(CNN)") that opens it.

    The date becomes the publication date when none is known yet, the
    agency the outlet; the prefix is skipped (reason ``LINE_PREFIX``), the
    rest of the line is classified as a line of its own.
    """
    tag = _AGENCY_TAG.match(line.text)
    found = leading_full_date(line.text)
    if tag is not None:
        cut = tag.end()
        page.outlet = page.outlet or tag.group("agency")
    elif found is not None and not is_date_line(line.text):
        cut, date = found
        if page.published is None:
            page.published = date
            page.published_from = f"date line {line.text[:cut].strip()!r} at the start of a line"
    else:
        return line
    rest = line.text[cut:].lstrip()
    if len(rest.split()) < 3:
        return line
    prefix = line.text[:cut]
    prefixes.append(SkippedLine(start=line.start, end=line.start + cut, text=prefix, reason=LINE_PREFIX))
    start = line.start + len(line.text) - len(rest)
    return _Line(index=line.index, start=start, end=line.end, text=rest)
