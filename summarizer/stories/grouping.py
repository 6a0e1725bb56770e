"""Group a day's articles into stories: copies collapsed first, then the rest clustered, then ranked.

No model call: duplicates by MinHash LSH (``duplicates``), closeness by
TF-IDF and lead embeddings (``similarity``), stories by centroid linkage
(``clustering``). The defaults were measured with ``bench/stories.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from summarizer.errors import ConfigError
from summarizer.inputs.article import Article
from summarizer.stories.clustering import centroid_linkage
from summarizer.stories.documents import StoryDocument, document_of
from summarizer.stories.duplicates import DUPLICATE_THRESHOLD, duplicate_groups, kept_copy
from summarizer.stories.similarity import Features, candidate_edges, features_of

HEADLINE_WORDS = 20


@dataclass(frozen=True)
class GroupingParams:
    """Thresholds of the grouping; the defaults are the ones ``bench/stories.py`` measures."""

    duplicate_threshold: float = DUPLICATE_THRESHOLD
    story_threshold: float = 0.3
    term_weight: float = 0.5
    neighbours: int = 20
    floor: float = 0.1

    def __post_init__(self) -> None:
        for name in ("duplicate_threshold", "story_threshold", "term_weight", "floor"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value:g}")
        if self.neighbours < 1:
            raise ConfigError(f"neighbours must be at least 1, got {self.neighbours}")

    @property
    def weights(self) -> tuple[float, float]:
        """Weights of the TF-IDF and the lead-embedding cosine in one score."""
        return (self.term_weight, 1.0 - self.term_weight)


def source_count(articles: Sequence[Article]) -> int:
    """Distinct sources among ``articles``: outlets where known, else each input counts as its own."""
    return len({(article.outlet or "").casefold() or f"input:{article.source}" for article in articles})


@dataclass
class Story:
    """Articles about one event or continuing topic: one kept copy each, with its other copies."""

    articles: list[Article]
    copies: dict[str, list[Article]] = field(default_factory=dict)
    central: int = 0

    @property
    def headline(self) -> str:
        """The title of the article closest to the story's centre, else its first sentence (cut at 20 words)."""
        article = self.articles[self.central]
        if article.title:
            return article.title
        words = article.sentences[0].text.split() if article.sentences else [article.id]
        return " ".join(words[:HEADLINE_WORDS]) + (" …" if len(words) > HEADLINE_WORDS else "")

    @property
    def all_articles(self) -> list[Article]:
        """Every article of the story, copies included."""
        return [copy for article in self.articles for copy in (article, *self.copies.get(article.id, []))]

    @property
    def sources(self) -> int:
        """Distinct sources carrying the story: outlets where known, else each input counts as its own."""
        return source_count(self.all_articles)

    @property
    def latest(self) -> dt.date | None:
        """The most recent publication date among its articles."""
        dates = [article.published for article in self.all_articles if article.published is not None]
        return max(dates) if dates else None


@dataclass(frozen=True)
class DocumentStory:
    """One story as positions in the grouped documents: kept copies (input order), their copies, the central one."""

    members: list[int]
    copies: dict[int, list[int]]
    central: int


def _collapse_copies(documents: Sequence[StoryDocument], threshold: float) -> list[list[int]]:
    """Copy sets in input order of their first member, each led by the copy that is kept."""
    ordered = []
    for group in duplicate_groups(documents, threshold):
        kept = kept_copy(group, documents)
        ordered.append([kept, *[number for number in group if number != kept]])
    return sorted(ordered, key=min)


def _central(members: Sequence[int], features: Features) -> int:
    """Position within ``members`` of the article whose lead is closest to the mean lead."""
    vectors = features.leads[list(members)]
    return int(np.argmax(vectors @ vectors.sum(axis=0)))


def group_documents(documents: Sequence[StoryDocument], params: GroupingParams | None = None) -> list[DocumentStory]:
    """Stories of ``documents`` as positions, in input order of their first article (no ranking)."""
    chosen = params or GroupingParams()
    copy_sets = _collapse_copies(documents, chosen.duplicate_threshold)
    kept = [copy_set[0] for copy_set in copy_sets]
    copies_of = {copy_set[0]: sorted(copy_set[1:]) for copy_set in copy_sets}
    features = features_of([documents[number] for number in kept])
    edges = candidate_edges(features, chosen.weights, chosen.neighbours, chosen.floor)
    stories = []
    for cluster in centroid_linkage(len(kept), edges, chosen.weights, chosen.story_threshold):
        positions = sorted(cluster, key=lambda position: kept[position])
        members = [kept[position] for position in positions]
        stories.append(
            DocumentStory(
                members=members,
                copies={number: copies_of[number] for number in members if copies_of[number]},
                central=_central(positions, features),
            )
        )
    return sorted(stories, key=lambda story: min(story.members))


def _rank_key(story: Story, first_input: int) -> tuple[int, int, int]:
    latest = story.latest.toordinal() if story.latest else 0
    return (-story.sources, -latest, first_input)


def group_stories(articles: Sequence[Article], params: GroupingParams | None = None) -> list[Story]:
    """The stories among ``articles``, most widely carried first (then most recent, then input order).

    Within a story, articles keep their input order; each duplicate set is
    one article (the longest copy) listing the others in ``copies``.
    """
    grouped = group_documents([document_of(article) for article in articles], params)
    ranked = []
    for found in grouped:
        story = Story(
            articles=[articles[number] for number in found.members],
            copies={articles[kept].id: [articles[number] for number in copies] for kept, copies in found.copies.items()},
            central=found.central,
        )
        ranked.append((_rank_key(story, min(found.members)), story))
    return [story for _, story in sorted(ranked, key=lambda pair: pair[0])]
