"""What changed "since" a story's last briefing: what the new articles add, found by code, each item citing its passage.

Figures reported since then (with the value the memory holds from before),
events dated after it, actors not seen before, and the new articles' key
sentences that the support checker finds in none of the articles shown
before. No model call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel

from summarizer.brief.schema import ArticleBrief
from summarizer.checks.summary import check_summary
from summarizer.inputs.article import Article
from summarizer.memory.facts import Figure, actors_of, events_of, figures_of
from summarizer.memory.records import FigureRecord, StoryHistory
from summarizer.synthesis.schema import Citation
from summarizer.text.dates import anchor_relative_days
from summarizer.text.sentences import closes_sentence

MAX_FIGURES = 4
MAX_EVENTS = 4
MAX_ACTORS = 3
MAX_NEW = 3
MIN_WORDS = 6
EARLIER_ARTICLES_READ = 10  # the most recent ones shown: enough to know what is not new


class SinceItem(BaseModel):
    """One thing that changed since the story's last briefing, citing the new article and passage it comes from."""

    kind: Literal["figure", "event", "actor", "new"]
    text: str
    citation: Citation
    start: int | None = None
    end: int | None = None


def _span(article: Article, sentence: int | None) -> tuple[int | None, int | None]:
    sentences = article.sentences
    if sentence is None or not 1 <= sentence <= len(sentences):
        return None, None
    return sentences[sentence - 1].start, sentences[sentence - 1].end


def _earlier_value(history: StoryHistory, figure: Figure) -> FigureRecord | None:
    same = [
        record
        for record in history.figures
        if record.quantity == figure.quantity and record.scope == figure.scope and record.reported is not None
    ]
    return max(same, key=lambda record: (record.reported or "", record.value)) if same else None


def _figure_items(new: Sequence[Article], history: StoryHistory) -> list[SinceItem]:
    by_id = {article.id: article for article in new}
    items, seen = [], set()
    for figure in sorted(figures_of(new), key=lambda f: (f.point.date or "", f.point.value), reverse=True):
        earlier = _earlier_value(history, figure)
        if earlier is None or figure.label in seen or earlier.value == figure.point.value:
            continue
        seen.add(figure.label)
        text = f"{figure.label}: {earlier.text} on {earlier.reported} → {figure.point.text} on {figure.point.date}"
        start, end = _span(by_id[figure.point.citation.article_id], figure.point.citation.sentence)
        items.append(SinceItem(kind="figure", text=text, citation=figure.point.citation, start=start, end=end))
    return items[:MAX_FIGURES]


def _event_items(new: Sequence[Article], briefs: Sequence[ArticleBrief], since: str) -> list[SinceItem]:
    by_id = {article.id: article for article in new}
    items = []
    for event in events_of(new, briefs):
        if (event.date.value or "") <= since:
            continue
        citation = event.citations[0]
        start, end = _span(by_id[citation.article_id], citation.sentence)
        items.append(SinceItem(kind="event", text=f"{event.date.value}: {event.text}", citation=citation, start=start, end=end))
    return items[:MAX_EVENTS]


def _actor_items(new: Sequence[Article], briefs: Sequence[ArticleBrief], history: StoryHistory) -> list[SinceItem]:
    known = {name.casefold() for name in history.actors}
    by_id = {article.id: article for article in new}
    items = []
    for actor in actors_of(new, briefs):
        if actor.name.casefold() in known or not actor.positions or len(actor.positions[0].text.split()) < MIN_WORDS / 2:
            continue
        position = actor.positions[0]
        citation = position.citations[0]
        start, end = _span(by_id[citation.article_id], citation.sentence)
        text = f"{actor.name}: {position.text}"
        items.append(SinceItem(kind="actor", text=text, citation=citation, start=start, end=end))
    return items[:MAX_ACTORS]


def _new_information(new: Sequence[Article], briefs: Sequence[ArticleBrief], earlier_texts: Sequence[str]) -> list[SinceItem]:
    if not earlier_texts:
        return []
    earlier = "\n\n".join(earlier_texts)
    by_id = {article.id: article for article in new}
    items = []
    for brief in briefs:
        for point in brief.key_points:
            if len(point.evidence.split()) < MIN_WORDS or not closes_sentence(point.evidence):
                continue  # a caption or heading, not a statement
            check = check_summary(point.evidence, earlier)
            if any(sentence.verdict == "supported" for sentence in check.sentences):
                continue
            text = anchor_relative_days(point.evidence, by_id[brief.article_id].published)
            if text is None:
                continue  # "today" in an article of no known date means nothing here
            citation = Citation(article_id=brief.article_id, sentence=point.sentence, evidence=point.evidence)
            start, end = _span(by_id[brief.article_id], point.sentence)
            items.append(SinceItem(kind="new", text=text, citation=citation, start=start, end=end))
            if len(items) >= MAX_NEW:
                return items
    return items


def since_items(
    new: Sequence[Article], briefs: Sequence[ArticleBrief], history: StoryHistory, since: str, earlier_texts: Sequence[str]
) -> list[SinceItem]:
    """What the ``new`` articles (with their ``briefs``) add to the story as ``history`` holds it, since the day ``since``.

    ``earlier_texts``: the text of the articles shown before, most recent
    first (only the first ``EARLIER_ARTICLES_READ`` are read).
    """
    briefed = [brief for brief in briefs if brief.article_id in {article.id for article in new}]
    return [
        *_figure_items(new, history),
        *_event_items(new, briefed, since),
        *_actor_items(new, briefed, history),
        *_new_information(new, briefed, earlier_texts[:EARLIER_ARTICLES_READ]),
    ]
