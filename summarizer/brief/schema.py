"""``ArticleBrief``: what users get for one article, and its grounding report.

Evidence and quote text are copied out of the article by code, with their
character spans and sentence numbers, so they are verbatim by construction.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.providers.base import FlaggedItem, Usage
from summarizer.text.dates import ResolvedDate

EntityType = Literal["person", "organization", "location", "other"]
MAX_DATES = 10  # dates listed in a brief, found by code in order of appearance

SentenceNumber = Annotated[int, Field(ge=1, description="The article sentence (numbered from 1).")]


class Span(BaseModel):
    """Character offsets [start, end) into the article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


# KeyPoint and Quote are both a sentence and a span of the article, but their JSON
# field order is part of the published format, so they share field types, not a base class.
class KeyPoint(BaseModel):
    """A key fact: the article sentence that states it."""

    text: str
    evidence: str = Field(description="Verbatim passage of the article that supports the point.")
    sentence: SentenceNumber
    span: Span


class Entity(BaseModel):
    """A name the article writes: person, organization, location or other."""

    name: str
    type: EntityType


class Quote(BaseModel):
    """Words in quotation marks in the article, and who said them (None: the article does not say)."""

    speaker: str | None
    text: str = Field(description="The quoted words, verbatim from the article.")
    sentence: SentenceNumber
    span: Span
    speaker_span: Span | None = Field(
        default=None, description="Where the article writes the speaker's name (found by the parse), if it does."
    )


class DateMention(ResolvedDate):
    """A date written in the article (found by code, not the model), and the sentence that writes it."""

    sentence: int | None = Field(default=None, ge=1, description="The article sentence that writes the date.")


Verdict = Literal["exact", "normalised", "not_found", "verified", "unverified", "supported", "unsupported"]


class ItemCheck(BaseModel):
    """The verdict on one item of a brief, checked against the article text."""

    kind: str = Field(description="quote, evidence, speaker, entity, date, number, or meaning (headline and summary sentences).")
    value: str
    verdict: Verdict
    span: Span | None = None
    reason: str | None = None


class GroundingReport(BaseModel):
    """Counts per verdict, and what failed and why.

    In JSON, ``removed_count`` is written ``removed`` (the published format).
    """

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    counts: dict[str, int] = Field(default_factory=dict)
    failed: list[ItemCheck] = Field(default_factory=list)
    removed_count: int = Field(default=0, alias="removed", description="Items removed from the model's answer before this check.")
    reasks: int = Field(default=0, description="Follow-up requests that named unsupported items.")

    @property
    def ok(self) -> bool:
        """True when every item of the brief was found in the article."""
        return not self.failed


class GeneratedBy(BaseModel):
    """Which provider, model and prompt version produced a result."""

    provider: str
    model: str
    prompt_id: str
    prompt_version: str
    endpoint: str | None = Field(
        default=None, description="Where the answers came from: an API's host, or 'embedded' for the local model."
    )


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
    removed: list[FlaggedItem] = Field(
        default_factory=list, description="Model output not found in the article: removed, and listed here."
    )
    unverified: list[FlaggedItem] = Field(
        default_factory=list, description="Free text (headline, summary) the article does not support: kept, marked."
    )
    grounding: GroundingReport | None = Field(default=None, description="The offline check of this brief against its article.")
    parts: int = Field(default=1, description="More than 1 when a long article was briefed in parts and merged.")
    generated_by: GeneratedBy
    usage: Usage = Field(default_factory=Usage)
