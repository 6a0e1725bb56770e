"""How well sentence alignment tells "the same statement" from "a different one", on data nobody here tuned to.

Usage: python bench/alignment.py MRPC_TRAIN MRPC_TEST [--unrelated DIR]

- MRPC (the Microsoft Research Paraphrase Corpus: news sentence pairs from
  one story each, labelled by people as the same statement or not; the
  negatives share most of their words, the hard case). Each pair is scored
  as a story of two one-sentence articles, the way the synthesis scores two
  articles. The threshold with the best F1 on the train file is read off, then
  precision, recall and F1 are reported on the test file, for the lexical
  cosine, the vector cosine and their mean (what ``synthesis.align`` uses),
  beside the threshold in use.
- ``--unrelated DIR``: articles of different stories (default
  ../shared/eval/cnndm); every pair of articles is aligned as one story, and
  the bench counts the sentence pairs that align although nothing is shared.

The SentEval copy of MRPC (msr_paraphrase_train.txt, msr_paraphrase_test.txt:
tab-separated Quality, #1 ID, #2 ID, #1 String, #2 String) is read as is.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from summarizer.inputs.loading import load_article
from summarizer.nlp.embeddings import sentence_vectors
from summarizer.nlp.features import SentenceFeatures, sentence_features
from summarizer.synthesis import align
from summarizer.synthesis.align import Similarity
from summarizer.synthesis.material import ArticleSentence, Material

THRESHOLDS = [round(0.2 + 0.025 * step, 3) for step in range(17)]


@dataclass(frozen=True)
class LabelledPair:
    """Two sentences and whether people judged them the same statement."""

    same: bool
    first: str
    second: str


def read_mrpc(path: Path) -> list[LabelledPair]:
    """The pairs of one SentEval MRPC file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [LabelledPair(row[0] == "1", row[3], row[4]) for row in rows[1:] if len(row) == 5]


def two_article_material(
    first: str, second: str, features: dict[str, SentenceFeatures], vectors: dict[str, np.ndarray]
) -> Material:
    """A story of two one-sentence articles, as the synthesis would see it."""
    sentences = [
        ArticleSentence("a", 1, 0, 0, first, features[first]),
        ArticleSentence("b", 1, 0, 1, second, features[second]),
    ]
    return Material(
        sentences=sentences,
        vectors=np.vstack([vectors[first], vectors[second]]),
        article_ids=["a", "b"],
        published={"a": None, "b": None},
        published_from={"a": None, "b": None},
    )


Scorer = Callable[[Similarity, ArticleSentence, ArticleSentence], float]
SCORERS: dict[str, Scorer] = {
    "lexical": lambda s, a, b: s.lexical(a, b),
    "vector": lambda s, a, b: s.vector(a, b),
    "mean (in use)": lambda s, a, b: s(a, b),
}


def scored_pairs(pairs: Sequence[LabelledPair]) -> dict[str, list[tuple[bool, float, bool]]]:
    """For each scorer: (label, score, enough shared lemmas) of every pair."""
    texts = list(dict.fromkeys(text for pair in pairs for text in (pair.first, pair.second)))
    features = dict(zip(texts, sentence_features(texts), strict=True))
    vectors = dict(zip(texts, sentence_vectors(texts), strict=True))
    scored: dict[str, list[tuple[bool, float, bool]]] = {name: [] for name in SCORERS}
    for pair in pairs:
        material = two_article_material(pair.first, pair.second, features, vectors)
        similarity = Similarity(material)
        a, b = material.sentences
        shared = len(a.features.lemmas & b.features.lemmas) >= align.MIN_SHARED
        for name, scorer in SCORERS.items():
            scored[name].append((pair.same, scorer(similarity, a, b), shared))
    return scored


def area_under_curve(scored: Sequence[tuple[bool, float, bool]]) -> float:
    """The chance that a "same" pair scores above a "different" one (ties count half)."""
    same = sorted(score for label, score, _ in scored if label)
    different = sorted(score for label, score, _ in scored if not label)
    wins = sum(
        bisect.bisect_left(different, score)
        + 0.5 * (bisect.bisect_right(different, score) - bisect.bisect_left(different, score))
        for score in same
    )
    return wins / (len(same) * len(different)) if same and different else 0.0


def rates(scored: Sequence[tuple[bool, float, bool]], threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of "aligned" (score at or above the threshold, enough shared) for "same"."""
    predicted = [same for same, score, shared in scored if shared and score >= threshold]
    true_positives = sum(predicted)
    positives = sum(same for same, _, _ in scored)
    precision = true_positives / len(predicted) if predicted else 0.0
    recall = true_positives / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def unrelated_alignments(folder: Path, threshold: float) -> tuple[int, int, list[tuple[str, str]]]:
    """(article pairs, aligned sentence pairs, examples) over every pair of articles in ``folder``."""
    articles = [load_article(path) for path in sorted(folder.glob("*.txt"))]
    texts = [[s.text for s in article.sentences if len(s.text.split()) >= 6][:30] for article in articles]
    flat = [text for group in texts for text in group]
    features = dict(zip(flat, sentence_features(flat), strict=True))
    vectors = dict(zip(flat, sentence_vectors(flat), strict=True))
    aligned, examples = 0, []
    pairs = list(itertools.combinations(range(len(articles)), 2))
    for i, j in pairs:
        sentences = [
            ArticleSentence(str(article), n, n, index, text, features[text])
            for index, (article, n, text) in enumerate(
                [(i, n, t) for n, t in enumerate(texts[i])] + [(j, n, t) for n, t in enumerate(texts[j])]
            )
        ]
        material = Material(
            sentences=sentences,
            vectors=np.vstack([vectors[s.text] for s in sentences]),
            article_ids=[str(i), str(j)],
            published={},
            published_from={},
        )
        similarity = Similarity(material)
        for a in material.of(str(i)):
            for b in material.of(str(j)):
                if len(a.features.lemmas & b.features.lemmas) >= align.MIN_SHARED and similarity(a, b) >= threshold:
                    aligned += 1
                    examples.append((a.text, b.text))
    return len(pairs), aligned, examples


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("test", type=Path)
    parser.add_argument("--unrelated", type=Path, default=Path(__file__).resolve().parents[2] / "shared/eval/cnndm")
    options = parser.parse_args(argv)
    started = time.monotonic()
    train, test = read_mrpc(options.train), read_mrpc(options.test)
    same_train, same_test = sum(p.same for p in train), sum(p.same for p in test)
    print(f"MRPC: train {len(train)} pairs ({same_train} same), test {len(test)} ({same_test} same)")
    scored_train, scored_test = scored_pairs(train), scored_pairs(test)
    print(f"\n{'score':<15}{'AUC':>7}{'threshold':>10}{'P':>7}{'R':>7}{'F1':>7}   (threshold read off train, figures on test)")
    for name in SCORERS:
        best = max(THRESHOLDS, key=lambda t: rates(scored_train[name], t)[2])
        precision, recall, f1 = rates(scored_test[name], best)
        auc = area_under_curve(scored_test[name])
        print(f"{name:<15}{auc:>7.3f}{best:>10.3f}{precision:>7.3f}{recall:>7.3f}{f1:>7.3f}")
    precision, recall, f1 = rates(scored_test["mean (in use)"], align.MIN_SIMILARITY)
    print(f"{'in use':<15}{'':>7}{align.MIN_SIMILARITY:>10.3f}{precision:>7.3f}{recall:>7.3f}{f1:>7.3f}")
    print("\nmean score on test, by threshold:")
    for threshold in THRESHOLDS:
        precision, recall, f1 = rates(scored_test["mean (in use)"], threshold)
        print(f"  {threshold:.3f}  P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    if options.unrelated.is_dir():
        for threshold in sorted({align.MIN_SIMILARITY, align.CANDIDATE_SIMILARITY, *THRESHOLDS[2:9:2]}):
            pairs, aligned, examples = unrelated_alignments(options.unrelated, threshold)
            print(f"\nunrelated articles ({options.unrelated}): {pairs} article pairs,", end=" ")
            print(f"{aligned} sentence pairs aligned at {threshold:.3f}")
            for a, b in examples[:3]:
                print(f"  - {a[:90]!r}\n    {b[:90]!r}")
    print(f"\n{time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
