"""Disagreements found by code: two articles that give different figures for the same thing.

Two numbers are figures for the same thing when their sentences (of
different articles) are about the same statement (similarity at least
``MIN_SIMILARITY``, or ``MIN_SIMILARITY_CLOSE_CONTEXT`` when two words around
the figures match), they count the same unit ("people", "toll", US dollars;
or one's unit is what the other's clause is about: "the toll … passing
80,000 people"),
their verbs agree ("52 people were killed" and "700 people were injured"
do not; a form of "be" agrees with any), the words around them share a
lemma besides the unit and names, and
the names in their clauses do not point at different holders ("Japan
promised 500 million" is not "China promised 60.5 million"). The claim is
written by code, quoting both figures; its citations are the two sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.nlp.features import CountedNumber
from summarizer.synthesis.align import Similarity
from summarizer.synthesis.material import ArticleSentence, Material

MIN_SIMILARITY = 0.3  # lower than alignment: the figures themselves differ, so less of the wording is shared
MIN_SHARED_CONTEXT = 1  # words around both figures, besides the units
CLOSE_CONTEXT = 2  # this many shared words around the figures ...
MIN_SIMILARITY_CLOSE_CONTEXT = 0.2  # ... let less similar sentences count
MAX_DISAGREEMENTS = 5


@dataclass(frozen=True)
class Discrepancy:
    """Two sentences of different articles that give different figures for the same thing."""

    first: ArticleSentence
    second: ArticleSentence
    first_number: CountedNumber
    second_number: CountedNumber
    similarity: float


def _same_thing(a: CountedNumber, b: CountedNumber, similarity: float) -> bool:
    """Whether two figures count the same thing; closer wording around them asks less of the sentences."""
    if a.verb and b.verb and a.verb != b.verb and "be" not in (a.verb, b.verb):
        return False  # "killed 52 people" and "injured 700 people" count different things
    same_unit = a.unit == b.unit or a.unit in b.context or b.unit in a.context
    shared = len((a.context & b.context) - {a.unit, b.unit})
    needed = MIN_SIMILARITY_CLOSE_CONTEXT if shared >= CLOSE_CONTEXT else MIN_SIMILARITY
    if not same_unit or shared < MIN_SHARED_CONTEXT or similarity < needed:
        return False
    return not (a.names and b.names and not a.names & b.names)


def _differ(a: float, b: float) -> bool:
    return abs(a - b) > 0.005 * max(abs(a), abs(b))


def find_discrepancies(material: Material, similarity: Similarity) -> list[Discrepancy]:
    """Figures for the same thing that differ between articles, the closest statements first, one per unit pair."""
    with_numbers = [sentence for sentence in material.sentences if sentence.features.numbers]
    found: list[Discrepancy] = []
    for index, first in enumerate(with_numbers):
        for second in with_numbers[index + 1 :]:
            if first.article_id == second.article_id:
                continue
            score = similarity(first, second)
            if score < MIN_SIMILARITY_CLOSE_CONTEXT:
                continue
            for a in first.features.numbers:
                for b in second.features.numbers:
                    if _same_thing(a, b, score) and _differ(a.value, b.value):
                        found.append(Discrepancy(first, second, a, b, score))
    found.sort(key=lambda item: item.similarity, reverse=True)
    kept: list[Discrepancy] = []
    seen: set[tuple[str, frozenset[float]]] = set()
    for item in found:
        key = (item.first_number.unit, frozenset({item.first_number.value, item.second_number.value}))
        if key not in seen and len(kept) < MAX_DISAGREEMENTS:
            seen.add(key)
            kept.append(item)
    return kept


def describe(item: Discrepancy, material: Material) -> str:
    """The disagreement in words: both figures as written, each with its article (and publication date)."""

    def side(sentence: ArticleSentence, number: CountedNumber) -> str:
        published = material.published.get(sentence.article_id)
        when = f", published {published.isoformat()}" if published else ""
        return f'"{number.phrase}" ({sentence.article_id}{when})'

    return (
        f"The articles give different figures: {side(item.first, item.first_number)} "
        f"against {side(item.second, item.second_number)}."
    )
