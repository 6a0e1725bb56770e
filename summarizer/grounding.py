"""Deterministic checks of model text against the article it came from."""

from __future__ import annotations

import datetime as dt
import re

_TRANSLATE = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$"),
)


def fold(text: str) -> str:
    """Normalise quotes, dashes, ellipses, whitespace and case for matching."""
    return re.sub(r"\s+", " ", text.translate(_TRANSLATE)).strip().casefold()


def fix_initial_spacing(text: str) -> str:
    """Join initials a small model spaces apart: "U. S." -> "U.S."."""
    return re.sub(r"\b([A-Z])\. (?=[A-Z]\.)", r"\1.", text)


def occurs_in(needle: str, haystack: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, after folding.

    Periods are ignored on both sides, so "US" matches "U.S." and back.
    """
    wanted = fold(needle).replace(".", "")
    if not wanted:
        return False
    text = fold(haystack).replace(".", "")
    return re.search(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)", text) is not None


def derive_iso_date(text: str) -> dt.date | None:
    """The calendar date ``text`` states outright (day, month and year), else None."""
    cleaned = fold(text).strip(" .,")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            month = match.group("month")
            month_number = int(month) if month.isdigit() else _MONTHS[month.lower()]
            try:
                return dt.date(int(match.group("year")), month_number, int(match.group("day")))
            except ValueError:
                return None
    return None
