"""``StoryListing``: the grouping of a day as data (JSON for ``summarizer stories``), no model call involved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field

from summarizer.inputs.article import Article
from summarizer.stories.grouping import Story


class ListedArticle(BaseModel):
    """One article of a story: where it came from."""

    id: str
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None


class KeptArticle(ListedArticle):
    """An article kept for the story, with the copies of the same text collapsed into it."""

    also_published_by: list[ListedArticle] = Field(default_factory=list)


class ListedStory(BaseModel):
    """One story: rank (1 = most widely carried), headline, distinct sources, latest date, articles."""

    rank: int
    headline: str
    sources: int
    latest: dt.date | None = None
    articles: list[KeptArticle]
    id: str | None = Field(default=None, description="With a story memory: the story's id across days.")
    status: str | None = Field(default=None, description="With a story memory: new, developing, back after N days, …")


class StoryListing(BaseModel):
    """Every story of the inputs, the inputs that could not be read, and those left out by date."""

    stories: list[ListedStory]
    not_included: list[str] = Field(default_factory=list)
    left_out: list[str] = Field(default_factory=list)

    @property
    def articles(self) -> int:
        """Articles in the stories, copies included."""
        return sum(1 + len(article.also_published_by) for story in self.stories for article in story.articles)


def _listed(article: Article) -> ListedArticle:
    return ListedArticle(
        id=article.id,
        source=article.source,
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published=article.published,
    )


def _kept(article: Article, copies: Sequence[Article]) -> KeptArticle:
    return KeptArticle(**_listed(article).model_dump(), also_published_by=[_listed(copy) for copy in copies])


def listing_of(stories: Sequence[Story], not_included: Sequence[str] = (), left_out: Sequence[str] = ()) -> StoryListing:
    """The listing of ranked ``stories`` (as ``group_stories`` returns them)."""
    return StoryListing(
        stories=[
            ListedStory(
                rank=rank,
                headline=story.headline,
                sources=story.sources,
                latest=story.latest,
                articles=[
                    KeptArticle(
                        **_listed(article).model_dump(), also_published_by=[_listed(c) for c in story.copies.get(article.id, [])]
                    )
                    for article in story.articles
                ],
            )
            for rank, story in enumerate(stories, start=1)
        ],
        not_included=list(not_included),
        left_out=list(left_out),
    )
