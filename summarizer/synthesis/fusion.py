"""What two or more aligned sentences share, cut out of one of them by code (sentence fusion by intersection).

A small model asked what several sentences share tends to copy the first
of them whole, details only one article gives included, and then no second
article supports what it wrote. So code cuts the shared part out first: one
sentence of the group, parsed, keeps its main clause (the statement inside
"X said ..." when the main verb is a verb of saying), the subject, objects
and other core arguments, and of its optional parts (prepositional phrases,
modifiers, subordinate and coordinated clauses, appositions) only those
that write a content word another article of the group also writes. The
model is then asked to write that core as a fluent sentence; code checks
what it wrote like any other agreement. After Barzilay and McKeown,
"Sentence Fusion for Multidocument News Summarization" (2005).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarizer.checks.support import holding_sentences
from summarizer.nlp.features import REPORTING_LEMMAS, content_lemmas, sentence_features
from summarizer.nlp.pipeline import PARSING, load_pipeline
from summarizer.synthesis.align import AlignedGroup
from summarizer.synthesis.material import ArticleSentence

# Dependents that carry the clause's meaning: always kept (their own optional parts are still pruned).
CORE_DEPENDENTS = frozenset(
    {
        "nsubj", "nsubjpass", "csubj", "expl", "dobj", "dative", "attr", "oprd", "acomp", "xcomp",
        "aux", "auxpass", "neg", "prt", "det", "predet", "compound", "nummod", "quantmod", "case", "pobj", "agent",
    }
)  # fmt: skip
# Dependents kept only when they write a content word another article of the group writes.
OPTIONAL_DEPENDENTS = frozenset(
    {"prep", "amod", "advmod", "npadvmod", "poss", "appos", "relcl", "acl", "advcl", "conj", "ccomp", "pcomp", "nmod"}
)
PERSONAL_PRONOUNS = frozenset({"i", "me", "my", "we", "us", "our", "you", "your"})  # quoted speech: one speaker's view
MIN_CORE_LEMMAS = 4
MIN_SHARED_LEMMAS = 2


def shared_core(sentence: ArticleSentence, others: Sequence[ArticleSentence]) -> str | None:
    """``sentence`` cut down to what ``others`` (sentences of other articles) also write, or None if too little is left."""
    shared = frozenset(lemma for other in others for lemma in sentence.features.lemmas & other.features.lemmas)
    if len(shared) < MIN_SHARED_LEMMAS:
        return None
    nlp = load_pipeline()
    with PARSING:
        doc = nlp(sentence.text)
    root = _main_clause(doc)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return None
    kept: set[int] = set()
    _keep(root, root, shared, kept)
    tokens = [token for token in doc if token.i in kept]
    if any(token.pos_ == "PRON" and token.lower_ in PERSONAL_PRONOUNS for token in tokens):
        return None
    core = _text_of(doc, tokens)
    lemmas = content_lemmas(tokens)
    if len(lemmas) < MIN_CORE_LEMMAS or len(lemmas & shared) < MIN_SHARED_LEMMAS:
        return None
    return core


def group_core(group: AlignedGroup) -> str | None:
    """The shared core, cut out of one of the group's sentences, that the most of its articles support each on their own.

    Ties go to the earlier sentence (the seed first); None when no sentence leaves a core.
    """
    cores = []
    for sentence in group.sentences:
        core = shared_core(sentence, [other for other in group.sentences if other.article_id != sentence.article_id])
        if core is not None:
            cores.append(core)
    if not cores:
        return None
    features = sentence_features(cores)
    held = [
        len({s.article_id for s in holding_sentences(core, feature, group.sentences)})
        for core, feature in zip(cores, features, strict=True)
    ]
    return cores[held.index(max(held))]


def _main_clause(doc: Any) -> Any | None:
    """The sentence's main verb; for "X said (that) Y", the main verb of Y."""
    roots = [token for token in doc if token.dep_ == "ROOT"]
    if not roots:
        return None
    root = roots[0]
    if root.lemma_.casefold() in REPORTING_LEMMAS:
        reported = [child for child in root.children if child.dep_ in ("ccomp", "parataxis") and child.pos_ in ("VERB", "AUX")]
        if reported:
            return reported[0]
    return root


def _keep(token: Any, root: Any, shared: frozenset[str], kept: set[int]) -> None:
    kept.add(token.i)
    for child in token.children:
        if child.dep_ in CORE_DEPENDENTS or (child.dep_ in OPTIONAL_DEPENDENTS and _writes_shared(child, shared)):
            _keep(child, root, shared, kept)
        elif child.dep_ == "prep" and token.pos_ in ("VERB", "AUX") and not _has_object(token):
            _keep(child, root, shared, kept)  # the complement of an intransitive verb: "put on hold", "headed to Beijing"
    for child in token.children:
        if child.dep_ == "cc" and any(other.dep_ == "conj" and other.i in kept for other in token.children):
            kept.add(child.i)
        if child.dep_ == "mark" and token is not root:
            kept.add(child.i)


def _writes_shared(token: Any, shared: frozenset[str]) -> bool:
    return bool(content_lemmas(list(token.subtree)) & shared)


def _has_object(token: Any) -> bool:
    return any(child.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp") for child in token.children)


def _text_of(doc: Any, tokens: Sequence[Any]) -> str:
    """The kept tokens as text: original spacing between neighbours, one space across a cut.

    Punctuation is left out except inside a word ("defense-related", "U.S.").
    """
    kept = {token.i for token in tokens}

    def inside_word(token: Any) -> bool:
        before = doc[token.i - 1] if token.i > 0 else None
        return (
            before is not None and not before.whitespace_ and not token.whitespace_ and token.i + 1 in kept and before.i in kept
        )

    words = [token for token in doc if (token.i in kept and not token.is_punct) or (token.is_punct and inside_word(token))]
    parts: list[str] = []
    for previous, token in zip([None, *words], words, strict=False):
        if previous is not None:
            parts.append(previous.whitespace_ if token.i == previous.i + 1 else " ")
        parts.append(token.text)
    text = "".join(parts).strip(" ,;:-")
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
