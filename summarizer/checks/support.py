"""Code cites what the model wrote: the passages that support a claim are found, never taken from the model.

A claim is supported by a set of the sentences the model was shown when
every number it writes (in digits, or a count from two to twelve in words)
is written in one of them (either way), every name it writes is
named in one of them, together they hold at least ``MIN_COVERAGE`` of its
content lemmas, each of its clauses (a verb with its arguments) is said by
one of them, and every name it makes act (a subject, or "by" whom) acts in
one of them too. The supporting sentences are chosen greedily, each
adding at least ``MIN_CONTRIBUTION`` new lemmas (a name or number counts
double). Those sentences are the claim's citations, whatever numbers the
model wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from summarizer.checks.passage import Passage
from summarizer.nlp.features import REPORTING_LEMMAS, SentenceFeatures
from summarizer.nlp.quantities import CASUALTY_CLASSES, quantity_of
from summarizer.text.matching import number_occurs, numbers_in, occurs_in

P = TypeVar("P", bound=Passage)

NO_CONTENT = "it has no content words to check"
MISSING_NUMBER = "the number "  # how a refusal for a number the passages do not write begins
JOINED = "no one sentence says what "  # how a refusal for a clause whose words come from several sentences begins
MIN_COVERAGE = 0.6
MIN_CONTRIBUTION = 2
MAX_CITATIONS = 4


@dataclass(frozen=True)
class Support(Generic[P]):
    """The passages that support a claim, or why none do."""

    sentences: tuple[P, ...]
    problem: str | None = None

    @property
    def article_ids(self) -> list[str]:
        """The supporting articles, each once, in order."""
        return list(dict.fromkeys(sentence.article_id for sentence in self.sentences))


COUNT_WORDS = {
    word: str(value)
    for value, word in enumerate(
        ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], start=2
    )
}  # "one" is left out: "one of the", "no one" seldom count anything
_COUNT_WORD = re.compile(r"\b(" + "|".join(COUNT_WORDS) + r")\b", re.IGNORECASE)


def _counts_in_words(text: str) -> list[tuple[str, str]]:
    """The small counts ``text`` writes in words, each with its digits ("Two tourists" -> ("Two", "2"))."""
    return [(match.group(1), COUNT_WORDS[match.group(1).casefold()]) for match in _COUNT_WORD.finditer(text)]


def _misattached(claim: SentenceFeatures, pool: Sequence[P]) -> str | None:
    """Why a casualty figure of the claim counts something else in the sentences, or None.

    "80,000 people died" where the article's 80,000 are missing: the number
    is written, but of other people. Only counts of casualties are compared
    (deaths, injured, missing, homeless, displaced, evacuated): refused when
    no mention of that value in the sentences counts what the claim's does
    and one counts another casualty.
    """
    for number in claim.numbers:
        wanted = quantity_of(number)
        if wanted not in CASUALTY_CLASSES:
            continue
        theirs = {quantity_of(other) for sentence in pool for other in sentence.features.numbers if other.value == number.value}
        if wanted not in theirs and theirs & CASUALTY_CLASSES:
            return f"the number {number.phrase} counts {' and '.join(sorted(theirs))} in the article, not {wanted}"
    return None


def _missing_name(claim: SentenceFeatures, pool: Sequence[P]) -> str | None:
    for name in sorted(claim.names):
        if not any(occurs_in(name, sentence.text) or name in sentence.features.names for sentence in pool):
            return name
    return None


def find_support(claim_text: str, claim: SentenceFeatures, pool: Sequence[P], min_coverage: float = MIN_COVERAGE) -> Support[P]:
    """The sentences of ``pool`` that together support ``claim_text``, or the reason it is unsupported."""
    for number in numbers_in(claim_text):
        if not any(number_occurs(number, sentence.text) for sentence in pool):
            return Support((), f"{MISSING_NUMBER}{number} is in none of the sentences it was given")
    for word, value in _counts_in_words(claim_text):
        if not any(occurs_in(word, sentence.text) or number_occurs(value, sentence.text) for sentence in pool):
            return Support((), f"{MISSING_NUMBER}'{word}' is in none of the sentences it was given")
    misattached = _misattached(claim, pool)
    if misattached is not None:
        return Support((), misattached)
    missing = _missing_name(claim, pool)
    if missing is not None:
        return Support((), f"'{missing}' is named in none of the sentences it was given")
    wanted = set(claim.lemmas)
    if not wanted:
        return Support((), NO_CONTENT)
    digits = {lemma for lemma in wanted if lemma[:1].isdigit()}
    covered: set[str] = set()
    chosen: list[P] = []
    while len(chosen) < MAX_CITATIONS:
        open_lemmas = wanted - covered
        taken = {sentence.index for sentence in chosen}
        gains = {
            sentence.index: _gain(sentence, open_lemmas, digits, claim.names) for sentence in pool if sentence.index not in taken
        }
        best = max((s for s in pool if s.index in gains), key=lambda s: gains[s.index], default=None)
        if best is None or gains[best.index] < MIN_CONTRIBUTION:
            break
        chosen.append(best)
        covered |= wanted & best.features.lemmas
    coverage = len(covered) / len(wanted)
    if coverage < min_coverage:
        return Support(tuple(chosen), f"only {coverage:.0%} of its words are in the sentences it was given")
    written = {lemma for sentence in chosen for lemma in sentence.features.lemmas}
    # Who acts and the opposite said come first: they refuse a sentence whatever else is true of it, where a
    # clause joined from two sentences is a fusion a faithful summary makes too (``check_summary``: uncertain).
    actor = _misplaced_actor(claim, chosen, written)
    if actor is not None:
        names, verb = actor
        return Support(tuple(chosen), f"who acts is changed: in the sentences that support it, {names} do not '{verb}'")
    flipped = _flipped(claim, chosen)
    if flipped is not None:
        return Support(tuple(chosen), flipped)
    clause = _split_clause(claim, chosen, written)
    if clause is not None:
        return Support(tuple(chosen), f"{JOINED}'{clause}' does in it: it joins words from different ones")
    return Support(tuple(chosen))


def _flipped(claim: SentenceFeatures, chosen: Sequence[P]) -> str | None:
    """Why the claim says the opposite of its supporting sentences, or None.

    A clause of the claim whose verb every supporting sentence writes only
    denied ("Beijing agreed to talks" where the article says Beijing
    "remains unwilling to engage in talks" or "declined"), or only affirmed
    where the claim denies it. A verb the sentences write both ways, or not
    at all, decides nothing.
    """
    for clause in claim.clauses:
        theirs = [other.negated for sentence in chosen for other in sentence.features.clauses if other.verb == clause.verb]
        if theirs and all(denied != clause.negated for denied in theirs):
            said = "denies" if theirs[0] else "affirms"
            return f"it says the opposite: the article {said} '{clause.verb}'"
    return None


MIN_CLAUSE_LEMMAS = 3  # a shorter clause says too little to need one source


def _split_clause(claim: SentenceFeatures, chosen: Sequence[P], written: set[str]) -> str | None:
    """The verb of a clause of the claim that no one supporting sentence holds, or None.

    A sentence holds a clause when it writes the clause's verb (unless no
    supporting sentence does: the model chose another word) and
    ``MIN_COVERAGE`` of its words. "The US and Japan have agreed to
    participate in defense-related dialogue with China" joins one
    sentence's "participate" to another's "dialogue": each word is found,
    but no sentence says it. ``written``: every lemma of the supporting sentences.
    """
    for clause in claim.clauses:
        if len(clause.lemmas) < MIN_CLAUSE_LEMMAS:
            continue
        needs_verb = clause.verb in written
        if not any(
            (clause.verb in sentence.features.lemmas or not needs_verb)
            and len(clause.lemmas & sentence.features.lemmas) >= MIN_COVERAGE * len(clause.lemmas)
            for sentence in chosen
        ):
            return clause.verb
    return None


def _misplaced_actor(claim: SentenceFeatures, chosen: Sequence[P], written: set[str]) -> tuple[str, str] | None:
    """Names the claim makes act where its supporting sentences name someone else acting: (names, verb), or None.

    Lemmas and names can all be found while who did what is swapped ("The
    British navy captured 15 sailors" from "Iranian forces captured 15
    British sailors") or joined ("The US and Japan condemned ..." from "The
    U.S. condemned ..."). The actors compared are those of the same verb,
    or of any verb when no supporting sentence writes the claim's (the
    model chose another word); where the sentences name nobody acting,
    there is nothing to contradict. ``written``: every lemma of the supporting sentences.
    """
    for wanted in claim.agents:
        acting = [
            agent
            for sentence in chosen
            for agent in sentence.features.agents
            if agent.verb == wanted.verb or wanted.verb not in written
        ]
        if acting and not any(_names_within(wanted.names, agent.names) for agent in acting):
            return " and ".join(sorted(wanted.names)), wanted.verb
    return None


# Names written two ways for one actor (as folded by ``nlp.features``): abbreviations of countries and unions.
ALIASES = {
    "us": "united states", "usa": "united states", "america": "united states", "uk": "united kingdom",
    "britain": "united kingdom", "great britain": "united kingdom", "un": "united nations", "eu": "european union",
    "uae": "united arab emirates", "ussr": "soviet union", "dprk": "north korea", "rok": "south korea",
}  # fmt: skip


def _canonical(name: str) -> set[str]:
    return set(ALIASES.get(name.removeprefix("the "), name).split())


def _names_within(wanted: frozenset[str], acting: frozenset[str]) -> bool:
    """Whether every wanted name is one of the acting names (or part of one, or they part of it); "US" is "United States"."""
    return all(
        any(_canonical(name) <= _canonical(other) or _canonical(other) <= _canonical(name) for other in acting) for name in wanted
    )


def _gain(sentence: P, open_lemmas: set[str], digits: set[str], names: frozenset[str]) -> int:
    """What a sentence adds: lemmas not yet covered (numbers count double) and the claim's names it writes."""
    new = open_lemmas & sentence.features.lemmas
    return len(new) + len(new & digits) + sum(1 for name in names if name in sentence.features.names)


def holding_sentences(claim_text: str, claim: SentenceFeatures, sentences: Sequence[P]) -> list[P]:
    """The supporting sentences of each article that supports the claim on its own, among ``sentences``.

    Each article's sentences are checked apart (``find_support``): a claim
    merged from two different statements is held by neither article.
    """
    holding: list[P] = []
    for article_id in dict.fromkeys(sentence.article_id for sentence in sentences):
        own = [sentence for sentence in sentences if sentence.article_id == article_id]
        side = find_support(claim_text, claim, own)
        if side.problem is None:
            holding.extend(side.sentences)
    return holding


_ACCORDING_TO = re.compile(r"\baccording to\b|\b(?:said|says|told|claimed|claims|alleged|alleges)\b", re.IGNORECASE)


def speakers_of(features: SentenceFeatures) -> frozenset[str]:
    """The names a sentence gives its statement to: the subjects of its reporting verbs ("Iran said", "police told")."""
    return frozenset(name for agent in features.agents if agent.verb in REPORTING_LEMMAS for name in agent.names)


def made_fact(claim_text: str, claim: SentenceFeatures, sentences: Sequence[P]) -> str | None:
    """Why the claim states as fact what its supporting sentences give as someone's statement, or None.

    "UK forces were in Iranian waters" from "Iran said UK forces were in
    Iranian waters": the supporting sentences all attribute it (a named
    subject of "say", "claim", "tell", ...), the claim attributes nothing.
    A claim that keeps an attribution ("Iran said …", "according to …"),
    or a sentence that says it in its own voice, passes.
    """
    if speakers_of(claim) or _ACCORDING_TO.search(claim_text):
        return None
    holders = [speakers_of(sentence.features) for sentence in sentences]
    if sentences and all(holders):
        who = " and ".join(sorted({shown_name(name) for names in holders for name in names}))
        return f"the articles give it as what {who} said; it is stated as fact"
    return None


def shown_name(name: str) -> str:
    """A folded name as a reader writes it: "iran" -> "Iran", "un" -> "UN"."""
    small = {"of", "and", "the", "for", "de", "al"}
    return " ".join(word if word in small else word.upper() if len(word) <= 3 else word.capitalize() for word in name.split())
