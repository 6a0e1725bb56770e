"""Evaluate the cross-article synthesis of one cluster of articles.

Usage: python bench/synthesis.py [--provider local|openai|replay] [--out FILE] CLUSTER_DIR

Briefs every article (briefs come from the cache or fixtures where they can),
synthesizes them, and prints:
- the overview and its word count; themes; agreements with how many articles
  each cites; disagreements; the claims dropped as unsupported, with why;
- how many of the cluster's articles at least one claim cites;
- where ``references.jsonl`` (id, reference) sits in the folder: ROUGE-1 and
  ROUGE-2 recall (rouge-score, stemmed, mean over the references) of the
  synthesis prose (overview, themes, agreements, disagreements, and each
  article's first sentence as code quotes it; also without those), beside the
  baseline of the first sentence of each article, computed in the same run;
- the timeline events with their dates and the basis of each date;
- the synthesis call's seconds and tokens, and the run's wall time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from rouge_score import rouge_scorer

from summarizer.providers.factory import build_provider
from summarizer.runs.many_inputs import synthesize_files
from summarizer.settings import Settings
from summarizer.synthesis.schema import Synthesis


def _references(folder: Path) -> list[str]:
    file = folder / "references.jsonl"
    if not file.is_file():
        return []
    records = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [record["reference"] if isinstance(record["reference"], str) else record["reference"][0] for record in records]


def _recall(scorer: rouge_scorer.RougeScorer, references: list[str], text: str) -> dict[str, float]:
    scores = [scorer.score(reference, text) for reference in references]
    return {key: statistics.mean(score[key].recall for score in scores) for key in ("rouge1", "rouge2")}


def prose_of(synthesis: Synthesis, *, with_leads: bool = True) -> str:
    """The synthesis text a reader reads: overview, themes, agreements, disagreements (and each article's first sentence)."""
    claims = [synthesis.overview, *synthesis.themes, *synthesis.agreements, *synthesis.disagreements]
    claims += synthesis.article_leads if with_leads else []
    return "\n".join(claim.text for claim in claims)


def main(argv: list[str] | None = None) -> int:
    """Run the bench; the exit code is 1 when the synthesis failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cluster", type=Path)
    parser.add_argument("--provider", default=None)
    parser.add_argument("--out", type=Path, default=None, help="Also write the synthesis JSON here.")
    options = parser.parse_args(argv)
    settings = Settings.from_env().with_overrides(provider=options.provider)
    files = sorted(path for path in options.cluster.iterdir() if path.suffix in (".txt", ".md", ".html"))
    provider = build_provider(settings)
    started = time.monotonic()
    try:
        run = synthesize_files([str(path) for path in files], provider=provider, settings=settings)
    finally:
        provider.close()
    wall = time.monotonic() - started
    synthesis = run.synthesis
    if synthesis is None:
        print(f"synthesis failed: {run.synthesis_error}")
        return 1
    if options.out:
        options.out.write_text(synthesis.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(f"cluster: {options.cluster} ({len(files)} articles, {len(run.briefs)} briefed)")
    print(f"\noverview ({len(synthesis.overview.text.split())} words, cites {len(synthesis.overview.article_ids)} articles):")
    print(f"  {synthesis.overview.text}")
    sections = (("themes", synthesis.themes), ("agreements", synthesis.agreements), ("article leads", synthesis.article_leads))
    for title, claims in sections:
        print(f"\n{title}: {len(claims)}")
        for claim in claims:
            print(f"  - [{len(claim.article_ids)} articles] {claim.text}")
    print(f"\ndisagreements: {len(synthesis.disagreements)}")
    for claim in synthesis.disagreements:
        print(f"  - {claim.text}")
    print(f"\ndropped as unsupported: {len(synthesis.removed)}")
    for item in synthesis.removed:
        print(f"  - {item.field}: {item.value[:100]!r} ({item.reason})")
    cited = synthesis.cited_article_ids()
    print(f"\narticles cited: {len(cited)} of {len(synthesis.article_ids)}")
    references = _references(options.cluster)
    if references:
        scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
        firsts = "\n".join(article.sentences[0].text for article in run.articles if article.sentences)
        rows = [
            (f"synthesis prose ({len(prose_of(synthesis).split())} words)", prose_of(synthesis)),
            (
                f"  without the quoted first sentences ({len(prose_of(synthesis, with_leads=False).split())} words)",
                prose_of(synthesis, with_leads=False),
            ),
            (f"first sentence of each article ({len(firsts.split())} words)", firsts),
        ]
        print(f"\n{'recall against ' + str(len(references)) + ' references':<52} ROUGE-1  ROUGE-2")
        for label, text in rows:
            scores = _recall(scorer, references, text)
            print(f"  {label:<50} {scores['rouge1']:.3f}    {scores['rouge2']:.3f}")
    print(f"\ntimeline: {len(synthesis.timeline)} events")
    for event in synthesis.timeline:
        when = event.date.value or "not established"
        print(f"  {event.basis:<15} {when:<10} [{len(event.article_ids)}] {event.text[:90]}")
    usage = synthesis.usage
    print(
        f"\nsynthesis call: {usage.seconds:.1f} s, {usage.prompt_tokens} prompt + {usage.completion_tokens} output tokens, "
        f"{usage.attempts} attempt(s); whole run {wall:.1f} s"
    )
    if synthesis.failed_groups:
        print(f"model call failed: {synthesis.failed_groups[0].error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
