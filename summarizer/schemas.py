"""Pydantic contracts: the article, the model-facing draft, and the final brief.

Two layers on purpose:

* ``BriefDraft`` is what the model fills. It is compact (every output token
  costs about 0.1 s on the local model) and cites the article by sentence
  number instead of copying text; its validators check those citations
  against the article passed in the validation context, so a bad citation
  becomes a re-ask with the reason.
* ``ArticleBrief`` is what users get: evidence and quote text are taken from
  the article by code, so they are verbatim by construction.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from summarizer.grounding import instruction_like
from summarizer.sentences import Sentence, split_sentences

EntityType = Literal["person", "organization", "location", "other"]
DatePrecision = Literal["day", "month", "year"]

HEADLINE_MAX = 100
SUMMARY_MAX = 320
NAME_MAX = 80
MAX_KEY_POINTS = 5
MAX_NAMES_PER_TYPE = 6
MAX_QUOTES = 3
MAX_DATES = 10  # dates listed in a brief, found by code in order of appearance


class SkippedLine(BaseModel):
    """A line of page debris or metadata, left out of the sentences the model sees."""

    start: int
    end: int
    text: str
    reason: str


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
    skipped_lines: list[SkippedLine] = Field(default_factory=list)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The article's sentences outside skipped lines, numbered from 1, with spans (split once)."""
        skipped = [(line.start, line.end) for line in self.skipped_lines]
        kept = [s for s in split_sentences(self.text) if not any(a <= s.start < b for a, b in skipped)]
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


# --------------------------------------------------------------------------
# Model-facing draft
# --------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _sentence_count(info: ValidationInfo) -> int | None:
    context = info.context or {}
    sentences = context.get("sentences")
    return len(sentences) if sentences is not None else None


def _check_sentence_number(number: int, info: ValidationInfo) -> int:
    count = _sentence_count(info)
    if count is not None and not 1 <= number <= count:
        raise ValueError(f"sentence {number} does not exist; the article has sentences 1 to {count}")
    return number


class DraftQuote(_Strict):
    s: int = Field(ge=1, description="Number of the sentence that holds the quotation marks.")
    by: str = Field(min_length=1, max_length=NAME_MAX, description="Who said it, as named in the article.")

    _in_range = field_validator("s")(_check_sentence_number)


_Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]


class BriefDraft(_Strict):
    """What the model writes: short free text, names, and sentence numbers.

    Every field is required so the grammar fixes the key order; short keys
    because each forced token still costs a decoding step.
    """

    headline: str = Field(min_length=1, max_length=HEADLINE_MAX)
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX, description="1 to 3 sentences.")
    key: list[int] = Field(min_length=1, max_length=MAX_KEY_POINTS, description="Sentence numbers of the key facts.")
    people: list[_Name] = Field(max_length=MAX_NAMES_PER_TYPE)
    orgs: list[_Name] = Field(max_length=MAX_NAMES_PER_TYPE)
    places: list[_Name] = Field(max_length=MAX_NAMES_PER_TYPE)
    quotes: list[DraftQuote] = Field(max_length=MAX_QUOTES)

    @field_validator("key")
    @classmethod
    def _key_sentences_exist(cls, numbers: list[int], info: ValidationInfo) -> list[int]:
        for number in numbers:
            _check_sentence_number(number, info)
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            raise ValueError(f"key lists sentence {duplicates[0]} twice; each key fact needs its own sentence")
        return numbers

    @field_validator("summary")
    @classmethod
    def _one_to_three_sentences(cls, value: str) -> str:
        count = len(split_sentences(value))
        if count > 3:
            raise ValueError(f"summary has {count} sentences; write 1 to 3")
        return value


# --------------------------------------------------------------------------
# User-facing brief
# --------------------------------------------------------------------------


class Span(BaseModel):
    """Character offsets [start, end) into the article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class KeyPoint(BaseModel):
    text: str
    evidence: str = Field(description="Verbatim passage of the article that supports the point.")
    sentence: int = Field(ge=1)
    span: Span


class Entity(BaseModel):
    name: str
    type: EntityType


class Quote(BaseModel):
    speaker: str
    text: str = Field(description="The quoted words, verbatim from the article.")
    sentence: int = Field(ge=1)
    span: Span


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


class DateMention(ResolvedDate):
    """A date written in the article (found by code, not the model), and the sentence that writes it."""

    sentence: int | None = Field(default=None, ge=1, description="The article sentence that writes the date.")


class Usage(BaseModel):
    """Token usage summed over every attempt (re-asks and retries included)."""

    prompt_tokens: int = 0
    cached_prompt_tokens: int = Field(default=0, description="Prompt tokens the server reused from its cache.")
    completion_tokens: int = 0
    attempts: int = 0
    grounding_reasks: int = Field(default=0, description="Follow-up requests that named unsupported items.")
    seconds: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens + other.cached_prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            attempts=self.attempts + other.attempts,
            grounding_reasks=self.grounding_reasks + other.grounding_reasks,
            seconds=round(self.seconds + other.seconds, 3),
        )


class RemovedItem(BaseModel):
    """Something the model wrote that the article does not support, and why it was removed."""

    field: str
    value: str
    reason: str


Verdict = Literal["exact", "normalised", "not_found", "verified", "unverified"]


class ItemCheck(BaseModel):
    """The verdict on one item of a brief, checked against the article text."""

    kind: str = Field(description="quote, evidence, speaker, entity, date or number.")
    value: str
    verdict: Verdict
    span: Span | None = None
    reason: str | None = None


class GroundingReport(BaseModel):
    """Counts per verdict, and what failed and why (removed items included)."""

    counts: dict[str, int] = Field(default_factory=dict)
    failed: list[ItemCheck] = Field(default_factory=list)
    removed: int = Field(default=0, description="Items removed from the model's answer before this check.")
    reasks: int = Field(default=0, description="Follow-up requests that named unsupported items.")

    @property
    def ok(self) -> bool:
        """True when every item of the brief was found in the article."""
        return not self.failed


class GeneratedBy(BaseModel):
    provider: str
    model: str
    prompt_id: str
    prompt_version: str


class ArticleBrief(BaseModel):
    """A validated, structured brief of one article."""

    article_id: str
    source: str
    headline: str
    summary: str
    key_points: list[KeyPoint]
    entities: list[Entity]
    quotes: list[Quote]
    dates: list[DateMention]
    removed: list[RemovedItem] = Field(
        default_factory=list, description="Model output not found in the article: removed, and listed here."
    )
    unverified: list[RemovedItem] = Field(
        default_factory=list, description="Free text (headline, summary) the article does not support: kept, marked."
    )
    grounding: GroundingReport | None = Field(default=None, description="The offline check of this brief against its article.")
    parts: int = Field(default=1, description="More than 1 when a long article was briefed in parts and merged.")
    generated_by: GeneratedBy
    usage: Usage = Field(default_factory=Usage)


CUT_SUMMARY = "summary over 3 sentences; the rest was cut"
MISSING_SENTENCE = "cites a sentence that does not exist"
CUT_AT_LIMIT = "cut off mid-sentence by the length limit; trimmed to the last whole sentence"
SALVAGE_REASONS = frozenset({CUT_SUMMARY, MISSING_SENTENCE, CUT_AT_LIMIT})


def salvage_brief_draft(content: str, context: dict[str, Any]) -> tuple[BriefDraft, list[RemovedItem]]:
    """The usable part of a last answer that still broke a rule: what was cut, and why.

    A summary over 3 sentences keeps its first 3; key points and quotes that
    cite sentences that do not exist (or twice) are dropped; lists over their
    limit keep their first items. Anything else still fails.
    """
    data = json.loads(content)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    count = len(context.get("sentences") or [])
    dropped: list[RemovedItem] = []
    if isinstance(data.get("summary"), str):
        sentences = split_sentences(data["summary"])
        if len(sentences) > 3:
            kept = data["summary"][: sentences[2].end]
            dropped.append(RemovedItem(field="summary", value=data["summary"][len(kept):].strip(),
                                       reason=CUT_SUMMARY))  # fmt: skip
            data["summary"] = kept
    if isinstance(data.get("key"), list):
        keys = [n for n in dict.fromkeys(data["key"]) if isinstance(n, int) and 1 <= n <= count]
        for n in data["key"]:
            if n not in keys:
                dropped.append(RemovedItem(field="key", value=str(n), reason=MISSING_SENTENCE))
        data["key"] = keys[:MAX_KEY_POINTS]
    if isinstance(data.get("quotes"), list):
        valid = [q for q in data["quotes"] if isinstance(q, dict) and isinstance(q.get("s"), int) and 1 <= q["s"] <= count]
        for quote in data["quotes"]:
            if quote not in valid:
                dropped.append(RemovedItem(field="quotes", value=str(quote), reason=MISSING_SENTENCE))
        data["quotes"] = valid[:MAX_QUOTES]
    for name in ("people", "orgs", "places"):
        if isinstance(data.get(name), list):
            data[name] = data[name][:MAX_NAMES_PER_TYPE]
    return BriefDraft.model_validate(data, context=context), dropped
