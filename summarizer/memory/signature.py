"""What a story is about, in a form that outlives its day: the sum of its lead vectors and its most frequent hashed terms.

Stored with each day of a story, summed over every day it appeared (a story
is compared as a whole, not as its latest day), so tomorrow's stories can be
compared to it without re-reading any earlier article. Terms are kept as
log counts; matching weighs them by how rare they are among the stories
compared (``matching``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from summarizer.files import content_hash
from summarizer.inputs.article import Article
from summarizer.nlp.embeddings import sentence_vectors
from summarizer.stories.documents import document_of

HASHED_TERMS = 2**20
KEPT_TERMS = 100
VECTOR_SIZE = 256
_HASHER = HashingVectorizer(n_features=HASHED_TERMS, stop_words="english", alternate_sign=False, norm=None, dtype=np.float32)


@dataclass(frozen=True)
class Signature:
    """The sum of a story's lead vectors (``VECTOR_SIZE`` floats) and its ``KEPT_TERMS`` most frequent hashed terms' counts."""

    vector: np.ndarray
    terms: dict[int, float]

    def vector_bytes(self) -> bytes:
        """The centroid as stored."""
        return np.asarray(self.vector, dtype=np.float32).tobytes()

    @classmethod
    def stored(cls, vector: bytes, terms: Sequence[Sequence[float]]) -> Signature:
        """A signature read back from the memory."""
        return cls(np.frombuffer(vector, dtype=np.float32), {int(term): float(weight) for term, weight in terms})


def article_key(article: Article) -> str:
    """The article's content, hashed: the same text under another address or name is the same article."""
    return content_hash(" ".join(article.text.split()), length=24)


def signatures_of(stories: Sequence[Sequence[Article]]) -> list[Signature]:
    """One signature per story: the sum of its articles' lead vectors and its articles' term counts."""
    documents = [[document_of(article) for article in articles] for articles in stories]
    leads = sentence_vectors([document.lead for story in documents for document in story])
    counts = _HASHER.transform([document.text for story in documents for document in story]).tocsr()
    found, row = [], 0
    for story in documents:
        size = len(story)
        terms = counts[row : row + size].sum(axis=0).A1 if size else np.zeros(0)
        found.append(Signature(leads[row : row + size].sum(axis=0), _strongest(terms)))
        row += size
    return found


def combined(earlier: Signature, later: Signature) -> Signature:
    """A story's signature after another day: vectors and counts added, the most frequent terms kept."""
    counts = dict(earlier.terms)
    for term, count in later.terms.items():
        counts[term] = counts.get(term, 0.0) + count
    strongest = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:KEPT_TERMS]
    return Signature(np.asarray(earlier.vector) + np.asarray(later.vector), dict(strongest))


def _strongest(counts: np.ndarray) -> dict[int, float]:
    present = np.flatnonzero(counts)
    keep = present[np.argsort(-counts[present], kind="stable")[:KEPT_TERMS]]
    return {int(term): float(counts[term]) for term in keep}


def term_matrix(signatures: Sequence[Signature]) -> sparse.csr_matrix:
    """The signatures' log term counts as rows of one sparse matrix."""
    rows = [row for row, signature in enumerate(signatures) for _ in signature.terms]
    columns = [term for signature in signatures for term in signature.terms]
    values = np.log1p([count for signature in signatures for count in signature.terms.values()])
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(signatures), HASHED_TERMS), dtype=np.float32)


def vector_matrix(signatures: Sequence[Signature]) -> np.ndarray:
    """The signatures' lead vectors as unit-length rows."""
    if not signatures:
        return np.zeros((0, VECTOR_SIZE), dtype=np.float32)
    rows = np.vstack([np.asarray(signature.vector, dtype=np.float32) for signature in signatures])
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)
