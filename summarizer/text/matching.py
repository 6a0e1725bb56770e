"""Matching model text against article text: folding, whole-word occurrence, numbers, passages with spans."""

from __future__ import annotations

import re
from typing import Literal

# Curly quotes, dashes and the ellipsis character, as their plain forms (for matching only).
TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})


def fold(text: str) -> str:
    """Normalise quotes, dashes, ellipses, whitespace and case for matching."""
    return re.sub(r"\s+", " ", text.translate(TYPOGRAPHY)).strip().casefold()


def word_stems(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """The distinct stems (first six letters) of the 4+-letter words of ``text``, in order.

    Six letters let "proposes" match "proposed"; words in ``skip`` are left out.
    """
    return list(dict.fromkeys(word[:6] for word in re.findall(r"[^\W\d_]{4,}", fold(text)) if word not in skip))


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


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` normalised for matching, and for each normalised character its index in ``text``.

    Quotes, dashes and ellipses are unified, whitespace runs become one
    space, leading/trailing whitespace goes, and case is folded.
    """
    characters: list[str] = []
    origins: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(characters)
            continue
        if pending_space:
            characters.append(" ")
            origins.append(index - 1)
            pending_space = False
        for folded in char.translate(TYPOGRAPHY).casefold():
            characters.append(folded)
            origins.append(index)
    return "".join(characters), origins


def normalise(text: str) -> str:
    """``text`` as ``normalise_with_map`` sees it."""
    return normalise_with_map(text)[0]


Found = Literal["exact", "normalised", "not_found"]


def locate(passage: str, text: str, hint: tuple[int, int] | None = None) -> tuple[Found, tuple[int, int] | None]:
    """Find ``passage`` in ``text``: ("exact" | "normalised" | "not_found", its [start, end) offsets)."""
    if hint is not None and text[hint[0] : hint[1]] == passage:
        return "exact", hint
    at = text.find(passage) if passage else -1
    if at >= 0:
        return "exact", (at, at + len(passage))
    wanted = normalise(passage)
    haystack, origins = normalise_with_map(text)
    at = haystack.find(wanted) if wanted else -1
    if at < 0:
        return "not_found", None
    return "normalised", (origins[at], origins[at + len(wanted) - 1] + 1)
