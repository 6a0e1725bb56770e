"""Phrases code cuts out of a parsed sentence: its main clause, and what someone does in it (the verb phrase)."""

from __future__ import annotations

import re
from typing import Any

from summarizer.nlp.features import REPORTING_LEMMAS
from summarizer.nlp.pipeline import PARSING, load_pipeline
from summarizer.text.matching import occurs_in

MAX_PHRASE_WORDS = 16  # a verb phrase longer than this is cut back to the verb and its object
_ASIDES = frozenset({"appos", "relcl", "advcl", "parataxis", "acl", "ccomp", "npadvmod", "meta"})


def main_clause(sentence: str) -> str | None:
    """The sentence's main clause: its root verb with its subject and objects, without appositions, relative and
    subordinate clauses, or what is set off by commas or dashes ("More than 25,000 people, a population about the
    size of Key West, have fought Ebola" -> "More than 25,000 people have fought Ebola").
    """
    with PARSING:
        doc = load_pipeline()(sentence)
    root = next((token for token in doc if token.dep_ == "ROOT"), None)
    if root is None or root.lemma_.casefold() in REPORTING_LEMMAS:
        return None  # "…, a senior official said": the news is in what was said, and it must stay attributed
    left_out = {t.i for token in doc if token.dep_ in _ASIDES and token.head.i != token.i for t in token.subtree}
    commas = [t.i for t in doc if t.text == ","]
    for first, second in zip(commas, commas[1:], strict=False):  # ", a population about the size of Key West,"
        between = doc[first + 1 : second]
        if first > 0 and doc[first - 1].pos_ in ("NOUN", "PROPN", "NUM") and not any(t.pos_ in ("VERB", "AUX") for t in between):
            left_out.update(range(first, second + 1))
    for start in sorted(i for i in left_out if i - 1 not in left_out):  # the commas around what was left out go too
        end = start
        while end + 1 in left_out:
            end += 1
        if start > 0 and end + 1 < len(doc) and doc[start - 1].text == "," and doc[end + 1].text == ",":
            left_out.update({start - 1, end + 1})
    kept = [t for t in doc if t.i not in left_out]
    while kept and (kept[-1].is_punct or kept[-1].dep_ in ("cc", "prep")):
        kept.pop()
    text = "".join(t.text + (t.whitespace_ if t.i + 1 < len(doc) and doc[t.i + 1] in kept else " ") for t in kept)
    return re.sub(r"\s+([,;:])", r"\1", re.sub(r"([,;:])(\s*[,;:])+", r"\1", text)).strip(" ,;:") or None


CORE_ARGUMENTS = frozenset({"dobj", "attr", "xcomp", "ccomp", "dative", "prt", "acomp"})
ACTING_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})  # people, organizations, countries (not seas, stations)


def verb_phrase(sentence: str, verb: str, actor: str) -> str | None:
    """What ``actor`` does in ``sentence``: the words of the verb ``verb`` (lemma) whose subject names it as a person,
    organization or country, without the subject ("announced a half-billion dollar donation on Saturday, Jan. 1"),
    or None (the subject is something else, or the phrase is too long to show whole).
    """
    with PARSING:
        doc = load_pipeline()(sentence)
    for token in doc:
        if token.lemma_.casefold() != verb or token.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [child for child in token.children if child.dep_ in ("nsubj", "nsubjpass", "csubj", "agent")]
        span = {t.i for subject in subjects for t in subject.subtree}
        if any(entity.label_ in ACTING_LABELS and entity.start in span and _names(entity, actor) for entity in doc.ents):
            return _phrase(token, subjects)
    return None


def _names(entity: Any, actor: str) -> bool:
    """Whether the entity is the actor: its name or a fuller one, or a person's short name ("Bush"), not a part of
    another name ("U.S." of "U.S. House of Representatives").
    """
    return occurs_in(actor, entity.text) or (entity.label_ == "PERSON" and occurs_in(entity.text, actor))


def _phrase(verb: Any, subjects: list[Any]) -> str | None:
    """The verb with what follows it in its clause: whole when short, else the verb and its object or complement."""
    left_out = {t.i for subject in subjects for t in subject.subtree}
    auxiliaries = [t for t in verb.children if t.dep_ in ("aux", "auxpass", "neg") and t.i < verb.i]
    whole = [t for t in verb.subtree if t.i not in left_out and t.i >= verb.i]
    core = {verb.i} | {
        t.i for child in verb.children if child.dep_ in ("dobj", "attr", "xcomp", "ccomp", "dative") for t in child.subtree
    }
    for tokens in (whole, [t for t in whole if t.i in core]):
        tokens = sorted([*auxiliaries, *tokens], key=lambda t: t.i)
        while tokens and (tokens[-1].is_punct or tokens[-1].dep_ in ("cc", "mark", "prep")):
            tokens.pop()
        if 2 <= len(tokens) <= MAX_PHRASE_WORDS:  # a bare verb ("hosted") says too little
            return _balanced("".join(t.text_with_ws for t in tokens).strip())
    return None


def _balanced(phrase: str) -> str:
    """The phrase with a quotation it opens closed ('proposed dialogue "many times' -> '... "many times"')."""
    return phrase + '"' if phrase.count('"') % 2 else phrase
