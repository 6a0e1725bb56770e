"""Quotations in article text: "…", “…”, ‘…’ and '…', across sentences and continued paragraphs.

An apostrophe is not a quotation mark: a single mark between two letters
("Beijing's", "don’t") or before digits ("’90s") is left alone, and a
closing single mark only counts while a single quotation is open. A
quotation that runs over a paragraph break continues when the next
paragraph opens with a quotation mark (the newspaper convention), or when
the next mark of its kind closes it (some papers open each paragraph of a
long quotation without closing the one before, others do neither); one left
open that never closes is dropped, since its end is unknown. Spans are character offsets of the quoted words (marks
excluded), so ``text[start:end]`` is the quotation verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPENING_DOUBLE = "“"
_CLOSING_DOUBLE = "”"
_OPENING_SINGLE = "‘"
_CLOSING_SINGLE = "’"
_BEFORE_OPENING = set(" \t\n([{—–-/:;,") | {"", '"', "“", "‘"}
MIN_WORDS = 3  # shorter quoted phrases are mostly titles or scare quotes ("accidental")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Quotation:
    """The quoted words of one quotation: [start, end) into the text, marks excluded."""

    start: int
    end: int
    text: str


def _kind(text: str, at: int) -> tuple[str, str] | None:
    """(double|single, open|close) if the character at ``at`` acts as a quotation mark here, else None."""
    char = text[at]
    before = text[at - 1] if at > 0 else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    if char == _OPENING_DOUBLE:
        return "double", "open"
    if char == _CLOSING_DOUBLE:
        return "double", "close"
    if char == '"':
        return ("double", "open") if before in _BEFORE_OPENING and after and not after.isspace() else ("double", "close")
    if char in (_OPENING_SINGLE, _CLOSING_SINGLE, "'"):
        if before.isalnum() and after.isalpha():
            return None  # an apostrophe inside a word: Beijing's, don’t
        if after.isdigit():
            return None  # an elision: ’90s
        if char != _CLOSING_SINGLE and before in _BEFORE_OPENING and after and not after.isspace():
            return "single", "open"
        if char != _OPENING_SINGLE and before and not before.isspace():
            return "single", "close"
    return None


LOOKAHEAD_CHARS = 2000  # how far a quotation left open at a paragraph break may run on to its closing mark


def _next_role(text: str, at: int, kind: str) -> str | None:
    """The role (open or close) of the next mark of ``kind`` from ``at``, within ``LOOKAHEAD_CHARS``."""
    for position in range(at, min(len(text), at + LOOKAHEAD_CHARS)):
        mark = _kind(text, position)
        if mark is not None and mark[0] == kind:
            return mark[1]
    return None


def find_quotations(text: str, min_words: int = MIN_WORDS) -> list[Quotation]:
    """Every quotation in ``text`` with at least ``min_words`` words, in order."""
    found: list[Quotation] = []
    open_kind: str | None = None
    opened_at = 0
    pending_break = False  # a paragraph break seen while a quotation is open
    at = 0
    while at < len(text):
        if open_kind is not None and text[at] == "\n" and _PARAGRAPH_BREAK.match(text, at):
            pending_break = True
            at = _PARAGRAPH_BREAK.match(text, at).end()  # type: ignore[union-attr]
            continue
        mark = _kind(text, at)
        if pending_break:
            pending_break = False
            if mark is not None and mark == (open_kind, "open"):
                at += 1  # the continued paragraph's opening mark: the quotation goes on
                continue
            if _next_role(text, at, open_kind or "") != "close":
                open_kind = None  # left open at a paragraph end and never closed: its end is unknown
                continue
        if mark is not None:
            kind, role = mark
            if open_kind is None and role == "open":
                open_kind, opened_at = kind, at + 1
            elif open_kind == kind and role == "close":
                quoted = text[opened_at:at]
                if len(quoted.split()) >= min_words:
                    found.append(Quotation(start=opened_at, end=at, text=quoted))
                open_kind = None
        at += 1
    return found


def curly_double_quotes(text: str) -> str:
    """``text`` with each straight double quotation mark turned into “ or ”.

    For text shown to the model inside a JSON task: a model copying a
    straight mark into its JSON string ends the string there (a constrained
    decoder takes it as the closing mark), which cut answers off mid-sentence.
    """
    if '"' not in text:
        return text
    return "".join(
        (_OPENING_DOUBLE if (_kind(text, at) or ("", "close"))[1] == "open" else _CLOSING_DOUBLE) if char == '"' else char
        for at, char in enumerate(text)
    )
