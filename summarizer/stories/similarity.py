"""Which articles are close: TF-IDF over title and body, and wordllama vectors of title and lead.

Candidate pairs come block by block (a few hundred rows at a time) and each
article keeps only its nearest ``neighbours`` above ``floor``, so 10,000
articles never make a 10,000 x 10,000 matrix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from summarizer.nlp.embeddings import sentence_vectors
from summarizer.stories.documents import StoryDocument

BLOCK_ROWS = 256
STRONGEST_TERMS = 40
PAIR_CHUNK = 8192


@dataclass(frozen=True)
class Features:
    """Unit-length rows per article: TF-IDF terms (sparse) and lead embeddings (dense)."""

    terms: sparse.csr_matrix
    leads: np.ndarray

    def __len__(self) -> int:
        return int(self.leads.shape[0])


def features_of(documents: Sequence[StoryDocument]) -> Features:
    """TF-IDF of title and body (English stop words out, sublinear term counts) and a vector of each lead."""
    if not documents:
        return Features(sparse.csr_matrix((0, 0)), np.zeros((0, 256), dtype=np.float32))
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    try:
        terms = vectorizer.fit_transform([document.text for document in documents]).tocsr()
    except ValueError:  # no word left after stop words in any article
        terms = sparse.csr_matrix((len(documents), 1), dtype=np.float32)
    return Features(terms=terms, leads=sentence_vectors([document.lead for document in documents]))


def strongest_terms(terms: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row cut to its ``keep`` heaviest terms: a sparse product of these finds neighbours fast."""
    pruned = terms.copy()
    for row in range(pruned.shape[0]):
        start, stop = pruned.indptr[row], pruned.indptr[row + 1]
        if stop - start > keep:
            values = pruned.data[start:stop]
            values[np.argsort(values)[: stop - start - keep]] = 0
    pruned.eliminate_zeros()
    return pruned


def pair_similarities(features: Features, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact TF-IDF and lead cosines of the pairs (first[k], second[k])."""
    terms = np.asarray(features.terms[first].multiply(features.terms[second]).sum(axis=1)).ravel()
    leads = np.einsum("ij,ij->i", features.leads[first], features.leads[second])
    return terms, leads


def candidate_edges(
    features: Features, weights: tuple[float, float], neighbours: int, floor: float
) -> Iterator[tuple[int, int, tuple[float, float]]]:
    """Pairs (i < j), each with its exact (TF-IDF, lead) cosines, where j is among i's nearest or i among j's.

    Nearness is judged on the lead vectors and each article's
    ``STRONGEST_TERMS`` heaviest terms; a pair is kept when its exact
    weighted score is at least ``floor``.
    """
    count = len(features)
    keep = min(neighbours, count - 1)
    if keep < 1:
        return
    pruned = strongest_terms(features.terms, STRONGEST_TERMS)
    transposed = pruned.T.tocsc()
    found: set[tuple[int, int]] = set()
    for start in range(0, count, BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, count)
        scores = features.leads[start:stop] @ features.leads.T * weights[1]
        scores += (pruned[start:stop] @ transposed).toarray() * weights[0]
        rows = np.arange(stop - start)
        scores[rows, rows + start] = -np.inf
        nearest = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        for row, columns in enumerate(nearest.tolist()):
            i = start + row
            found.update((i, j) if i < j else (j, i) for j in columns)
    if not found:
        return
    ordered = np.array(sorted(found))
    for start in range(0, len(ordered), PAIR_CHUNK):
        pairs = ordered[start : start + PAIR_CHUNK]
        terms, leads = pair_similarities(features, pairs[:, 0], pairs[:, 1])
        scores = weights[0] * terms + weights[1] * leads
        for (i, j), term, lead, score in zip(pairs.tolist(), terms.tolist(), leads.tolist(), scores.tolist(), strict=True):
            if score >= floor:
                yield i, j, (term, lead)
