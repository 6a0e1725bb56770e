"""How often the support check is right, on FRANK: summaries judged faithful or not by people.

Usage:
  python bench/faithfulness.py [FRANK_DIR]        # default ../shared/eval/frank

FRANK (Pagnoni et al., NAACL 2021): system summaries of CNN / Daily Mail
articles, each labelled faithful (no factual error) or not by annotators, with
the scores published checkers gave the same summaries (FactCC, QAGS, FEQA,
DAE's dependency entailment, BERTScore against the article).

Our checker is ``summarizer.check_summary`` (what ``summarizer check
--summary`` runs): today's support rules (``checks/support.py``, the rules
that cite or drop every sentence the model writes in a synthesis), each
summary sentence against all of its article's sentences; a summary is judged
faithful when no sentence is unsupported. It has no threshold to
fit. Printed, in one run: balanced accuracy (the mean of the recall on
unfaithful and on faithful summaries), both recalls, the figures per
system, seconds per summary, the reasons sentences were refused, and the
balanced accuracy of each published checker at its best threshold on this
same set (an upper bound for them: the threshold is chosen on the labels).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from summarizer import check_summary
from summarizer.inputs.loading import article_from_text

ROOT = Path(__file__).resolve().parent.parent
CHECKERS = ("FactCC", "QAGS", "FEQA", "Dep Entail", "BertScore P Art", "BertScore F1 Art")


def balanced_accuracy(predicted: list[bool], faithful: list[bool]) -> tuple[float, float, float]:
    """(balanced accuracy, recall on unfaithful, recall on faithful); ``predicted`` True means judged faithful."""
    bad = [p for p, f in zip(predicted, faithful, strict=True) if not f]
    good = [p for p, f in zip(predicted, faithful, strict=True) if f]
    caught = sum(not p for p in bad) / len(bad) if bad else 0.0
    passed = sum(good) / len(good) if good else 0.0
    return (caught + passed) / 2, caught, passed


def best_threshold(scores: list[float], faithful: list[bool]) -> tuple[float, float]:
    """(the best balanced accuracy of "faithful when score >= t" over every t, that t)."""
    best = (0.0, 0.0)
    for threshold in sorted(set(scores)):
        accuracy = balanced_accuracy([score >= threshold for score in scores], faithful)[0]
        best = max(best, (accuracy, threshold))
    return best


def _reason_kind(problem: str) -> str:
    for marker, kind in (
        ("number", "a number not in the article"),
        ("is named in none", "a name not in the article"),
        ("of its words", "too few of its words in the article"),
        ("no one sentence", "a clause joined from two sentences"),
        ("who acts", "who acts changed"),
        ("the opposite", "said the other way (denied or affirmed)"),
    ):
        if marker in problem:
            return kind
    return "other"


def main() -> None:
    """Run the check on every FRANK summary and print the figures."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/eval/frank"
    summaries = [json.loads(line) for line in (folder / "summaries.jsonl").read_text(encoding="utf-8").splitlines()]
    baselines = {row["id"]: row for row in map(json.loads, (folder / "baselines.jsonl").read_text(encoding="utf-8").splitlines())}
    articles = {}
    predicted: list[bool] = []
    seconds: list[float] = []
    reasons: Counter[str] = Counter()
    by_system: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for row in summaries:
        if row["doc"] not in articles:
            text = (folder / "articles" / f"{row['doc']}.txt").read_text(encoding="utf-8")
            articles[row["doc"]] = article_from_text(text, article_id=row["doc"])
            check_summary("", articles[row["doc"]])  # the article's sentences are parsed once, here: not counted
        started = time.perf_counter()
        result = check_summary(row["summary"], articles[row["doc"]])
        seconds.append(time.perf_counter() - started)
        problems = [sentence.reason or "" for sentence in result.sentences if sentence.verdict == "unsupported"]
        reasons.update(_reason_kind(problem) for problem in problems)
        predicted.append(not problems)
        by_system[row["system"]].append((not problems, row["faithful"]))
    faithful = [row["faithful"] for row in summaries]
    accuracy, caught, passed = balanced_accuracy(predicted, faithful)
    print(
        f"{len(summaries)} summaries of {len(articles)} articles, {sum(faithful)} faithful, {len(faithful) - sum(faithful)} not"
    )
    print(f"support check: balanced accuracy {accuracy:.3f}  (recall: unfaithful {caught:.3f}, faithful {passed:.3f})")
    print(f"  {statistics.median(seconds) * 1000:.0f} ms per summary (median; the article parsed once, not counted)")
    for system, pairs in sorted(by_system.items()):
        system_accuracy, system_caught, system_passed = balanced_accuracy([p for p, _ in pairs], [f for _, f in pairs])
        print(
            f"  {system:<10} {system_accuracy:.3f} (unfaithful {system_caught:.3f}, faithful {system_passed:.3f}, n={len(pairs)})"
        )
    print("  sentences refused, by reason: " + ", ".join(f"{kind} {count}" for kind, count in reasons.most_common()))
    print("published checkers, each at its best threshold on this set:")
    for name in CHECKERS:
        scores: list[Any] = [baselines[row["id"]].get(name) for row in summaries]
        pairs_known = [(float(s), f) for s, f in zip(scores, faithful, strict=True) if s is not None]
        best, threshold = best_threshold([s for s, _ in pairs_known], [f for _, f in pairs_known])
        print(f"  {name:<18} {best:.3f} (faithful when >= {threshold:.3f}, n={len(pairs_known)})")


if __name__ == "__main__":
    main()
