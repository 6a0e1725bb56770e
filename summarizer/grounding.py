"""Deterministic checks of model text against the article it came from."""

from __future__ import annotations

import re

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


_INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|your)\b.{0,30}"
    r"\b(?:instructions?|prompts?|rules|directions|guidelines)\b"
    r"|\b(?:you are now|act as|pretend to be)\b.{0,30}\b(?:ai|assistant|model|chatbot)\b"
    r"|\b(?:system prompt|developer message)\b"
    r"|\binstead,? (?:write|say|output|respond|reply|answer|list)\b",
    re.IGNORECASE,
)


def instruction_like(sentence: str) -> bool:
    """Whether a sentence addresses instructions to a language model (a prompt injection attempt)."""
    return _INSTRUCTION_LIKE.search(sentence) is not None
