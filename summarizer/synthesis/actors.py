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

from summarizer.brief.schema import ArticleBrief
from summarizer.checks.passage import ArticlePassage
from summarizer.nlp.phrases import verb_phrase
from summarizer.synthesis.schema import Actor, ActorPosition, Citation
from summarizer.text.matching import occurs_in

MAX_ACTORS = 6
MAX_POSITIONS = 2
ACTOR_TYPES = ("person", "organization", "location")  # a location acts as a country or government does


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
    did = {candidate.name: _did(candidate) for candidate in candidates if len(candidate.named_in) >= needed}  # parsed once
    actors_found = [
        candidate
        for candidate in candidates
        if candidate.name in did and (did[candidate.name] or any(_same_actor(candidate.name, s) for s in quoted))
    ]
    actors_found.sort(key=lambda c: (-len(c.acts_in), -len(c.named_in)))
    actors = []
    for candidate in actors_found[:MAX_ACTORS]:
        positions = did[candidate.name] + [
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
