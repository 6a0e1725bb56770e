"""Actors, by code: the people, organizations and countries that act in the story, with what they did or said.

Names and speakers come from the briefs, where code found them (the
parse), so nothing here is the model's. A name is an actor when it acts in
an article sentence: it is the subject of a verb, or the one "by" whom
something was done (``SentenceFeatures.agents``). That leaves out what the
articles only mention (a railway station, a time of day, a town where
something happened). Actors are ranked by how many articles make them act,
then how many name them. Each comes with what it did, the verb phrase of
its first such sentence (cut by the parse, never mid-word), and what it
is quoted saying. A short form joins a fuller one ("Bush" of "George W.
Bush").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.brief.schema import ArticleBrief
from summarizer.checks.passage import ArticlePassage
from summarizer.nlp.pipeline import PARSING, load_pipeline
from summarizer.synthesis.schema import Actor, ActorPosition, Citation
from summarizer.text.matching import occurs_in

MAX_ACTORS = 6
MAX_POSITIONS = 2
ACTOR_TYPES = ("person", "organization", "location")  # a location acts as a country or government does
MAX_PHRASE_WORDS = 16  # a verb phrase longer than this is cut back to the verb and its object


def _same_actor(a: str, b: str) -> bool:
    return occurs_in(a, b) or occurs_in(b, a)


@dataclass
class _Candidate:
    name: str
    named_in: list[str] = field(default_factory=list)
    acts_in: list[str] = field(default_factory=list)
    acting: list[tuple[ArticlePassage, str]] = field(default_factory=list)  # (sentence, verb)


def _candidates(briefs: Sequence[ArticleBrief]) -> list[_Candidate]:
    named: dict[str, _Candidate] = {}
    for brief in briefs:
        names = [entity.name for entity in brief.entities if entity.type in ACTOR_TYPES]
        names += [quote.speaker for quote in brief.quotes if quote.speaker]
        for name in dict.fromkeys(names):
            key = next((known for known in named if _same_actor(known, name)), None)
            if key is None:
                named[name] = _Candidate(name, [brief.article_id])
                continue
            if len(name) > len(key):
                named[name] = named.pop(key)
                named[name].name = name
                key = name
            if brief.article_id not in named[key].named_in:
                named[key].named_in.append(brief.article_id)
    return list(named.values())


def find_actors(briefs: Sequence[ArticleBrief], passages: Sequence[ArticlePassage] = ()) -> list[Actor]:
    """Who acts in the story: named in two or more articles (one, for one article) and acting in one, most active first.

    ``passages``: the story's article sentences. Without them (a synthesis
    of briefs alone) a name counts as acting when it is quoted.
    """
    candidates = _candidates(briefs)
    for passage in passages:
        for agent in passage.features.agents:
            for candidate in candidates:
                if any(_same_actor(candidate.name, name) for name in agent.names):
                    if passage.article_id not in candidate.acts_in:
                        candidate.acts_in.append(passage.article_id)
                    candidate.acting.append((passage, agent.verb))
    needed = 2 if len(briefs) > 1 else 1
    quoted = {quote.speaker for brief in briefs for quote in brief.quotes if quote.speaker}
    actors_found = [
        candidate
        for candidate in candidates
        if len(candidate.named_in) >= needed and (_did(candidate) or any(_same_actor(candidate.name, s) for s in quoted))
    ]
    actors_found.sort(key=lambda c: (-len(c.acts_in), -len(c.named_in)))
    actors = []
    for candidate in actors_found[:MAX_ACTORS]:
        positions = _did(candidate) + [
            ActorPosition(
                text=f"“{quote.text}”",
                citations=[Citation(article_id=brief.article_id, sentence=quote.sentence, evidence=quote.text)],
            )
            for brief in briefs
            for quote in brief.quotes
            if quote.speaker and _same_actor(quote.speaker, candidate.name)
        ]
        actors.append(Actor(name=candidate.name, article_ids=candidate.named_in, positions=positions[:MAX_POSITIONS]))
    return actors


def _did(candidate: _Candidate) -> list[ActorPosition]:
    """What the actor did: the verb phrase of the first sentence that makes it act, cited."""
    for passage, verb in candidate.acting:
        phrase = verb_phrase(passage.text, verb, candidate.name)
        if phrase:
            citation = Citation(article_id=passage.article_id, sentence=passage.number, evidence=passage.text)
            return [ActorPosition(text=phrase, citations=[citation])]
    return []


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
