"""How often the support check is right, on summaries people judged: FRANK and AggreFact, apart.

Usage:
  python bench/faithfulness.py        # about 2 minutes the first time (features cached in /tmp)
  python bench/faithfulness.py --cross-encoder /tmp/cross_predictions.json   # with bench/cross_encoder.py's scores

Printed for FRANK (420 summaries by five older systems) and AggreFact (193
recent BART/PEGASUS and Goyal'21 summaries), each: balanced accuracy (the
mean of the recall on unfaithful and the pass rate on faithful summaries),
both recalls, per system:

- the checker in use, ``check_summary`` (the support rules of
  ``checks/support.py`` against the article's sentences and its title; a
  summary fails when any sentence is unsupported), which fits nothing;
- an experiment, not adopted: a learned support score cross-validated by
  article (``bench/support_score.py``: the model and its one threshold for
  both sets fitted on the other folds);
- with ``--cross-encoder``, another experiment, not adopted: the held-out
  sentence scores of a cross-encoder fine-tuned from all-MiniLM-L6-v2
  (``bench/cross_encoder.py``, same folds), thresholds chosen on the other folds;
- the published checkers' scores of FRANK's summaries, each at its best
  threshold on this set (an upper bound for them: chosen on the labels).

Then, for AggreFact's unfaithful summaries, how many of each error type
(``errors``; a summary may have several) each checker catches. And the CPU
time of the shipped checker (``check_summary``) per summary sentence, the article parsed once beforehand (median, one core).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import support_score  # noqa: E402

from summarizer import check_summary  # noqa: E402
from summarizer.inputs.building import article_from_text  # noqa: E402

CHECKERS = ("FactCC", "QAGS", "FEQA", "Dep Entail", "BertScore P Art", "BertScore F1 Art")


def _line(label: str, predicted: list[bool], faithful: list[bool]) -> str:
    accuracy, caught, passed = support_score.balanced(predicted, faithful)
    return f"  {label:<34} {accuracy:.3f}  (recall on unfaithful {caught:.2f}, pass rate on faithful {passed:.2f})"


def best_threshold(scores: list[float], faithful: list[bool]) -> tuple[float, float]:
    """(the best balanced accuracy of "faithful when score >= t" over every t, that t)."""
    best = (0.0, 0.0)
    for threshold in sorted(set(scores)):
        best = max(best, (support_score.balanced([score >= threshold for score in scores], faithful)[0], threshold))
    return best


def cpu_per_sentence(rows: list[dict[str, Any]], count: int = 60) -> float:
    """Median CPU seconds of ``check_summary`` per summary sentence, on ``count`` summaries (articles parsed first)."""
    timings = []
    for row in rows[:count]:
        path = support_score.article_path(row)
        article = article_from_text(path.read_text(encoding="utf-8"), article_id=path.stem, source=str(path))
        check_summary("Nothing.", article)  # the article's sentences parsed once, here: not counted
        started = time.process_time()
        result = check_summary(" ".join(row["sentences"]), article)
        timings.append((time.process_time() - started) / max(1, len(result.sentences)))
    return statistics.median(timings)


def rule_verdicts(rows: list[dict[str, Any]]) -> dict[str, bool]:
    """Summary id -> whether ``check_summary`` passes it (no sentence unsupported)."""
    articles: dict[Path, Any] = {}
    verdicts = {}
    for row in rows:
        path = support_score.article_path(row)
        if path not in articles:
            articles[path] = article_from_text(path.read_text(encoding="utf-8"), article_id=path.stem, source=str(path))
        verdicts[row["id"]] = check_summary(" ".join(row["sentences"]), articles[path]).supported
    return verdicts


def by_error_type(rows: list[dict[str, Any]], checkers: dict[str, dict[str, bool]]) -> None:
    """Per AggreFact error type: unfaithful summaries with it, and how many each checker refuses (with an example
    that every checker passes)."""
    labelled = support_score._lines(support_score.EVAL / "aggrefact" / "summaries.jsonl")
    errors = {row["id"]: row.get("errors") or [] for row in labelled}
    unfaithful = [row for row in rows if row["set"] == "aggrefact" and not row["faithful"]]
    kinds = sorted({kind for row in unfaithful for kind in errors[row["id"]]})
    print("\naggrefact, unfaithful summaries by error type: caught / with that type")
    print(f"  {'error type':<22} {'n':>3}  " + "  ".join(f"{name:>14}" for name in checkers))
    for kind in kinds:
        having = [row for row in unfaithful if kind in errors[row["id"]]]
        caught = [sum(not verdicts[row["id"]] for row in having) for verdicts in checkers.values()]
        print(f"  {kind:<22} {len(having):>3}  " + "  ".join(f"{count:>14}" for count in caught))
        missed = [row for row in having if all(verdicts[row["id"]] for verdicts in checkers.values())]
        if missed:
            print(f"      passed by all, e.g. ({missed[0]['source']}): {' '.join(missed[0]['sentences'])[:150]!r}")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cross-encoder", help="held-out sentence scores written by bench/cross_encoder.py")
    arguments = parser.parse_args()
    rows = support_score.summaries()
    table = support_score.features_of(rows)
    predicted, rules = support_score.cross_validate(rows, table)
    encoder: dict[str, bool] = {}
    if arguments.cross_encoder:
        import cross_encoder

        held_out = json.loads(Path(arguments.cross_encoder).read_text(encoding="utf-8"))
        keyed = cross_encoder.held_out_verdicts(rows, held_out)[0]
        encoder = {key.split(":", 1)[1]: value for key, value in keyed.items()}
    verdicts = rule_verdicts([row for row in rows if row["set"] in support_score.EVALUATED])
    baselines = {
        row["id"]: row
        for row in map(json.loads, (support_score.EVAL / "frank" / "baselines.jsonl").read_text(encoding="utf-8").splitlines())
    }
    print("thresholds / margins chosen on the training folds: " + ", ".join(f"{t:.2f}/{m:.1f}" for t, m in rules))
    for name in support_score.EVALUATED:
        chosen = [row for row in rows if row["set"] == name]
        faithful = [row["faithful"] for row in chosen]
        print(f"\n{name}: {len(chosen)} summaries, {len(chosen) - sum(faithful)} unfaithful")
        print(_line("check_summary (the rules, no fitting)", [verdicts[row["id"]] for row in chosen], faithful))
        print(_line("learned score (cross-validated)", [predicted[row["id"]] for row in chosen], faithful))
        if encoder:
            print(_line("cross-encoder (cross-validated)", [encoder[row["id"]] for row in chosen], faithful))
        for source in sorted({row["source"] for row in chosen}):
            part = [row for row in chosen if row["source"] == source]
            print(
                _line(
                    f"  check_summary, {source} (n={len(part)})", [verdicts[r["id"]] for r in part], [r["faithful"] for r in part]
                )
            )
        if name == "frank":
            print("  published checkers, each at its best threshold on this set:")
            for checker in CHECKERS:
                known = [
                    (float(baselines[r["id"]][checker]), r["faithful"])
                    for r in chosen
                    if baselines[r["id"]].get(checker) is not None
                ]
                best, threshold = best_threshold([s for s, _ in known], [f for _, f in known])
                print(f"    {checker:<18} {best:.3f} (faithful when >= {threshold:.3f}, n={len(known)})")
    checkers = {"check_summary": verdicts, "learned score": predicted} | ({"cross-encoder": encoder} if encoder else {})
    by_error_type(rows, checkers)
    labelled = [row for row in rows if row["set"] in support_score.EVALUATED]
    print(f"\ncheck_summary: {cpu_per_sentence(labelled) * 1000:.0f} ms of CPU per summary sentence (median of 60 summaries)")


if __name__ == "__main__":
    main()
