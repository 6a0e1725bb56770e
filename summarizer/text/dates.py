"""Dates as articles write them, turned into calendar dates only where the article supports it.

A full date ("June 19, 2023") stands on its own. A relative one ("Thursday",
"last month") needs the article's publication date as an anchor; without one
it stays unresolved and says so. Every resolution carries ``how``: the words
it came from and the anchor used, so a reader can check it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from summarizer.text.matching import fold

DatePrecision = Literal["day", "month", "year"]


class ResolvedDate(BaseModel):
    """A date as written, and the calendar value the article supports (if any), with how it was derived."""

    text: str = Field(description="The date as written in the article.")
    value: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY; None when it cannot be established.")
    precision: DatePrecision | None = None
    how: str = Field(description="How the value was derived, or why there is none.")

    @model_validator(mode="after")
    def _value_matches_precision(self) -> ResolvedDate:
        if (self.value is None) != (self.precision is None):
            raise ValueError("value and precision go together")
        if self.value is not None:
            pattern = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[self.precision]  # type: ignore[index]
            try:
                dt.datetime.strptime(self.value, pattern)
            except ValueError:
                raise ValueError(f"{self.value!r} is not a {self.precision} date ({pattern})") from None
        return self


_MONTH_NAMES = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_FULL_DATES = (
    rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})",
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})",
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})",
)
_FULL_EXACT = tuple(re.compile(rf"^{pattern}$", re.I) for pattern in _FULL_DATES)
_FULL_SEARCH = tuple(re.compile(rf"(?<!\w){pattern}(?!\w)", re.I) for pattern in _FULL_DATES)
_WEEKDAY_PREFIX = r"(?:(?:" + "|".join(WEEKDAYS) + r"),?\s+)?"
_LEADING_DATES = tuple(
    re.compile(rf"^{_WEEKDAY_PREFIX}(?:{pattern})(?=\s*(?-i:[A-Z\"'“‘]))", re.I)
    for pattern in (*_FULL_DATES, r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})")
)
_LEADING_WORDS = re.compile(r"^(?:on|in|since|by|from|until|during|as of|early|late|mid)\s+", re.I)


_DATE_WORDS = re.compile(
    r"\b(?:" + "|".join([*MONTHS, *WEEKDAYS]) + r"|today|tonight|yesterday|tomorrow|morning|evening|afternoon|night|"
    r"day|days|week|weeks|weekend|month|months|year|years|decade|century|ago|earlier|later|recently|now|"
    r"spring|summer|autumn|fall|winter|noon|midnight|am|pm|gmt|utc)\b",
    re.I,
)


def looks_like_a_date(text: str) -> bool:
    """Whether ``text`` could be a date or time: it has a digit, a month or weekday, or a time word."""
    return any(char.isdigit() for char in text) or _DATE_WORDS.search(fold(text).replace(".", "")) is not None


def _date_from_match(match: re.Match[str]) -> dt.date | None:
    month = match.group("month")
    month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
    try:
        return dt.date(int(match.group("year")), month_number, int(match.group("day")))
    except ValueError:
        return None


def derive_iso_date(text: str) -> dt.date | None:
    """The calendar date ``text`` states outright (day, month and year), else None."""
    cleaned = fold(text).strip(" .,")
    for pattern in _FULL_EXACT:
        match = pattern.match(cleaned)
        if match:
            return _date_from_match(match)
    return None


def find_full_date(text: str) -> dt.date | None:
    """The first full calendar date written anywhere in ``text`` (for bylines and date lines)."""
    for pattern in _FULL_SEARCH:
        match = pattern.search(text)
        if match:
            found = _date_from_match(match)
            if found is not None:
                return found
    return None


def leading_full_date(line: str) -> tuple[int, dt.date] | None:
    """A full date opening ``line`` before more text, even glued to it: (where the date ends, the date), or None.

    Date lines that lost their line break ("Tuesday, January 18, 2005Through
    a telethon, ...", "2005/01/08 Tsunami aid donations ...").
    """
    for pattern in _LEADING_DATES:
        match = pattern.match(line)
        if match:
            found = _date_from_match(match)
            if found is not None:
                return match.end(), found
    return None


def _resolved(text: str, value: str | None, precision: DatePrecision | None, how: str) -> ResolvedDate:
    return ResolvedDate(text=text, value=value, precision=precision, how=how)


def _month_back(anchor: dt.date, months: int) -> tuple[int, int]:
    index = anchor.year * 12 + anchor.month - 1 - months
    return index // 12, index % 12 + 1


def resolve_date(text: str, published: dt.date | None = None, published_from: str | None = None) -> ResolvedDate:
    """Turn a date as written into a calendar value, only as far as the text (and anchor) support.

    ``published`` anchors relative dates; ``published_from`` says where the
    anchor came from and is quoted in ``how``.
    """
    cleaned = _LEADING_WORDS.sub("", fold(text).strip(" .,"))
    full = derive_iso_date(cleaned)
    if full is not None:
        return _resolved(text, full.isoformat(), "day", "stated in the article")
    if re.fullmatch(r"(1[89]|20)\d\d", cleaned):
        return _resolved(text, cleaned, "year", "year stated in the article")
    month_year = re.fullmatch(rf"{_MONTH},?\s+(?P<year>\d{{4}})", cleaned, re.I)
    if month_year:
        month = MONTHS[month_year.group("month").lower()]
        return _resolved(text, f"{month_year.group('year')}-{month:02d}", "month", "month and year stated in the article")
    relative = _relative(cleaned)
    if relative is None:
        return _resolved(text, None, None, "not a calendar date")
    if published is None:
        return _resolved(text, None, None, "relative date, and the article's publication date is unknown")
    anchor_note = f"publication date {published.isoformat()}" + (f" (from {published_from})" if published_from else "")
    value, precision, rule = relative(published)
    return _resolved(text, value, precision, f"{rule}, counted from the {anchor_note}")


_Resolver = Callable[[dt.date], tuple[str | None, DatePrecision | None, str]]


def _relative(cleaned: str) -> _Resolver | None:
    """A function from the anchor date to (value, precision, rule), or None if not a relative date."""
    words = cleaned.split()
    if cleaned in ("today", "this morning", "tonight", "this evening", "this afternoon"):
        return lambda anchor: (anchor.isoformat(), "day", f"'{cleaned}' is the day of publication")
    if cleaned == "yesterday":
        return lambda anchor: ((anchor - dt.timedelta(days=1)).isoformat(), "day", "'yesterday'")
    if cleaned == "tomorrow":
        return lambda anchor: ((anchor + dt.timedelta(days=1)).isoformat(), "day", "'tomorrow'")
    weekday_and_day = re.fullmatch(
        rf"(?P<weekday>{'|'.join(WEEKDAYS)}),?\s+\(?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\)?", cleaned, re.I
    )
    if weekday_and_day:
        return _weekday_and_day(cleaned, weekday_and_day)
    if words and words[-1] in WEEKDAYS and len(words) <= 2 and (len(words) == 1 or words[0] in ("last", "this", "next")):
        weekday = WEEKDAYS.index(words[-1])
        qualifier = words[0] if len(words) == 2 else ""

        def weekday_date(anchor: dt.date) -> tuple[str, DatePrecision, str]:
            if qualifier == "next":
                days = (weekday - anchor.weekday()) % 7 or 7
                return (anchor + dt.timedelta(days=days)).isoformat(), "day", f"'{cleaned}': the first one after"
            back = (anchor.weekday() - weekday) % 7
            if qualifier == "last" and back == 0:
                back = 7
            rule = f"'{cleaned}' read as the latest {words[-1].title()} on or before"
            return (anchor - dt.timedelta(days=back)).isoformat(), "day", rule

        return weekday_date
    month_offsets = {"this month": 0, "earlier this month": 0, "last month": 1, "next month": -1}
    if cleaned in month_offsets:
        offset = month_offsets[cleaned]
        return lambda anchor: ("{:04d}-{:02d}".format(*_month_back(anchor, offset)), "month", f"'{cleaned}'")
    year_offsets = {"this year": 0, "earlier this year": 0, "last year": 1, "next year": -1}
    if cleaned in year_offsets:
        offset = year_offsets[cleaned]
        return lambda anchor: (str(anchor.year - offset), "year", f"'{cleaned}'")
    if cleaned in MONTHS and (len(cleaned) > 3 or cleaned == "may"):
        month = MONTHS[cleaned]
        return lambda anchor: (f"{anchor.year:04d}-{month:02d}", "month", f"'{cleaned}' taken as in the year of publication")
    month_day = re.fullmatch(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?", cleaned, re.I)
    if month_day:
        month, day = MONTHS[month_day.group("month").lower()], int(month_day.group("day"))

        def month_day_date(anchor: dt.date) -> tuple[str | None, DatePrecision | None, str]:
            # A month and day without a year is the latest such day on or before publication:
            # news reports what has happened ("July 7" in a November article is last July).
            for year in (anchor.year, anchor.year - 1):
                try:
                    candidate = dt.date(year, month, day)
                except ValueError:
                    continue
                if candidate <= anchor:
                    rule = f"'{cleaned}' taken as the latest {cleaned.title()} on or before publication"
                    return candidate.isoformat(), "day", rule
            return None, None, f"'{cleaned}' is not a valid date"

        return month_day_date
    return None


WEEKDAY_DAY_REACH = 183  # days either side of the anchor


def _weekday_and_day(cleaned: str, match: re.Match[str]) -> _Resolver:
    """A weekday with a month and day ("Sunday, January 23"): that day in the year it falls on that weekday.

    The year within half a year of the anchor wins, before or after it
    ("will gather on Sunday, January 23" is ahead); with no such year, the
    plain month-day rule applies.
    """
    weekday = WEEKDAYS.index(match.group("weekday").lower())
    month, day = MONTHS[match.group("month").lower()], int(match.group("day"))
    plain = _relative(f"{match.group('month')} {day}")

    def weekday_and_day_date(anchor: dt.date) -> tuple[str | None, DatePrecision | None, str]:
        candidates = []
        for year in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
        matching = [c for c in candidates if c.weekday() == weekday and abs((c - anchor).days) <= WEEKDAY_DAY_REACH]
        if matching:
            chosen = min(matching, key=lambda candidate: abs((candidate - anchor).days))
            named = f"{match.group('month').title()} {day}"
            return chosen.isoformat(), "day", f"'{cleaned}': the {named} that falls on a {WEEKDAYS[weekday].title()}"
        if plain is None:  # pragma: no cover - the month-day pattern always resolves
            return None, None, f"'{cleaned}' is not a valid date"
        value, precision, rule = plain(anchor)
        return value, precision, f"{rule} (no year near it puts that day on a {WEEKDAYS[weekday].title()})"

    return weekday_and_day_date


_WEEKDAY = r"(?:(?:last|this|next)\s+)?(?:" + "|".join(w.title() for w in WEEKDAYS) + r")"
_MONTH_TITLE = r"(?:" + "|".join(names[0].title() for names in _MONTH_NAMES) + r")"
_BARE_MONTH = r"(?:" + "|".join(names[0].title() for names in _MONTH_NAMES if names[0] != "may") + r"|(?<=\bin\s)May)\b"
_EXPRESSIONS = [
    *("(?i:" + re.sub(r"\(\?P<\w+>", "(?:", pattern) + ")" for pattern in _FULL_DATES),
    # "Sunday, January 23" and "Tuesday (June 20)" are one date; "Sunday, January 23, 2005" is a full date.
    rf"(?:{'|'.join(w.title() for w in WEEKDAYS)}),?\s+\(?{_MONTH_TITLE}\s+\d{{1,2}}(?:st|nd|rd|th)?\)?(?!\d|,?\s*\d{{4}})",
    rf"{_MONTH_TITLE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)",
    rf"{_MONTH_TITLE},?\s+(?:19|20)\d\d",
    _WEEKDAY,
    r"(?i:(?:last|this|next|earlier this)\s+(?:week|month|year))",
    r"(?i:yesterday|today|tomorrow)",
    _BARE_MONTH,
    r"(?<![\d,.$])(?:19|20)\d\d(?!\d|,\d)",
]
_EXPRESSION = re.compile("|".join(f"(?:{pattern})" for pattern in _EXPRESSIONS))


def find_date_spans(sentence: str) -> list[tuple[int, int, str]]:
    """Date expressions written in ``sentence`` as ([start, end) offsets, text), in order of appearance."""
    return [(match.start(), match.end(), match.group(0)) for match in _EXPRESSION.finditer(sentence)]


def find_date_expressions(sentence: str) -> list[str]:
    """Date expressions written in ``sentence``, longest-first alternatives, in order of appearance."""
    return [text for _, _, text in find_date_spans(sentence)]


# What a date line may hold besides its date: weekday, time, zone, and words like "Updated".
_DATE_LINE_FILLER = re.compile(
    r"\b(?:" + "|".join(WEEKDAYS) + r"|updated|published|posted|last|modified|on|at|am|pm|a\.m|p\.m|gmt|utc|"
    r"bst|est|edt|cet|ist|hrs|by)\b|\d{1,2}[:.]\d{2}(?::\d{2})?|[^\w\s]",
    re.I,
)


def is_date_line(line: str) -> bool:
    """Whether ``line`` is a date line: a full date and little else (not a headline or sentence that holds one)."""
    spans = [(m.start(), m.end()) for pattern in _FULL_SEARCH for m in pattern.finditer(line)]
    if not spans:
        return False
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return len(_DATE_LINE_FILLER.sub(" ", rest).split()) <= 1


def sort_key(resolved: ResolvedDate) -> tuple[int, str]:
    """Order resolved dates chronologically (coarser precision first on ties); unresolved last."""
    if resolved.value is None:
        return (1, "")
    return (0, resolved.value)


_RELATIVE_DAY = re.compile(
    r"(?P<before>\b(?:since|until|till|from|by|before|after|as of|of)\s+)?"
    r"\b(?P<word>today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening))(?P<possessive>'s|’s)?\b",
    re.IGNORECASE,
)
_DAY_OFFSET = {"yesterday": -1, "tomorrow": 1}


def relative_day_words(text: str) -> list[str]:
    """The words of ``text`` that name a day only relative to when it was written ("today", "yesterday", …)."""
    return [found.group("word") for found in _RELATIVE_DAY.finditer(text)]


def anchor_relative_days(text: str, published: dt.date | None) -> str | None:
    """``text`` with each relative day word replaced by its date ("today" -> "on 26 March 2005"), from ``published``.

    None when a word cannot be anchored: no publication date, or a
    possessive ("today's figures") that a date cannot stand in for.
    """
    if not relative_day_words(text):
        return text
    if published is None or any(found.group("possessive") for found in _RELATIVE_DAY.finditer(text)):
        return None

    def replaced(found: re.Match[str]) -> str:
        day = published + dt.timedelta(days=_DAY_OFFSET.get(found.group("word").casefold(), 0))
        written = f"{day.day} {day.strftime('%B')} {day.year}"
        if found.group("before"):
            return f"{found.group('before')}{written}"
        at_start = not text[: found.start()].strip()
        return f"{'On' if at_start else 'on'} {written}"

    return _RELATIVE_DAY.sub(replaced, text)
