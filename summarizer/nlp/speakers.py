"""Who said a quotation, from the parse: the subject of a speech verb beside it, or "according to X".

"…," X said / X told … / X said: "…" / according to X: the speaker is the
verb's subject outside the quotation, when that verb introduces it. A
pronoun ("he said") stands for the last quotation's speaker if it was just
quoted, else for a person who is a subject in this sentence or the one
before; otherwise it is not resolved. A subject inside a merged name
becomes that name written in full ("Schriver told" -> Randall Schriver); a
description ("a senior U.S. defense official") is kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.nlp.entities import Mention, Name

SPEECH_VERBS = frozenset(
    """say tell add explain state insist claim warn note ask reply write announce argue continue recall describe
    admit confirm declare urge suggest comment conclude acknowledge stress emphasise emphasize complain
    predict testify maintain respond remark observe agree caution concede vow pledge promise estimate tweet post""".split()
)
PERSONAL_PRONOUNS = frozenset({"he", "she"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady mayor president senator sen rep gov governor minister secretary
    chancellor judge general gen lt col maj capt sgt adm cmdr chief coach father rev pope king queen prince princess""".split()
)
CONTINUED_SPEAKER_REACH = 400  # characters from the last quotation within which "he said" is still its speaker


@dataclass(frozen=True)
class Speaker:
    """A speaker as the article writes them: the text and its [start, end) offsets.

    ``proper_name`` is true for a name the entity recogniser missed ("Mayor
    Ana Ruiz said" gives "Ana Ruiz"), so it can join the article's names.
    """

    text: str
    start: int
    end: int
    proper_name: bool = False


def _outside(token: Any, start: int, end: int) -> bool:
    return not (start - 1 <= token.idx < end + 1)


def _subject(verb: Any, start: int, end: int) -> Any | None:
    """The active subject of a speech verb ("X said"); a passive one ("she is said to …") names no speaker."""
    for child in verb.children:
        if child.dep_ == "nsubj" and _outside(child, start, end):
            return child
    return None


def _according_to(tokens: list[Any], start: int, end: int) -> Any | None:
    for token in tokens:
        if token.lower_ == "according" and _outside(token, start, end):
            for to in token.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return obj
    return None


def _name_at(token: Any, names: list[Name]) -> Name | None:
    """The merged name one of whose mentions covers ``token``."""
    for name in names:
        if any(mention.start <= token.idx < mention.end for mention in name.mentions):
            return name
    return None


def _person_subject_before(doc: Any, position: int, names: list[Name]) -> Mention | None:
    """The person "he" or "she" stands for: the nearest person who is a subject in this sentence or the one before.

    (In "X, who exposed Y's abuse, said …. '…,' he said." X is the subject;
    Y is nearer.) With no such person the pronoun is not resolved: a wrong
    speaker is worse than none.
    """
    sentence_starts = sorted(sent.start_char for sent in doc.sents)
    current = max((start for start in sentence_starts if start <= position), default=0)
    previous = max((start for start in sentence_starts if start < current), default=0)
    subjects = [token for token in doc if token.dep_ == "nsubj" and previous <= token.idx < position]
    best: tuple[int, Name] | None = None
    for name in names:
        if name.type != "person":
            continue
        for mention in name.mentions:
            if any(mention.start <= token.idx < mention.end for token in subjects) and (best is None or mention.start > best[0]):
                best = (mention.start, name)
    return best[1].fullest if best else None


_MODIFIERS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case", "punct"})


def _noun_phrase(head: Any) -> tuple[int, int]:
    """[start, end) of ``head`` with the modifiers before it ("a senior U.S. defense official"), nothing after."""
    first = head
    for child in head.lefts:
        if child.dep_ in _MODIFIERS:
            first = min(first, child.left_edge, key=lambda token: token.i)
    tokens = [token for token in head.doc[first.i : head.i + 1]]
    while tokens and tokens[0].dep_ == "punct":
        tokens.pop(0)
    start = tokens[0].idx if tokens else head.idx
    return start, head.idx + len(head.text)


ADJACENT_TOKENS = 3  # '"…," he said': the verb this close to a quotation's edge introduces it


def _introduces(verb: Any, quoted: list[Any], tokens: list[Any]) -> bool:
    """Whether ``verb`` introduces the quotation: the quotation hangs from it in the parse, or it stands right beside it.

    ("Wilman, who announced his resignation, denied … 'My responsibility …'"
    is not Wilman announcing those words.)
    """
    if not quoted:
        return False
    if any(verb in token.ancestors for token in quoted):
        return True
    first, last = quoted[0].i, quoted[-1].i
    return 0 < verb.i - last <= ADJACENT_TOKENS + 1 or 0 < first - verb.i <= ADJACENT_TOKENS + 1


def speaker_of(
    tokens: list[Any], start: int, end: int, names: list[Name], previous: tuple[Speaker, int] | None = None
) -> Speaker | None:
    """The speaker of the quotation [start, end) among ``tokens`` (its sentence and neighbours), or None.

    ``previous`` is the last quotation's speaker and where that quotation
    ended: "he said" right after someone was quoted is that someone.
    """
    quoted = [t for t in tokens if start <= t.idx < end]
    verbs = [
        t
        for t in tokens
        if t.lemma_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and _outside(t, start, end) and _introduces(t, quoted, tokens)
    ]
    verbs.sort(key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    subject = next((s for s in (_subject(verb, start, end) for verb in verbs) if s is not None), None)
    if subject is None:
        subject = _according_to(tokens, start, end)
    if subject is None:
        return None
    if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
        subject = subject.head.head  # "Ma Xiaotian, who told …": the noun the clause describes
    if subject.lower_ in PERSONAL_PRONOUNS:
        if previous is not None and start - previous[1] <= CONTINUED_SPEAKER_REACH:
            return previous[0]
        mention = _person_subject_before(subject.doc, start, names)
        return Speaker(mention.text, mention.start, mention.end) if mention else None
    name = _name_at(subject, names)
    if name is None:  # an appositive may hold the name: "bank president Julio Velarde", "Quoting …, the Daily News"
        inside = [n for t in subject.subtree if _outside(t, start, end) and (n := _name_at(t, names)) is not None]
        name = next((n for n in inside if n.type == "person"), None) or next(
            (n for n in inside if n.type == "organization"), None
        )
    if name is not None:
        full = name.fullest
        return Speaker(full.text, full.start, full.end)
    phrase_start, phrase_end = _noun_phrase(subject)
    if start - 1 <= phrase_start < end + 1 or start - 1 <= phrase_end - 1 < end + 1:
        phrase_start, phrase_end = subject.idx, subject.idx + len(subject.text)  # the phrase would reach into the quotation
    words = [t for t in subject.doc if phrase_start <= t.idx < phrase_end]
    if words and all(t.pos_ == "PROPN" for t in words):
        while len(words) > 1 and words[0].lower_.strip(".") in TITLES:
            words.pop(0)  # "Mayor Ana Ruiz" -> "Ana Ruiz"
        phrase_start = words[0].idx
        text = subject.doc.text[phrase_start:phrase_end]
        return Speaker(text, phrase_start, phrase_end, proper_name=len(words) > 1)
    text = subject.doc.text[phrase_start:phrase_end]
    if subject.pos_ == "PRON" or len(text) < 2:
        return None
    return Speaker(text, phrase_start, phrase_end)
