"""Exact and near-duplicate articles (the same wire copy on several sites) with datasketch MinHash LSH.

Two articles are copies when the Jaccard similarity of their word 5-shingles
(body sentences only: boilerplate lines and the headline are not compared) is
at least ``threshold``. Editing two sentences of a 500-word article keeps it
near 0.8; two different reports of one event share far less than 0.5, since
five-word runs rarely repeat unless the text was copied.
"""

from __future__ import annotations

import re
import string
import zlib
from collections.abc import Sequence
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from summarizer.stories.documents import StoryDocument

DUPLICATE_THRESHOLD = 0.5
SHINGLE_WORDS = 5
PERMUTATIONS = 128
# Punctuation is not part of a word: "mat," and "mat" are the same word.
_PUNCTUATION_TO_SPACE = str.maketrans({character: " " for character in string.punctuation + "“”‘’—–…«»"})


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The text's runs of ``size`` consecutive words, case-folded (a short text is one shingle)."""
    words = " ".join(text.casefold().translate(_PUNCTUATION_TO_SPACE).split()).encode("utf-8")
    if not words:
        return set()
    starts = [0] + [m.end() for m in re.finditer(rb" ", words)]
    ends = [position - 1 for position in starts[1:]] + [len(words)]
    if len(starts) <= size:
        return {words}
    return {words[starts[i] : ends[i + size - 1]] for i in range(len(starts) - size + 1)}


@lru_cache(maxsize=1)
def _template() -> MinHash:
    """One MinHash whose permutations every signature shares (drawing them is the slow part of a new MinHash)."""
    return MinHash(num_perm=PERMUTATIONS, seed=1, hashfunc=zlib.crc32)


def _signature(text: str) -> MinHash:
    template = _template()
    signature = MinHash(
        num_perm=PERMUTATIONS, seed=1, hashfunc=zlib.crc32, permutations=template.permutations, scheme=template.scheme
    )
    signature.update_batch(list(shingles(text)))
    return signature


class _Components:
    """Union-find over article indices; the representative is the smallest index."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def duplicate_groups(documents: Sequence[StoryDocument], threshold: float = DUPLICATE_THRESHOLD) -> list[list[int]]:
    """Indices of ``documents`` grouped into copies of one text; each group in input order, singletons included.

    Candidates come from LSH buckets; a pair joins only when the estimated
    Jaccard of the two signatures reaches ``threshold`` (LSH alone would also
    pass some pairs below it).
    """
    signatures = [_signature(document.body) for document in documents]
    index = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    components = _Components(len(documents))
    for number, signature in enumerate(signatures):
        if not documents[number].body.strip():
            continue  # an empty body has no text to share
        for other in index.query(signature):
            if signature.jaccard(signatures[other]) >= threshold:
                components.union(number, other)
        index.insert(number, signature)
    groups: dict[int, list[int]] = {}
    for number in range(len(documents)):
        groups.setdefault(components.find(number), []).append(number)
    return list(groups.values())


def kept_copy(group: Sequence[int], documents: Sequence[StoryDocument]) -> int:
    """The copy that stands for its group: the longest body (the most complete text), the earliest on a tie."""
    return max(group, key=lambda number: (len(documents[number].body), -number))
