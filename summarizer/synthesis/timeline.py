"""Dates of timeline events: the model's events dated from the cited passages, and dated key points added by code."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.brief.schema import ArticleBrief
from summarizer.synthesis.schema import Citation, Synthesis, TimelineEvent
from summarizer.synthesis.sources import Anchor
from summarizer.text.dates import ResolvedDate, find_date_expressions, resolve_date, sort_key
from summarizer.text.matching import occurs_in


def event_date(when: str, citations: list[Citation], anchors: dict[str, Anchor]) -> ResolvedDate:
    """The date the model wrote for an event, resolved against the publication date of the article that writes it."""
    if not when.strip():
        return ResolvedDate(text="", value=None, precision=None, how="the cited passages give no date")
    for citation in citations:
        if citation.evidence and occurs_in(when, citation.evidence):
            anchor = anchors.get(citation.article_id, Anchor())
            source_note = f"article {citation.article_id}'s " + (anchor.published_from or "publication date")
            return resolve_date(when, anchor.published, source_note if anchor.published else None)
    return resolve_date(when)


def _best_date(sentence: str, anchor: Anchor, article_id: str) -> ResolvedDate | None:
    """The most precise date the sentence supports (a resolved one before an unresolved one)."""
    note = f"article {article_id}'s " + (anchor.published_from or "publication date")
    resolved = [
        resolve_date(text, anchor.published, note if anchor.published else None) for text in find_date_expressions(sentence)
    ]
    if not resolved:
        return None
    precision = {"day": 0, "month": 1, "year": 2, None: 3}

    def inferred(date: ResolvedDate) -> int:  # written out beats assumed year beats counted from publication
        return 0 if date.how.startswith(("stated", "year stated", "month and year")) else 1 if "taken as" in date.how else 2

    return min(resolved, key=lambda date: (precision[date.precision], inferred(date)))


def timeline_from_briefs(briefs: Sequence[ArticleBrief], anchors: dict[str, Anchor]) -> list[TimelineEvent]:
    """Every key point that states a date, as a timeline event citing itself (no model involved)."""
    events = []
    for brief in briefs:
        for point in brief.key_points:
            date = _best_date(point.evidence, anchors.get(brief.article_id, Anchor()), brief.article_id)
            if date is not None:
                citation = Citation(article_id=brief.article_id, sentence=point.sentence, evidence=point.evidence)
                events.append(TimelineEvent(text=point.evidence, citations=[citation], date=date, origin="key point"))
    return events


def with_key_point_events(synthesis: Synthesis, events: Sequence[TimelineEvent]) -> Synthesis:
    """Add the dated key points the model's timeline does not already cite, then order by date."""
    cited = {(c.article_id, c.sentence) for event in synthesis.timeline for c in event.citations}
    added = [event for event in events if (event.citations[0].article_id, event.citations[0].sentence) not in cited]
    timeline = sorted([*synthesis.timeline, *added], key=lambda event: sort_key(event.date))
    return synthesis.model_copy(update={"timeline": timeline})
