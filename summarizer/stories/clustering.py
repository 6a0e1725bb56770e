"""Centroid-linkage clustering over a sparse similarity graph.

Each story is the sum of its articles' unit vectors (one per feature:
TF-IDF terms, lead embedding). Two stories merge while the weighted cosine of
their centroids is at least the threshold. A centroid gathers what a story's
articles share ("tsunami", "relief", "aid") and averages away what each says
alone, so a continuing story holds together although many of its article
pairs share little; and every article of both sides counts, so one strong
link between two football reports does not chain two matches together.

The centroid cosines come from pairwise similarities alone:
``S_a·S_b`` is the sum of the similarities between members of ``a`` and
``b``, and ``|S_a|²`` the sum within ``a``. Pairs missing from the graph count
as 0, so memory and time grow with the number of edges, never with all pairs.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence

Similarities = tuple[float, ...]


def _add(a: Similarities, b: Similarities) -> Similarities:
    return tuple(x + y for x, y in zip(a, b, strict=True))


class _Stories:
    def __init__(self, size: int, features: int, weights: Sequence[float]) -> None:
        self.weights = tuple(weights)
        self.members: dict[int, list[int]] = {item: [item] for item in range(size)}
        self.within: dict[int, Similarities] = {item: (1.0,) * features for item in range(size)}
        self.links: dict[int, dict[int, Similarities]] = {item: {} for item in range(size)}

    def score(self, a: int, b: int) -> float:
        cross, within_a, within_b = self.links[a][b], self.within[a], self.within[b]
        total = 0.0
        for weight, ab, aa, bb in zip(self.weights, cross, within_a, within_b, strict=True):
            if aa > 0 and bb > 0:
                total += weight * ab / math.sqrt(aa * bb)
        return total

    def merge(self, a: int, b: int, new: int) -> list[int]:
        """Merge ``a`` and ``b`` into ``new``; returns the neighbours of ``new``."""
        cross = self.links[a][b]
        self.within[new] = _add(_add(self.within.pop(a), self.within.pop(b)), tuple(2 * x for x in cross))
        self.members[new] = self.members.pop(a) + self.members.pop(b)
        links_a, links_b = self.links.pop(a), self.links.pop(b)
        joined: dict[int, Similarities] = {}
        for neighbour in (set(links_a) | set(links_b)) - {a, b}:
            zero = (0.0,) * len(self.weights)
            joined[neighbour] = _add(links_a.get(neighbour, zero), links_b.get(neighbour, zero))
            self.links[neighbour].pop(a, None)
            self.links[neighbour].pop(b, None)
            self.links[neighbour][new] = joined[neighbour]
        self.links[new] = joined
        return list(joined)


def centroid_linkage(
    size: int, edges: Iterable[tuple[int, int, Similarities]], weights: Sequence[float], threshold: float
) -> list[list[int]]:
    """Clusters of ``range(size)`` (each sorted, listed by first member) from edges (i, j, per-feature similarities)."""
    stories = _Stories(size, len(weights), weights)
    for a, b, similarities in edges:
        if a != b:
            stories.links[a][b] = similarities
            stories.links[b][a] = similarities
    heap: list[tuple[float, int, int]] = []
    for a, neighbours in stories.links.items():
        for b in neighbours:
            if a < b and (score := stories.score(a, b)) >= threshold:
                heap.append((-score, a, b))
    heapq.heapify(heap)
    new = size
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in stories.members or b not in stories.members:
            continue  # one side was merged since this pair was queued
        for neighbour in stories.merge(a, b, new):
            if (score := stories.score(new, neighbour)) >= threshold:
                heapq.heappush(heap, (-score, neighbour, new))
        new += 1
    return sorted((sorted(group) for group in stories.members.values()), key=lambda group: group[0])
