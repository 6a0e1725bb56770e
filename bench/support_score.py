"""An experiment: a learned support score, a logistic regression over ``bench/support_features``, cross-validated by article.

Usage:
  python bench/support_score.py                # cross-validate, print the figures
  python bench/support_score.py --write        # also fit on everything and write /tmp/support_model.json
  python bench/support_score.py --cross-encoder /tmp/cross_predictions.json   # bench/cross_encoder.py's held-out
                                               # sentence scores stacked as a 24th input
  python bench/support_score.py --only opposite,actor_changed,cross_encoder   # a chosen few inputs

Not adopted (docs/benchmarks.md): its held-out figures beat the rules', but
its strongest inputs reward copied wording, so it refuses faithful fused
sentences the rules pass (issue 36's closing note has examples).

Sentence-level training examples:
- QAGS: 702 summary sentences, each judged supported or not by three readers.
- AggreFact: a faithful summary's sentences are supported; in an unfaithful
  one, a sentence holding a word the annotators marked is not (the others are
  left out of training: unknown).
- FRANK: a faithful summary's sentences are supported; an unfaithful summary
  of one sentence, or with no faithful sentence (factuality 0), gives
  unsupported ones (the others: unknown).

A summary's score is its weakest sentence's. Folds are drawn over articles
(every summary of one article in one fold, whichever set it comes from), the
model and the one threshold for both sets are chosen on the training folds
only, and the figures are those of the held-out folds: balanced accuracy,
recall on unfaithful, pass rate on faithful, for FRANK and AggreFact apart
(and per AggreFact source). Features are computed once and cached in
``/tmp/support_features.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))
from support_features import FEATURES, article_view, score_features  # noqa: E402

from summarizer.checks.summary import _features, article_passages, summary_sentences  # noqa: E402
from summarizer.inputs.building import article_from_text  # noqa: E402
from summarizer.nlp.embeddings import sentence_vectors  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CACHE = Path("/tmp/support_features.json")
MODEL = Path("/tmp/support_model.json")
# Rules that refuse a sentence whatever its score: a number the article never writes, who acts swapped, the
# opposite said, a figure that counts something else. The rules that fire on fused or reworded sentences weigh in.
VETOES = ("missing_numbers", "actor_changed", "opposite", "misattached")
VETO = [FEATURES.index(name) for name in VETOES]
EVALUATED = ("frank", "aggrefact")  # summary-level labels: where thresholds are chosen and figures reported


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def summaries() -> list[dict[str, Any]]:
    """Every labelled summary: set, id, doc, its sentences, the summary's label, each sentence's label (None: unknown)."""
    rows: list[dict[str, Any]] = []
    for row in _lines(EVAL / "frank" / "summaries.jsonl"):
        sentences = summary_sentences(row["summary"])
        if row["faithful"]:
            labels: list[bool | None] = [True] * len(sentences)
        elif len(sentences) == 1 or row.get("factuality", 1) == 0:
            labels = [False] * len(sentences)
        else:
            labels = [None] * len(sentences)
        rows.append({"set": "frank", "source": row["system"], "id": row["id"], "doc": row["doc"], "sentences": sentences,
                     "faithful": row["faithful"], "labels": labels})  # fmt: skip
    for row in _lines(EVAL / "aggrefact" / "summaries.jsonl"):
        sentences = summary_sentences(row["summary"])
        if row["faithful"]:
            labels = [True] * len(sentences)
        else:
            marked = [_squash(span) for span in row.get("spans") or [] if _squash(span)]
            labels = [False if any(span in _squash(s) for span in marked) else None for s in sentences]
        rows.append({"set": "aggrefact", "source": row["source"], "id": row["id"], "doc": row["doc"], "sentences": sentences,
                     "faithful": row["faithful"], "labels": labels})  # fmt: skip
    by_summary: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _lines(EVAL / "qags" / "sentences.jsonl"):
        by_summary[row["id"].rsplit("-", 1)[0]].append(row)
    for summary_id, sentence_rows in by_summary.items():
        sentence_rows.sort(key=lambda r: r["index"])
        rows.append({"set": "qags", "source": "qags", "id": summary_id, "doc": sentence_rows[0]["doc"],
                     "sentences": [r["sentence"] for r in sentence_rows],
                     "faithful": all(r["supported"] for r in sentence_rows),
                     "labels": [bool(r["supported"]) for r in sentence_rows]})  # fmt: skip
    return rows


def article_path(row: dict[str, Any]) -> Path:
    if row["set"] == "synthetic":
        return EVAL / "cnndm" / f"{row['file']}.txt"
    return EVAL / row["set"] / "articles" / f"{row['doc']}.txt"


_NEGATIONS = ((" is ", " is not "), (" was ", " was not "), (" are ", " are not "), (" were ", " were not "),
              (" will ", " will not "), (" has ", " has not "), (" have ", " have not "), (" can ", " cannot "))  # fmt: skip
_PRONOUNS = {" he ": " she ", " she ": " he ", " his ": " her ", " her ": " his "}


def synthetic() -> list[dict[str, Any]]:
    """FactCC-style sentence pairs from the CNN/DM articles (grouped with FRANK's copy of the same article):
    positives are an article sentence's main clause, or two neighbouring main clauses joined; negatives swap a
    name or a number for another of the same article, negate a verb, swap a pronoun, or join the subject of one
    sentence to the predicate of an unrelated one. Deterministic (a seeded generator)."""
    import random

    from summarizer.nlp.phrases import main_clause

    generator = random.Random(7)
    rows: list[dict[str, Any]] = []
    for path in sorted((EVAL / "cnndm").glob("*.txt")):
        article = article_from_text(path.read_text(encoding="utf-8"), article_id=path.stem, source=str(path))
        sentences = [s.text for s in article.sentences if 8 <= len(s.text.split()) <= 45][:14]
        parsed = _features(tuple(sentences))
        names = sorted({name for claim in parsed for name in claim.names if len(name) > 3})
        numbers = sorted({number for text in sentences for number in __import__("re").findall(r"\b\d[\d,.]*\b", text)})
        examples: list[tuple[str, bool]] = []
        for index, text in enumerate(sentences):
            clause = main_clause(text)
            if clause and len(clause.split()) >= 5:
                examples.append((clause, True))
            if generator.random() < 0.5:
                examples.append((text, True))  # whole sentences too, so length says nothing of the label
            if index + 1 < len(sentences) and generator.random() < 0.3:
                following = main_clause(sentences[index + 1])
                if clause and following:
                    examples.append((clause.rstrip(".") + ", and " + following[0].lower() + following[1:], True))
            own = [name for name in parsed[index].names if occurs_in_text(name, text)]
            if own and len(names) > 1:
                swapped = generator.choice([n for n in names if n not in parsed[index].names] or names)
                examples.append((replace_folded(text, own[0], swapped), False))
            written = [n for n in numbers if f" {n}" in text]
            if written and len(numbers) > 1:
                other = generator.choice([n for n in numbers if n != written[0]])
                examples.append((text.replace(f" {written[0]}", f" {other}", 1), False))
            for before, after in _NEGATIONS:
                if before in text:
                    examples.append((text.replace(before, after, 1), False))
                    break
            for before, after in _PRONOUNS.items():
                if before in text:
                    examples.append((text.replace(before, after, 1), False))
                    break
            if index >= 3 and generator.random() < 0.5:
                other_clause = main_clause(sentences[generator.randrange(0, index - 1)])
                if clause and other_clause and len(clause.split()) > 6 and len(other_clause.split()) > 6:
                    head, tail = clause.split()[:3], other_clause.split()[3:]
                    examples.append((" ".join(head + tail), False))
        examples = [(text, label) for text, label in examples if label or text not in sentences]
        doc = path.stem.split("-", 2)[-1]
        texts, labels = [text for text, _ in examples], [label for _, label in examples]
        rows.append({"set": "synthetic", "source": "synthetic", "id": path.stem, "doc": doc, "file": path.stem,
                     "sentences": texts, "faithful": None, "labels": labels})  # fmt: skip
    return rows


def occurs_in_text(name: str, text: str) -> bool:
    return name.casefold() in text.casefold()


def replace_folded(text: str, name: str, other: str) -> str:
    """``text`` with its first mention of ``name`` (any case) replaced by ``other`` in title case."""
    at = text.casefold().find(name.casefold())
    return text[:at] + other.title() + text[at + len(name) :]


def features_of(rows: list[dict[str, Any]]) -> dict[str, list[list[float]]]:
    """Summary id -> one feature vector per sentence (cached on disk)."""
    cached: dict[str, list[list[float]]] = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    todo = [row for row in rows if f"{row['set']}:{row['id']}" not in cached]
    started = time.monotonic()
    by_article: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for row in todo:
        by_article[article_path(row)].append(row)
    for number, (path, group) in enumerate(by_article.items(), start=1):
        article = article_from_text(path.read_text(encoding="utf-8"), article_id=path.stem, source=str(path))
        view = article_view(article_passages(article))
        for row in group:
            texts = row["sentences"]
            parsed = _features(tuple(texts))
            vectors = sentence_vectors(texts) if texts else []
            cached[f"{row['set']}:{row['id']}"] = [
                [score_features(text, claim, view, vector)[name] for name in FEATURES]
                for text, claim, vector in zip(texts, parsed, vectors, strict=True)
            ]
        if number % 25 == 0:
            print(f"  features: {number}/{len(by_article)} articles, {time.monotonic() - started:.0f} s", file=sys.stderr)
    CACHE.write_text(json.dumps(cached))
    return cached


def with_cross_encoder(table: dict[str, list[list[float]]], scores: dict[str, list[float]]) -> dict[str, list[list[float]]]:
    """Each sentence's inputs and the cross-encoder's held-out log-odds; a summary it did not score is left out."""
    joined = {}
    for key, vectors in table.items():
        if key in scores:
            odds = [math.log(max(p, 1e-6) / max(1 - p, 1e-6)) for p in scores[key]]
            joined[key] = [vector + [value] for vector, value in zip(vectors, odds, strict=True)]
    return joined


def balanced(predicted: list[bool], faithful: list[bool]) -> tuple[float, float, float]:
    """(balanced accuracy, recall on unfaithful, pass rate on faithful); predicted True = judged faithful."""
    bad = [p for p, f in zip(predicted, faithful, strict=True) if not f]
    good = [p for p, f in zip(predicted, faithful, strict=True) if f]
    caught = sum(not p for p in bad) / len(bad) if bad else 0.0
    passed = sum(good) / len(good) if good else 0.0
    return (caught + passed) / 2, caught, passed


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit((x - mean) / scale, y)
    return mean, scale, model


def summary_scores(rows: list[dict[str, Any]], table: dict[str, list[list[float]]], fitted: Any) -> list[tuple[float, float]]:
    """(mean, least) of each summary's sentence scores."""
    mean, scale, model = fitted
    scores = []
    for row in rows:
        vectors = np.array(table[f"{row['set']}:{row['id']}"] or [[0.0] * len(mean)])
        sentence = model.predict_proba((vectors - mean) / scale)[:, 1]
        sentence[(vectors[:, VETO] > 0).any(axis=1)] = 0.0  # what a veto rule finds is refused whatever the score
        scores.append((float(sentence.mean()), float(sentence.min())))
    return scores


def passes(score: tuple[float, float], threshold: float, margin: float) -> bool:
    """A summary passes when its sentences' mean score reaches the threshold and none is below threshold - margin."""
    return score[0] >= threshold and score[1] >= threshold - margin


MARGINS = (0.1, 0.2, 0.3, 0.4, 1.0)  # 1.0: no sentence is refused on its own


def best_rule(rows: list[dict[str, Any]], scores: list[tuple[float, float]]) -> tuple[float, float]:
    """(threshold, margin) with the best mean of FRANK's and AggreFact's balanced accuracy on these rows."""
    candidates = sorted(set(np.round([score[0] for score in scores], 3)))
    best = (0.0, 0.5, 1.0)
    for margin in MARGINS:
        for threshold in candidates:
            figures = []
            for name in EVALUATED:
                chosen = [(sc, r["faithful"]) for sc, r in zip(scores, rows, strict=True) if r["set"] == name]
                if chosen:
                    figures.append(balanced([passes(sc, threshold, margin) for sc, _ in chosen], [f for _, f in chosen])[0])
            best = max(best, (sum(figures) / len(figures), float(threshold), margin))
    return best[1], best[2]


def sentence_data(rows: list[dict[str, Any]], table: dict[str, list[list[float]]]) -> tuple[np.ndarray, np.ndarray]:
    x, y = [], []
    for row in rows:
        for vector, label in zip(table[f"{row['set']}:{row['id']}"], row["labels"], strict=True):
            if label is not None:
                x.append(vector)
                y.append(int(label))
    return np.array(x), np.array(y)


def cross_validate(
    rows: list[dict[str, Any]], table: dict[str, list[list[float]]], folds: int = 5, c: float = 1.0
) -> tuple[dict[str, bool], list[tuple[float, float]]]:
    """Each summary's held-out verdict (folds drawn over articles), and the (threshold, margin) each fold chose."""
    docs = sorted({row["doc"] for row in rows})
    doc_group = {doc: number for number, doc in enumerate(docs)}
    predicted: dict[str, bool] = {}
    rules: list[tuple[float, float]] = []
    indices = np.arange(len(rows))
    for train, test in GroupKFold(n_splits=folds).split(indices, groups=[doc_group[row["doc"]] for row in rows]):
        train_rows = [rows[i] for i in train]
        fitted = fit(*sentence_data(train_rows, table), c)
        labelled = [r for r in train_rows if r["set"] in EVALUATED]
        threshold, margin = best_rule(labelled, summary_scores(labelled, table, fitted))
        rules.append((threshold, margin))
        test_rows = [rows[i] for i in test]
        for row, score in zip(test_rows, summary_scores(test_rows, table, fitted), strict=True):
            predicted[row["id"]] = passes(score, threshold, margin)
    return predicted, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument(
        "--synthetic", action=argparse.BooleanOptionalAction, default=False, help="train on synthetic pairs too (see docs)"
    )
    parser.add_argument("--cross-encoder", help="held-out sentence scores of bench/cross_encoder.py, stacked as one more input")
    parser.add_argument("--only", help="comma-separated inputs to keep (FEATURES names, cross_encoder)")
    arguments = parser.parse_args()
    rows = summaries() + (synthetic() if arguments.synthetic else [])
    table = features_of(rows)
    if arguments.cross_encoder:
        table = with_cross_encoder(table, json.loads(Path(arguments.cross_encoder).read_text()))
        rows = [row for row in rows if f"{row['set']}:{row['id']}" in table]
    if arguments.only:
        names = list(FEATURES) + ["cross_encoder"]
        kept = [names.index(name) for name in arguments.only.split(",")]
        table = {key: [[vector[i] for i in kept] for vector in vectors] for key, vectors in table.items()}
        VETO[:] = [kept.index(i) for i in VETO if i in kept]
    predicted, rules = cross_validate(rows, table, arguments.folds, arguments.c)
    print(f"support score: logistic regression over {len(FEATURES)} features, {arguments.folds} folds by article")
    print("chosen on the training folds (threshold on the mean score / margin for one sentence): "
          + ", ".join(f"{t:.2f}/{m:.1f}" for t, m in rules))  # fmt: skip
    for name in ("frank", "aggrefact"):
        chosen = [row for row in rows if row["set"] == name]
        accuracy, caught, passed = balanced([predicted[r["id"]] for r in chosen], [r["faithful"] for r in chosen])
        print(f"{name:<10} balanced accuracy {accuracy:.3f}  recall on unfaithful {caught:.2f}  "
              f"pass rate on faithful {passed:.2f}  ({len(chosen)} summaries)")  # fmt: skip
        for source in sorted({row["source"] for row in chosen}):
            part = [row for row in chosen if row["source"] == source]
            accuracy, caught, passed = balanced([predicted[r["id"]] for r in part], [r["faithful"] for r in part])
            bad = sum(not r["faithful"] for r in part)
            print(f"  {source:<12} {len(part):>4} summaries, {bad:>3} unfaithful: recall {caught:.2f}, pass {passed:.2f}")
    qags = [row for row in rows if row["set"] == "qags"]
    accuracy, caught, passed = balanced([predicted[r["id"]] for r in qags], [r["faithful"] for r in qags])
    print(f"qags       balanced accuracy {accuracy:.3f} (summary level: every sentence supported)")
    if arguments.write:
        everything = [r for r in rows]
        mean, scale, model = fit(*sentence_data(everything, table), arguments.c)
        labelled = [r for r in everything if r["set"] in EVALUATED]
        threshold, margin = best_rule(labelled, summary_scores(labelled, table, (mean, scale, model)))
        weights = {name: float(w / s) for name, w, s in zip(FEATURES, model.coef_[0], scale, strict=True)}
        intercept = float(model.intercept_[0] - sum(w * m / s for w, m, s in zip(model.coef_[0], mean, scale, strict=True)))
        means = {name: float(value) for name, value in zip(FEATURES, mean, strict=True)}
        fitted = {"features": list(FEATURES), "weights": weights, "intercept": intercept, "means": means, "threshold": threshold,
                  "margin": margin, "fitted_by": "bench/support_score.py"}  # fmt: skip
        MODEL.write_text(json.dumps(fitted, indent=1) + "\n")
        print(f"wrote {MODEL} (threshold {threshold:.3f}, margin {margin:.1f})")
        for name, weight in sorted(weights.items(), key=lambda item: -abs(item[1] * scale[FEATURES.index(item[0])])):
            print(f"  {name:<20} {weight:+.3f} per unit ({weight * scale[FEATURES.index(name)]:+.3f} per s.d.)")


if __name__ == "__main__":
    main()
