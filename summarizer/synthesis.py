"""Cross-article synthesis: from briefs to one ``Synthesis``, hierarchically when they do not fit.

Level 1 turns each brief into a *source*: its headline and summary for
context, and its key points as numbered, citable points (each a verbatim
article sentence). Sources are packed into groups that fit the provider's
context budget; each group gets one model call. If there is more than one
group, each group's synthesis becomes a source of the next level (its claims
are the points, carrying their citations), and so on until one remains. So
5 articles take one call, and 500 take a few levels, no call exceeding the
budget.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.config import Settings
from summarizer.core import provider_scope, request_tokens
from summarizer.dates import find_date_expressions, resolve_date, sort_key
from summarizer.errors import InputError, SummarizerError
from summarizer.grounding import fold, occurs_in
from summarizer.prompts import Prompt, get_prompt
from summarizer.providers.base import GenerationParams, ModelRequest, Provider
from summarizer.schemas import Article, ArticleBrief, GeneratedBy, RemovedItem, ResolvedDate, Usage
from summarizer.synthesis_schema import (
    Actor,
    ActorPosition,
    Citation,
    Claim,
    DraftClaim,
    GroupFailure,
    Synthesis,
    SynthesisDraft,
    TimelineEvent,
    salvage_draft,
)

SYNTHESIS_PROMPT_ID = "synthesize"
SYNTHESIS_PARAMS = GenerationParams(temperature=0.0, max_tokens=900, seed=0)
SYNTHESIS_MAX_REASKS = 1  # then salvage: a small model rarely fixes a long answer, and each re-ask grows the prompt
PROMPT_MARGIN_TOKENS = 200  # the token estimate is rough; keep clear of the edge


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
    names = "\n".join([entity.name for entity in brief.entities] + [quote.speaker for quote in brief.quotes])
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


def _numbered(sources: Sequence[Source]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Template variables for the sources, and the validation context's point table."""
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
        rendered.append({"n": number, "label": source.label, "published": source.published,
                         "heading": source.heading, "points": points})  # fmt: skip
    return rendered, table


def build_synthesis_request(sources: Sequence[Source], prompt: Prompt | None = None) -> ModelRequest[SynthesisDraft]:
    """Render the synthesis prompt over ``sources`` into a provider request."""
    prompt = prompt or get_prompt(SYNTHESIS_PROMPT_ID)
    rendered, table = _numbered(sources)
    context = {"points": table}
    return ModelRequest(
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        messages=prompt.render(sources=rendered),
        response_model=SynthesisDraft,
        params=SYNTHESIS_PARAMS,
        validation_context=context,
        salvage=lambda content: salvage_draft(content, context),
        max_reasks=SYNTHESIS_MAX_REASKS,
    )


def _fits(sources: Sequence[Source], budget: int, prompt: Prompt) -> bool:
    return request_tokens(build_synthesis_request(sources, prompt)) + PROMPT_MARGIN_TOKENS <= budget


def pack_groups(sources: Sequence[Source], budget: int, prompt: Prompt) -> list[list[Source]]:
    """Split ``sources`` into consecutive groups whose requests fit ``budget`` tokens."""
    groups: list[list[Source]] = []
    current: list[Source] = []
    for source in sources:
        if not _fits([source], budget, prompt):
            raise InputError(
                f"{source.label}: one source alone needs more than the provider's context of {budget:,} tokens"
            )
        if current and not _fits([*current, source], budget, prompt):
            groups.append(current)
            current = []
        current.append(source)
    if current:
        groups.append(current)
    return groups


def _citations(refs: list[str], sources: Sequence[Source]) -> list[Citation]:
    seen: dict[tuple[str, int | None, str | None], Citation] = {}
    for ref in refs:
        source_number, point_number = (int(part) for part in ref.split("."))
        for citation in sources[source_number - 1].points[point_number - 1].citations:
            seen.setdefault((citation.article_id, citation.sentence, citation.evidence), citation)
    return list(seen.values())


def _event_date(when: str, citations: list[Citation], anchors: dict[str, Anchor]) -> ResolvedDate:
    if not when.strip():
        return ResolvedDate(text="", value=None, precision=None, how="the cited passages give no date")
    for citation in citations:
        if citation.evidence and occurs_in(when, citation.evidence):
            anchor = anchors.get(citation.article_id, Anchor())
            source_note = f"article {citation.article_id}'s " + (anchor.published_from or "publication date")
            return resolve_date(when, anchor.published, source_note if anchor.published else None)
    return resolve_date(when)


def synthesis_from_draft(
    draft: SynthesisDraft,
    sources: Sequence[Source],
    anchors: dict[str, Anchor],
    generated_by: GeneratedBy,
    usage: Usage,
    removed: Sequence[RemovedItem] = (),
) -> Synthesis:
    """Turn the draft's point numbers into citations and its dates into resolved dates."""

    def claim(text: str, refs: list[str]) -> Claim:
        return Claim(text=text.strip(), citations=_citations(refs, sources))

    def distinct(items: Sequence[DraftClaim]) -> list[Claim]:
        """Claims in order, a repeated text (same words, any case) only once."""
        seen: set[str] = set()
        claims = []
        for item in items:
            if fold(item.t) not in seen:
                seen.add(fold(item.t))
                claims.append(claim(item.t, item.k))
        return claims

    events = []
    for event in draft.events:
        citations = _citations(event.k, sources)
        events.append(TimelineEvent(text=event.t.strip(), citations=citations,
                                    date=_event_date(event.when, citations, anchors)))  # fmt: skip
    events.sort(key=lambda event: sort_key(event.date))  # stable: undated events keep the model's order, last
    actors: dict[str, Actor] = {}
    for draft_actor in draft.actors:
        actor = actors.setdefault(draft_actor.name.strip().casefold(), Actor(name=draft_actor.name.strip(), positions=[]))
        for position in draft_actor.pos:
            actor.positions.append(ActorPosition(text=position.p.strip(), citations=_citations([position.k], sources)))
    article_ids = list(dict.fromkeys(article for source in sources for article in source.article_ids))
    return Synthesis(
        article_ids=article_ids,
        overview=claim(draft.overview.t, draft.overview.k),
        themes=distinct(draft.themes),
        agreements=distinct(draft.agree),
        disagreements=distinct(draft.disagree),
        timeline=events,
        actors=list(actors.values()),
        open_questions=[question.strip() for question in draft.questions],
        removed=list(removed),
        generated_by=generated_by,
        usage=usage,
    )


ProgressCallback = Callable[[str], None]


def _synthesize_group(
    group: Sequence[Source], provider: Provider, prompt: Prompt, anchors: dict[str, Anchor]
) -> Synthesis:
    request = build_synthesis_request(group, prompt)
    result = provider.complete(request)
    generated_by = GeneratedBy(provider=result.provider, model=result.model, prompt_id=prompt.id,
                               prompt_version=prompt.version)  # fmt: skip
    return synthesis_from_draft(result.output, group, anchors, generated_by, result.usage, result.dropped)


def synthesize_sources(
    sources: Sequence[Source],
    provider: Provider,
    anchors: dict[str, Anchor] | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> Synthesis:
    """Synthesize ``sources``, merging level by level until one synthesis remains.

    A group whose call fails is recorded in ``failed_groups`` and the rest
    go on; only when every group of a level fails is it an error.
    """
    if not sources:
        raise InputError("nothing to synthesize: no briefs")
    anchors = anchors or {}
    prompt = get_prompt(SYNTHESIS_PROMPT_ID)
    all_articles = list(dict.fromkeys(article for source in sources for article in source.article_ids))
    usage, calls, level = Usage(), 0, 0
    failures: list[GroupFailure] = []
    removed: list[RemovedItem] = []
    current: list[Source] = list(sources)
    while True:
        level += 1
        groups = pack_groups(current, provider.context_tokens, prompt)
        if len(groups) == len(current) and len(current) > 1:
            raise InputError("the provider's context is too small to merge even two sources; use a larger context")
        partials: list[Synthesis] = []
        for index, group in enumerate(groups, start=1):
            if progress:
                progress(f"synthesis level {level}, group {index}/{len(groups)} ({len(group)} sources)")
            calls += 1
            try:
                partial = _synthesize_group(group, provider, prompt, anchors)
            except SummarizerError as exc:
                failed_ids = list(dict.fromkeys(a for source in group for a in source.article_ids))
                failures.append(GroupFailure(article_ids=failed_ids, error=str(exc)))
                continue
            usage = usage + partial.usage
            removed.extend(partial.removed)
            partials.append(partial)
        if not partials:
            raise _every_group_failed(failures)
        if len(partials) == 1:
            final = partials[0]
            return final.model_copy(update={
                "article_ids": all_articles, "failed_groups": failures, "usage": usage, "calls": calls, "levels": level,
                "removed": removed,
            })  # fmt: skip
        current = [source_from_synthesis(partial, f"group {n}") for n, partial in enumerate(partials, start=1)]


def _every_group_failed(failures: list[GroupFailure]) -> SummarizerError:
    """The error for a synthesis where every group failed."""
    first = failures[0].error if failures else "no groups"
    return SummarizerError(f"synthesis failed for every group ({len(failures)}); first error: {first}")


def _best_date(sentence: str, anchor: Anchor, article_id: str) -> ResolvedDate | None:
    """The most precise date the sentence supports (a resolved one before an unresolved one)."""
    note = f"article {article_id}'s " + (anchor.published_from or "publication date")
    resolved = [resolve_date(text, anchor.published, note if anchor.published else None)
                for text in find_date_expressions(sentence)]  # fmt: skip
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


def synthesize(
    briefs: Sequence[ArticleBrief],
    *,
    articles: Sequence[Article] = (),
    provider: Provider | None = None,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
) -> Synthesis:
    """What several briefs say together: themes, agreements, disagreements, timeline, actors.

    ``articles`` (optional) give publication dates that anchor relative dates
    ("Thursday") in the timeline; without them such dates stay unresolved.
    """
    anchors = {article.id: Anchor(article.published, article.published_from) for article in articles}
    sources = [source_from_brief(brief, anchors.get(brief.article_id)) for brief in briefs]
    with provider_scope(provider, settings) as active:
        synthesis = synthesize_sources(sources, active, anchors, progress=progress)
    return with_key_point_events(synthesis, timeline_from_briefs(briefs, anchors))


async def synthesize_async(
    briefs: Sequence[ArticleBrief],
    *,
    articles: Sequence[Article] = (),
    provider: Provider | None = None,
    settings: Settings | None = None,
) -> Synthesis:
    """``synthesize`` run in a worker thread, for async callers."""
    return await asyncio.to_thread(synthesize, briefs, articles=articles, provider=provider, settings=settings)
