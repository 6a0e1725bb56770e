"""Split article text into numbered sentences that keep their character spans.

The model cites sentences by number; code then copies the cited text out of
the article, so evidence and quotes are verbatim by construction. The
splitter errs on the side of *not* splitting (abbreviations, initials,
ellipses inside quotes): a sentence that is too long is harmless, a quote cut
in half is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col sgt capt cmdr adm sen rep gov pres st jr sr vs etc no
    jan feb mar apr jun jul aug sep sept oct nov dec inc corp co ltd dept est fig approx e.g i.e""".split()
)
# A run of end marks is matched from its first mark only, and possessively: a line of 10 MB of "!" stays linear.
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]++[\"”’')\]]*+\s+")
_STARTS_SENTENCE = re.compile(r"<|[\"“‘'(\[]?[A-Z0-9]")  # "<": markup that forges a new part starts a sentence
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Z]")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its 1-based number and [start, end) offsets in the text."""

    number: int
    start: int
    end: int
    text: str


_WORD_LOOKBACK = 40  # an abbreviation or a run of initials is shorter than this


def _is_abbreviation(line: str, punct_at: int) -> bool:
    # Only the few characters before the mark are looked at: the text before them is never copied or rescanned.
    start = max(0, punct_at - _WORD_LOOKBACK)
    before = re.search(r"(\S+)$", line[start:punct_at])
    if before is None or (before.start() == 0 and start > 0 and not line[start - 1].isspace()):
        return False  # no word before the mark, or one longer than any abbreviation
    token = before.group(1).lstrip("\"“‘'([")
    return token.lower() in _ABBREVIATIONS or bool(_INITIALS.fullmatch(token))


def _split_line(line: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        punct = match.group(0).rstrip()
        if punct.startswith("..") or punct.startswith("…"):
            continue
        if not _STARTS_SENTENCE.match(line, match.end()):
            continue
        if punct.startswith(".") and _is_abbreviation(line, match.start()):
            continue
        end = match.start() + len(punct)
        pieces.append((start, end))
        start = match.end()
    if line[start:].strip():
        pieces.append((start, len(line.rstrip())))
    return pieces


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences, numbered from 1, never across a line break."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped_left = len(line) - len(line.lstrip())
        body = line.strip()
        if body:
            for start, end in _split_line(line[stripped_left:]):
                s, e = offset + stripped_left + start, offset + stripped_left + end
                sentences.append(Sentence(number=len(sentences) + 1, start=s, end=e, text=text[s:e]))
        offset += len(line)
    return sentences


# Words a finished sentence does not end on: a model that stopped early ends on them
# ("...with Beijing's reluctance to engage in.").
_DANGLING = frozenset(
    """a an the of in on at to for from with by about into onto over under between among and or but nor than
    as that which who whom whose its their his her our your my this these those""".split()
)


def ends_mid_clause(sentence: str) -> bool:
    """Whether ``sentence`` stops on a word that cannot end one (a preposition, article, conjunction)."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", sentence)
    return bool(words) and words[-1].casefold() in _DANGLING


_CLOSERS = "\"”’')] "


def closes_sentence(text: str) -> bool:
    """Whether ``text`` ends with a full stop, "!" or "?" (before any closing quotes or brackets)."""
    return text.rstrip(_CLOSERS).endswith((".", "!", "?"))
