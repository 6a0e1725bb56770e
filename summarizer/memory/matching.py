"""Today's stories matched to the stories of earlier days: shared articles first, then closeness of their signatures.

A story keeps its id while it goes on. Two earlier stories that today's
story joins keep the older id (the other is recorded as merged into it); an
earlier story that today splits goes on in its larger part, and the rest
start new stories. Scores are computed a block of today's stories at a time
against the remembered ones, so matching grows with today x remembered
stories, never with the square of the stored articles.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse

from summarizer.memory.signature import Signature, term_matrix, vector_matrix

MATCH_THRESHOLD = 0.40
TERM_WEIGHT = 0.3
BLOCK_ROWS = 256


@dataclass(frozen=True)
class EarlierStory:
    """A remembered story as matching sees it: its id, the first day it was shown, its latest signature."""

    id: str
    first_seen: str
    signature: Signature


@dataclass(frozen=True)
class TodayStory:
    """One of today's stories: its size, its signature, and the remembered stories sharing an article with it."""

    size: int
    signature: Signature
    sharing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    """What today's story continues (None: a new story), how it was found, and the earlier stories it merges."""

    story_id: str | None
    by: str = ""
    score: float = 0.0
    merged: tuple[str, ...] = field(default_factory=tuple)


def _weighted(terms: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    weighted = terms @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ weighted


def score_blocks(today: Sequence[Signature], earlier: Sequence[Signature]) -> Iterator[tuple[int, np.ndarray]]:
    """Scores of ``today`` (rows) against ``earlier`` (columns), ``BLOCK_ROWS`` rows at a time, with each block's first row.

    The score weighs the cosine of lead vectors and the cosine of log term
    counts times inverse document frequency, the documents being every story
    compared (today's and the remembered).
    """
    earlier_terms, today_terms = term_matrix(earlier), term_matrix(today)
    document_frequency = np.zeros(earlier_terms.shape[1], dtype=np.float64)
    for matrix in (earlier_terms, today_terms):
        document_frequency += np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = (np.log((1.0 + len(earlier) + len(today)) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
    terms = _weighted(earlier_terms, idf).T.tocsc()
    today_terms = _weighted(today_terms, idf).tocsr()
    vectors, today_vectors = vector_matrix(earlier), vector_matrix(today)
    for start in range(0, len(today), BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, len(today))
        scores = (today_vectors[start:stop] @ vectors.T) * (1.0 - TERM_WEIGHT)
        scores += (today_terms[start:stop] @ terms).toarray() * TERM_WEIGHT
        yield start, scores


def best_matches(today: Sequence[Signature], earlier: Sequence[Signature]) -> list[tuple[int, float]]:
    """For each of ``today``, the position of the closest of ``earlier`` and its score (-1, 0.0 when none)."""
    if not today or not earlier:
        return [(-1, 0.0)] * len(today)
    found: list[tuple[int, float]] = []
    for _, scores in score_blocks(today, earlier):
        best = np.argmax(scores, axis=1)
        found.extend((int(column), float(scores[row, column])) for row, column in enumerate(best))
    return found


def match_stories(
    today: Sequence[TodayStory], earlier: Sequence[EarlierStory], threshold: float = MATCH_THRESHOLD
) -> list[Match]:
    """One ``Match`` per story of ``today`` (same order)."""
    by_id = {story.id: story for story in earlier}
    closest = best_matches([story.signature for story in today], [story.signature for story in earlier])
    claims: list[Match] = []
    for story, (position, score) in zip(today, closest, strict=True):
        sharing = sorted((by_id[i] for i in story.sharing if i in by_id), key=lambda s: (s.first_seen, s.id))
        if sharing:
            kept, *merged = sharing
            claims.append(Match(kept.id, "shared articles", 1.0, tuple(s.id for s in merged)))
        elif position >= 0 and score >= threshold:
            claims.append(Match(earlier[position].id, "similar text", round(score, 3)))
        else:
            claims.append(Match(None))
    return _one_heir_each(today, claims)


def _one_heir_each(today: Sequence[TodayStory], claims: list[Match]) -> list[Match]:
    """An earlier story claimed by several of today's goes on in the largest (then the surest, then the first)."""
    heirs: dict[str, int] = {}
    for number, claim in enumerate(claims):
        if claim.story_id is None:
            continue
        held = heirs.get(claim.story_id)
        if held is None or _rank(today[number], claim) > _rank(today[held], claims[held]):
            heirs[claim.story_id] = number
    resolved = []
    for number, claim in enumerate(claims):
        if claim.story_id is not None and heirs[claim.story_id] != number:
            resolved.append(Match(None, f"split from {claim.story_id}"))
        else:  # an earlier story that goes on by itself today is not merged into another
            resolved.append(replace(claim, merged=tuple(i for i in claim.merged if i not in heirs)))
    return resolved


def _rank(story: TodayStory, claim: Match) -> tuple[int, float]:
    return (story.size, claim.score)
