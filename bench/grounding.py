"""Evaluate grounding: brief every article in the given folders/files and print how much was verified.

Usage: python bench/grounding.py [--limit N] [--provider local|openai|replay] PATH...

Prints one row per article, then per-item rates over all briefs:
- evidence and quotes found in the article (exact or normalised), with quotes
  the model cited that held no quotation counted as failures;
- entities and speakers kept (found in the article) out of all the model
  proposed (kept + removed);
- dates listed per brief (found in the text by code, so not a model figure);
- numbers in the free text (headline, summary) found in the article;
- grounding re-asks per brief, and seconds per brief.
One provider (one model load) serves the whole run; no brief cache is used.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from summarizer.brief.schema import ArticleBrief
from summarizer.brief.verify import check_brief
from summarizer.inputs.loading import iter_articles
from summarizer.providers.factory import build_provider
from summarizer.runs.batch import brief_loaded
from summarizer.settings import Settings


def _rate(good: int, total: int) -> str:
    return f"{good}/{total} ({100 * good / total:.0f}%)" if total else "0/0 (-)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--limit", type=int, default=0, help="Brief at most N articles.")
    parser.add_argument("--provider", default=None)
    parser.add_argument("--out", type=Path, default=None, help="Also write each brief as JSON into this folder.")
    options = parser.parse_args(argv)
    settings = Settings.from_env().with_overrides(provider=options.provider)
    loaded = [
        item
        for item in iter_articles(options.paths)
        if not item.source.endswith("references.jsonl") and "references.jsonl:" not in item.source
    ]
    if options.limit:
        loaded = loaded[: options.limit]
    provider = build_provider(settings)
    totals: Counter[str] = Counter()
    seconds: list[float] = []
    reasks: list[int] = []
    valid = 0
    print(f"{'article':<30} {'seconds':>7} {'reasks':>6} {'removed':>7} {'failed':>6}", flush=True)
    try:
        for item in loaded:
            started = time.monotonic()
            outcome = brief_loaded(item, provider, settings)
            elapsed = time.monotonic() - started
            if outcome.brief is None or outcome.article is None:
                print(f"{item.source[-30:]:<30} FAILED: {outcome.error}", flush=True)
                continue
            brief: ArticleBrief = outcome.brief
            valid += 1
            totals["dates listed"] += len(brief.dates)
            seconds.append(elapsed)
            reasks.append(brief.usage.grounding_reasks)
            if options.out:
                options.out.mkdir(parents=True, exist_ok=True)
                (options.out / f"{brief.article_id}.brief.json").write_text(brief.model_dump_json(indent=2), encoding="utf-8")
            checks = check_brief(brief, outcome.article)
            for check in checks:
                kind = check.kind
                totals[f"{kind}:all"] += 1
                totals[f"{kind}:ok"] += check.verdict in ("exact", "normalised", "verified")
            for removed in brief.removed:
                kind = {
                    "people": "entity",
                    "orgs": "entity",
                    "places": "entity",
                    "quotes": "quote",
                    "key": "evidence",
                    "headline": "cut",
                    "summary": "cut",
                }[removed.field]
                totals[f"{kind}:all"] += 1
            failed = len([c for c in checks if c.verdict in ("not_found", "unverified")])
            print(
                f"{brief.article_id[-30:]:<30} {elapsed:>7.1f} {brief.usage.grounding_reasks:>6} "
                f"{len(brief.removed):>7} {failed:>6}",
                flush=True,
            )
    finally:
        provider.close()
    print(f"\nbriefs attempted / valid: {len(loaded)} / {valid}")
    for kind, label in [
        ("evidence", "key-point evidence found"),
        ("quote", "quotes found (incl. cited w/o quotation)"),
        ("speaker", "quote speakers named"),
        ("entity", "entities kept of proposed"),
        ("number", "free-text numbers found"),
    ]:
        print(f"{label:<42} {_rate(totals[f'{kind}:ok'], totals[f'{kind}:all'])}")
    print(f"{'free text cut (length or sentence limit)':<42} {totals['cut:all']}")
    if valid:
        print(f"{'dates listed per brief (found by code)':<42} {totals['dates listed'] / valid:.1f}")
    if seconds:
        print(f"grounding re-asks per brief (mean): {statistics.mean(reasks):.2f}")
        print(f"seconds per brief: median {statistics.median(seconds):.1f}, mean {statistics.mean(seconds):.1f}")
    return 0 if valid == len(loaded) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
