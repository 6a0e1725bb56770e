"""What code reads off one sentence for cross-article work: content lemmas, names, counted numbers, dates.

Each sentence is parsed on its own (``nlp.pipe``), so sentences from briefs
and from whole articles are treated alike. Lemmas let "captured" meet
"capture"; names and numbers are what a paraphrase must keep; a number
carries what it counts (its unit) and the words of its clause, so two
sentences can be found to give different figures for the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.nlp.dating import DateAttachment, attach_dates
from summarizer.nlp.entities import bare_name
from summarizer.nlp.parses import parse_sentences
from summarizer.text.matching import fold

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"})
# Verbs of reporting say who told, not what happened.
REPORTING_LEMMAS = frozenset({"say", "tell", "report", "add", "accord", "state", "note", "claim"})
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mln": 1e6, "bln": 1e9, "bn": 1e9, "m": 1e6}
CURRENCY = {"$": "usd", "us$": "usd", "€": "eur", "£": "gbp", "¥": "jpy"}
_DIGITS = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


@dataclass(frozen=True)
class CountedNumber:
    """A number the sentence gives for something: its value, what it counts, and the words around it."""

    value: float
    phrase: str
    unit: str
    context: frozenset[str]  # lemmas of the words around it (its verb, subject, object, modifiers), names left out
    names: frozenset[str]
    verb: str | None = None  # the lemma of the verb it belongs to ("kill" in "killed 52 people")


@dataclass(frozen=True)
class Agent:
    """Names that act in a sentence (the subject of a verb, or by whom) and the verb's lemma."""

    names: frozenset[str]
    verb: str


@dataclass(frozen=True)
class Clause:
    """One verb and the content lemmas of it and its arguments: who did what to whom, where; and whether it is denied."""

    verb: str
    lemmas: frozenset[str]
    negated: bool = False  # "did not agree", "declined to engage", "remains unwilling to engage"


@dataclass(frozen=True)
class SentenceFeatures:
    """One sentence as code compares it with others."""

    text: str
    lemmas: frozenset[str]
    names: frozenset[str]
    numbers: tuple[CountedNumber, ...]
    dates: tuple[DateAttachment, ...]
    agents: tuple[Agent, ...] = ()  # who acts: names in a subject of one of its verbs, with the verb
    clauses: tuple[Clause, ...] = ()  # per verb: its lemma and the content lemmas of its arguments (nested clauses apart)


def sentence_features(texts: Sequence[str]) -> list[SentenceFeatures]:
    """Features of each text (one sentence each), parsed in one batch."""
    return [_features(doc) for doc in parse_sentences(texts)]


def content_lemmas(doc: Any) -> frozenset[str]:
    """Lower-cased lemmas of the content words (no stop words, reporting verbs or dates)."""
    return frozenset(
        lemma
        for token in doc
        if token.pos_ in CONTENT_POS
        and not token.is_stop
        and token.ent_type_ not in ("DATE", "TIME")
        and (lemma := _lemma(token))
        and len(lemma) > 1
        and lemma not in REPORTING_LEMMAS
    )


def _lemma(token: Any) -> str:
    if _DIGITS.match(token.text):
        return token.text.replace(",", "")
    return str(token.lemma_).casefold().strip(".")


def names_in(doc: Any) -> frozenset[str]:
    """The names (people, organizations, places, groups, laws) the text writes, folded."""
    return frozenset(name for entity in doc.ents if entity.label_ in NAME_LABELS and (name := _name(entity.text)))


# Verbs whose "with" partner acts as much as the subject: "A meets with B" is "A and B meet".
SYMMETRIC_VERBS = frozenset("meet talk negotiate clash fight agree disagree argue collide trade partner ally".split())


def agents_of(doc: Any) -> tuple[Agent, ...]:
    """Who does what in the text: the names inside each subject of a verb (or a passive's "by" phrase), with the verb.

    "Iranian forces captured 15 British sailors" and "15 British sailors were
    captured by Iranian forces" both give ({"iranian"}, "capture"): who acted,
    not who was acted on. A subject of "be" is described, not acting.
    """
    found: list[Agent] = []
    for token in doc:
        if token.dep_ not in ("nsubj", "csubj", "agent"):
            continue
        verb = token.head
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_ == "be":
            continue
        heads = [child for child in token.children if child.dep_ == "pobj"] if token.dep_ == "agent" else [token]
        if _lemma(verb) in SYMMETRIC_VERBS:  # "A meets with B": B meets too, as in "A and B meet"
            heads += [obj for prep in verb.children if prep.lower_ == "with" for obj in prep.children if obj.dep_ == "pobj"]
        span = {t.i for head in heads for t in _phrase(head)}
        names = frozenset(
            name for entity in doc.ents if entity.label_ in NAME_LABELS and entity.start in span and (name := _name(entity.text))
        )
        if names:
            found.append(Agent(names, _lemma(verb)))
    return tuple(found)


CLAUSE_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "attr", "oprd", "acomp", "agent", "prep", "npadvmod"})


def clauses_of(doc: Any) -> tuple[Clause, ...]:
    """For each verb (not "be"), the content lemmas of the verb and of its arguments' phrases.

    One clause says one thing: who did what to whom, where. Its words should
    come from one sentence; a clause whose subject and verb are one
    sentence's and whose object is another's says what neither does.
    """
    found: list[Clause] = []
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_ == "be":
            continue
        tokens = [verb]
        for child in verb.children:
            if child.dep_ in CLAUSE_ARGUMENTS:
                tokens.extend(_phrase(child, keep_prepositions=True))
        lemmas = content_lemmas(tokens)
        if lemmas:
            found.append(Clause(_lemma(verb), lemmas, _denied(verb)))
    return tuple(found)


# Words that deny the verb they govern: "declined to engage", "refused to pay", "remains unwilling to talk".
REFUSAL_LEMMAS = frozenset({"refuse", "decline", "deny", "fail", "reject", "unwilling", "reluctant", "unable", "refusal"})


def _negated_here(token: Any) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def _denied(verb: Any) -> bool:
    """Whether the sentence denies ``verb``: a "not" on it, or a refusal (or a "not") on the word it completes."""
    if _negated_here(verb):
        return True
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp") and head is not verb:
        if head.lemma_.lower() in REFUSAL_LEMMAS or _negated_here(head):
            return True
        if head.dep_ in ("acomp", "xcomp") and head.lemma_.lower() in REFUSAL_LEMMAS:
            return True
    return False


def _phrase(head: Any, keep_prepositions: bool = False) -> list[Any]:
    """A noun phrase without the clauses hung on it, and without its prepositional phrases unless asked.

    ("Iranian forces" of "Iranian forces in the Gulf who ...").
    """
    left_out = ("relcl", "acl", "advcl", "punct", "ccomp", "xcomp") + (() if keep_prepositions else ("prep",))
    tokens = [head]
    for child in head.children:
        if child.dep_ not in left_out:
            tokens.extend(_phrase(child, keep_prepositions))
    return tokens


def _name(text: str) -> str:
    return fold(bare_name(text)).replace(".", "")


def _features(doc: Any) -> SentenceFeatures:
    dates = attach_dates(doc)
    return SentenceFeatures(
        text=doc.text,
        lemmas=content_lemmas(doc),
        names=names_in(doc),
        numbers=tuple(counted_numbers(doc, [(date.start, date.end) for date in dates])),
        dates=tuple(dates),
        agents=agents_of(doc),
        clauses=clauses_of(doc),
    )


def _is_number_token(token: Any) -> bool:
    return bool(_DIGITS.match(token.text)) or (
        token.lower_ in SCALES and token.i > 0 and bool(_DIGITS.match(token.nbor(-1).text))
    )


def counted_numbers(doc: Any, date_spans: Sequence[tuple[int, int]]) -> list[CountedNumber]:
    """Numbers written in digits, with what they count; numbers inside ``date_spans``, times and ordinals are left out."""
    found: list[CountedNumber] = []
    index = 0
    tokens = list(doc)
    while index < len(tokens):
        token = tokens[index]
        in_date = any(start <= token.idx < end for start, end in date_spans)
        if not _DIGITS.match(token.text) or in_date or token.ent_type_ in ("TIME", "ORDINAL"):
            index += 1
            continue
        run = [token]
        while run[-1].i + 1 < len(tokens) and _is_number_token(tokens[run[-1].i + 1]):
            run.append(tokens[run[-1].i + 1])
        index = run[-1].i + 1
        number = _counted(doc, run)
        if number is not None:
            found.append(number)
    return found


def _value(run: list[Any]) -> float | None:
    try:
        value = float(run[0].text.replace(",", ""))
    except ValueError:
        return None
    for token in run[1:]:
        value *= SCALES.get(token.lower_, 1.0)
    return value


def _counted(doc: Any, run: list[Any]) -> CountedNumber | None:
    value = _value(run)
    if value is None:
        return None
    first, last = run[0], run[-1]
    before = doc[first.i - 1] if first.i > 0 else None
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    unit_token = None
    currency_before = before is not None and before.text.casefold() in CURRENCY
    if after is not None and after.text == "-" and not after.whitespace_ and not last.whitespace_:
        return None  # part of a compound word ("12-year-old", "a 10-point plan"): a description, not a count
    if last.head.pos_ in ("NOUN", "PROPN") and last.head.i < first.i and last.dep_ in ("nummod", "appos", "npadvmod"):
        return None  # an identifier ("flight 103", "Resolution 1441"), not a count
    if currency_before and before is not None:
        unit = CURRENCY[before.text.casefold()]
    elif after is not None and after.lower_ in ("%", "percent", "per"):
        unit = "%"
    else:
        unit_token = _counted_noun(run)
        if unit_token is None:
            return None
        unit = _lemma(unit_token)
    holder = _governing_word(unit_token or last)
    context = {unit}
    verb = holder
    while verb is not None:  # the verb and the verbs it depends on, with their subjects: "the toll continues …, passing 80,000"
        context.add(_lemma(verb))
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass", "dobj", "acomp", "oprd") and child.i != (
                unit_token.i if unit_token is not None else -1
            ):  # "… are missing", "remain homeless": what the count is said to be
                context.add(_lemma(child))
                context.update(_lemma(part) for part in child.children if part.dep_ == "compound")
        has_subject = any(child.dep_ in ("nsubj", "nsubjpass") for child in verb.children)
        if has_subject or verb.dep_ not in ("xcomp", "advcl", "conj", "ccomp") or verb.head.i == verb.i:
            break  # a clause with its own subject is about that subject
        verb = verb.head
    if unit_token is not None:
        context.update(_lemma(child) for child in unit_token.children if child.dep_ in ("compound", "amod"))
    context -= REPORTING_LEMMAS | {"be", "have", "do"}
    context -= {_name(entity.text) for entity in doc.ents} | {_lemma(token) for entity in doc.ents for token in entity}
    modifiers = [
        child for token in run for child in token.children if child.dep_ in ("quantmod", "advmod", "amod") and child.i < first.i
    ]
    start = min([first.i, *(child.i for child in modifiers)] + ([before.i] if currency_before and before else []))
    end = max(last.i, unit_token.i if unit_token is not None and unit_token.i - last.i <= 4 else last.i)
    clause = {t.i for t in holder.subtree} if holder is not None else set(range(len(doc)))
    clause_names = frozenset(
        _name(entity.text)
        for entity in doc.ents
        if entity.label_ in NAME_LABELS and entity.start in clause and not (start <= entity.start <= end)
    )
    return CountedNumber(
        value=value,
        phrase=doc[start : end + 1].text,
        unit=unit,
        context=frozenset(context),
        names=clause_names,
        verb=_lemma(holder) if holder is not None else None,
    )


def _counted_noun(run: list[Any]) -> Any | None:
    """The noun a number counts: its head ("52 people"), or the subject of its verb ("the toll rose to 56")."""
    head = run[-1].head
    if head.i not in {t.i for t in run} and head.pos_ in ("NOUN", "PROPN") and head.i > run[-1].i:
        return head
    verb = head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ in ("VERB", "AUX"):
        subject = next((child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ == "NOUN":
            return subject
    return None


def _governing_word(token: Any) -> Any | None:
    """The verb the token's phrase belongs to (its nearest verb ancestor), if any."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return current if current.pos_ in ("VERB", "AUX") else None
