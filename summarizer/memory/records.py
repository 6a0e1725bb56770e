"""What the memory keeps of one story on one day, as plain values (written by ``store``, read back the same)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from summarizer.memory.signature import Signature

Status = Literal["new", "developing", "no new reporting", "back"]


@dataclass(frozen=True)
class ArticleRecord:
    """An article shown in a briefing: its content key, address or file, input id, title and publication date."""

    key: str
    input_id: str
    source: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    new: bool = True


@dataclass(frozen=True)
class FigureRecord:
    """A value given for a quantity, the day it was reported, the article and sentence that give it."""

    quantity: str
    scope: str
    value: float
    text: str
    reported: str | None
    input_id: str
    evidence: str


@dataclass(frozen=True)
class EventRecord:
    """A dated event of the story's timeline, and the article it comes from."""

    date: str
    text: str
    input_id: str


@dataclass(frozen=True)
class StoryDay:
    """One story in one day's briefing: its status, headline, signature (all its days so far) and what was shown."""

    story_id: str
    day: str
    status: Status
    headline: str
    signature: Signature
    articles: list[ArticleRecord] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RememberedStory:
    """A story of earlier days: its id, first and latest day shown, headline, and signature as of its latest day."""

    id: str
    first_seen: str
    last_seen: str
    headline: str
    signature: Signature


@dataclass(frozen=True)
class StoryHistory:
    """Everything earlier briefings showed of one story (days before the one being made)."""

    days: list[str]
    articles: list[ArticleRecord]
    figures: list[FigureRecord]
    events: list[EventRecord]
    actors: list[str]
    sentences: dict[str, list[str]]
