"""From the model's draft to the ``Synthesis``: point numbers become citations, dates are resolved."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.brief.schema import GeneratedBy
from summarizer.providers.base import FlaggedItem, Usage
from summarizer.synthesis.draft import DraftClaim, SynthesisDraft
from summarizer.synthesis.schema import Actor, ActorPosition, Citation, Claim, Synthesis, TimelineEvent
from summarizer.synthesis.sources import Anchor, Source
from summarizer.synthesis.timeline import event_date
from summarizer.text.dates import sort_key
from summarizer.text.matching import fold


def _citations(refs: list[str], sources: Sequence[Source]) -> list[Citation]:
    """The citations behind point numbers such as 2.3, each once."""
    seen: dict[tuple[str, int | None, str | None], Citation] = {}
    for ref in refs:
        source_number, point_number = (int(part) for part in ref.split("."))
        for citation in sources[source_number - 1].points[point_number - 1].citations:
            seen.setdefault((citation.article_id, citation.sentence, citation.evidence), citation)
    return list(seen.values())


def synthesis_from_draft(
    draft: SynthesisDraft,
    sources: Sequence[Source],
    anchors: dict[str, Anchor],
    generated_by: GeneratedBy,
    usage: Usage,
    removed: Sequence[FlaggedItem] = (),
) -> Synthesis:
    """Turn the draft's point numbers into citations and its dates into resolved dates."""

    def claim(text: str, refs: list[str]) -> Claim:
        return Claim(text=text.strip(), citations=_citations(refs, sources))

    def distinct(items: Sequence[DraftClaim]) -> list[Claim]:
        """Claims in order, a repeated text (same words, any case) only once."""
        seen: set[str] = set()
        claims = []
        for item in items:
            if fold(item.text) not in seen:
                seen.add(fold(item.text))
                claims.append(claim(item.text, item.refs))
        return claims

    events = []
    for event in draft.events:
        citations = _citations(event.refs, sources)
        events.append(
            TimelineEvent(text=event.text.strip(), citations=citations, date=event_date(event.when, citations, anchors))
        )
    events.sort(key=lambda event: sort_key(event.date))  # stable: undated events keep the model's order, last
    actors: dict[str, Actor] = {}
    for draft_actor in draft.actors:
        actor = actors.setdefault(draft_actor.name.strip().casefold(), Actor(name=draft_actor.name.strip(), positions=[]))
        for position in draft_actor.positions:
            actor.positions.append(ActorPosition(text=position.text.strip(), citations=_citations([position.ref], sources)))
    article_ids = list(dict.fromkeys(article for source in sources for article in source.article_ids))
    return Synthesis(
        article_ids=article_ids,
        overview=claim(draft.overview.text, draft.overview.refs),
        themes=distinct(draft.themes),
        agreements=distinct(draft.agreements),
        disagreements=distinct(draft.disagreements),
        timeline=events,
        actors=list(actors.values()),
        open_questions=[question.strip() for question in draft.questions],
        removed=list(removed),
        generated_by=generated_by,
        usage=usage,
    )
