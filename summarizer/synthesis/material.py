"""The sentences a synthesis works from: each article's own sentences (boilerplate and injections left out), parsed.

With the article at hand, its first ``MAX_SENTENCES_PER_ARTICLE`` sentences
(news puts what matters first) plus every sentence its brief chose as a key
point; headings, captions (no closing punctuation) and fragments are left
out. Without the article, the brief's key points alone. Numbers are the
article's sentence numbers, as the brief cites them, so every citation is
checkable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from summarizer.brief.schema import ArticleBrief
from summarizer.inputs.article import Article
from summarizer.nlp.embeddings import sentence_vectors
from summarizer.nlp.features import SentenceFeatures, sentence_features
from summarizer.synthesis.schema import Citation, Claim
from summarizer.text.injection import instruction_like
from summarizer.text.sentences import closes_sentence

MAX_SENTENCES_PER_ARTICLE = 30
MIN_WORDS = 6  # shorter lines are captions, bylines or fragments


@dataclass(frozen=True)
class ArticleSentence:
    """One sentence of one article, with what code reads off it."""

    article_id: str
    number: int
    position: int
    index: int
    text: str
    features: SentenceFeatures
    key_point: bool = False

    @property
    def ref(self) -> tuple[str, int]:
        """(article id, sentence number): the sentence's identity."""
        return (self.article_id, self.number)

    def citation(self) -> Citation:
        """The sentence as a citation: its article, number and verbatim text."""
        return Citation(article_id=self.article_id, sentence=self.number, evidence=self.text)


def cited_claim(text: str, sentences: Sequence[ArticleSentence]) -> Claim:
    """A claim citing ``sentences``, each once, in order."""
    return Claim(text=text, citations=[sentence.citation() for sentence in dict.fromkeys(sentences)])


@dataclass(frozen=True)
class Material:
    """Every article's sentences, in article order, and each article's publication date."""

    sentences: list[ArticleSentence]
    vectors: np.ndarray
    article_ids: list[str]
    published: dict[str, dt.date | None]
    published_from: dict[str, str | None]

    def of(self, article_id: str) -> list[ArticleSentence]:
        """The sentences of one article, in order."""
        return [sentence for sentence in self.sentences if sentence.article_id == article_id]

    def first_sentences(self) -> list[ArticleSentence]:
        """Each article's first sentence, in article order (articles with none left out)."""
        firsts = [self.of(article_id) for article_id in self.article_ids]
        return [sentences[0] for sentences in firsts if sentences]


def gather_material(briefs: Sequence[ArticleBrief], articles: Sequence[Article] = ()) -> Material:
    """The sentences of every briefed article, parsed once in one batch."""
    by_id = {article.id: article for article in articles}
    chosen: list[tuple[str, int, str, bool]] = []
    for brief in briefs:
        key_numbers = {point.sentence for point in brief.key_points}
        article = by_id.get(brief.article_id)
        if article is None:
            chosen.extend((brief.article_id, point.sentence, point.evidence, True) for point in brief.key_points)
            continue
        kept = 0
        for number, sentence in enumerate(article.sentences, start=1):
            usable = (
                len(sentence.text.split()) >= MIN_WORDS
                and closes_sentence(sentence.text)  # a line without a full stop is a heading or caption
                and not instruction_like(sentence.text)
            )
            if usable and (number in key_numbers or kept < MAX_SENTENCES_PER_ARTICLE):
                chosen.append((brief.article_id, number, sentence.text, number in key_numbers))
                kept += usable
    features = sentence_features([text for _, _, text, _ in chosen])
    sentences: list[ArticleSentence] = []
    positions: dict[str, int] = {}
    for (article_id, number, text, key_point), feature in zip(chosen, features, strict=True):
        position = positions.get(article_id, 0)
        positions[article_id] = position + 1
        sentences.append(ArticleSentence(article_id, number, position, len(sentences), text, feature, key_point))
    article_ids = [brief.article_id for brief in briefs]
    return Material(
        sentences=sentences,
        vectors=sentence_vectors([sentence.text for sentence in sentences]),
        article_ids=article_ids,
        published={a: by_id[a].published if a in by_id else None for a in article_ids},
        published_from={a: by_id[a].published_from if a in by_id else None for a in article_ids},
    )
