"""Statements several articles make: sentences aligned across articles.

Two sentences of different articles align when they share at least
``MIN_SHARED`` content lemmas and their similarity reaches
``MIN_SIMILARITY``. The groups offered to the model as candidate
agreements are those first; only when fewer than the budget's number align
do groups at the lower ``CANDIDATE_SIMILARITY`` fill the rest (articles of
one topic that report different events share few statements). Either way,
what the model writes is kept only where two or more articles support it
each on their own (``compose``). The similarity is the mean of two cosines: of their
content lemmas, each weighted by how rare it is across the story's articles
(a word every article uses says little about which statement it is), and
of their wordllama sentence vectors (which see "pledged" near "promised").
Measured by ``bench/alignment.py`` on MRPC's labelled news sentence pairs
(AUC 0.74 for the mean, 0.74 lexical, 0.72 vector) and on unrelated
articles (CNN/DM: 20 sentence pairs of 435 article pairs reach 0.3, 1 reaches 0.4). A group is one sentence and,
from each other article, the sentence that aligns best with it; the more
articles a group spans, the more central its statement.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from summarizer.synthesis.material import ArticleSentence, Material

MIN_SIMILARITY = 0.4
CANDIDATE_SIMILARITY = 0.3
MIN_SHARED = 2
NEAR_REPEAT = 0.6  # a group whose seed is this close to a chosen one's says the same again
LEAD_POSITIONS = 3  # sentences this early in their article get a small centrality bonus


@dataclass(frozen=True)
class AlignedGroup:
    """Sentences of different articles that report the same thing; the seed first."""

    sentences: tuple[ArticleSentence, ...]
    similarity: float

    @property
    def article_ids(self) -> list[str]:
        """The articles the group spans, in its order."""
        return list(dict.fromkeys(sentence.article_id for sentence in self.sentences))

    @property
    def seed(self) -> ArticleSentence:
        """The sentence the group was built around (the most representative)."""
        return self.sentences[0]

    @property
    def centrality(self) -> tuple[int, float]:
        """More articles first; then closer agreement, and statements from articles' leads."""
        lead = sum(1 for sentence in self.sentences if sentence.position < LEAD_POSITIONS) / len(self.sentences)
        return (len(self.article_ids), round(self.similarity + 0.1 * lead, 4))


class Similarity:
    """How alike two sentences of one story are: rarity-weighted lemma cosine and vector cosine, averaged."""

    def __init__(self, material: Material) -> None:
        articles = len(material.article_ids) or 1
        frequency: Counter[str] = Counter()
        for article_id in material.article_ids:
            frequency.update({lemma for s in material.of(article_id) for lemma in s.features.lemmas})
        self._idf = {lemma: math.log((1 + articles) / (1 + count)) + 1 for lemma, count in frequency.items()}
        self._norms: dict[int, float] = {}
        self._cosines = material.vectors @ material.vectors.T if len(material.sentences) else None

    def weight(self, lemma: str) -> float:
        """How much a shared lemma counts: more for a rarer one."""
        return self._idf.get(lemma, 1.0)

    def _norm(self, sentence: ArticleSentence) -> float:
        if sentence.index not in self._norms:
            self._norms[sentence.index] = math.sqrt(sum(self.weight(w) ** 2 for w in sentence.features.lemmas)) or 1.0
        return self._norms[sentence.index]

    def lexical(self, a: ArticleSentence, b: ArticleSentence) -> float:
        """Cosine of the two sentences' content lemmas, weighted by rarity."""
        shared = a.features.lemmas & b.features.lemmas
        if not shared:
            return 0.0
        return sum(self.weight(w) ** 2 for w in shared) / (self._norm(a) * self._norm(b))

    def vector(self, a: ArticleSentence, b: ArticleSentence) -> float:
        """Cosine of the two sentences' wordllama vectors."""
        return float(self._cosines[a.index, b.index]) if self._cosines is not None else 0.0

    def __call__(self, a: ArticleSentence, b: ArticleSentence) -> float:
        """The mean of the lexical and the vector cosine."""
        return (self.lexical(a, b) + self.vector(a, b)) / 2

    def aligned(self, a: ArticleSentence, b: ArticleSentence, minimum: float = MIN_SIMILARITY) -> float:
        """Their similarity if the two align (different articles, enough shared, at least ``minimum``), else 0."""
        if a.article_id == b.article_id or len(a.features.lemmas & b.features.lemmas) < MIN_SHARED:
            return 0.0
        score = self(a, b)
        return score if score >= minimum else 0.0


Members = list[tuple[float, ArticleSentence]]


def _best_members(material: Material, similarity: Similarity, minimum: float) -> list[tuple[ArticleSentence, Members]]:
    """Each sentence with, from every other article, its best-aligned sentence and their score (``minimum`` or more)."""
    seeded: list[tuple[ArticleSentence, Members]] = []
    by_article = {article_id: material.of(article_id) for article_id in material.article_ids}
    for seed in material.sentences:
        members: Members = []
        for article_id, sentences in by_article.items():
            if article_id == seed.article_id:
                continue
            score, best = max(
                ((similarity.aligned(seed, other, minimum), other) for other in sentences), key=itemgetter(0), default=(0.0, None)
            )
            if best is not None and score > 0:
                members.append((score, best))
        seeded.append((seed, members))
    return seeded


def _groups(seeded: Sequence[tuple[ArticleSentence, Members]], minimum: float) -> list[AlignedGroup]:
    """The groups whose members align with their seed at ``minimum`` or more, most central first.

    A sentence's best match in another article does not depend on the
    threshold, so groups at a higher one are those at a lower one with the
    weaker members left out.
    """
    groups: list[AlignedGroup] = []
    for seed, members in seeded:
        kept = [(score, member) for score, member in members if score >= minimum]
        if kept:
            sentences = (seed, *(member for _, member in kept))
            groups.append(AlignedGroup(sentences, sum(score for score, _ in kept) / len(kept)))
    groups.sort(key=lambda group: group.centrality, reverse=True)
    return groups


def aligned_groups(material: Material, similarity: Similarity, minimum: float = MIN_SIMILARITY) -> list[AlignedGroup]:
    """Every group of two or more articles whose sentences align at ``minimum`` or more, most central first."""
    return _groups(_best_members(material, similarity, minimum), minimum)


def choose_groups(groups: Sequence[AlignedGroup], limit: int, similarity: Similarity) -> list[AlignedGroup]:
    """The most central groups that say different things: no sentence used twice, no near-repeat."""
    chosen: list[AlignedGroup] = []
    used: set[tuple[str, int]] = set()
    for group in groups:
        if len(chosen) >= limit:
            break
        if any(sentence.ref in used for sentence in group.sentences):
            continue
        if any(similarity(group.seed, other.seed) >= NEAR_REPEAT for other in chosen):
            continue
        chosen.append(group)
        used.update(sentence.ref for sentence in group.sentences)
    return chosen


def candidate_groups(material: Material, similarity: Similarity, limit: int) -> list[AlignedGroup]:
    """Up to ``limit`` groups for the model: those aligned at ``MIN_SIMILARITY``, then looser ones if room is left."""
    seeded = _best_members(material, similarity, CANDIDATE_SIMILARITY)  # every pair scored once, for both thresholds
    chosen = choose_groups(_groups(seeded, MIN_SIMILARITY), limit, similarity)
    if len(chosen) < limit:
        chosen = choose_groups([*chosen, *_groups(seeded, CANDIDATE_SIMILARITY)], limit, similarity)
    return chosen


def article_leads(material: Material, groups: Sequence[AlignedGroup]) -> list[ArticleSentence]:
    """The first sentence of each article (unless a chosen group holds it), so every article is represented."""
    in_groups = {sentence.ref for group in groups for sentence in group.sentences}
    return [sentence for sentence in material.first_sentences() if sentence.ref not in in_groups]
