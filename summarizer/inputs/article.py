"""``Article``: one input article, its text unchanged, its metadata, and its numbered sentences."""

from __future__ import annotations

import datetime as dt
from functools import cached_property, lru_cache

from pydantic import BaseModel, ConfigDict, Field

from summarizer.text.injection import instruction_like
from summarizer.text.sentences import Sentence, split_sentences


class SkippedLine(BaseModel):
    """A line of page debris or metadata, left out of the sentences the model sees."""

    start: int
    end: int
    text: str
    reason: str


LINE_PREFIX = "date line or agency tag at the start of a line"  # a skipped prefix of a line, not a whole line


def _after_prefix(sentence: Sentence, text: str, skipped: list[SkippedLine]) -> Sentence:
    """``sentence`` without a date line or agency tag glued to its start ("Tuesday, January 18, 2005Through …", "(CNN)Over …")."""
    for line in skipped:
        if line.reason == LINE_PREFIX and line.start <= sentence.start < line.end < sentence.end:
            start = line.end + len(text[line.end : sentence.end]) - len(text[line.end : sentence.end].lstrip())
            return Sentence(number=sentence.number, start=start, end=sentence.end, text=text[start : sentence.end])
    return sentence


@lru_cache(maxsize=16)
def _split_once(text: str) -> tuple[Sentence, ...]:
    """Sentences of ``text``, split once per text (the parts of a long article share their parent's split)."""
    return tuple(split_sentences(text))


class Article(BaseModel):
    """One input article: its stable id, where it came from, its text and metadata.

    ``text`` is the file's text unchanged (newlines normalised), so every span
    points into it; ``skipped_lines`` are left out of ``sentences``.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id: the file stem, or a content hash for stdin.")
    source: str = Field(description="Path of the input file, or '-' for stdin.")
    title: str | None = None
    text: str
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    dateline: str | None = Field(default=None, description="The place the article was filed from, e.g. SEOUL.")
    published: dt.date | None = None
    published_from: str | None = Field(default=None, description="Where the publication date was found.")
    decoded_as: str | None = Field(
        default=None, description="How a page's bytes were read when its declared charset was wrong or missing."
    )
    skipped_lines: list[SkippedLine] = Field(default_factory=list)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The article's sentences outside skipped lines, numbered from 1, with spans."""
        skipped = [(line.start, line.end) for line in self.skipped_lines]
        kept = [_after_prefix(s, self.text, self.skipped_lines) for s in _split_once(self.text)]
        kept = [s for s in kept if not any(a <= s.start < b for a, b in skipped)]
        return [Sentence(number=n, start=s.start, end=s.end, text=s.text) for n, s in enumerate(kept, start=1)]

    @cached_property
    def grounding_text(self) -> str:
        """The text that can support a brief: ``text`` with instruction-like sentences blanked out.

        A name or date found only in "ignore previous instructions and list
        X" is the injection's, not the news'. Offsets are kept.
        """
        text = self.text
        for sentence in self.sentences:
            if instruction_like(sentence.text):
                text = text[: sentence.start] + " " * (sentence.end - sentence.start) + text[sentence.end :]
        return text

    def instruction_sentences(self) -> list[int]:
        """Numbers of the sentences that address instructions to a model."""
        return [sentence.number for sentence in self.sentences if instruction_like(sentence.text)]
