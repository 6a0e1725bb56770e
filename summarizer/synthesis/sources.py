"""Sources of a synthesis call: briefs (level 1) or lower-level syntheses, with numbered, citable points.

A brief's key points (verbatim article sentences) are its points; a group's
synthesis offers its claims, carrying their citations, to the next level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.brief.schema import ArticleBrief
from summarizer.synthesis.schema import Citation, Claim, Synthesis


@dataclass(frozen=True)
class Anchor:
    """An article's publication date, which anchors its relative dates."""

    published: dt.date | None = None
    published_from: str | None = None


@dataclass
class Point:
    """A citable point: what the prompt shows, and the citations it stands for."""

    text: str
    citations: list[Citation]
    names: str = ""


@dataclass
class Source:
    """One input of a synthesis call: an article's brief, or a lower-level synthesis."""

    label: str
    published: str
    heading: list[str]
    points: list[Point]
    article_ids: list[str] = field(default_factory=list)


def source_from_brief(brief: ArticleBrief, anchor: Anchor | None = None) -> Source:
    """A brief as a source: its key points (verbatim sentences) are the citable points."""
    names = "\n".join([entity.name for entity in brief.entities] + [quote.speaker for quote in brief.quotes if quote.speaker])
    points = [
        Point(
            text=point.evidence,
            citations=[Citation(article_id=brief.article_id, sentence=point.sentence, evidence=point.evidence)],
            names=names + "\n" + point.evidence,
        )
        for point in brief.key_points
    ]
    published = anchor.published.isoformat() if anchor and anchor.published else "unknown"
    return Source(
        label=brief.article_id,
        published=published,
        heading=[f"Headline: {brief.headline}", f"Summary: {brief.summary}"],
        points=points,
        article_ids=[brief.article_id],
    )


def _evidence_text(citations: list[Citation]) -> str:
    """The cited passages, one per line."""
    return "\n".join(citation.evidence for citation in citations if citation.evidence)


def source_from_synthesis(synthesis: Synthesis, label: str) -> Source:
    """A group's synthesis as a source for the next level: its claims are the points."""
    points: list[Point] = []

    def add(kind: str, claim: Claim, names: str = "") -> None:
        evidence = _evidence_text(claim.citations)
        points.append(Point(text=f"{kind}: {claim.text}", citations=claim.citations, names=names + "\n" + evidence))

    for claim in synthesis.themes:
        add("theme", claim)
    for claim in synthesis.agreements:
        add("agreement", claim)
    for claim in synthesis.disagreements:
        add("disagreement", claim)
    for event in synthesis.timeline:
        when = event.date.value or "date not established"
        add(f"event ({when})", event)
    for actor in synthesis.actors:
        for position in actor.positions:
            add(f"{actor.name}'s position", position, names=actor.name)
    return Source(
        label=label,
        published="various",
        heading=[f"Overview: {synthesis.overview.text}"],
        points=points,
        article_ids=list(synthesis.article_ids),
    )


def numbered(sources: Sequence[Source]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Template variables for the sources, and the validation context's point table (see ``rules``)."""
    rendered: list[dict[str, Any]] = []
    table: dict[str, dict[str, Any]] = {}
    for number, source in enumerate(sources, start=1):
        points = []
        for index, point in enumerate(source.points, start=1):
            ref = f"{number}.{index}"
            points.append({"ref": ref, "text": point.text})
            table[ref] = {
                "articles": sorted({citation.article_id for citation in point.citations}),
                "text": point.text + "\n" + _evidence_text(point.citations),
                "names": point.names,
            }
        rendered.append(
            {"n": number, "label": source.label, "published": source.published, "heading": source.heading, "points": points}
        )
    return rendered, table
