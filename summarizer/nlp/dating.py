"""Which dates in a sentence are the date of its own event, read off the parse.

"Survivors gathered on Tuesday" dates the gathering. "The July 7 bombings",
"the Terrorism Act 2000", "the deadliest attack since 1988" and "the people
killed in 2005" name dates of *other* events: the date modifies a noun, is
the reference point of "since"/"until", or dates a verb that only describes
a noun (a relative or participle clause). Only a date that reaches the
sentence's main verb (through "said", conjunctions and adverbial clauses)
is the event's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.text.dates import find_date_spans

REFERENCE_PREPOSITIONS = frozenset({"since", "until", "till", "before", "ahead"})
TIME_NOUNS = frozenset({"morning", "night", "day", "evening", "afternoon", "weekend", "week", "dawn", "hour", "hours", "end"})
NOUN_MODIFIER_DEPS = frozenset({"compound", "nmod", "nummod", "amod", "poss", "appos"})
MAIN_CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "xcomp", "parataxis"})
DESCRIBING_DEPS = frozenset({"acl", "relcl", "amod", "pcomp", "csubj"})


@dataclass(frozen=True)
class DateAttachment:
    """A date written in the sentence, and whether it is the date of the sentence's own event (and why)."""

    text: str
    start: int
    end: int
    own_event: bool
    reason: str


def attach_dates(doc: Any) -> list[DateAttachment]:
    """Every date expression in the parsed sentence ``doc``, classified as its event's date or another's."""
    found = []
    for start, end, text in find_date_spans(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            found.append(DateAttachment(text, start, end, False, "the parse does not cover it"))
            continue
        own, reason = _classify(span)
        found.append(DateAttachment(text, start, end, own, reason))
    return found


def _classify(span: Any) -> tuple[bool, str]:
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in REFERENCE_PREPOSITIONS:
        return False, f"the reference point of '{head.text}', not when the event happened"
    if root.dep_ in NOUN_MODIFIER_DEPS and head.pos_ in ("NOUN", "PROPN"):
        return False, f"part of the name '{head.text}' (it dates that, not the sentence's event)"
    attached = head.head if root.dep_ == "pobj" else head
    if root.dep_ == "ROOT":
        return False, "the sentence has no verb the date attaches to"
    while attached.pos_ == "NOUN" and attached.lower_ in TIME_NOUNS and attached.dep_ in ("pobj", "npadvmod"):
        attached = attached.head.head if attached.dep_ == "pobj" else attached.head
    if attached.pos_ not in ("VERB", "AUX"):
        return False, f"it dates '{attached.text}', not the sentence's event"
    verb = attached
    while verb.dep_ != "ROOT":
        if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.pos_ in ("NOUN", "PROPN"):
            break  # a parse with a noun for its root ("Survivors … gathered"): the clause is the sentence's own
        if verb.dep_ in DESCRIBING_DEPS or verb.dep_ not in MAIN_CLAUSE_DEPS:
            return False, f"it dates '{attached.text}', which describes '{verb.head.text}', not the sentence's event"
        verb = verb.head
    return True, f"it dates the verb '{attached.text}'"
