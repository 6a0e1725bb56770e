"""``StoryDocument``: what grouping reads of an article (its title, body sentences, lead, date, outlet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from summarizer.inputs.article import Article

LEAD_SENTENCES = 4
MAX_LEAD_CHARS = 1_000  # four sentences of news run to 600 or so


@dataclass(frozen=True)
class StoryDocument:
    """One article as the grouping sees it: title and body (page debris left out), its lead, date and outlet."""

    id: str
    title: str
    body: str
    lead: str
    published: dt.date | None = None
    outlet: str | None = None

    @property
    def text(self) -> str:
        """Title and body, the text compared for topic."""
        return f"{self.title}\n{self.body}" if self.title else self.body


def document_of(article: Article) -> StoryDocument:
    """The grouping's view of ``article``: only its sentences (never skipped lines such as navigation or bylines)."""
    sentences = [sentence.text for sentence in article.sentences]
    return StoryDocument(
        id=article.id,
        title=article.title or "",
        body=" ".join(sentences),
        lead=" ".join([article.title or "", *sentences[:LEAD_SENTENCES]]).strip()[:MAX_LEAD_CHARS],
        published=article.published,
        outlet=article.outlet,
    )
