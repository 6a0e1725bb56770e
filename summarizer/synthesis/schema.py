"""``Synthesis``: what several articles say together; every claim cites the articles it rests on."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from summarizer.brief.schema import GeneratedBy
from summarizer.providers.base import FlaggedItem, Usage
from summarizer.text.dates import ResolvedDate


class Citation(BaseModel):
    """An article a claim rests on, and the verbatim passage where there is one."""

    article_id: str
    sentence: int | None = Field(default=None, description="Sentence number in the article (as in its brief).")
    evidence: str | None = Field(default=None, description="The article's sentence, verbatim.")


class Claim(BaseModel):
    """A statement of the synthesis and the articles (and passages) it rests on."""

    text: str
    citations: list[Citation] = Field(min_length=1)

    @property
    def article_ids(self) -> list[str]:
        """The cited articles, each once, in citation order."""
        return list(dict.fromkeys(citation.article_id for citation in self.citations))


DateBasis = Literal["event date", "reported on", "not established"]


class TimelineEvent(Claim):
    """An article sentence that dates an event, with the date it establishes and on what basis (found by code)."""

    date: ResolvedDate
    basis: DateBasis = Field(
        description="'event date': a date the sentence's own verb carries; 'reported on': the sentence names no date "
        "of its own event, so the publication date stands; 'not established': neither is known."
    )


class ActorPosition(Claim):
    """What the cited article(s) report of an actor's position."""


class Actor(BaseModel):
    """Someone several articles name, and what they are quoted saying (found by code)."""

    name: str
    article_ids: list[str] = Field(description="The articles that name them.")
    positions: list[ActorPosition]


class GroupFailure(BaseModel):
    """Articles whose synthesis call failed; what code found about them still stands."""

    article_ids: list[str]
    error: str


class Synthesis(BaseModel):
    """What several articles say together; every claim cites the articles it rests on."""

    article_ids: list[str] = Field(description="Every article given to the synthesis.")
    overview: Claim
    themes: list[Claim]
    agreements: list[Claim]
    disagreements: list[Claim]
    article_leads: list[Claim] = Field(
        default_factory=list, description="Each article's first sentence, quoted by code, so every source is heard."
    )
    timeline: list[TimelineEvent]
    actors: list[Actor]
    failed_groups: list[GroupFailure] = Field(
        default_factory=list, description="A model call that failed: what code found still stands, the prose is missing."
    )
    removed: list[FlaggedItem] = Field(
        default_factory=list, description="Sentences the model wrote that the articles do not support: dropped, listed here."
    )
    generated_by: GeneratedBy
    usage: Usage = Field(default_factory=Usage)
    calls: int = Field(default=1, description="Model calls made.")

    def claims(self) -> list[Claim]:
        """Every claim, for checks that apply to all of them."""
        positions = [position for actor in self.actors for position in actor.positions]
        return [
            self.overview,
            *self.themes,
            *self.agreements,
            *self.disagreements,
            *self.article_leads,
            *self.timeline,
            *positions,
        ]

    @model_validator(mode="after")
    def _structural_rules(self) -> Synthesis:
        known = set(self.article_ids)
        for claim in self.claims():
            unknown = [article for article in claim.article_ids if article not in known]
            if unknown:
                raise ValueError(f"claim {claim.text!r} cites unknown article {unknown[0]!r}")
        for kind, claims in (("agreement", self.agreements), ("disagreement", self.disagreements)):
            for claim in claims:
                if len(claim.article_ids) < 2:
                    raise ValueError(f"{kind} {claim.text!r} cites fewer than two articles")
        return self

    def cited_article_ids(self) -> set[str]:
        """Every article at least one claim cites."""
        return {article for claim in self.claims() for article in claim.article_ids}
