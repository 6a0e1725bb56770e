"""The timeline, by code: article sentences that date an event, each with the date its own verb carries.

A sentence joins the timeline when it writes a date and is one the
synthesis rests on (a brief's key point, a sentence of a chosen group, an
article's first sentence). Its date is the most precise one attached to
its main verb (``nlp.dating``); a date that names another event ("since
1988", "the Terrorism Act 2000", "the July 7 bombings") never dates it.
With no date of its own, the sentence is "reported on" its article's
publication date, or its date is "not established". Sentences of different
articles that align and carry the same date are one event citing both.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.synthesis.align import AlignedGroup, Similarity
from summarizer.synthesis.material import ArticleSentence, Material
from summarizer.synthesis.schema import DateBasis, TimelineEvent
from summarizer.text.dates import ResolvedDate, resolve_date, sort_key

MAX_EVENTS = 12
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, None: 3}


def sentence_date(sentence: ArticleSentence, material: Material) -> tuple[ResolvedDate, DateBasis] | None:
    """The date of the sentence's own event and its basis; None when the sentence writes no date at all."""
    if not sentence.features.dates:
        return None
    published = material.published.get(sentence.article_id)
    source = material.published_from.get(sentence.article_id)
    note = f"article {sentence.article_id}'s " + (source or "publication date")
    own = []
    for attachment in sentence.features.dates:
        if attachment.own_event:
            resolved = resolve_date(attachment.text, published, note if published else None)
            own.append(resolved.model_copy(update={"how": f"{resolved.how}; {attachment.reason}"}))
    if own:
        best = min(own, key=lambda date: (_PRECISION_RANK[date.precision], date.value is None))
        if best.value is not None:
            return best, "event date"
    others = "; ".join(f"'{a.text}': {a.reason}" for a in sentence.features.dates if not a.own_event)
    why = others or "its date could not be resolved"
    if published is not None:
        how = f"no date of its own event ({why}); reported on the publication date, from {source or 'the article'}"
        return ResolvedDate(text="", value=published.isoformat(), precision="day", how=how), "reported on"
    return ResolvedDate(text="", value=None, precision=None, how=f"no date of its own event ({why})"), "not established"


def build_timeline(material: Material, groups: Sequence[AlignedGroup], similarity: Similarity) -> list[TimelineEvent]:
    """Dated events from the sentences the synthesis rests on, merged across articles, in date order."""
    in_groups = {sentence.ref for group in groups for sentence in group.sentences}
    candidates = [s for s in material.sentences if s.key_point or s.ref in in_groups or s.position == 0]
    dated: list[tuple[ArticleSentence, ResolvedDate, DateBasis]] = []
    for sentence in candidates:
        found = sentence_date(sentence, material)
        if found is not None:
            dated.append((sentence, *found))
    events: list[tuple[list[ArticleSentence], ResolvedDate, DateBasis]] = []
    for sentence, date, basis in dated:
        same = next(
            (
                event
                for event in events
                if event[1].value == date.value
                and basis == event[2] == "event date"
                and any(similarity.aligned(sentence, other) for other in event[0])
            ),
            None,
        )
        if same is not None:
            same[0].append(sentence)
        else:
            events.append(([sentence], date, basis))
    events.sort(key=lambda event: (event[2] != "event date", -len(event[0])))
    timeline = [
        TimelineEvent(text=sentences[0].text, citations=[s.citation() for s in sentences], date=date, basis=basis)
        for sentences, date, basis in events[:MAX_EVENTS]
    ]
    return sorted(timeline, key=lambda event: sort_key(event.date))
