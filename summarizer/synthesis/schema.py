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


class FigurePoint(BaseModel):
    """One value a story's articles gave for a quantity: as written, cited, dated by its article's publication."""

    value: float
    text: str = Field(description="The figure as the article writes it, e.g. 'more than 175,000 victims'.")
    date: str | None = Field(description="The day it was reported (ISO), the publication date of its article.")
    date_from: str = Field(description="Where that date comes from.")
    expected: bool = Field(default=False, description="Only expected ('could climb to ...'): shown, never compared.")
    citation: Citation
    named_with: list[str] = Field(default_factory=list, description="Names in its clause: who gives it, or where.")
    start: int | None = Field(default=None, description="The figure's character offsets in its article.")
    end: int | None = None

    @property
    def source(self) -> tuple[str, int | None]:
        """Where the figure is given: its article and sentence (one article may list several sources' figures)."""
        return self.citation.article_id, self.citation.sentence


class FigureSeries(BaseModel):
    """A quantity ("deaths" in a place) and every value the articles gave for it, oldest report first (found by code)."""

    quantity: str
    scope: list[str] = Field(default_factory=list, description="The places it is counted in, beyond the story's setting.")
    points: list[FigurePoint]

    @property
    def label(self) -> str:
        """The quantity and where it is counted, as a reader sees it: 'deaths (Sri Lanka)'."""
        return figure_label(self.quantity, ", ".join(self.scope))

    def days(self) -> list[tuple[str, list[FigurePoint]]]:
        """The reported values (forecasts left out) grouped by day, oldest first."""
        by_day: dict[str, list[FigurePoint]] = {}
        for point in self.points:
            if not point.expected and point.date is not None:
                by_day.setdefault(point.date, []).append(point)
        return sorted(by_day.items())

    def conflicts(self) -> list[tuple[str, list[FigurePoint]]]:
        """The days on which different sentences gave different values for it: real disagreements."""
        return [
            (day, points)
            for day, points in self.days()
            if len({point.value for point in points}) >= 2 and len({point.source for point in points}) >= 2
        ]

    def steps(self) -> list[tuple[str, str, Claim]]:
        """Each day's value (a range when several were given), its day and a claim citing its sentences, oldest first."""
        found = []
        for day, points in self.days():
            values = sorted({point.value for point in points})
            text = points[0].text if len(values) == 1 else f"{figure_text(values[0])}–{figure_text(values[-1])}"
            found.append((text, day, Claim(text=text, citations=[point.citation for point in points])))
        return found


def figure_label(quantity: str, scope: str) -> str:
    """A quantity and where it is counted (places joined by commas), as a reader sees it: 'deaths (Sri Lanka)'."""
    return f"{quantity} ({scope})" if scope else quantity


def figure_text(value: float) -> str:
    """A value as a briefing writes it: with thousands separators, to two places only when small and not whole."""
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"


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
    figures: list[FigureSeries] = Field(
        default_factory=list, description="How the figures moved: each quantity's values by the day they were reported."
    )
    actors: list[Actor]
    failed_groups: list[GroupFailure] = Field(
        default_factory=list, description="A model call that failed: what code found still stands, the prose is missing."
    )
    removed: list[FlaggedItem] = Field(
        default_factory=list, description="Sentences the model wrote that the articles do not support: dropped, listed here."
    )
    unverified: list[FlaggedItem] = Field(
        default_factory=list,
        description="Sentences kept but not verified: every word is one article's, but no one sentence of it says the "
        "sentence's clause (a fusion within one article), listed here and marked where shown.",
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

    def dated_events(self) -> list[TimelineEvent]:
        """The timeline a reader reads: events whose own date the articles establish, oldest first."""
        return [event for event in self.timeline if event.basis == "event date" and event.date.value]

    def undated_events(self) -> list[TimelineEvent]:
        """Timeline sentences with no date of their own (dated by publication, or not at all): for the audit and JSON."""
        return [event for event in self.timeline if event not in self.dated_events()]

    @property
    def audited(self) -> bool:
        """Whether the audit has something to say: dropped or unverified claims, failed calls, undated timeline sentences."""
        return bool(self.removed or self.unverified or self.failed_groups or self.undated_events())

    @model_validator(mode="after")
    def _structural_rules(self) -> Synthesis:
        known = set(self.article_ids)
        for claim in self.claims():
            unknown = [article for article in claim.article_ids if article not in known]
            if unknown:
                raise ValueError(f"claim {claim.text!r} cites unknown article {unknown[0]!r}")
        for claim in self.agreements:
            if len(claim.article_ids) < 2:
                raise ValueError(f"agreement {claim.text!r} cites fewer than two articles")
        for claim in self.disagreements:  # one article may quote two sources giving different figures
            if len({(citation.article_id, citation.sentence) for citation in claim.citations}) < 2:
                raise ValueError(f"disagreement {claim.text!r} cites fewer than two passages")
        return self

    def cited_article_ids(self) -> set[str]:
        """Every article at least one claim cites."""
        return {article for claim in self.claims() for article in claim.article_ids}
