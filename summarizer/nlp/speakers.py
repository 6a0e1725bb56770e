"""Who said a quotation, from the parse: the subject of a speech verb beside it, or "according to X".

"…," X said / X told … / X said: "…" / according to X: the speaker is the
verb's subject outside the quotation. A pronoun ("he said") stands for the
nearest person named before the quotation. A subject inside a merged name
becomes that name written in full ("Schriver told" -> Randall Schriver); a
description ("a senior U.S. defense official") is kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.nlp.entities import Mention, Name

SPEECH_VERBS = frozenset(
    """say tell add explain state insist claim warn note ask reply write announce argue continue recall describe
    admit deny confirm declare urge suggest comment conclude acknowledge stress emphasise emphasize complain
    predict testify maintain respond remark observe agree caution concede vow pledge promise estimate tweet post""".split()
)
PERSONAL_PRONOUNS = frozenset({"he", "she"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady mayor president senator sen rep gov governor minister secretary
    chancellor judge general gen lt col maj capt sgt adm cmdr chief coach father rev pope king queen prince princess""".split()
)
PRONOUN_REACH = 1500  # characters back that "he said" may look for its person


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
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and _outside(child, start, end):
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


def _nearest_person_before(doc: Any, position: int, names: list[Name]) -> Mention | None:
    """The person "he" or "she" stands for: a person who is a subject in the sentence before, else the nearest person.

    (In "X, who exposed Y's abuse, said …. '…,' he said." X is the subject;
    Y is nearer.)
    """
    sentence_starts = sorted(sent.start_char for sent in doc.sents)
    current = max((start for start in sentence_starts if start <= position), default=0)
    previous = max((start for start in sentence_starts if start < current), default=0)
    subject_at = {token.idx for token in doc if token.dep_ in ("nsubj", "nsubjpass") and token.idx >= previous}
    best: tuple[int, int, Name] | None = None  # (a subject just before, position, name)
    for name in names:
        if name.type != "person":
            continue
        for mention in name.mentions:
            if mention.start >= position or position - mention.start > PRONOUN_REACH:
                continue
            is_subject = int(any(mention.start <= at < mention.end for at in subject_at))
            if best is None or (is_subject, mention.start) > best[:2]:
                best = (is_subject, mention.start, name)
    return best[2].fullest if best else None


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


def speaker_of(tokens: list[Any], start: int, end: int, names: list[Name]) -> Speaker | None:
    """The speaker of the quotation [start, end) among ``tokens`` (its sentence and neighbours), or None."""
    verbs = [t for t in tokens if t.lemma_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and _outside(t, start, end)]
    verbs.sort(key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    subject = next((s for s in (_subject(verb, start, end) for verb in verbs) if s is not None), None)
    if subject is None:
        subject = _according_to(tokens, start, end)
    if subject is None:
        return None
    if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
        subject = subject.head.head  # "Ma Xiaotian, who told …": the noun the clause describes
    if subject.lower_ in PERSONAL_PRONOUNS:
        mention = _nearest_person_before(subject.doc, start, names)
        return Speaker(mention.text, mention.start, mention.end) if mention else None
    name = _name_at(subject, names)
    if name is None:  # an appositive may hold the name: "bank president Julio Velarde"
        name = next((n for t in subject.subtree if (n := _name_at(t, names)) is not None and n.type == "person"), None)
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
