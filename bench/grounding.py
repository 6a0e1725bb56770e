"""Evaluate grounding: brief every article in the given folders/files and print how much was verified.

Usage: python bench/grounding.py [--limit N] [--provider local|openai|replay] PATH...

Prints one row per article, then per-item rates over all briefs:
- evidence and quotes found in the article (exact or normalised), with quotes
  the model cited that held no quotation counted as failures;
- entities and speakers kept (found in the article) out of all the model
  proposed (kept + removed);
- dates listed per brief (found in the text by code, so not a model figure);
- numbers in the free text (headline, summary) found in the article;
- grounding re-asks per brief, and seconds and output tokens per brief;
- quotes: verified quotes with a speaker per brief, and how many articles that
  contain a quotation got at least one;
- names of the prompt's worked example found in any output (should be 0);
- where a ``references.jsonl`` (id, reference) sits beside the articles:
  ROUGE-1 F1 (rouge-score, stemmed) of the summary, and of the article's first
  three sentences (the lead-3 baseline), against the human reference.
One provider (one model load) serves the whole run; no brief cache is used.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from rouge_score import rouge_scorer

from summarizer.brief.recipe import BriefRecipe
from summarizer.brief.schema import ArticleBrief
from summarizer.brief.verify import check_brief
from summarizer.inputs.loading import iter_articles
from summarizer.prompts import get_prompt
from summarizer.providers.factory import build_provider
from summarizer.runs.outcome import brief_loaded
from summarizer.settings import Settings
from summarizer.text.quotations import find_quotations


def _references(paths: list[str]) -> dict[str, str]:
    """Human reference summaries by article id, from ``references.jsonl`` files beside the inputs."""
    found: dict[str, str] = {}
    for path in paths:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        file = folder / "references.jsonl"
        if file.is_file():
            for line in file.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    found.setdefault(
                        str(record["id"]), record["reference"] if isinstance(record["reference"], str) else record["reference"][0]
                    )
    return found


def _example_names(article_text: str) -> set[str]:
    """Capitalised words of the brief prompt's worked example that the article does not contain."""
    words: set[str] = set()
    for user, assistant in get_prompt("brief").examples:
        words |= set(re.findall(r"\b[A-Z][a-z]{2,}\b", user + " " + assistant))
    return {word for word in words if word not in article_text and word.lower() not in _COMMON}


_COMMON = frozenset("the this that these with from after before when where while said says will would should could".split())


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
    references = _references(options.paths)
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    rouge_summary: list[float] = []
    rouge_lead: list[float] = []
    output_tokens: list[int] = []
    leaks: list[str] = []
    seconds: list[float] = []
    reasks: list[int] = []
    valid = 0
    print(f"{'article':<30} {'seconds':>7} {'reasks':>6} {'removed':>7} {'failed':>6}", flush=True)
    recipe = BriefRecipe.of(provider, settings)
    try:
        for item in loaded:
            started = time.monotonic()
            outcome = brief_loaded(item, provider, recipe)
            elapsed = time.monotonic() - started
            if outcome.brief is None or outcome.article is None:
                print(f"{item.source[-30:]:<30} FAILED: {outcome.error}", flush=True)
                continue
            brief: ArticleBrief = outcome.brief
            valid += 1
            totals["dates listed"] += len(brief.dates)
            seconds.append(elapsed)
            output_tokens.append(brief.usage.completion_tokens)
            with_speaker = [quote for quote in brief.quotes if quote.speaker]
            totals["quotes with speaker"] += len(with_speaker)
            totals["quotes without speaker"] += len(brief.quotes) - len(with_speaker)
            if find_quotations(outcome.article.text):
                totals["articles with a quotation"] += 1
                totals["of those, with a verified quote and speaker"] += bool(with_speaker)
            dumped = brief.model_dump_json(exclude={"removed", "unverified", "grounding"})
            leaks += [
                f"{brief.article_id}: {name}"
                for name in _example_names(outcome.article.text)
                if re.search(rf"\b{name}\b", dumped)
            ]
            reference = references.get(brief.article_id)
            if reference:
                lead = " ".join(sentence.text for sentence in outcome.article.sentences[:3])
                rouge_summary.append(scorer.score(reference, brief.summary)["rouge1"].fmeasure)
                rouge_lead.append(scorer.score(reference, lead)["rouge1"].fmeasure)
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
    if valid:
        print(f"{'verified quotes with a speaker per brief':<42} {totals['quotes with speaker'] / valid:.1f}")
        print(f"{'quotes kept without a speaker':<42} {totals['quotes without speaker']}")
        print(
            f"{'articles with a quotation given a quote':<42} "
            f"{_rate(totals['of those, with a verified quote and speaker'], totals['articles with a quotation'])}"
        )
        print(f"{'worked-example names in outputs':<42} {len(leaks)}{' (' + ', '.join(leaks[:6]) + ')' if leaks else ''}")
    if rouge_summary:
        print(
            f"ROUGE-1 F1 vs reference ({len(rouge_summary)} articles): summary {statistics.mean(rouge_summary):.3f}, "
            f"lead-3 baseline {statistics.mean(rouge_lead):.3f}"
        )
    if seconds:
        print(f"grounding re-asks per brief (mean): {statistics.mean(reasks):.2f}")
        print(f"seconds per brief: median {statistics.median(seconds):.1f}, mean {statistics.mean(seconds):.1f}")
        print(f"output tokens per brief: median {statistics.median(output_tokens):.0f}")
    return 0 if valid == len(loaded) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
