"""What code finds in a story's articles that the memory keeps: its figures, its dated events, its actors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.brief.schema import ArticleBrief
from summarizer.checks.summary import article_passages
from summarizer.inputs.article import Article
from summarizer.synthesis.actors import find_actors
from summarizer.synthesis.figures import figure_series
from summarizer.synthesis.material import gather_material
from summarizer.synthesis.schema import Actor, FigurePoint, TimelineEvent, figure_label
from summarizer.synthesis.timeline import sentence_date


@dataclass(frozen=True)
class Figure:
    """A reported value (never a forecast) of a quantity in a scope, as ``figure_series`` found it."""

    quantity: str
    scope: str
    point: FigurePoint

    @property
    def label(self) -> str:
        """The quantity and where it is counted, e.g. 'deaths (Sri Lanka)'."""
        return figure_label(self.quantity, self.scope)


def figures_of(articles: Sequence[Article]) -> list[Figure]:
    """Every reported, dated value of a counted quantity in ``articles``, oldest report first."""
    passages = [passage for article in articles for passage in article_passages(article)]
    published = {article.id: article.published for article in articles}
    published_from = {article.id: article.published_from for article in articles}
    return [
        Figure(series.quantity, ", ".join(series.scope), point)
        for series in figure_series(passages, published, published_from)
        for point in series.points
        if not point.expected and point.date is not None
    ]


def events_of(articles: Sequence[Article], briefs: Sequence[ArticleBrief]) -> list[TimelineEvent]:
    """Events dated by their own sentence (not by publication) in each article's key points and lead, by date."""
    if not briefs:
        return []
    material = gather_material(briefs, articles)
    events = []
    for sentence in material.sentences:
        if not (sentence.key_point or sentence.position == 0):
            continue
        found = sentence_date(sentence, material)
        if found is not None and found[1] == "event date" and found[0].value is not None:
            events.append(TimelineEvent(text=sentence.text, citations=[sentence.citation()], date=found[0], basis=found[1]))
    return sorted(events, key=lambda event: (event.date.value or "", event.citations[0].article_id))


def actors_of(articles: Sequence[Article], briefs: Sequence[ArticleBrief]) -> list[Actor]:
    """The people and organizations that act in ``articles`` (``find_actors``), most active first."""
    passages = [passage for article in articles for passage in article_passages(article)]
    return find_actors(briefs, passages)
