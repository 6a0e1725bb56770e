"""Names by code: spaCy's entity mentions merged across the article, typed by vote, ranked by salience.

"Locke" and "Gary Locke" are one person: a mention whose words end or start
a person's full name in the same article ("Schriver" of "Randall Schriver",
"Piao" of "Piao Jianyi", family name first) joins it. (Places are not merged so: "Korea" may be North or
South.) Each merged name is typed by a
weighted vote of its mentions' labels (spaCy types a lone surname as a
place now and then; a full name's label weighs double), and ranked by how
often it is mentioned, how early, and whether the lead names it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

NameType = Literal["person", "organization", "location"]
LABELS: dict[str, NameType] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
}
LEAD_SENTENCES = 3
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:['’]s|['’])$")


@dataclass
class Mention:
    """One place the article writes a name: its text as written, [start, end) offsets, spaCy's label."""

    text: str
    start: int
    end: int
    label: str


@dataclass
class Name:
    """A name the article uses, all its mentions merged: the fullest form, its type and salience."""

    name: str
    type: NameType
    mentions: list[Mention] = field(default_factory=list)
    first: int = 0
    in_lead: bool = False

    @property
    def salience(self) -> tuple[float, int]:
        """Higher first: mentions, a bonus for the lead, earlier first mention breaking ties."""
        return (len(self.mentions) + (2.0 if self.in_lead else 0.0), -self.first)

    @property
    def fullest(self) -> Mention:
        """The mention that writes the name in full (the longest; the earliest of those)."""
        return max(self.mentions, key=lambda mention: (len(mention.text), -mention.start))


def _cleaned(text: str, start: int) -> tuple[str, int]:
    """A mention without a leading article or trailing possessive, and its new start."""
    stripped = _LEADING.sub("", text)
    return bare_name(text), start + len(text) - len(stripped)


def bare_name(text: str) -> str:
    """A name as written, without a leading article ("the") or a trailing possessive ("'s")."""
    return _TRAILING.sub("", _LEADING.sub("", text)).strip()


def mentions_in(doc: Any, allowed: list[tuple[int, int]]) -> list[Mention]:
    """The named-entity mentions of ``doc`` of the kinds we keep, inside the ``allowed`` character ranges."""
    found = []
    for entity in doc.ents:
        if entity.label_ not in LABELS:
            continue
        if not any(a <= entity.start_char and entity.end_char <= b for a, b in allowed):
            continue
        text, start = _cleaned(entity.text, entity.start_char)
        if len(text) < 2 or "\n" in text or not any(char.isupper() for char in text):
            continue
        found.append(Mention(text=text, start=start, end=start + len(text), label=entity.label_))
    return found


def _words(text: str) -> list[str]:
    return [word.casefold().strip(".") for word in re.split(r"[\s-]+", text) if word.strip(".")]


def _belongs_to(short: list[str], long: list[str]) -> bool:
    """Whether a shorter name ends or starts a longer one ("Schriver" of "Randall Schriver", "Piao" of "Piao Jianyi")."""
    return len(short) <= len(long) and (long[len(long) - len(short) :] == short or long[: len(short)] == short)


def merge_mentions(mentions: list[Mention], lead_end: int) -> list[Name]:
    """Merged names, each typed by a weighted vote of its mentions, most salient first."""
    forms = sorted({mention.text for mention in mentions}, key=lambda text: -len(_words(text)))
    people = {mention.text for mention in mentions if mention.label == "PERSON" and len(_words(mention.text)) > 1}
    canonical: dict[str, str] = {}
    for form in forms:  # longest first: a shorter form joins the longest full personal name it ends
        words = _words(form)
        owners = [c for c in dict.fromkeys(canonical.values()) if c in people and _belongs_to(words, _words(c))]
        canonical[form] = owners[0] if len(owners) == 1 else form  # "Christie" of two Christies stays apart
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(canonical[mention.text], []).append(mention)
    names = []
    for group in groups.values():
        votes: Counter[NameType] = Counter()
        for mention in group:
            votes[LABELS[mention.label]] += 2 if len(_words(mention.text)) > 1 else 1
        longest = max(group, key=lambda mention: (len(mention.text), -mention.start))
        ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0] != LABELS[longest.label]))
        first = min(mention.start for mention in group)
        name = Name(name=longest.text, type=ranked[0][0], mentions=group, first=first, in_lead=first < lead_end)
        names.append(name)
    return sorted(names, key=lambda name: name.salience, reverse=True)
