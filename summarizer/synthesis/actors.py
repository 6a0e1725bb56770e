"""Actors, by code: the people and organizations several articles name, with what they are quoted saying.

Names and speakers come from the briefs, where code found them (the
parse), so nothing here is the model's. A short form joins a fuller one
("Bush" of "George W. Bush"). Positions are the speaker's verified quotes.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.brief.schema import ArticleBrief
from summarizer.synthesis.schema import Actor, ActorPosition, Citation
from summarizer.text.matching import occurs_in

MAX_ACTORS = 6
MAX_POSITIONS = 2
ACTOR_TYPES = ("person", "organization")


def _same_actor(a: str, b: str) -> bool:
    return occurs_in(a, b) or occurs_in(b, a)


def find_actors(briefs: Sequence[ArticleBrief]) -> list[Actor]:
    """People and organizations named by two or more articles (by one, when there is one), most named first."""
    named: dict[str, list[str]] = {}
    for brief in briefs:
        names = [entity.name for entity in brief.entities if entity.type in ACTOR_TYPES]
        names += [quote.speaker for quote in brief.quotes if quote.speaker]
        for name in dict.fromkeys(names):
            key = next((known for known in named if _same_actor(known, name)), None)
            if key is None:
                named[name] = [brief.article_id]
                continue
            if len(name) > len(key):
                named[name] = named.pop(key)
                key = name
            if brief.article_id not in named[key]:
                named[key].append(brief.article_id)
    needed = 2 if len(briefs) > 1 else 1
    ranked = sorted((item for item in named.items() if len(item[1]) >= needed), key=lambda item: -len(item[1]))
    actors = []
    for name, article_ids in ranked[:MAX_ACTORS]:
        positions = [
            ActorPosition(
                text=f"“{quote.text}”",
                citations=[Citation(article_id=brief.article_id, sentence=quote.sentence, evidence=quote.text)],
            )
            for brief in briefs
            for quote in brief.quotes
            if quote.speaker and _same_actor(quote.speaker, name)
        ]
        actors.append(Actor(name=name, article_ids=article_ids, positions=positions[:MAX_POSITIONS]))
    return actors
