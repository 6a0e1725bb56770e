"""What the experimental support score (``bench/support_score.py``) reads of one summary sentence against its article.

Alignment (how much of the sentence the best one to three article sentences
hold, by lemmas, word pairs and sentence vectors), what is new (numbers,
names, words the article never writes), structure (how much of each clause —
a verb with its arguments — one article sentence holds) and the verdicts of
the support rules (``checks/support.py``), each as a 0/1 input instead of a
veto.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from summarizer.checks.passage import ArticlePassage
from summarizer.checks.support import (
    _counts_in_words,
    _flipped,
    _misattached,
    _misplaced_actor,
    _split_clause,
    find_support,
    made_fact,
)
from summarizer.nlp.embeddings import sentence_vectors
from summarizer.nlp.features import CONTENT_POS, SentenceFeatures, _lemma
from summarizer.nlp.pipeline import PARSING, load_pipeline
from summarizer.text.matching import number_occurs, numbers_in, occurs_in

FEATURES = (
    "coverage_1",
    "coverage_3",
    "pair_coverage",
    "new_words",
    "similarity_1",
    "similarity_2",
    "missing_numbers",
    "missing_names",
    "misattached",
    "split_clause",
    "actor_changed",
    "opposite",
    "clause_support_min",
    "clause_support_mean",
    "log_words",
    "made_fact",
    "rules_refuse",
    "arc_support",
    "arc_support_aligned",
    "arcs_missing",
    "names_elsewhere",
    "numbers_elsewhere",
    "new_triples",
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_KEPT = 256


Arc = tuple[str, str]


def arcs_of(texts: Sequence[str]) -> list[frozenset[Arc]]:
    """Each text's dependency arcs between content words, as (head lemma, dependent lemma); a preposition's object
    hangs on the preposition's head ("met in Beijing" gives (meet, beijing)): who did what to whom, where, whatever
    the word order. Parsed here (the experiment alone reads them, so the product's parse does not compute them).
    """
    with PARSING:
        docs = list(load_pipeline().pipe(texts, batch_size=64))
    found = []
    for doc in docs:
        arcs = set()
        for token in doc:
            if token.pos_ not in CONTENT_POS or token.dep_ in ("ROOT", "punct"):
                continue
            head = token.head
            if head.dep_ in ("prep", "agent"):
                head = head.head
            if head.i == token.i or head.pos_ not in CONTENT_POS:
                continue
            child, parent = _lemma(token).replace(".", ""), _lemma(head).replace(".", "")  # "U.S." and "US" alike
            if child and parent and child != parent:
                arcs.add((parent, child))
        found.append(frozenset(arcs))
    return found


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``."""
    return [word.casefold() for word in _WORD.findall(text)]


class ArticleView:
    """What every sentence of one article is compared with: its words, word pairs and sentence vectors."""

    def __init__(self, passages: Sequence[ArticlePassage]) -> None:
        self.passages = list(passages)
        all_words = [words(passage.text) for passage in self.passages]
        self.words = {word for sentence in all_words for word in sentence}
        self.pairs = {pair for sentence in all_words for pair in zip(sentence, sentence[1:], strict=False)}
        self.triples = {triple for sentence in all_words for triple in zip(sentence, sentence[1:], sentence[2:], strict=False)}
        self.text = " ".join(passage.text for passage in self.passages)
        self.vectors = sentence_vectors([passage.text for passage in self.passages])
        self.passage_arcs = dict(zip((p.index for p in self.passages), arcs_of([p.text for p in self.passages]), strict=True))
        self.arcs = {arc for arcs in self.passage_arcs.values() for arc in arcs}
        self.lemma_pairs = {  # two lemmas in one sentence: an arc written with other words between
            (first, second)
            for passage in self.passages
            for first in passage.features.lemmas
            for second in passage.features.lemmas
        }


_views: OrderedDict[tuple[str, int], ArticleView] = OrderedDict()
_viewing = threading.Lock()


def article_view(passages: Sequence[ArticlePassage]) -> ArticleView:
    """The view of the article these passages are, made once per process (the last few hundred kept)."""
    key = (passages[0].article_id if passages else "", hash(tuple(passage.text for passage in passages)))
    with _viewing:
        if key in _views:
            _views.move_to_end(key)
            return _views[key]
    view = ArticleView(passages)
    with _viewing:
        _views[key] = view
        while len(_views) > _KEPT:
            _views.popitem(last=False)
    return view


def _coverage(wanted: frozenset[str], passages: Sequence[ArticlePassage], most: int) -> float:
    """The share of ``wanted`` lemmas the best ``most`` sentences hold, chosen greedily."""
    if not wanted:
        return 1.0
    covered: set[str] = set()
    for _ in range(most):
        best = max(passages, key=lambda passage: len((wanted - covered) & passage.features.lemmas), default=None)
        if best is None or not (wanted - covered) & best.features.lemmas:
            break
        covered |= wanted & best.features.lemmas
    return len(covered) / len(wanted)


def _clause_support(claim: SentenceFeatures, passages: Sequence[ArticlePassage]) -> tuple[float, float]:
    """(least, mean) over the claim's clauses of the share of a clause's lemmas the best single sentence holds."""
    shares = []
    for clause in claim.clauses:
        if len(clause.lemmas) < 2:
            continue
        best = max((len(clause.lemmas & passage.features.lemmas) for passage in passages), default=0)
        shares.append(best / len(clause.lemmas))
    return (min(shares), sum(shares) / len(shares)) if shares else (1.0, 1.0)


def score_features(text: str, claim: SentenceFeatures, view: ArticleView, vector: np.ndarray | None = None) -> dict[str, float]:
    """The score's inputs for the summary sentence ``text`` (parsed as ``claim``) against the article ``view``."""
    passages = view.passages
    support = find_support(text, claim, passages)
    chosen = support.sentences
    written = {lemma for sentence in chosen for lemma in sentence.features.lemmas}
    sentence_words = words(text)
    pairs = list(zip(sentence_words, sentence_words[1:], strict=False))
    if vector is None:
        vector = sentence_vectors([text])[0]
    similarities = np.sort(view.vectors @ vector)[::-1] if len(passages) else np.zeros(2)
    missing_numbers = sum(not number_occurs(number, view.text) for number in numbers_in(text))
    missing_numbers += sum(
        not (occurs_in(word, view.text) or number_occurs(value, view.text)) for word, value in _counts_in_words(text)
    )
    missing_names = sum(
        not any(occurs_in(name, passage.text) or name in passage.features.names for passage in passages) for name in claim.names
    )
    clause_least, clause_mean = _clause_support(claim, passages)
    return {
        "coverage_1": _coverage(claim.lemmas, passages, 1),
        "coverage_3": _coverage(claim.lemmas, passages, 3),
        "pair_coverage": sum(pair in view.pairs for pair in pairs) / len(pairs) if pairs else 1.0,
        "new_words": sum(word not in view.words for word in sentence_words) / max(1, len(sentence_words)),
        "similarity_1": float(similarities[0]) if len(similarities) else 0.0,
        "similarity_2": float(similarities[1]) if len(similarities) > 1 else 0.0,
        "missing_numbers": float(missing_numbers),
        "missing_names": float(missing_names),
        "misattached": float(_misattached(claim, passages) is not None),
        "split_clause": float(bool(chosen) and _split_clause(claim, chosen, written) is not None),
        "actor_changed": float(bool(chosen) and _misplaced_actor(claim, chosen, written) is not None),
        "opposite": float(bool(chosen) and _flipped(claim, chosen) is not None),
        "clause_support_min": clause_least,
        "clause_support_mean": clause_mean,
        "log_words": math.log(1 + len(sentence_words)),
        "made_fact": float(support.problem is None and made_fact(text, claim, chosen) is not None),
        "rules_refuse": float(support.problem is not None),
        **_arc_features(claim, view, chosen),
        **_elsewhere(text, claim, chosen, view),
    }


def _elsewhere(text: str, claim: SentenceFeatures, chosen: Sequence[ArticlePassage], view: ArticleView) -> dict[str, float]:
    """Names and numbers the article writes, but not in the sentences that hold the claim (a detail pulled from
    elsewhere: the usual error of a model that fuses), and the share of word triples the article never writes.
    """
    aligned = " ".join(passage.text for passage in chosen)
    names = [name for name in claim.names if occurs_in(name, view.text) or any(name in p.features.names for p in view.passages)]
    numbers = [number for number in numbers_in(text) if number_occurs(number, view.text)]
    sentence_words = words(text)
    triples = list(zip(sentence_words, sentence_words[1:], sentence_words[2:], strict=False))
    return {
        "names_elsewhere": float(
            sum(not any(name in p.features.names for p in chosen) and not occurs_in(name, aligned) for name in names)
        ),
        "numbers_elsewhere": float(sum(not number_occurs(number, aligned) for number in numbers)),
        "new_triples": sum(triple not in view.triples for triple in triples) / len(triples) if triples else 0.0,
    }


def _arc_features(claim: SentenceFeatures, view: ArticleView, chosen: Sequence[ArticlePassage]) -> dict[str, float]:
    """How many of the claim's dependency arcs the article writes as arcs, or as two lemmas of one sentence."""
    arcs = arcs_of([claim.text])[0]
    if not arcs:
        return {"arc_support": 1.0, "arc_support_aligned": 1.0, "arcs_missing": 0.0}
    aligned = {arc for passage in chosen for arc in view.passage_arcs[passage.index]}
    in_one_sentence = sum(arc in view.arcs or arc in view.lemma_pairs for arc in arcs)
    return {
        "arc_support": sum(arc in view.arcs for arc in arcs) / len(arcs),
        "arc_support_aligned": sum(arc in aligned for arc in arcs) / len(arcs),
        "arcs_missing": float(len(arcs) - in_one_sentence),
    }
