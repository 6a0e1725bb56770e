"""Deterministic checks of model text against the article it came from."""

from __future__ import annotations

import re

_TRANSLATE = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})
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


_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")


def numbers_in(text: str) -> list[str]:
    """The numbers written in ``text`` (digits, with thousands separators and decimals)."""
    return [match.group(0).rstrip(".,") for match in _NUMBER.finditer(text)]


def number_occurs(number: str, haystack: str) -> bool:
    """Whether the article writes ``number`` (thousands separators ignored, decimals kept)."""
    wanted = number.replace(",", "")
    return any(found.replace(",", "") == wanted for found in numbers_in(haystack))
